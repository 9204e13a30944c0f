/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The real load mnbench-module makes on its ring while the module's worker
 * consumes it: KSM merging identical pages, and COW after fork. Which of
 * them a case asks for is enum load (bench/lib/loads.h).
 */
#ifndef MN_MODULE_LOADS_H
#define MN_MODULE_LOADS_H

#include <pthread.h>
#include <stdbool.h>

#include "loads.h"	/* enum load */
#include "task_cpu.h"
#include "ring_guest.h"

static inline bool load_uses_ksm(enum load load)
{
	return load == LOAD_KSM || load == LOAD_MIXED;
}

static inline bool load_uses_cow(enum load load)
{
	return load == LOAD_COW || load == LOAD_MIXED;
}

/*
 * Make the ring mergeable and have ksmd scan fast; the knobs changed are
 * saved first, for ksm_restore(). 0, or -errno.
 */
int ksm_start(struct ring *r);
/* Pages merged once KSM has merged any, or 0 after timeout_s. */
unsigned long ksm_wait_merging(double timeout_s);
void ksm_restore(void);

struct cow_load {
	struct ring *r;
	int dev_fd;		/* the child must not keep the device open */
	bool stop;		/* atomic */
	bool running;
	u64 forks;
	int64_t cpu_ns;		/* the thread's own: forks and faults */
	pthread_t tid;
};

/* Fork and write the bait pages from a thread; 0, or an errno. */
int cow_start(struct cow_load *c, struct ring *r, int dev_fd);
/* Stop it, if it runs. */
void cow_stop(struct cow_load *c);

#endif /* MN_MODULE_LOADS_H */
