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
	/*
	 * 0: which thread runs. Else a choice of the memory model inside a
	 * step (which write a read reads from, where a write goes, which
	 * buffered stores reach memory): chosen is 0..nchoices-1, 0 the
	 * sequentially consistent one, and enabled and current are unused.
	 */
	u8 nchoices;
};

/*
 * What a step touched (its footprint), for partial-order reduction: the
 * objects it read or wrote. A step is everything a thread does from
 * one scheduling point to its next; its footprint is what the point
 * declares plus whatever the step touches until the next point. A step
 * with an unknown part (any) is dependent with every other step.
 */
#define SCHED_FP_MAX		12
#define SCHED_FP_READ		MN_FP_READ
#define SCHED_FP_WRITE		MN_FP_WRITE
#define SCHED_OBJ_TAG		(1ull << 63)	/* not an address */
#define SCHED_OBJ_CLASS(id)	(SCHED_OBJ_TAG | (u32)(id))	/* a lock class */
#define SCHED_OBJ_RCU		(SCHED_OBJ_TAG | (1ull << 32))
#define SCHED_OBJ_MM		(SCHED_OBJ_TAG | (2ull << 32))	/* mm state */
/*
 * Parts of the mm state a precise step (a mapped access, see
 * SCHED_MODEL_SCOPE_PRECISE) reads or writes; every model step that
 * writes them (or, for frame contents, reads them) touches them too, on
 * top of SCHED_OBJ_MM. A page's object stands for its pte, the pte's
 * change count and its unstable count (and their trace texts); a
 * frame's for its contents, generation and counts.
 */
#define SCHED_OBJ_PAGE(p)	(SCHED_OBJ_TAG | (3ull << 32) | (u32)(p))
#define SCHED_OBJ_FRAME(f)	(SCHED_OBJ_TAG | (4ull << 32) | (u32)(f))
#define SCHED_OBJ_MAPS		(SCHED_OBJ_TAG | (5ull << 32))	/* mappings */
#define SCHED_OBJ_ORACLE	(SCHED_OBJ_TAG | (6ull << 32))	/* reports */

struct sched_fp {
	u8 n;
	bool any;
	u8 kind[SCHED_FP_MAX];
	u64 obj[SCHED_FP_MAX];
};

/* Two steps of different threads that may not commute. */
bool sched_fp_dependent(const struct sched_fp *a, const struct sched_fp *b);

/*
 * A search that chooses at every step (DPOR): told which thread ran
 * (-1 at the start) and what its step touched, it picks among enabled
 * (def: what the default would pick).
 */
struct sched_hook {
	void *ctx;
	int (*choose)(void *ctx, int ran, const struct sched_fp *fp,
		      u8 enabled, int def);
	/* A memory-model choice among n (n > 1) inside the running step. */
	unsigned int (*choose_value)(void *ctx, unsigned int n);
};

/* How the next thread is chosen; the search fills it in. */
struct sched_policy {
	/* If set, it chooses; prefix and pct are ignored. */
	const struct sched_hook *hook;
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
	/* The memory model ran out of room: part of it ran under SC. */
	bool wm_overflow;
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
/* A point whose operation touches obj (kind: SCHED_FP_READ or _WRITE). */
void sched_point_at(const char *op, const char *func, int line, int kind,
		    u64 obj);
/*
 * For the memory model (explore_wm.c): the running thread's number (-1
 * outside an execution or on a thread the scheduler does not run), a
 * choice among n recorded as a decision (0 if n < 2: nothing to
 * decide), the running thread's name, steps so far, and a trace line.
 */
int sched_current(void);
unsigned int sched_choose_value(unsigned int n);
unsigned int sched_decisions(void);	/* decisions so far */
const char *sched_thread_name(int t);
void sched_trace_text(const char *text);
/* For the trace only, where a point would add nothing (see mm.c). */
void sched_note(const char *op, const char *obj);
/* The running step touches obj too (a release, a wait's re-check). */
void sched_touch(int kind, u64 obj);
/* Before a wait: its re-checks touch obj (kind 0: only their points). */
void sched_wait_fp(int kind, u64 obj);
/*
 * Model code (mm, notifier, backend) changes shared state without
 * points: every step of a thread inside it touches SCHED_OBJ_MM.
 * SCHED_MODEL_SCOPE() marks the rest of the enclosing block as such.
 */
void sched_model_enter(void);
/*
 * Model code whose every shared access declares its object (a mapped
 * access): its steps touch obj and what it declares, not SCHED_OBJ_MM.
 * Model code entered from inside it (SCHED_MODEL_SCOPE) makes the rest
 * of the scope touch SCHED_OBJ_MM again.
 */
void sched_model_enter_precise(int kind, u64 obj);
void sched_model_exit(int *unused);
/* Around a call from model code into the strategy (a notifier call). */
void sched_model_suspend(void);
void sched_model_resume(void);
#ifdef MN_EXPLORE
#define SCHED_POINT_ON(op, obj)	\
	sched_point_at(op, obj, 0, SCHED_FP_WRITE, SCHED_OBJ_MM)
#define SCHED_POINT_FP(op, name, kind, obj)	\
	sched_point_at(op, name, 0, kind, obj)
#define SCHED_NOTE(op, obj)	sched_note(op, obj)
#define SCHED_TOUCH(kind, obj)	sched_touch(kind, obj)
#define SCHED_WAIT_FP(kind, obj)	sched_wait_fp(kind, obj)
#define SCHED_MODEL_SUSPEND()	sched_model_suspend()
#define SCHED_MODEL_RESUME()	sched_model_resume()
#define SCHED_MODEL_SCOPE()	\
	int __sched_scope __attribute__((cleanup(sched_model_exit), unused)) = \
		(sched_model_enter(), 0)
#define SCHED_MODEL_SCOPE_PRECISE(kind, obj)	\
	int __sched_scope __attribute__((cleanup(sched_model_exit), unused)) = \
		(sched_model_enter_precise(kind, obj), 0)
#else
#define SCHED_MODEL_SCOPE_PRECISE(kind, obj)	((void)0)
#define SCHED_POINT_ON(op, obj)	((void)0)
#define SCHED_POINT_FP(op, name, kind, obj)	((void)0)
#define SCHED_NOTE(op, obj)	((void)0)
#define SCHED_TOUCH(kind, obj)	((void)0)
#define SCHED_WAIT_FP(kind, obj)	((void)0)
#define SCHED_MODEL_SCOPE()	((void)0)
#define SCHED_MODEL_SUSPEND()	((void)0)
#define SCHED_MODEL_RESUME()	((void)0)
#endif
/* In a wait loop: true if the scheduler handled the wait. */
bool sched_wait(void);
/* The oracle reported: remember where. */
void sched_note_violation(void);
/* Steps so far in the running execution (0 when not exploring). */
unsigned long sched_steps(void);

#endif /* MODEL_SCHEDULER_H */
