// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "perf_counters.h"

static const struct {
	const char *name;
	uint32_t type;
	uint64_t config;
} events[PC_NR] = {
	[PC_TASK_CLOCK] = { "task_clock_ns", PERF_TYPE_SOFTWARE,
			    PERF_COUNT_SW_TASK_CLOCK },
	[PC_CONTEXT_SWITCHES] = { "context_switches", PERF_TYPE_SOFTWARE,
				  PERF_COUNT_SW_CONTEXT_SWITCHES },
	[PC_PAGE_FAULTS] = { "page_faults", PERF_TYPE_SOFTWARE,
			     PERF_COUNT_SW_PAGE_FAULTS },
	[PC_CPU_MIGRATIONS] = { "cpu_migrations", PERF_TYPE_SOFTWARE,
				PERF_COUNT_SW_CPU_MIGRATIONS },
	[PC_CYCLES] = { "cycles", PERF_TYPE_HARDWARE,
			PERF_COUNT_HW_CPU_CYCLES },
	[PC_INSTRUCTIONS] = { "instructions", PERF_TYPE_HARDWARE,
			      PERF_COUNT_HW_INSTRUCTIONS },
	[PC_CACHE_MISSES] = { "cache_misses", PERF_TYPE_HARDWARE,
			      PERF_COUNT_HW_CACHE_MISSES },
	[PC_DTLB_LOAD_MISSES] = { "dtlb_load_misses", PERF_TYPE_HW_CACHE,
				  PERF_COUNT_HW_CACHE_DTLB |
				  PERF_COUNT_HW_CACHE_OP_READ << 8 |
				  PERF_COUNT_HW_CACHE_RESULT_MISS << 16 },
};

const char *perf_counter_name(enum perf_counter_id id)
{
	return events[id].name;
}

bool perf_counter_is_hardware(enum perf_counter_id id)
{
	return events[id].type != PERF_TYPE_SOFTWARE;
}

static int open_event(enum perf_counter_id id, pid_t tid, bool inherit,
		      bool user_only)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = events[id].type;
	attr.config = events[id].config;
	attr.disabled = 1;
	attr.inherit = inherit;
	attr.exclude_kernel = user_only;
	attr.exclude_hv = user_only;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			   PERF_FORMAT_TOTAL_TIME_RUNNING;
	return (int)syscall(SYS_perf_event_open, &attr, tid, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static int open_all(struct perf_counters *pc, pid_t tid, bool inherit,
		    bool hardware_only)
{
	int i, n = 0;

	for (i = 0; i < PC_NR; i++) {
		pc->value[i] = 0;
		pc->open_errno[i] = 0;
		pc->fd[i] = -1;
		if (hardware_only && !perf_counter_is_hardware(i)) {
			pc->open_errno[i] = EOPNOTSUPP;
			continue;
		}
		pc->fd[i] = open_event(i, tid, inherit, false);
		/*
		 * perf_event_paranoid may allow user-space counting only, for
		 * ourselves; for a kernel thread that would count nothing.
		 */
		if (pc->fd[i] < 0 && (errno == EACCES || errno == EPERM) &&
		    !tid)
			pc->fd[i] = open_event(i, tid, inherit, true);
		if (pc->fd[i] < 0)
			pc->open_errno[i] = errno;
		else
			n++;
	}
	return n;
}

int perf_counters_open(struct perf_counters *pc)
{
	return open_all(pc, 0, true, false);
}

/* The core PMU's sysfs node: without it no hardware event can open. */
static bool have_pmu(void)
{
	return !access("/sys/bus/event_source/devices/cpu", F_OK);
}

int perf_counters_open_hardware(struct perf_counters *pc, pid_t tid)
{
	int i;

	if (have_pmu())
		return open_all(pc, tid, false, true);
	for (i = 0; i < PC_NR; i++) {
		pc->fd[i] = -1;
		pc->value[i] = 0;
		pc->open_errno[i] = perf_counter_is_hardware(i) ? ENOENT :
				    EOPNOTSUPP;
	}
	return 0;
}

void perf_counters_start(struct perf_counters *pc)
{
	int i;

	for (i = 0; i < PC_NR; i++) {
		if (pc->fd[i] < 0)
			continue;
		ioctl(pc->fd[i], PERF_EVENT_IOC_RESET, 0);
		ioctl(pc->fd[i], PERF_EVENT_IOC_ENABLE, 0);
	}
}

void perf_counters_stop(struct perf_counters *pc)
{
	uint64_t v[3];
	int i;

	for (i = 0; i < PC_NR; i++) {
		pc->value[i] = 0;
		if (pc->fd[i] < 0)
			continue;
		ioctl(pc->fd[i], PERF_EVENT_IOC_DISABLE, 0);
		if (read(pc->fd[i], v, sizeof(v)) != sizeof(v))
			continue;
		/* Scale when the PMU multiplexed this counter. */
		if (v[2] && v[2] < v[1])
			pc->value[i] = (uint64_t)((double)v[0] * v[1] / v[2]);
		else
			pc->value[i] = v[0];
	}
}

void perf_counters_close(struct perf_counters *pc)
{
	int i;

	for (i = 0; i < PC_NR; i++) {
		if (pc->fd[i] >= 0)
			close(pc->fd[i]);
		pc->fd[i] = -1;
	}
}

/* Opened at some point: values stay readable after close. */
bool perf_counter_present(const struct perf_counters *pc,
			  enum perf_counter_id id)
{
	return !pc->open_errno[id];
}

const char *perf_counters_absent(const struct perf_counters *pc, char *buf,
				 size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < PC_NR && off < len; i++) {
		if (perf_counter_present(pc, i))
			continue;
		off += snprintf(buf + off, len - off, "%s%s (%s)",
				off ? ", " : "", events[i].name,
				strerror(pc->open_errno[i]));
	}
	return buf;
}
