// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the model and checks the verdict the oracle must reach:
 *   test_model_verdict STRATEGY LOAD EXPECT [INVALIDATORS [SECONDS]]
 * EXPECT: safe | unsafe | stale | sleep | contract | lock-order-page-lock |
 *         lock-order-mmap-lock
 * LOAD "any" (with EXPECT unsafe): caught under at least one load, for
 * the known-unsafe strategies of strategy_list.h.
 */
#include <stdio.h>

#include "report.h"

static int fail(const struct model_result *res, const char *why)
{
	fprintf(stderr, "FAIL: %s\n", why);
	report_text(stderr, res);
	return 1;
}

static bool any_cycle_through(const struct model_result *res,
			      const char *lock)
{
	unsigned int i;

	for (i = 0; i < ORACLE_CYCLES; i++)
		if (strstr(res->lock_cycles[i], lock))
			return true;
	return false;
}

static bool made_progress(const struct model_result *res, int load)
{
	return res->buffers.completed &&
	       (load == LOAD_NONE || res->mm.invalidations);
}

/* 0: as expected; 1: not; 2: unknown expectation. */
static int check(const struct model_result *res, const char *expect,
		 int load)
{
	if (!strcmp(expect, "safe")) {
		if (!res->safe)
			return fail(res, "expected a safe verdict");
		if (!res->buffers.completed)
			return fail(res, "no buffer completed");
		if (res->buffers.lost || res->buffers.corrupted)
			return fail(res, "buffers lost or corrupted");
		if (load != LOAD_NONE && !res->mm.invalidations)
			return fail(res, "the load made no invalidation");
		return 0;
	}
	if (!strcmp(expect, "unsafe")) {
		if (res->safe)
			return fail(res, "expected an unsafe verdict");
	} else if (!strcmp(expect, "contract")) {
		if (!res->violations[V_CONTRACT])
			return fail(res, "expected a broken notifier contract");
	} else if (!strcmp(expect, "stale")) {
		if (!res->violations[V_STALE_ACCESS])
			return fail(res, "expected stale accesses");
	} else if (!strcmp(expect, "sleep")) {
		if (!res->violations[V_SLEEP_IN_ATOMIC])
			return fail(res, "expected sleep in atomic context");
	} else if (!strcmp(expect, "lock-order-page-lock")) {
		if (!res->violations[V_LOCK_ORDER] ||
		    !any_cycle_through(res, "page lock"))
			return fail(res, "expected a lock-order inversion with the page lock");
	} else if (!strcmp(expect, "lock-order-mmap-lock")) {
		if (!res->violations[V_LOCK_ORDER] ||
		    !any_cycle_through(res, "mmap_lock"))
			return fail(res, "expected a lock-order inversion with mmap_lock");
	} else {
		fprintf(stderr, "unknown expectation '%s'\n", expect);
		return 2;
	}
	if (res->safe)
		return fail(res, "an unsafe strategy got a safe verdict");
	return 0;
}

/*
 * A race needs the schedule to hit its window, and on a loaded machine
 * (sanitizers, ctest -j) one short run may not: an expected violation
 * gets up to four runs with other seeds. A safe verdict is final once a
 * run is unsafe; a run that made no progress (a starved sanitizer build)
 * runs again, longer, instead of failing.
 */
static int run_and_check(struct model_config *cfg, struct model_result *res,
			 const char *expect)
{
	bool want_safe = !strcmp(expect, "safe");
	int attempt, ret = 1;

	for (attempt = 1; attempt <= 4; attempt++) {
		cfg->seed = attempt;
		if (model_run(cfg, res)) {
			fprintf(stderr, "FAIL: the model run could not be set up\n");
			return 1;
		}
		report_text(stdout, res);
		ret = check(res, expect, cfg->load);
		if (ret != 1)
			return ret;
		if (want_safe) {
			if (!res->safe || made_progress(res, cfg->load))
				return ret;
			cfg->seconds *= 2;
		}
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct model_config cfg;
	struct model_result *res;
	const char *expect;
	int load, first, last, ret = 1;
	bool any;

	if (argc < 4 || argc > 6) {
		fprintf(stderr, "usage: %s STRATEGY LOAD EXPECT [INVALIDATORS [SECONDS]]\n",
			argv[0]);
		return 2;
	}
	model_config_default(&cfg);
	cfg.strategy = mn_strategy_find(argv[1]);
	any = !strcmp(argv[2], "any");
	load = any ? LOAD_NONE + 1 : load_parse(argv[2]);
	expect = argv[3];
	if (!cfg.strategy || load < 0 || (any && strcmp(expect, "unsafe"))) {
		fprintf(stderr, "unknown strategy or load, or 'any' load without 'unsafe'\n");
		return 2;
	}
	/* Generous: sanitizer builds are slow and CI machines are shared. */
	cfg.hang_ms = 3000;
	if (argc > 4)
		cfg.invalidators = atoi(argv[4]);
	res = calloc(1, sizeof(*res));
	if (!res)
		return 1;
	first = load;
	last = any ? LOAD_NR - 1 : load;
	for (load = first; load <= last && ret; load++) {
		cfg.load = load;
		cfg.seconds = argc > 5 ? atof(argv[5]) : 1.5;
		printf("== %s under %s\n", argv[1], load_names[load]);
		ret = run_and_check(&cfg, res, expect);
	}
	free(res);
	return ret;
}
