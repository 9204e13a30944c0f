/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A model thread: its name, the locks it holds and the kernel context it is
 * in (spinlocks, RCU, ->invalidate_range, non-blockable notifier), which is
 * what the oracle needs to judge might_sleep() and lock order. Blocking
 * waits publish what they wait on for the hang watchdog, and unwind with
 * longjmp when the run is aborted, so a deadlocked run still ends.
 */
#ifndef MODEL_THREAD_H
#define MODEL_THREAD_H

#include <setjmp.h>

#include <mn_compat.h>
#include "histogram.h"

#define MT_MAX_HELD	16
#define MT_MAX_THREADS	80

struct mt_latency {
	struct histogram start_ns;	/* time in invalidate_range_start */
	struct histogram end_ns;	/* time in invalidate_range_end */
	struct histogram inval_range_ns; /* time in ->invalidate_range */
	struct histogram total_ns;	/* start called .. end returned */
	/* Per invalidation: inside the secondary MMU, and waiting there. */
	struct histogram notifier_ns;
	struct histogram notifier_hit_ns;	/* those that hit a vq */
	struct histogram notifier_wait_ns;
};

struct model_thread {
	char name[24];
	/* Owner-only state. */
	const struct mn_raw_lock *held[MT_MAX_HELD];
	bool held_by_trylock[MT_MAX_HELD];
	int nheld;
	int spin_depth;
	int rcu_depth;
	int in_invalidate_range;
	int non_block;
	int stale_pending;
	char stale_trace[512];
	jmp_buf abort_jmp;
	bool abort_armed;		/* abort_jmp is set */
	struct mt_latency *lat;
	u64 wait_ns;			/* time spent in blocking waits */

	/* Published for the watchdog and RCU (atomic accesses only). */
	const char *activity;		/* static string */
	const char *callback;		/* notifier callback, or NULL */
	int blocked_class;		/* lock class waited on, or -1 */
	const char *blocked_what;	/* static string, NULL if not blocked */
	u64 blocked_since_ns;
	int held_class[MT_MAX_HELD];
	int nheld_pub;
	unsigned long rcu_gp;		/* 0 outside read sections */
	bool claimed;			/* slot taken (CAS) */
	bool live;			/* fields above are set */
} ____cacheline_aligned;	/* owners write per lock op */

extern __thread struct model_thread *mt_self;

/* Register the calling thread; returns its context (NULL if full). */
struct model_thread *mt_register(const char *name);
void mt_unregister(void);
void mt_set_activity(const char *what);

/* Blocking waits: publish what we wait on; unwind if the run aborts. */
void mt_wait_begin(int class_id, const char *what);
void mt_wait_end(void);
void mt_wait_step(unsigned int *spins);
/*
 * Who takes a blocked thread's wait step over (the exploration scheduler,
 * while it runs the threads): true if it did; NULL: the wait spins. A
 * hook, so that the threads depend on no scheduler.
 */
void mt_set_wait_hook(bool (*hook)(void));

/* Every registered thread, for RCU grace periods and the watchdog. */
extern struct model_thread mt_table[MT_MAX_THREADS];

void mt_abort_all(void);
bool mt_aborting(void);
void mt_reset(void);

#endif /* MODEL_THREAD_H */
