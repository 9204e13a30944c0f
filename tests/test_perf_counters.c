// SPDX-License-Identifier: GPL-2.0
/*
 * perf counters around a case: software events count the threads the case
 * creates; hardware events are either counted or reported absent with a
 * reason. Exits 77 (skipped) where perf_event_open is unavailable.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "check.h"
#include "perf_counters.h"


static void *busy(void *arg)
{
	struct timespec t0, t;
	char *mem;
	int i;

	(void)arg;
	mem = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return NULL;
	for (i = 0; i < 64; i++)
		mem[i * 4096] = 1;
	/* CPU time, not wall time: a loaded machine must not change it. */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L +
		 (t.tv_nsec - t0.tv_nsec) < 50000000L);
	munmap(mem, 64 * 4096);
	return NULL;
}

int main(void)
{
	struct perf_counters pc;
	char absent[1024];
	pthread_t t[2];
	int i, j, opened;

	opened = perf_counters_open(&pc);
	perf_counters_absent(&pc, absent, sizeof(absent));
	if (!opened) {
		printf("SKIP: perf_event_open unavailable: %s\n", absent);
		return 77;
	}
	perf_counters_start(&pc);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, busy, NULL);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	perf_counters_stop(&pc);
	perf_counters_close(&pc);
	perf_counters_close(&pc);	/* harmless twice */

	for (i = 0; i < PC_NR; i++) {
		CHECK(perf_counter_name(i)[0]);
		for (j = 0; j < i; j++)
			CHECK(strcmp(perf_counter_name(i), perf_counter_name(j)));
		printf("%-18s %s %llu\n", perf_counter_name(i),
		       perf_counter_present(&pc, i) ? "counted" : "absent ",
		       (unsigned long long)pc.value[i]);
		if (perf_counter_is_hardware(i) && perf_counter_present(&pc, i))
			CHECK(pc.value[i] > 0);
		if (!perf_counter_present(&pc, i))
			CHECK(strstr(absent, perf_counter_name(i)));
	}
	/* Both threads' 50 ms of CPU count, thanks to inherit. */
	if (perf_counter_present(&pc, PC_TASK_CLOCK))
		CHECK(pc.value[PC_TASK_CLOCK] >= 80000000ull);
	if (perf_counter_present(&pc, PC_PAGE_FAULTS))
		CHECK(pc.value[PC_PAGE_FAULTS] >= 64);
	printf("absent: %s\n", absent[0] ? absent : "none");
	if (failures)
		return 1;
	printf("perf counters: all checks passed\n");
	return 0;
}
