/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Systematic exploration (mnbench-model --explore): a small scenario run
 * again and again under the controlled scheduler (scheduler.h), each time
 * with another interleaving, until one breaks an oracle rule or the
 * search is done: every schedule within a preemption bound (as CHESS
 * does), or PCT's randomized priority schedules for larger depths.
 */
#ifndef MODEL_EXPLORE_H
#define MODEL_EXPLORE_H

#include "model.h"
#include "scheduler.h"

#define EXPLORE_SCHEDULE_LEN		2048

/* What one execution of the scenario came to. */
struct explore_execution {
	bool bad;
	u64 violations[V_NR];
	char first_violation[560];
	u64 lost;
	u64 corrupted;
	char problem[600];	/* the rule broken, in words */
	u64 fast_accesses;	/* served through a mapping (the fast path) */
	u64 pins_held;		/* FOLL_PIN pins left once all was released */
};

struct explore_result {
	bool unsafe;
	bool exhaustive;	/* every schedule within the bound was run */
	bool stopped_early;	/* a limit ended the search */
	/* The memory model ran out of room in some execution (not exhaustive). */
	bool wm_overflow;
	/*
	 * No violation, but the strategy's fast path never served an
	 * access in any schedule: only its fallback was explored, and
	 * "safe" would say nothing about the fast path.
	 */
	bool degenerate;
	u64 fast_accesses;	/* over every schedule */
	unsigned long schedules;
	unsigned long max_steps;	/* longest execution, in steps */
	unsigned long max_decisions;
	double seconds;
	/* The first counterexample, minimized. */
	struct explore_execution cx;
	char schedule[EXPLORE_SCHEDULE_LEN];	/* for --replay */
	unsigned int preemptions;
	char *trace;		/* malloc'ed, the steps of the schedule */
};

/*
 * The search cfg asks for (cfg->explore set; model_config.h): 0 when it
 * ran (whatever it found), -errno otherwise.
 */
int explore_run(const struct model_config *cfg, struct explore_result *res);
void explore_result_free(struct explore_result *res);

/* One execution of the scenario (explore_scenario.c). */
int explore_execute(const struct model_config *cfg,
		    const struct sched_policy *policy,
		    struct sched_result *sres, struct sched_trace *trace,
		    struct explore_execution *ex);

#endif /* MODEL_EXPLORE_H */
