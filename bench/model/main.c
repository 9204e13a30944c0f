// SPDX-License-Identifier: GPL-2.0
/* mnbench-model: run one strategy under one load and print the verdict. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "report.h"
#include "vq/vring.h"

#define EXIT_USAGE	2

static const char usage[] =
"Usage: mnbench-model [options]\n"
"Run the userspace model of a vhost-like secondary MMU: a guest posts\n"
"buffers, a worker consumes them through the chosen invalidation strategy\n"
"while invalidators replay the kernel's KSM/COW/zap/OOM sequences, and the\n"
"oracle says whether the strategy was safe.\n"
"\n"
"  --strategy NAME      invalidation strategy (default counter; --list)\n"
"  --load LOAD          none|ksm|cow|zap|oom|mixed (default mixed)\n"
"  --seconds S          measured duration (default 2)\n"
"  --seed N             seed for event targets and timing windows (default 1)\n"
"  --vqs N              virtqueues, 1..256 (default 1)\n"
"  --ring-size N        descriptors per vq, power of two 2..4096 (default 256)\n"
"  --invalidators N     threads issuing invalidations, 0..64 (default 1;\n"
"                       0 with --load none)\n"
"  --pages N            pages per zap/OOM invalidation, 1..64 (default 1)\n"
"  --rate N             events per second per invalidator, 0 = no cap\n"
"                       (default 2000)\n"
"  --window-us N        max pause inside an invalidation sequence (default 50)\n"
"  --remap-ms N         worker drops and remaps each ring every N ms, as on\n"
"                       VHOST_SET_VRING_ADDR; 0 = never (default 20)\n"
"  --gup get|pin        how the worker holds mapped pages: get_user_pages\n"
"                       references as the 2019 series did (default), or\n"
"                       FOLL_PIN, for which fork copies the pages instead\n"
"  --rcu-gp host|model  synchronize_rcu() waits for the model's readers and\n"
"                       then a grace period of the host kernel, which costs\n"
"                       what it costs in the kernel (default host, where\n"
"                       membarrier allows), or for the model's readers only\n"
"  --placement NAME     pin the threads: none (default), same-core, smt,\n"
"                       cores or packages, as mnbench does; a placement this\n"
"                       machine lacks ends the run with status 1, saying why\n"
"  --hang-ms N          watchdog: threads blocked this long are a hang\n"
"                       (default 2000)\n"
"  --format text|json   output format (default text)\n"
"  --output FILE        write there (atomically) instead of stdout\n"
"  --list               list the strategies and exit\n"
"  --help               this text\n"
"\n"
"Exit status: 0 when the run completed (the verdict is in the output),\n"
"2 for bad arguments, 1 when the run could not be set up.\n";

static void die_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "mnbench-model: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'mnbench-model --help'.\n");
	exit(EXIT_USAGE);
}

static unsigned long parse_ulong(const char *opt, const char *arg,
				 unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	if (!*arg || *arg == '-')
		die_usage("bad number for %s", opt);
	v = strtoul(arg, &end, 0);
	if (errno || *end || v > max)
		die_usage("bad number for %s", opt);
	return v;
}

static double parse_seconds(const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || *end || end == arg || !(v > 0 && v <= 86400))
		die_usage("--seconds needs a number in (0, 86400], not '%s'",
			  arg);
	return v;
}

static void list_strategies(void)
{
	unsigned int i;

	for (i = 0; i < mn_nr_strategies; i++)
		printf("%-17s %s%s\n", mn_strategies[i]->name,
		       mn_strategies[i]->summary,
		       mn_strategy_is(mn_strategies[i], MN_TEST_ONLY) ?
		       " [test only]" : "");
}

static int write_result(const char *path, bool json,
			const struct model_result *res)
{
	char tmp[4096];
	FILE *out;
	int ret;

	if (!path)
		return json ? report_json(stdout, res) : report_text(stdout, res);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	out = fopen(tmp, "w");
	if (!out) {
		perror(tmp);
		return -1;
	}
	ret = json ? report_json(out, res) : report_text(out, res);
	if (fclose(out) || ret || rename(tmp, path)) {
		perror(path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum { O_STRATEGY = 256, O_LOAD, O_SECONDS, O_SEED, O_VQS, O_RING,
	       O_INVAL, O_PAGES, O_RATE, O_WINDOW, O_REMAP, O_HANG, O_GUP,
	       O_PLACEMENT, O_RCU_GP, O_FORMAT, O_OUTPUT, O_LIST, O_HELP };
	static const struct option opts[] = {
		{ "strategy", required_argument, NULL, O_STRATEGY },
		{ "load", required_argument, NULL, O_LOAD },
		{ "seconds", required_argument, NULL, O_SECONDS },
		{ "seed", required_argument, NULL, O_SEED },
		{ "vqs", required_argument, NULL, O_VQS },
		{ "ring-size", required_argument, NULL, O_RING },
		{ "invalidators", required_argument, NULL, O_INVAL },
		{ "pages", required_argument, NULL, O_PAGES },
		{ "rate", required_argument, NULL, O_RATE },
		{ "window-us", required_argument, NULL, O_WINDOW },
		{ "remap-ms", required_argument, NULL, O_REMAP },
		{ "hang-ms", required_argument, NULL, O_HANG },
		{ "gup", required_argument, NULL, O_GUP },
		{ "placement", required_argument, NULL, O_PLACEMENT },
		{ "rcu-gp", required_argument, NULL, O_RCU_GP },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "output", required_argument, NULL, O_OUTPUT },
		{ "list", no_argument, NULL, O_LIST },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *placement_name = NULL, *msg;
	enum placement_kind placement_kind = PLACEMENT_NONE;
	struct placement placement;
	struct model_config cfg;
	struct model_result *res;
	bool json = false;
	char why[256];
	int c, load, ret;

	model_config_default(&cfg);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_STRATEGY:
			cfg.strategy = mn_strategy_find(optarg);
			if (!cfg.strategy)
				die_usage("unknown strategy '%s' (see --list)",
					  optarg);
			break;
		case O_LOAD:
			load = load_parse(optarg);
			if (load < 0)
				die_usage("unknown load '%s' (none, ksm, cow, zap, oom, mixed)",
					  optarg);
			cfg.load = load;
			break;
		case O_SECONDS:
			cfg.seconds = parse_seconds(optarg);
			break;
		case O_SEED:
			cfg.seed = parse_ulong("--seed", optarg, ULONG_MAX);
			break;
		case O_VQS:
			cfg.vqs = parse_ulong("--vqs", optarg, MODEL_MAX_VQS);
			break;
		case O_RING:
			cfg.ring_size = parse_ulong("--ring-size", optarg,
						    MN_VRING_MAX_NUM);
			break;
		case O_INVAL:
			cfg.invalidators = parse_ulong("--invalidators", optarg,
						       MODEL_MAX_INVALIDATORS);
			break;
		case O_PAGES:
			cfg.pages = parse_ulong("--pages", optarg,
						MODEL_MAX_PAGES);
			break;
		case O_RATE:
			cfg.rate = parse_ulong("--rate", optarg, 10000000);
			break;
		case O_WINDOW:
			cfg.window_us = parse_ulong("--window-us", optarg,
						    1000000);
			break;
		case O_REMAP:
			cfg.remap_ms = parse_ulong("--remap-ms", optarg,
						   3600000);
			break;
		case O_HANG:
			cfg.hang_ms = parse_ulong("--hang-ms", optarg, 3600000);
			break;
		case O_GUP:
			if (strcmp(optarg, "get") && strcmp(optarg, "pin"))
				die_usage("--gup is get or pin, not '%s'", optarg);
			cfg.gup_pin = !strcmp(optarg, "pin");
			break;
		case O_PLACEMENT:
			if (placement_parse(optarg, &placement_kind, why,
					    sizeof(why)))
				die_usage("%s", why);
			placement_name = optarg;
			break;
		case O_RCU_GP:
			if (strcmp(optarg, "host") && strcmp(optarg, "model"))
				die_usage("--rcu-gp is host or model, not '%s'",
					  optarg);
			cfg.rcu_host_gp = !strcmp(optarg, "host");
			break;
		case O_FORMAT:
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				die_usage("--format is text or json, not '%s'",
					  optarg);
			json = !strcmp(optarg, "json");
			break;
		case O_OUTPUT:
			output = optarg;
			break;
		case O_LIST:
			list_strategies();
			return 0;
		case O_HELP:
			fputs(usage, stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'mnbench-model --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	msg = model_config_check(&cfg);
	if (msg)
		die_usage("%s", msg);
	if (placement_name) {
		if (placement_resolve(placement_kind, &placement, why,
				      sizeof(why))) {
			fprintf(stderr, "mnbench-model: placement %s is not available here: %s\n",
				placement_name, why);
			return 1;
		}
		cfg.placement = &placement;
	}

	res = calloc(1, sizeof(*res));
	if (!res)
		return 1;
	ret = model_run(&cfg, res);
	if (ret) {
		fprintf(stderr, "mnbench-model: run failed: %s\n",
			strerror(-ret));
		free(res);
		return 1;
	}
	ret = write_result(output, json, res) ? 1 : 0;
	free(res);
	return ret;
}
