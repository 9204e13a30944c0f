/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state of one mnbench run, shared by its parts: the case matrix
 * (matrix.c, sweeps.c), the case runners (cases.c), the run's context
 * (context.c) and the command line (mnbench.c).
 */
#ifndef MN_SUITE_H
#define MN_SUITE_H

#include "model.h"
#include "placement.h"

#define MAX_CASES	1024
#define MAX_PLACEMENTS	5

enum case_kind { CASE_FASTPATH, CASE_BARE, CASE_OVERHEAD, CASE_ACCESS,
		 CASE_MODEL };

struct bench_case {
	char name[160];
	bool selected;		/* --benchmark_filter lets it run */
	enum case_kind kind;
	struct model_config cfg;
	const struct placement *placement;
	const char *unavailable;	/* placement reason, or NULL */
	double estimate_s;
	unsigned int repetitions;	/* this case's own count */
	unsigned int calls;	/* model cases: one per repetition */
	/*
	 * A case the decision compares runs in rounds: in each, every
	 * decision case of its group (placement and load) back to back.
	 */
	bool decision;
	unsigned int group;
};

struct suite {
	struct bench_case cases[MAX_CASES];
	unsigned int ncases;
	unsigned int repetitions;
	/* The cases the decision compares: throughput/ and noise/ of the
	 * strategies not known unsafe. */
	unsigned int decision_repetitions;
	double decision_seconds;	/* one model run of those cases */
	unsigned long long schedule_seed;	/* the order cases run in */
	/* The strategy of the A/A noise/ cases, or NULL for none. */
	const struct mn_strategy *noise_strategy;
	double seconds;
	bool quick;
	struct placement placements[MAX_PLACEMENTS];
	char reasons[MAX_PLACEMENTS][256];
	bool placement_ok[MAX_PLACEMENTS];
	unsigned int nplacements;
	bool placement_default;	/* none named: cores where there are two */
	double total_s;		/* estimate for the selected cases */
	u64 t0_ns;		/* first case started */
	unsigned int nselected;
	char perf_absent[512];
};

extern struct suite suite;

/*
 * matrix.c: the cases, by name, for the strategies and loads asked, with
 * an A/A noise/ case per load for suite.noise_strategy.
 */
void build_matrix(const char *strategies, const char *loads);
/* A model case of strategy s under load in placement pl, named by fmt. */
struct bench_case *add_model_case(const struct mn_strategy *s,
				  enum load load, unsigned int pl,
				  const char *fmt, ...) __printf(4, 5);
/* Which cases --benchmark_filter runs, for the progress count. */
void select_cases(const char *filter);

/* sweeps.c: the scaling curves of strategy s in placement pl. */
void add_sweeps(const struct mn_strategy *s, unsigned int pl);

/* cases.c: a case's time estimate, then one repetition's registration. */
void estimate_case(struct bench_case *c);
void register_repetition(struct bench_case *c);

/*
 * schedule.c: every repetition of every case registered, in an order
 * shuffled by suite.schedule_seed, the decision's cases in blocks.
 */
void register_schedule(void);

/* context.c: what the JSON context says about this run and its host. */
void add_context(const char *strategies, const char *cmdline);

#endif /* MN_SUITE_H */
