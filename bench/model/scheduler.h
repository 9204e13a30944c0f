/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exploration scheduler: the model's threads run one at a time, and
 * at every scheduling point (a lock operation, READ_ONCE/WRITE_ONCE or an
 * atomic, an RCU call, a pte change, a mapped access, a notifier call)
 * the search decides which runs next. Nothing depends on time or on the
 * host's scheduler, so a list of decisions replays an execution exactly.
 * Only the MN_EXPLORE build of the model has the points (mn_compat.h).
 */
#ifndef MODEL_SCHEDULER_H
#define MODEL_SCHEDULER_H

#include <mn_compat.h>

#define SCHED_MAX_THREADS	8
#define SCHED_MAX_DECISIONS	4096

/* One decision: who could run, who was running, who was chosen. */
struct sched_decision {
	u8 enabled;		/* bitmask of threads that could run */
	signed char current;		/* the thread at its point, -1 if it blocked */
	u8 chosen;
};

/* How the next thread is chosen; the search fills it in. */
struct sched_policy {
	/* Decisions to replay first, then the default policy. */
	const u8 *prefix;
	unsigned int prefix_len;
	/*
	 * PCT: run the highest priority; at step change_at[i] (ascending)
	 * the running thread's priority drops to change_prio[i].
	 */
	bool pct;
	unsigned int prio[SCHED_MAX_THREADS];
	const unsigned long *change_at;
	const unsigned int *change_prio;
	unsigned int nchanges;
};

struct sched_result {
	struct sched_decision d[SCHED_MAX_DECISIONS];
	unsigned int ndecisions;
	bool decisions_overflow;	/* past SCHED_MAX_DECISIONS */
	unsigned long steps;
	bool deadlock;
	bool step_limit;		/* a livelock, or a scenario too long */
	char deadlock_cycle[512];
	unsigned long violation_step;	/* first oracle report, 0 if none */
};

/* Text of each step, for a counterexample's trace; NULL: none kept. */
struct sched_trace {
	char *buf;
	size_t len;
	size_t used;
};

/*
 * Runs fn(arg[i]) on n threads named names[i] under policy and returns
 * when every thread has finished or is stuck (deadlock: the rest are
 * unwound).
 */
void sched_run(unsigned int n, const char *const *names,
	       void (*fn)(void *arg), void *const *args,
	       const struct sched_policy *policy, struct sched_result *res,
	       struct sched_trace *trace);

/*
 * Hooks (MN_EXPLORE builds): a point, and a blocked thread's wait. A
 * point on an object (a lock, a page) passes its name as func, line 0.
 */
void sched_point(const char *op, const char *func, int line);
/* For the trace only, where a point would add nothing (see mm.c). */
void sched_note(const char *op, const char *obj);
#ifdef MN_EXPLORE
#define SCHED_POINT_ON(op, obj)	sched_point(op, obj, 0)
#define SCHED_NOTE(op, obj)	sched_note(op, obj)
#else
#define SCHED_POINT_ON(op, obj)	((void)0)
#define SCHED_NOTE(op, obj)	((void)0)
#endif
/* In a wait loop: true if the scheduler handled the wait. */
bool sched_wait(void);
/* The oracle reported: remember where. */
void sched_note_violation(void);
/* Steps so far in the running execution (0 when not exploring). */
unsigned long sched_steps(void);

#endif /* MODEL_SCHEDULER_H */
