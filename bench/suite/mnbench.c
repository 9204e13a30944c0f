// SPDX-License-Identifier: GPL-2.0
/*
 * mnbench: the benchmark suite. Every strategy's fast path, its vq
 * throughput and invalidation latency under load in the model, and sweeps
 * over ring size, vqs, pages per invalidation, rate and invalidators,
 * reported through Google Benchmark (so its compare.py reads the JSON).
 * This file is its command line; the matrix, the sweeps, the case runners
 * and the run's context are the other files of bench/suite/.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli_suite.h"
#include "gbench.h"
#include "name_list.h"
#include "suite.h"

struct suite suite;

static const char usage[] =
"Usage: mnbench [options] [--benchmark_* flags]\n"
"Benchmarks MMU-notifier invalidation strategies for a vhost-like\n"
"secondary MMU in the userspace model.\n"
"\n"
"  --quick             reduced matrix for CI and first impressions\n"
"  --strategies LIST   comma-separated (default: all but test-only ones)\n"
"  --loads LIST        loads for the throughput matrix (default\n"
"                      none,ksm,cow,mixed)\n"
"  --placement LIST    none,same-core,smt,cores,packages; a placement this\n"
"                      machine lacks is skipped, saying why (default: cores\n"
"                      where there are two, so no repetition depends on where\n"
"                      the scheduler put the threads; none otherwise)\n"
"  --seconds S         duration of one model run (default 2, quick 0.5)\n"
"  --repetitions N     repetitions of every case but the decision's\n"
"                      (default 5, quick 2)\n"
"  --decision-repetitions N\n"
"                      repetitions of the cases the decision compares:\n"
"                      throughput/ and noise/ of every strategy not known\n"
"                      unsafe (default 16, or --repetitions if more or\n"
"                      with --quick); those known unsafe\n"
"                      are never recommended, fewer serve their bars.\n"
"                      They run in rounds: each round runs every such\n"
"                      case of one load back to back, so the decision\n"
"                      compares runs of one round, a moment apart\n"
"  --decision-seconds S\n"
"                      duration of one run of those cases (default:\n"
"                      --seconds); short runs keep a round shorter than\n"
"                      the host's changes of speed\n"
"  --schedule-seed N   seed of the order the repetitions run in (default:\n"
"                      from the clock; the report's context has it)\n"
"  --noise-strategy NAME\n"
"                      the strategy of the A/A noise/ cases, one of\n"
"                      --strategies and not known unsafe (default: the\n"
"                      first such that is not a reference point, else the\n"
"                      first not known unsafe; 'none': no noise/ cases)\n"
"  --out FILE          also write the JSON report to FILE, atomically:\n"
"                      nothing is written unless the run completes;\n"
"                      the full latency histograms go next to it, into\n"
"                      FILE-histograms.jsonl (FILE without .json)\n"
"  --list              list the cases (their count and time estimate on\n"
"                      stderr) and exit\n"
"  --help              this text\n"
"\n"
"Google Benchmark's flags pass through, e.g. --benchmark_filter=REGEX,\n"
"--benchmark_format=json (on stdout). Case names are stable:\n"
"  fastpath/<strategy>                 per-buffer cost, no invalidations\n"
"  fastpath/bare                       same ring operations, no layers\n"
"  access/<strategy>                   ns per metadata access: the\n"
"                                      strategy's begin/end around one read\n"
"  harness/overhead                    unsafe fast path / bare loop\n"
"  throughput/<strategy>/<load>/vqs:1  model run under load\n"
"  noise/<strategy>/<load>/vqs:1       the same again as a separate case,\n"
"                                      interleaved: an A/A pair whose\n"
"                                      difference is the host's noise\n"
"  sweep/<param>/<strategy>/<load>/<param>:<value>\n"
"Progress goes to stderr.\n";

static bool known_strategy(const char *name)
{
	return mn_strategy_find(name);
}

static bool known_load(const char *name)
{
	return load_parse(name) >= 0;
}

static void add_placement(const char *name)
{
	enum placement_kind kind;
	char err[256];
	unsigned int k;

	if (suite.nplacements == MAX_PLACEMENTS)
		cli_usage_error("at most 5 placements, '%s' is one too many",
				name);
	if (placement_parse(name, &kind, err, sizeof(err)))
		cli_usage_error("%s", err);
	k = suite.nplacements++;
	suite.placement_ok[k] = !placement_resolve(kind, &suite.placements[k],
						   suite.reasons[k],
						   sizeof(suite.reasons[k]));
	suite.placements[k].kind = kind;
	if (!suite.placement_ok[k])
		fprintf(stderr, "mnbench: placement %s skipped: %s\n", name,
			suite.reasons[k]);
}

/*
 * Unpinned, guest and worker share a core in some repetitions and not in
 * others, and the two regimes differ several times over: pin them apart
 * where the machine allows, and say so in the context.
 */
static void add_default_placement(void)
{
	char reason[256];

	suite.placement_default = true;
	suite.nplacements = 1;
	suite.placement_ok[0] = true;
	if (!placement_resolve(PLACEMENT_CORES, &suite.placements[0], reason,
			       sizeof(reason))) {
		suite.placements[0].kind = PLACEMENT_CORES;
		return;
	}
	placement_resolve(PLACEMENT_NONE, &suite.placements[0], reason,
			  sizeof(reason));
	suite.placements[0].kind = PLACEMENT_NONE;
}

/* Call fn on every item of a comma-separated list. */
static void for_each_item(const char *list, void (*fn)(const char *))
{
	char buf[512], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		fn(tok);
}

struct args {
	struct cli_suite suite;		/* global: exits anywhere leak nothing */
	char strategies[512];
	char placements[128];
	char cmdline[1024];
	const char *noise_strategy;	/* --noise-strategy, or NULL */
	unsigned int decision_repetitions;
	double decision_seconds;	/* < 0: --seconds */
	bool schedule_seeded;
	bool list;
};

static struct args args = { .suite.loads = "none,ksm,cow,mixed",
			    .decision_seconds = -1 };

enum { O_QUICK = 256, O_PLACEMENT, O_SECONDS, O_LIST, O_NOISE_STRATEGY,
       O_DECISION_REPS, O_DECISION_SECONDS, O_SCHEDULE_SEED };

static const struct option options[] = {
	CLI_SUITE_OPTIONS,
	{ "quick", no_argument, NULL, O_QUICK },
	{ "placement", required_argument, NULL, O_PLACEMENT },
	{ "seconds", required_argument, NULL, O_SECONDS },
	{ "list", no_argument, NULL, O_LIST },
	{ "noise-strategy", required_argument, NULL, O_NOISE_STRATEGY },
	{ "decision-repetitions", required_argument, NULL, O_DECISION_REPS },
	{ "decision-seconds", required_argument, NULL, O_DECISION_SECONDS },
	{ "schedule-seed", required_argument, NULL, O_SCHEDULE_SEED },
	{ NULL, 0, NULL, 0 },
};

static bool option(int c, const char *arg)
{
	switch (c) {
	case O_QUICK:
		suite.quick = true;
		return true;
	case O_PLACEMENT:
		snprintf(args.placements, sizeof(args.placements), "%s", arg);
		return true;
	case O_SECONDS:
		suite.seconds = cli_seconds("--seconds", arg, 3600);
		return true;
	case O_LIST:
		args.list = true;
		return true;
	case O_NOISE_STRATEGY:
		args.noise_strategy = arg;
		return true;
	case O_DECISION_REPS:
		args.decision_repetitions =
			cli_ulong("--decision-repetitions", arg, 1, 100);
		return true;
	case O_DECISION_SECONDS:
		args.decision_seconds = cli_seconds("--decision-seconds", arg,
						    3600);
		return true;
	case O_SCHEDULE_SEED:
		suite.schedule_seed = cli_ulong("--schedule-seed", arg, 0,
						ULONG_MAX);
		args.schedule_seeded = true;
		return true;
	}
	return false;
}

/* The default matrix: every strategy but the test-only ones. */
static void default_strategies(char *buf, size_t len)
{
	unsigned int k;

	for (k = 0; k < mn_nr_strategies; k++) {
		if (mn_strategy_is(mn_strategies[k], MN_TEST_ONLY))
			continue;
		strncat(buf, buf[0] ? "," : "", len - strlen(buf) - 1);
		strncat(buf, mn_strategies[k]->name, len - strlen(buf) - 1);
	}
}

static void record_cmdline(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		size_t off = strlen(args.cmdline);

		snprintf(args.cmdline + off, sizeof(args.cmdline) - off, "%s%s",
			 i ? " " : "", argv[i]);
	}
}

/*
 * The A/A pair's strategy: its noise is what a candidate's comparison
 * sees, so by default the first candidate of the list (not known unsafe,
 * not a reference point); an unsafe one's pair would not count, as the
 * oracle may end its run early.
 */
static const struct mn_strategy *choose_noise_strategy(const char *list)
{
	const struct mn_strategy *s, *fallback = NULL;
	unsigned int k;

	for (k = 0; k < mn_nr_strategies; k++) {
		s = mn_strategies[k];
		if (!name_in_list(list, s->name) ||
		    mn_strategy_is(s, MN_KNOWN_UNSAFE))
			continue;
		if (!mn_strategy_is(s, MN_REFERENCE))
			return s;
		if (!fallback)
			fallback = s;
	}
	return fallback;
}

static const struct mn_strategy *noise_strategy(const char *name,
						const char *list)
{
	const struct mn_strategy *s;

	if (!name)
		return choose_noise_strategy(list);
	if (!strcmp(name, "none"))
		return NULL;
	s = mn_strategy_find(name);
	if (!s || !name_in_list(list, name))
		cli_usage_error("--noise-strategy %s: not one of --strategies (%s)",
				name, list);
	if (mn_strategy_is(s, MN_KNOWN_UNSAFE))
		cli_usage_error("--noise-strategy %s: known unsafe, its A/A pair "
				"would not count", name);
	return s;
}

/* Everything is checked before the first case runs. */
static void check_args(void)
{
	if (!args.suite.strategies) {
		default_strategies(args.strategies, sizeof(args.strategies));
		args.suite.strategies = args.strategies;
	}
	cli_check_list(args.suite.strategies, "strategy", known_strategy,
		       "see mnbench-model --list");
	cli_check_list(args.suite.loads, "load", known_load,
		       load_name_list(false));
	if (args.placements[0])
		for_each_item(args.placements, add_placement);
	else
		add_default_placement();
	if (args.suite.out)
		cli_check_out("--out", args.suite.out);
	if (suite.seconds < 0)
		suite.seconds = suite.quick ? 0.5 : 2;
	if (!args.suite.repetitions)
		args.suite.repetitions = suite.quick ? 2 : 5;
	suite.repetitions = args.suite.repetitions;
	/*
	 * The paired interval needs 6 rounds; the floor's median and MAD
	 * ignore a few bad ones among 16. scripts/run asks for 32 shorter
	 * rounds, in which fewer straddle a change of the host's speed.
	 */
	suite.decision_repetitions = args.decision_repetitions ?
				     args.decision_repetitions :
				     suite.quick || suite.repetitions > 16 ?
				     suite.repetitions : 16;
	suite.decision_seconds = args.decision_seconds >= 0 ?
				 args.decision_seconds : suite.seconds;
	if (!args.schedule_seeded)
		suite.schedule_seed = (unsigned long long)ktime_get_ns();
	suite.noise_strategy = noise_strategy(args.noise_strategy,
					      args.suite.strategies);
}

/* What will run and for how long, before it does. */
static void print_estimate(void)
{
	unsigned int k, decision = 0;

	for (k = 0; k < suite.ncases; k++)
		decision += suite.cases[k].selected &&
			    suite.cases[k].repetitions !=
			    suite.repetitions;
	if (decision)
		fprintf(stderr, "mnbench: %u cases, %u of them x %u repetitions "
			"(the decision's), the rest x %u, about %.0f s\n",
			suite.nselected, decision, suite.decision_repetitions,
			suite.repetitions, suite.total_s);
	else
		fprintf(stderr, "mnbench: %u cases x %u repetitions, about %.0f s\n",
			suite.nselected, suite.repetitions, suite.total_s);
}

static void add_suite_context(void)
{
	char buf[64];

	add_context(args.suite.strategies, args.cmdline);
	snprintf(buf, sizeof(buf), "%llu", suite.schedule_seed);
	gb_add_context("schedule_seed", buf);
	snprintf(buf, sizeof(buf), "%g", suite.decision_seconds);
	gb_add_context("decision_seconds", buf);
	print_estimate();
}

int main(int argc, char **argv)
{
	unsigned int k;

	cli_init("mnbench");
	record_cmdline(argc, argv);
	suite.seconds = -1;
	cli_suite_parse(&args.suite, argc, argv, options, usage, option);
	check_args();
	build_matrix(args.suite.strategies, args.suite.loads);
	select_cases(args.suite.gb.filter);
	if (!suite.nselected)
		cli_usage_error("no case matches --benchmark_filter=%s",
				args.suite.gb.filter);
	register_schedule();
	if (args.list) {
		print_estimate();
		for (k = 0; k < suite.ncases; k++)
			printf("%s\n", suite.cases[k].name);
		cli_gb_args_free(&args.suite.gb);
		return 0;
	}
	return cli_suite_run(&args.suite, false, add_suite_context);
}
