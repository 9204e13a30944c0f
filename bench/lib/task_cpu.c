// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "task_cpu.h"

/* utime + stime in clock ticks: fields 14 and 15, after "(comm)". */
static int64_t stat_cpu_ns(pid_t tid)
{
	unsigned long long utime, stime;
	char path[64], buf[1024];
	const char *p;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');	/* a comm may hold spaces and parentheses */
	if (!p || hz <= 0 ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
		   &utime, &stime) != 2)
		return -1;
	return (int64_t)((utime + stime) * (1000000000ull / (unsigned long)hz));
}

int64_t task_cpu_ns(pid_t tid)
{
	unsigned long long run_ns;
	char path[64];
	FILE *f;
	int ok;

	if (tid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return stat_cpu_ns(tid);
	ok = fscanf(f, "%llu", &run_ns) == 1;
	fclose(f);
	return ok ? (int64_t)run_ns : stat_cpu_ns(tid);
}

int64_t thread_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return -1;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
