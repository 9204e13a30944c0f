/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dynamic partial-order reduction for a stateless, deterministic
 * explorer: source-DPOR with sleep sets (Abdulla, Aronis, Jonsson,
 * Sagonas, "Optimal dynamic partial order reduction", POPL 2014,
 * Algorithm 1). Schedules that differ only in the order of independent
 * steps are explored once: each complete execution it runs is a
 * different Mazurkiewicz trace, and every trace is run.
 *
 * The explorer describes each thread's next step by a footprint (what
 * it reads or writes); two steps are dependent if they are of the same
 * thread, or touch the same object and one of them writes it (lock and
 * unlock write their lock). A thread at a lock another holds is not
 * enabled; the race that matters for a lock is with its previous
 * acquisition (an unlock and the next lock cannot be reversed). The
 * program is driven through callbacks: it is re-run from its initial
 * state (reset) and replayed to each branching point, as the
 * exploration scheduler does (bench/model/scheduler.h).
 */
#ifndef MODEL_DPOR_H
#define MODEL_DPOR_H

#include <stdbool.h>
#include <stdint.h>

#define DPOR_MAX_THREADS	8
#define DPOR_MAX_DEPTH		128	/* steps per execution */

enum dpor_kind {
	DPOR_LOCAL,	/* touches nothing shared: independent of all */
	DPOR_READ,
	DPOR_WRITE,	/* a write or an RMW */
	DPOR_LOCK,	/* acquiring lock obj (the thread waits while held) */
	DPOR_UNLOCK,
};

struct dpor_fp {
	enum dpor_kind kind;
	uint32_t obj;	/* a location or a lock, as the explorer numbers them */
};

struct dpor_ops {
	void (*reset)(void *ctx);	/* back to the initial state */
	uint32_t (*enabled)(void *ctx);	/* threads that can step now */
	struct dpor_fp (*next)(void *ctx, unsigned int t); /* t's next step */
	void (*step)(void *ctx, unsigned int t);
	void (*complete)(void *ctx);	/* no thread can step: an execution */
};

struct dpor_stats {
	unsigned long executions;	/* complete executions run */
	unsigned long sleep_blocked;	/* ended early: all left asleep */
	unsigned long steps;		/* steps executed, replays included */
	bool depth_overflow;		/* an execution past DPOR_MAX_DEPTH */
};

bool dpor_dependent(struct dpor_fp a, struct dpor_fp b);

/* Source-DPOR with sleep sets over every execution of the program. */
void dpor_explore(const struct dpor_ops *ops, void *ctx,
		  struct dpor_stats *st);
/* Every interleaving, no reduction: the reference DPOR is checked by. */
void dpor_explore_all(const struct dpor_ops *ops, void *ctx,
		      struct dpor_stats *st);

#endif /* MODEL_DPOR_H */
