/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU time a task has run, from the scheduler's own accounting: what
 * perf's task-clock counts, without opening a perf event (see
 * perf_counters_open_hardware() for why that matters in a TCG guest).
 */
#ifndef MN_TASK_CPU_H
#define MN_TASK_CPU_H

#include <stdint.h>
#include <sys/types.h>

/*
 * Nanoseconds task tid (any thread, a kernel thread too) has run, from
 * /proc/TID/schedstat, or at clock-tick resolution from /proc/TID/stat;
 * -1 if neither can be read.
 */
int64_t task_cpu_ns(pid_t tid);
/* The calling thread's, from CLOCK_THREAD_CPUTIME_ID; -1 on failure. */
int64_t thread_cpu_ns(void);

#endif /* MN_TASK_CPU_H */
