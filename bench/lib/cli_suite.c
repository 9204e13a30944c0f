// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_counters.h"
#include "cli_suite.h"
#include "gbench.h"

static bool cli_suite_option(struct cli_suite *cs, int c, const char *usage)
{
	switch (c) {
	case CLI_O_STRATEGIES:
		cs->strategies = optarg;
		return true;
	case CLI_O_LOADS:
		cs->loads = optarg;
		return true;
	case CLI_O_REPS:
		cs->repetitions = cli_ulong("--repetitions", optarg, 1, 100);
		return true;
	case CLI_O_OUT:
		cs->out = optarg;
		return true;
	case CLI_O_HELP:
		fputs(usage, stdout);
		exit(0);
	}
	return false;
}

void cli_suite_parse(struct cli_suite *cs, int argc, char **argv,
		     const struct option *opts, const char *usage,
		     bool (*own)(int c, const char *arg))
{
	int c;

	cli_gb_args_init(&cs->gb, argc, argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "-:", opts, NULL)) != -1)
		if (!cli_suite_option(cs, c, usage) && !own(c, optarg))
			cli_not_ours(&cs->gb, c, argv);
}

/* FILE.json -> FILE-histograms.jsonl, next to it, written atomically. */
static int write_histograms(const char *out, const char *text)
{
	size_t n = strlen(out);
	char *path = malloc(n + sizeof("-histograms.jsonl"));
	int ret;

	if (!path)
		return 1;
	memcpy(path, out, n + 1);
	if (n > 5 && !strcmp(path + n - 5, ".json"))
		path[n - 5] = 0;
	strcat(path, "-histograms.jsonl");
	ret = cli_write_out(path, text);
	free(path);
	return ret;
}

int cli_suite_run(struct cli_suite *cs, bool interleave,
		  void (*add_context)(void))
{
	static char reps[48];
	char *json = NULL, *hists;
	int ret = 0;

	/*
	 * First, so explicit library flags still win. Interleaved
	 * repetitions turn a host that drifts during the run into spread
	 * (_cv, p-values) instead of a bias against whichever cases ran late.
	 */
	snprintf(reps, sizeof(reps), "--benchmark_repetitions=%u",
		 cs->repetitions);
	if (interleave)
		cli_gb_args_prepend(&cs->gb,
				    "--benchmark_enable_random_interleaving=true");
	cli_gb_args_prepend(&cs->gb, reps);
	if (gb_initialize(cs->gb.argc, cs->gb.argv, cs->out != NULL))
		return EXIT_USAGE;
	add_context();
	if (cs->out)
		case_histograms_begin();
	if (!gb_run(cs->out ? &json : NULL)) {
		gb_shutdown();
		free(json);
		case_histograms_end(&hists);
		free(hists);
		fprintf(stderr, "%s: no case matches --benchmark_filter=%s\n",
			cli_prog(), cs->gb.filter ? cs->gb.filter : "");
		return EXIT_USAGE;
	}
	gb_shutdown();
	/* Neither file, rather than a report without its histograms. */
	if (case_histograms_end(&hists)) {
		fprintf(stderr, "%s: cannot build the histograms' JSON lines\n",
			cli_prog());
		ret = 1;
	}
	if (!ret && cs->out)
		ret = cli_write_out(cs->out, json);
	if (!ret && hists)
		ret = write_histograms(cs->out, hists);
	free(hists);
	free(json);
	cli_gb_args_free(&cs->gb);
	return ret;
}
