/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MN_CLI_SUITE_H
#define MN_CLI_SUITE_H

#include <getopt.h>

#include "cli.h"

/*
 * What mnbench and mnbench-module take alike, with the same meaning:
 * CLI_SUITE_OPTIONS in their option tables, cli_suite_option() for them
 * in the getopt loop, cli_suite_run() to run the registered cases.
 */
enum {
	CLI_O_STRATEGIES = 1000, CLI_O_LOADS, CLI_O_REPS, CLI_O_OUT, CLI_O_HELP
};

#define CLI_SUITE_OPTIONS						\
	{ "strategies", required_argument, NULL, CLI_O_STRATEGIES },	\
	{ "loads", required_argument, NULL, CLI_O_LOADS },		\
	{ "repetitions", required_argument, NULL, CLI_O_REPS },		\
	{ "out", required_argument, NULL, CLI_O_OUT },			\
	{ "help", no_argument, NULL, CLI_O_HELP }

struct cli_suite {
	const char *strategies;		/* comma-separated names */
	const char *loads;
	const char *out;		/* --out FILE, or NULL */
	unsigned int repetitions;
	struct cli_gb_args gb;
};

/*
 * The getopt loop over opts (CLI_SUITE_OPTIONS and the program's own):
 * the common options go into cs (--help prints usage and exits 0), the
 * program's own to own(c, optarg), which returns false for what it does
 * not know; Google Benchmark's flags are kept in cs->gb.
 */
void cli_suite_parse(struct cli_suite *cs, int argc, char **argv,
		     const struct option *opts, const char *usage,
		     bool (*own)(int c, const char *arg));
/*
 * Runs the registered cases with cs->repetitions (randomly interleaved
 * if asked), add_context() filling the report's context, and writes
 * --out. Returns the exit status.
 */
int cli_suite_run(struct cli_suite *cs, bool interleave,
		  void (*add_context)(void));

#endif /* MN_CLI_SUITE_H */
