// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host_rcu.h"

static bool enabled;		/* atomic */
static uint64_t waits;		/* atomic */

static long membarrier(int cmd)
{
	return syscall(SYS_membarrier, cmd, 0, 0);
}

bool host_rcu_probe(char *why, size_t len)
{
	long cmds = membarrier(MEMBARRIER_CMD_QUERY);

	if (cmds < 0) {
		snprintf(why, len, "membarrier: %s", strerror(errno));
		return false;
	}
	if (!(cmds & MEMBARRIER_CMD_GLOBAL)) {
		snprintf(why, len,
			 "membarrier has no MEMBARRIER_CMD_GLOBAL here (nohz_full?)");
		return false;
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		/* The kernel skips synchronize_rcu() on one CPU. */
		snprintf(why, len, "one CPU: the host waits no grace period");
		return false;
	}
	return true;
}

void host_rcu_enable(bool on)
{
	__atomic_store_n(&waits, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&enabled, on, __ATOMIC_RELEASE);
}

bool host_rcu_enabled(void)
{
	return __atomic_load_n(&enabled, __ATOMIC_ACQUIRE);
}

void host_rcu_wait(void)
{
	membarrier(MEMBARRIER_CMD_GLOBAL);
	__atomic_add_fetch(&waits, 1, __ATOMIC_RELAXED);
}

uint64_t host_rcu_waits(void)
{
	return __atomic_load_n(&waits, __ATOMIC_RELAXED);
}
