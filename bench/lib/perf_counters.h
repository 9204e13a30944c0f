/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf_event_open counters around one benchmark case: software events
 * always, hardware ones where the host has a PMU (absent otherwise, with
 * the reason). Opened on the process with inherit, so threads the case
 * creates count, or for one task's hardware events alone (a worker).
 */
#ifndef MN_PERF_COUNTERS_H
#define MN_PERF_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum perf_counter_id {
	PC_TASK_CLOCK,
	PC_CONTEXT_SWITCHES,
	PC_PAGE_FAULTS,
	PC_CPU_MIGRATIONS,
	PC_CYCLES,
	PC_INSTRUCTIONS,
	PC_CACHE_MISSES,
	PC_DTLB_LOAD_MISSES,
	PC_NR
};

struct perf_counters {
	int fd[PC_NR];		/* -1 when absent */
	int open_errno[PC_NR];	/* why absent */
	uint64_t value[PC_NR];	/* after perf_counters_stop; 0 if absent */
};

const char *perf_counter_name(enum perf_counter_id id);
bool perf_counter_is_hardware(enum perf_counter_id id);
/* Never fails as a whole; returns how many counters opened. */
int perf_counters_open(struct perf_counters *pc);
/*
 * Hardware events only (cycles, instructions, ...), on task tid (0: the
 * calling thread) alone, kernel time included (user space only, where
 * perf_event_paranoid wants it, for the calling thread alone). Software events are left out (EOPNOTSUPP): opening one on a task
 * turns on the scheduler's perf hooks, a live patch of __schedule that a
 * qemu TCG guest can trip over (an int3 oops); CPU time comes from the
 * scheduler instead. Without a PMU nothing is opened (ENOENT).
 */
int perf_counters_open_hardware(struct perf_counters *pc, pid_t tid);
void perf_counters_start(struct perf_counters *pc);
void perf_counters_stop(struct perf_counters *pc);
void perf_counters_close(struct perf_counters *pc);
bool perf_counter_present(const struct perf_counters *pc,
			  enum perf_counter_id id);
/* "cycles (No such file or directory), ..." or "" if all are there. */
const char *perf_counters_absent(const struct perf_counters *pc, char *buf,
				 size_t len);

#endif /* MN_PERF_COUNTERS_H */
