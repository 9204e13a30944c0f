// SPDX-License-Identifier: GPL-2.0
/*
 * The case matrix: fast path and access cases per strategy, throughput
 * per strategy and load, an A/A noise case per load, and the sweeps, in
 * every placement asked; how often each repeats; and which of them a
 * --benchmark_filter selects.
 */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "name_list.h"
#include "suite.h"

static struct bench_case *add_case(enum case_kind kind, const char *name)
{
	struct bench_case *c;

	if (suite.ncases == MAX_CASES) {
		fprintf(stderr, "mnbench: too many cases\n");
		exit(1);
	}
	c = &suite.cases[suite.ncases++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->kind = kind;
	c->repetitions = suite.repetitions;
	model_config_default(&c->cfg);
	c->cfg.seconds = suite.seconds;
	c->cfg.hang_ms = 1000;
	/* Measurement: the worker is not slowed down to open races. */
	c->cfg.worker_window_us = 0;
	return c;
}

struct bench_case *add_model_case(const struct mn_strategy *s,
				  enum load load, unsigned int pl,
				  const char *fmt, ...)
{
	char name[160], suffix[64] = "";
	struct bench_case *c;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (!suite.placement_default)
		snprintf(suffix, sizeof(suffix), "/placement:%s",
			 placement_name(suite.placements[pl].kind));
	strncat(name, suffix, sizeof(name) - strlen(name) - 1);
	c = add_case(CASE_MODEL, name);
	c->cfg.strategy = s;
	c->cfg.load = load;
	c->placement = &suite.placements[pl];
	c->unavailable = suite.placement_ok[pl] ? NULL : suite.reasons[pl];
	return c;
}

/*
 * Scaling curves: for every strategy that is not known unsafe (the
 * candidates and the uaccess floor), and in full runs for every one, the
 * unsafe ceiling and the 2019 designs included.
 */
static bool sweeps_for(const struct mn_strategy *s)
{
	if (!mn_strategy_is(s, MN_KNOWN_UNSAFE))
		return true;
	return !suite.quick;
}

/*
 * The cases the decision compares get their own repetitions and length:
 * a strategy known unsafe is never recommended, so its throughput bars
 * need fewer, and the time they free goes to the comparisons that
 * decide. Those run in rounds (schedule.c), so each comparison is of
 * runs a moment apart.
 */
static void add_decision_case(const struct mn_strategy *s, enum load l,
			      unsigned int pl, const char *kind)
{
	struct bench_case *c;

	c = add_model_case(s, l, pl, "%s/%s/%s/vqs:1", kind, s->name,
			   load_names[l]);
	if (mn_strategy_is(s, MN_KNOWN_UNSAFE))
		return;
	c->repetitions = suite.decision_repetitions;
	c->cfg.seconds = suite.decision_seconds;
	c->decision = true;
	c->group = pl * LOAD_NR + l;
}

void build_matrix(const char *strategies, const char *loads)
{
	const struct mn_strategy *aa = suite.noise_strategy;
	struct bench_case *c;
	unsigned int i, l, pl;

	for (i = 0; i < mn_nr_strategies; i++) {
		const struct mn_strategy *s = mn_strategies[i];

		if (!name_in_list(strategies, s->name))
			continue;
		c = add_case(CASE_FASTPATH, "fastpath/");
		strncat(c->name, s->name, sizeof(c->name) - 10);
		c->cfg.strategy = s;
		c = add_case(CASE_ACCESS, "access/");
		strncat(c->name, s->name, sizeof(c->name) - 10);
		c->cfg.strategy = s;
	}
	add_case(CASE_BARE, "fastpath/bare");
	add_case(CASE_OVERHEAD, "harness/overhead");
	for (pl = 0; pl < suite.nplacements; pl++) {
		for (i = 0; i < mn_nr_strategies; i++) {
			const struct mn_strategy *s = mn_strategies[i];

			if (!name_in_list(strategies, s->name))
				continue;
			for (l = 0; l < LOAD_NR; l++)
				if (name_in_list(loads, load_names[l]))
					add_decision_case(s, l, pl,
							  "throughput");
		}
		/*
		 * The A/A pair: the same strategy and load as its throughput
		 * case, a separate case the library interleaves with the
		 * rest, so the two differ by the host's noise only.
		 */
		for (l = 0; aa && l < LOAD_NR; l++)
			if (name_in_list(loads, load_names[l]))
				add_decision_case(aa, l, pl, "noise");
		for (i = 0; i < mn_nr_strategies; i++) {
			const struct mn_strategy *s = mn_strategies[i];

			if (name_in_list(strategies, s->name) && sweeps_for(s))
				add_sweeps(s, pl);
		}
	}
}

/*
 * Which cases --benchmark_filter will run, for the progress count only
 * (the library does the real selection; a leading '-' negates).
 */
void select_cases(const char *filter)
{
	bool negate = filter && filter[0] == '-';
	unsigned int i;
	regex_t re;

	if (!filter || !strcmp(filter, "all") || !strcmp(filter, ".") ||
	    regcomp(&re, filter + negate, REG_EXTENDED | REG_NOSUB)) {
		for (i = 0; i < suite.ncases; i++)
			suite.cases[i].selected = true;
		suite.nselected = suite.ncases;
		return;
	}
	for (i = 0; i < suite.ncases; i++) {
		suite.cases[i].selected =
			!regexec(&re, suite.cases[i].name, 0, NULL, 0) != negate;
		suite.nselected += suite.cases[i].selected;
	}
	regfree(&re);
}
