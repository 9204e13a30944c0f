/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Litmus tests as small programs for the weak-memory engine
 * (bench/model/memory_model.h): 1-4 threads of straight-line events,
 * an "exists" clause, and the result the kernel's litmus file states.
 * litmus_run() enumerates every execution the engine allows (every
 * interleaving, every read-from and every mo placement, and under tso
 * every store-buffer flush) and collects the final outcomes.
 */
#ifndef TESTS_LITMUS_H
#define TESTS_LITMUS_H

#include <stdbool.h>
#include <stdint.h>

#include "memory_model.h"

#define LIT_THREADS	4
#define LIT_INS		10
#define LIT_REGS	4
#define LIT_LOCS	6
#define LIT_TERMS	6

enum lit_op {
	L_END = 0,
	L_READ,		/* reg = *loc (or *regs[addr]) */
	L_WRITE,	/* *loc = val */
	L_RMW,		/* reg = rmw(*loc) */
	L_FENCE,
	L_LOCK,
	L_UNLOCK,
	L_RCU_LOCK,
	L_RCU_UNLOCK,
	L_SYNC,		/* synchronize_rcu() */
};

struct lit_ins {
	enum lit_op op;
	enum mm_order ord;
	enum mm_fence fence;
	enum mm_rmw_op rmw;
	int loc;
	int reg;	/* destination register of a read or RMW */
	bool dep;	/* the address is in register addr (a dependency) */
	int addr;
	long val;	/* value written, RMW argument */
	long expect;	/* cmpxchg's expected value, add_unless's "unless" */
	bool ctrl;	/* executed only if regs[if_reg] != 0 */
	int if_reg;
};

/* Terms of the exists clause: a thread's register, or a final value. */
struct lit_term {
	int thread;	/* -1: location loc's final value */
	int idx;	/* register or location */
	long val;
};

enum lit_result { LIT_NEVER, LIT_SOMETIMES };

struct litmus {
	const char *name;	/* the litmus file's name, without .litmus */
	const char *source;	/* where the file is, in the kernel tree */
	unsigned int nthreads;
	unsigned int nlocs;
	long init[LIT_LOCS];
	unsigned int locks;	/* bitmask of locations that are locks */
	struct lit_ins p[LIT_THREADS][LIT_INS];
	struct lit_term exists[LIT_TERMS];
	unsigned int nterms;
	enum lit_result lkmm;	/* the file's "Result:" */
	/*
	 * The engine's result where it differs from LKMM on purpose, and
	 * why; otherwise lkmm applies to the engine too.
	 */
	bool differs;
	enum lit_result engine;
	const char *why;
	enum lit_result sc, tso;
};

#define LIT_PATH	64

/* One decision of an execution: a thread's event with choice k, or a flush. */
struct lit_choice {
	uint8_t thread;
	bool flush;
	uint8_t k;
};

/*
 * One final outcome: every register, then every location; and the
 * decisions of the first execution that reached it.
 */
struct lit_outcome {
	long reg[LIT_THREADS][LIT_REGS];
	long loc[LIT_LOCS];
	struct lit_choice path[LIT_PATH];
	unsigned int npath;
};

struct lit_stats {
	unsigned long executions;	/* complete executions */
	unsigned long deadlocks;
	unsigned long bad_writer;	/* a read from a thread not writing there */
	bool overflow;
	unsigned int noutcomes;
	struct lit_outcome *outcomes;	/* distinct, malloc'ed */
	bool exists;			/* some outcome satisfies the clause */
};

/* 0, or -1 if out of memory. */
int litmus_run(const struct litmus *t, enum mm_mode mode,
	       struct lit_stats *st);
/*
 * The same under sc, but by source-DPOR (bench/model/dpor.h) over steps
 * annotated with footprints; *schedules is how many it ran.
 */
int litmus_run_dpor_sc(const struct litmus *t, struct lit_stats *st,
		       unsigned long *schedules);
void litmus_stats_free(struct lit_stats *st);
/*
 * Runs the one execution path names (as recorded in an outcome) and
 * fills *o; -1 if the path names a decision the state does not offer.
 */
int litmus_replay(const struct litmus *t, enum mm_mode mode,
		  const struct lit_choice *path, unsigned int npath,
		  struct lit_outcome *o);
/* The same registers and final values. */
bool litmus_same(const struct lit_outcome *a, const struct lit_outcome *b);
bool litmus_holds(const struct litmus *t, const struct lit_outcome *o);
/* Is every outcome of a also one of b? */
bool litmus_subset(const struct lit_stats *a, const struct lit_stats *b);

extern const struct litmus litmus_table[];
extern const unsigned int litmus_count;

/* Shorthands for the table. */
#define I(...)		{ __VA_ARGS__ }
#define RD(r, l)	I(.op = L_READ, .ord = MM_ONCE, .reg = (r), .loc = (l))
#define RDACQ(r, l)	I(.op = L_READ, .ord = MM_ACQUIRE, .reg = (r), .loc = (l))
/* r = READ_ONCE(*regs[a]): an address dependency on the read of a. */
#define RDDEP(r, a)	I(.op = L_READ, .ord = MM_ONCE, .reg = (r), .dep = true, \
			  .addr = (a))
#define WR(l, v)	I(.op = L_WRITE, .ord = MM_ONCE, .loc = (l), .val = (v))
#define WRREL(l, v)	I(.op = L_WRITE, .ord = MM_RELEASE, .loc = (l), .val = (v))
/* if (regs[c]) WRITE_ONCE(*l, v): a control dependency. */
#define WRIF(c, l, v)	I(.op = L_WRITE, .ord = MM_ONCE, .loc = (l), .val = (v), \
			  .ctrl = true, .if_reg = (c))
#define RMW(r, l, o, e, a, ord_)	I(.op = L_RMW, .reg = (r), .loc = (l), \
				  .rmw = (o), .expect = (e), .val = (a), \
				  .ord = (ord_))
#define MB		I(.op = L_FENCE, .fence = MM_MB)
#define RMB		I(.op = L_FENCE, .fence = MM_RMB)
#define WMB		I(.op = L_FENCE, .fence = MM_WMB)
#define LOCK(l)		I(.op = L_LOCK, .loc = (l))
#define UNLOCK(l)	I(.op = L_UNLOCK, .loc = (l))
#define RCU_LOCK	I(.op = L_RCU_LOCK)
#define RCU_UNLOCK	I(.op = L_RCU_UNLOCK)
#define SYNC		I(.op = L_SYNC)

#define REG(t, r, v)	{ .thread = (t), .idx = (r), .val = (v) }
#define LOC(l, v)	{ .thread = -1, .idx = (l), .val = (v) }

#endif /* TESTS_LITMUS_H */
