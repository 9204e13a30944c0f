// SPDX-License-Identifier: GPL-2.0
/*
 * The mutation suite: each broken variant of a correct strategy
 * (tests/mutants/) must be reported unsafe, by the rule its file names;
 * the correct strategies must stay safe under the same runs.
 *
 *   test_mutants [--mutant NAME] [--runs N] [--seed S] [--seconds X]
 *                [--min-caught K]
 *   test_mutants --explore [--mutant NAME | --correct] [--bound K]
 *                [--replays R] [--memory-model sc|tso|lkmm]
 *                [--load L] [--invalidators N] [--trace]
 *
 * Stress (timed runs): prints, per mutant, how many runs caught it and by
 * which rule, and per correct strategy how many runs stayed safe. Exit 0
 * when every mutant was caught in at least K runs (default: all) and no
 * correct run failed.
 *
 * Barrier mutants (mutant.h) run only when named: a weak memory model
 * is what kills them (tests/barrier_mutants.py).
 *
 * --explore: every mutant must be found by the bounded search (default
 * bound 2), and its counterexample, replayed R times (default 3), must
 * give the same trace each time; the correct strategies must pass the
 * search exhaustively under each mutant's load with bound 1.
 * --memory-model, --load and --invalidators choose the cell one named
 * mutant is searched in (default: sc, the mutant's own load and
 * invalidators); a barrier mutant dies only under a weak model, in the
 * cell docs/strategies.md names for it. --trace prints the
 * counterexample's trace (under a weak model: what each read read from).
 */
#include <getopt.h>
#include <stdio.h>

#include "explore.h"
#include "explore_wm.h"
#include "loads.h"
#include "mutant.h"
#include "vq/vq_loop.h"

struct opts {
	bool explore;
	bool correct_only;
	bool trace;
	int memory_model;		/* WM_SC, WM_TSO, WM_LKMM */
	int load;			/* -1: the mutant's own */
	unsigned int invalidators;	/* 0: the mutant's own */
	unsigned int bound;
	unsigned int replays;
	const char *only;
	unsigned int runs;
	unsigned int min_caught;
	u64 seed;
	double seconds;
};

static void configure(struct model_config *cfg, const struct opts *o,
		      enum load load, unsigned int invalidators, u64 seed)
{
	model_config_default(cfg);
	cfg->load = load;
	cfg->invalidators = invalidators;
	cfg->seconds = o->seconds;
	cfg->seed = seed;
	cfg->stop_on_violation = true;
	/*
	 * The model's readers decide what synchronize_rcu() waits for; the
	 * host's grace period would only add time.
	 */
	cfg->rcu_host_gp = false;
	/* Sanitizer builds are slow and CI machines shared: no false hangs. */
	cfg->hang_ms = 3000;
}

/* Runs mutant m o->runs times; true if it was caught often enough. */
static bool run_mutant(const struct mutant *m, const struct opts *o,
		       struct model_result *res)
{
	static struct mn_strategy ops;
	unsigned int r, caught = 0, by_rule = 0;
	struct model_config cfg;
	char first[600] = "";

	m->make(&ops);
	ops.name = m->name;
	ops.process = mn_vq_process_dynamic;
	ops.read_repeat = mn_vq_read_repeat_dynamic;
	for (r = 0; r < o->runs; r++) {
		configure(&cfg, o, m->load, m->invalidators, o->seed + r);
		cfg.strategy = &ops;
		if (model_run(&cfg, res)) {
			fprintf(stderr, "%s: the model run could not be set up\n",
				m->name);
			return false;
		}
		caught += !res->safe;
		by_rule += res->violations[m->rule] > 0;
		if (!res->safe && !first[0])
			snprintf(first, sizeof(first), "%s", res->first_violation);
	}
	printf("%-30s caught %2u/%u, by %s %2u/%u  (%s)\n", m->name, caught,
	       o->runs, violation_names[m->rule], by_rule, o->runs, m->bug);
	if (first[0])
		printf("%-30s first: %.160s\n", "", first);
	return caught >= o->min_caught;
}

/*
 * The correct strategies: each under its own mutants' loads, or under
 * every mutant's.
 */
static const struct {
	const char *name;
	bool every_mutant;
} correct[] = {
	{ "counter", false }, { "seqcount", false },
	{ "uaccess", true }, { "interval", true },
};

static bool runs_under(unsigned int i, const struct mutant *m)
{
	return correct[i].every_mutant || strstr(m->name, correct[i].name);
}

/* The correct strategies under every mutant's load and seeds. */
static bool run_correct(const struct opts *o, struct model_result *res)
{
	struct model_config cfg;
	bool ok = true;
	unsigned int i, k, r;

	for (i = 0; i < ARRAY_SIZE(correct); i++) {
		unsigned int runs = 0, safe = 0;

		for (k = 0; k < nr_mutants; k++) {
			if (o->only || !runs_under(i, mutants[k]) ||
			    mutants[k]->barrier)
				continue;
			for (r = 0; r < o->runs; r++) {
				configure(&cfg, o, mutants[k]->load,
					  mutants[k]->invalidators, o->seed + r);
				cfg.strategy = mn_strategy_find(correct[i].name);
				if (model_run(&cfg, res))
					return false;
				runs++;
				safe += res->safe;
				if (!res->safe)
					printf("%-30s UNSAFE: %.200s\n", correct[i].name,
					       res->first_violation);
			}
		}
		if (runs)
			printf("%-30s safe %u/%u\n", correct[i].name, safe, runs);
		ok &= safe == runs;
	}
	return ok;
}

static void explore_setup(struct model_config *cfg,
			  const struct mn_strategy *s, const struct mutant *m,
			  unsigned int bound)
{
	model_config_default(cfg);
	cfg->explore = true;
	cfg->strategy = s;
	cfg->load = m->load;
	/*
	 * Two at most: a stress run needs a third only to make the window
	 * of two overlapping invalidations likely; the search opens it.
	 */
	cfg->invalidators = m->invalidators < 2 ? m->invalidators : 2;
	cfg->bound = bound;
}

/* The named mutant's cell: the options' model, load, invalidators. */
static void explore_cell(struct model_config *cfg, const struct opts *o)
{
	cfg->memory_model = o->memory_model;
	if (o->load >= 0)
		cfg->load = o->load;
	if (o->invalidators)
		cfg->invalidators = o->invalidators;
}

/* Replays res's schedule: the same trace every time? */
static bool replays_agree(struct model_config *cfg,
			  const struct explore_result *res, unsigned int n)
{
	struct explore_result *again = calloc(1, sizeof(*again));
	bool same = again != NULL;
	unsigned int i;

	cfg->replay = res->schedule;
	for (i = 0; same && i < n; i++) {
		same = !explore_run(cfg, again) && again->trace &&
		       !strcmp(again->trace, res->trace);
		explore_result_free(again);
	}
	cfg->replay = NULL;
	free(again);
	return same;
}

static bool explore_mutant(const struct mutant *m, const struct opts *o,
			   struct explore_result *res)
{
	static struct mn_strategy ops;
	struct model_config cfg;
	bool ok;

	m->make(&ops);
	ops.name = m->name;
	ops.process = mn_vq_process_dynamic;
	ops.read_repeat = mn_vq_read_repeat_dynamic;
	explore_setup(&cfg, &ops, m, o->bound);
	explore_cell(&cfg, o);
	if (explore_run(&cfg, res)) {
		fprintf(stderr, "%s: the exploration could not run\n", m->name);
		return false;
	}
	ok = res->unsafe && replays_agree(&cfg, res, o->replays);
	printf("%-30s %s after %lu schedules (%.1f s%s), %u preemptions, schedule %s%s\n",
	       m->name, res->unsafe ? "found" : "NOT FOUND", res->schedules,
	       res->seconds, res->exhaustive ? ", exhaustive" : "",
	       res->preemptions, res->schedule,
	       res->unsafe && !ok ? ", REPLAY DIFFERS" : "");
	if (res->unsafe)
		printf("%-30s %.200s\n", "", res->cx.problem);
	if (res->unsafe && o->trace && res->trace)
		fputs(res->trace, stdout);
	explore_result_free(res);
	return ok;
}

/* The correct strategies, searched completely under the mutants' loads. */
static bool explore_correct(const struct opts *o, struct explore_result *res)
{
	struct model_config cfg;
	unsigned int i, k;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(correct); i++)
		for (k = 0; k < nr_mutants; k++) {
			if (o->only || !runs_under(i, mutants[k]) ||
			    mutants[k]->barrier)
				continue;
			explore_setup(&cfg, mn_strategy_find(correct[i].name),
				      mutants[k], 1);
			if (explore_run(&cfg, res))
				return false;
			if (res->unsafe || !res->exhaustive) {
				printf("%-30s %s under %s: %.200s\n", correct[i].name,
				       res->unsafe ? "UNSAFE" : "not exhaustive",
				       mutants[k]->name, res->cx.problem);
				ok = false;
			}
			explore_result_free(res);
		}
	if (!o->only)
		printf("counter, seqcount, uaccess, interval %s (bound 1, each mutant's load)\n",
		       ok ? "safe, exhaustively" : "FAILED");
	return ok;
}

/* The options of one mutant's cell (explore_cell); -1 if c is none. */
static int parse_cell(int c, struct opts *o)
{
	switch (c) {
	case 'w':
		return wm_model_parse(optarg, &o->memory_model);
	case 'l':
		o->load = load_parse(optarg);
		return o->load < 0 ? -1 : 0;
	case 'i':
		o->invalidators = strtoul(optarg, NULL, 0);
		return !o->invalidators ||
		       o->invalidators > EXPLORE_MAX_INVALIDATORS ? -1 : 0;
	case 'T':
		o->trace = true;
		return 0;
	default:
		return -1;
	}
}

/* The cell options choose one mutant's search, and nothing else. */
static bool cell_ok(const struct opts *o)
{
	return !(o->memory_model || o->load >= 0 || o->invalidators ||
		 o->trace) || (o->explore && o->only);
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "mutant", required_argument, NULL, 'm' },
		{ "runs", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "min-caught", required_argument, NULL, 'k' },
		{ "explore", no_argument, NULL, 'e' },
		{ "bound", required_argument, NULL, 'b' },
		{ "replays", required_argument, NULL, 'p' },
		{ "correct", no_argument, NULL, 'c' },
		{ "memory-model", required_argument, NULL, 'w' },
		{ "load", required_argument, NULL, 'l' },
		{ "invalidators", required_argument, NULL, 'i' },
		{ "trace", no_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			o->only = optarg;
			break;
		case 'r':
			o->runs = strtoul(optarg, NULL, 0);
			break;
		case 's':
			o->seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			o->seconds = atof(optarg);
			break;
		case 'k':
			o->min_caught = strtoul(optarg, NULL, 0);
			break;
		case 'e':
			o->explore = true;
			break;
		case 'b':
			o->bound = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			o->replays = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			o->correct_only = true;
			break;
		default:
			if (parse_cell(c, o))
				return -1;
		}
	}
	if (!o->runs || !(o->seconds > 0) || optind < argc || !cell_ok(o))
		return -1;
	if (!o->min_caught || o->min_caught > o->runs)
		o->min_caught = o->runs;
	return 0;
}

static int main_explore(const struct opts *o)
{
	struct explore_result *res = calloc(1, sizeof(*res));
	bool ok = true, found = false;
	unsigned int k;

	if (!res)
		return 1;
	for (k = 0; k < nr_mutants && !o->correct_only; k++) {
		if (o->only ? strcmp(o->only, mutants[k]->name) != 0
			    : mutants[k]->barrier)
			continue;
		found = true;
		ok &= explore_mutant(mutants[k], o, res);
	}
	if (!found && !o->correct_only) {
		fprintf(stderr, "unknown mutant '%s'\n", o->only);
		free(res);
		return 2;
	}
	ok &= explore_correct(o, res);
	free(res);
	printf("%s\n", ok ? "every mutant found by exploration, replays agree"
			  : "FAIL");
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct opts o = { .runs = 3, .seed = 1000, .seconds = 3, .bound = 2,
			  .replays = 3, .load = -1 };
	struct model_result *res;
	bool ok = true, found = false;
	unsigned int k;

	if (parse(argc, argv, &o)) {
		fprintf(stderr, "usage: %s [--mutant NAME] [--runs N] [--seed S] [--seconds X] [--min-caught K]\n"
			"       %s --explore [--mutant NAME | --correct] [--bound K] [--replays R]\n"
			"           [--memory-model sc|tso|lkmm] [--load L] [--invalidators N] [--trace]\n"
			"           (these four only with --explore --mutant NAME)\n",
			argv[0], argv[0]);
		return 2;
	}
	if (o.explore)
		return main_explore(&o);
	res = calloc(1, sizeof(*res));
	if (!res)
		return 1;
	for (k = 0; k < nr_mutants; k++) {
		if (o.only ? strcmp(o.only, mutants[k]->name) != 0
			   : mutants[k]->barrier)
			continue;
		found = true;
		ok &= run_mutant(mutants[k], &o, res);
	}
	if (!found) {
		fprintf(stderr, "unknown mutant '%s'\n", o.only);
		free(res);
		return 2;
	}
	ok &= run_correct(&o, res);
	free(res);
	printf("%s\n", ok ? "all mutants caught, correct strategies safe"
			  : "FAIL");
	return ok ? 0 : 1;
}
