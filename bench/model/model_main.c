// SPDX-License-Identifier: GPL-2.0
/* mnbench-model: run one strategy under one load and print the verdict. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "explore_report.h"
#include "explore_wm.h"
#include "report.h"
#include "vq/vring.h"

#define DEFAULT_STRATEGY	"counter"

static const char usage[] =
"Usage: mnbench-model [options]\n"
"Run the userspace model of a vhost-like secondary MMU: a guest posts\n"
"buffers, a worker consumes them through the chosen invalidation strategy\n"
"while invalidators replay the kernel's KSM/COW/zap/OOM sequences, and the\n"
"oracle says whether the strategy was safe.\n"
"\n"
"  --strategy NAME      invalidation strategy (default " DEFAULT_STRATEGY "; --list)\n"
"  --load LOAD          none|ksm|cow|zap|oom|mixed|exit\n"
"                       (default mixed)\n"
"  --seconds S          measured duration (default 2)\n"
"  --seed N             seed for event targets and timing windows (default 1)\n"
"  --vqs N              virtqueues per device, all used by the guest,\n"
"                       1..1024 (default 1)\n"
"  --devices N          devices on the mm, 1..8, each with its own notifier\n"
"                       over its vqs; at most 2048 vqs in all (default 1)\n"
"  --idle-vqs N         more queues, idle with zeroed rings until the guest\n"
"                       wakes them one by one during the run, 0..16\n"
"                       (default 2 under ksm and mixed, 0 otherwise)\n"
"  --ring-size N        descriptors per vq, power of two 2..4096 (default 256)\n"
"  --invalidators N     threads issuing invalidations, 0..64 (default 1;\n"
"                       0 with --load none)\n"
"  --pages N            pages per zap/OOM invalidation, 1..64 (default 1)\n"
"  --rate N             events per second per invalidator, 0 = no cap\n"
"                       (default 2000)\n"
"  --window-us N        max pause inside an invalidation sequence (default 50)\n"
"  --remap-ms N         worker drops and remaps each ring every N ms, as on\n"
"                       VHOST_SET_VRING_ADDR; 0 = never (default 20)\n"
"  --gup none|get|pin   how the worker holds mapped pages: pins, as the\n"
"                       module does (FOLL_PIN|FOLL_LONGTERM; default),\n"
"                       get_user_pages references, or none: references\n"
"                       only while the vmap is built, as the 2019 series\n"
"                       ended up doing\n"
"  --worker-window-us N max seeded pause of the worker inside a mapped\n"
"                       section or a mapping's creation, to open races\n"
"                       (default 20; 0 = none)\n"
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
"\n"
"Exploration, instead of a timed run (--strategy, --load, --invalidators\n"
"0..3, default 2, --gup, --format and --output apply; timing options do\n"
"not): a small scenario (a worker handling a 4-entry ring with a remap,\n"
"each invalidator one or two sequences aimed at the rings) runs under a\n"
"deterministic scheduler that switches threads only at lock operations,\n"
"READ_ONCE/WRITE_ONCE and atomics, RCU calls, pte changes, mapped\n"
"accesses and notifier calls. Threads run one at a time; under sc every\n"
"execution is sequentially consistent, under tso and lkmm the memory\n"
"model also chooses which write each marked read reads from.\n"
"  --explore            search schedules instead of running for a time\n"
"  --search bounded|pct|dpor\n"
"                       every schedule with at most --bound preemptions\n"
"                       (default), --runs random PCT schedules, or by\n"
"                       partial-order reduction (DPOR) every schedule\n"
"                       up to the order of independent steps, with no\n"
"                       preemption bound\n"
"  --memory-model sc|tso|lkmm\n"
"                       sc (default): every read reads the latest write;\n"
"                       tso: x86's store buffers; lkmm: the Linux-kernel\n"
"                       memory model (docs/explore.md says how closely)\n"
"  --bound K            preemption bound, 0..16 (default 2)\n"
"  --depth D            PCT's bug depth, 1..16 (default 3)\n"
"  --runs N             PCT's schedules (default 10000)\n"
"  --seed N             PCT's random seed (default 1)\n"
"  --max-schedules N    stop the search after N schedules (default: no\n"
"                       limit; 0 too)\n"
"  --max-seconds S      stop the search after S seconds (default: no\n"
"                       limit); a search stopped early is not exhaustive\n"
"  --replay SCHEDULE    run one printed schedule and print its trace\n"
"  --find RULE          a counterexample must break RULE: one of the\n"
"                       oracle's (stale_access, use_after_release,\n"
"                       sleep_in_atomic, lock_order, hang, contract),\n"
"                       stale_write (a stale access that wrote), or any\n"
"                       problem (default any)\n"
"  --output FILE        write there (atomically) instead of stdout\n"
"  --list               list the strategies and exit\n"
"  --help               this text\n"
"\n"
"Exit status: 0 when the run or search completed (the verdict is in the\n"
"output),\n"
"2 for bad arguments, 1 when the run could not be set up.\n";

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
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	int ret;

	if (!path)
		return json ? report_json(stdout, res) : report_text(stdout, res);
	out = open_memstream(&buf, &len);
	if (!out)
		return -1;
	ret = json ? report_json(out, res) : report_text(out, res);
	if (fclose(out) || ret)
		ret = -1;
	else
		ret = cli_write_out(path, buf) ? -1 : 0;
	free(buf);
	return ret;
}

enum { O_STRATEGY = 256, O_LOAD, O_SECONDS, O_SEED, O_VQS, O_DEVICES,
       O_RING, O_INVAL, O_PAGES, O_RATE, O_WINDOW, O_REMAP, O_HANG, O_GUP,
       O_PLACEMENT, O_RCU_GP, O_FORMAT, O_OUTPUT, O_LIST, O_HELP,
       O_WORKER_WINDOW, O_IDLE_VQS, O_EXPLORE, O_SEARCH, O_BOUND, O_DEPTH,
       O_RUNS, O_REPLAY, O_MAX_SCHEDULES, O_MAX_SECONDS, O_FIND,
       O_MEMORY_MODEL };

static const struct option options[] = {
	{ "strategy", required_argument, NULL, O_STRATEGY },
	{ "load", required_argument, NULL, O_LOAD },
	{ "seconds", required_argument, NULL, O_SECONDS },
	{ "seed", required_argument, NULL, O_SEED },
	{ "vqs", required_argument, NULL, O_VQS },
	{ "devices", required_argument, NULL, O_DEVICES },
	{ "ring-size", required_argument, NULL, O_RING },
	{ "invalidators", required_argument, NULL, O_INVAL },
	{ "pages", required_argument, NULL, O_PAGES },
	{ "rate", required_argument, NULL, O_RATE },
	{ "window-us", required_argument, NULL, O_WINDOW },
	{ "remap-ms", required_argument, NULL, O_REMAP },
	{ "hang-ms", required_argument, NULL, O_HANG },
	{ "gup", required_argument, NULL, O_GUP },
	{ "worker-window-us", required_argument, NULL, O_WORKER_WINDOW },
	{ "idle-vqs", required_argument, NULL, O_IDLE_VQS },
	{ "placement", required_argument, NULL, O_PLACEMENT },
	{ "rcu-gp", required_argument, NULL, O_RCU_GP },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "output", required_argument, NULL, O_OUTPUT },
	{ "explore", no_argument, NULL, O_EXPLORE },
	{ "search", required_argument, NULL, O_SEARCH },
	{ "bound", required_argument, NULL, O_BOUND },
	{ "depth", required_argument, NULL, O_DEPTH },
	{ "runs", required_argument, NULL, O_RUNS },
	{ "replay", required_argument, NULL, O_REPLAY },
	{ "max-schedules", required_argument, NULL, O_MAX_SCHEDULES },
	{ "max-seconds", required_argument, NULL, O_MAX_SECONDS },
	{ "find", required_argument, NULL, O_FIND },
	{ "memory-model", required_argument, NULL, O_MEMORY_MODEL },
	{ "list", no_argument, NULL, O_LIST },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Numeric settings of the run: which field, which range. */
static const struct {
	int opt;
	const char *name;
	size_t offset;
	unsigned long min, max;
} numeric_options[] = {
	{ O_VQS, "--vqs", offsetof(struct model_config, vqs), 1,
	  MODEL_MAX_VQS },
	{ O_DEVICES, "--devices", offsetof(struct model_config, devices), 1,
	  MODEL_MAX_DEVICES },
	{ O_RING, "--ring-size", offsetof(struct model_config, ring_size),
	  MN_VRING_MIN_NUM, MN_VRING_MAX_NUM },
	{ O_INVAL, "--invalidators",
	  offsetof(struct model_config, invalidators), 0,
	  MODEL_MAX_INVALIDATORS },
	{ O_RATE, "--rate", offsetof(struct model_config, rate), 0, 10000000 },
	{ O_WINDOW, "--window-us", offsetof(struct model_config, window_us),
	  0, 1000000 },
	{ O_REMAP, "--remap-ms", offsetof(struct model_config, remap_ms), 0,
	  3600000 },
	{ O_HANG, "--hang-ms", offsetof(struct model_config, hang_ms), 1,
	  3600000 },
	{ O_WORKER_WINDOW, "--worker-window-us",
	  offsetof(struct model_config, worker_window_us), 0, 1000000 },
};

struct args {
	struct model_config cfg;
	bool explore_only;	/* an exploration option was given */
	const char *output;
	const char *placement;
	enum placement_kind placement_kind;
	bool json;
};

static bool numeric_option(struct model_config *cfg, int c, const char *arg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(numeric_options); i++) {
		if (numeric_options[i].opt != c)
			continue;
		*(unsigned int *)((char *)cfg + numeric_options[i].offset) =
			cli_ulong(numeric_options[i].name, arg,
				  numeric_options[i].min,
				  numeric_options[i].max);
		return true;
	}
	return false;
}

/* --NAME a|b: true for a, false for b, a usage error otherwise. */
static bool choice(const char *opt, const char *arg, const char *a,
		   const char *b)
{
	if (strcmp(arg, a) && strcmp(arg, b))
		cli_usage_error("%s is %s or %s, not '%s'", opt, a, b, arg);
	return !strcmp(arg, a);
}

/* --find RULE: any, stale_write, or one of the oracle's rules. */
static int find_rule(const char *arg)
{
	int find = explore_find_parse(arg);

	if (find >= EXPLORE_FIND_ANY)
		return find;
	cli_usage_error("--find is any, stale_write or a rule (stale_access, use_after_release, sleep_in_atomic, lock_order, hang, contract), not '%s'",
			arg);
}

/* The exploration's own options; false if c is not one of them. */
static bool explore_option(struct args *a, int c)
{
	switch (c) {
	case O_EXPLORE:
		a->cfg.explore = true;
		return true;
	case O_SEARCH:
		if (strcmp(optarg, "bounded") && strcmp(optarg, "pct") &&
		    strcmp(optarg, "dpor"))
			cli_usage_error("--search is bounded, pct or dpor, not '%s'",
					optarg);
		a->cfg.pct = !strcmp(optarg, "pct");
		a->cfg.dpor = !strcmp(optarg, "dpor");
		break;
	case O_BOUND:
		a->cfg.bound = cli_ulong("--bound", optarg, 0, 16);
		break;
	case O_DEPTH:
		a->cfg.depth = cli_ulong("--depth", optarg, 1, 16);
		break;
	case O_RUNS:
		a->cfg.runs = cli_ulong("--runs", optarg, 1, ULONG_MAX);
		break;
	case O_REPLAY:
		a->cfg.replay = optarg;
		break;
	case O_MAX_SCHEDULES:
		a->cfg.max_schedules = cli_ulong("--max-schedules", optarg, 0,
						ULONG_MAX);
		break;
	case O_FIND:
		a->cfg.find = find_rule(optarg);
		break;
	case O_MEMORY_MODEL: {
		if (wm_model_parse(optarg, &a->cfg.memory_model))
			cli_usage_error("--memory-model is sc, tso or lkmm, not '%s'",
					optarg);
		break;
	}
	case O_MAX_SECONDS:
		a->cfg.max_seconds = cli_seconds("--max-seconds", optarg,
						1e7);
		break;
	default:
		return false;
	}
	a->explore_only = true;
	return true;
}

static void option(struct args *a, int c, char **argv)
{
	char why[256];
	int load;

	switch (c) {
	case O_STRATEGY:
		a->cfg.strategy = mn_strategy_find(optarg);
		if (!a->cfg.strategy)
			cli_usage_error("unknown strategy '%s' (see --list)",
					optarg);
		break;
	case O_LOAD:
		load = load_parse(optarg);
		if (load < 0)
			cli_usage_error("unknown load '%s' (%s)", optarg,
					load_name_list(false));
		a->cfg.load = load;
		break;
	case O_SECONDS:
		a->cfg.seconds = cli_seconds("--seconds", optarg, 86400);
		break;
	case O_SEED:
		/* The JSON reports it as an integer: at most 2^63 - 1. */
		a->cfg.seed = cli_ulong("--seed", optarg, 0, LONG_MAX);
		break;
	case O_PAGES:
		a->cfg.pages = cli_ulong("--pages", optarg, 1, MODEL_MAX_PAGES);
		break;
	case O_GUP:
		a->cfg.gup = cli_choice("--gup", optarg, gup_names, GUP_NR);
		break;
	case O_PLACEMENT:
		if (placement_parse(optarg, &a->placement_kind, why,
				    sizeof(why)))
			cli_usage_error("%s", why);
		a->placement = optarg;
		break;
	case O_RCU_GP:
		a->cfg.rcu_host_gp = choice("--rcu-gp", optarg, "host", "model");
		break;
	case O_FORMAT:
		a->json = choice("--format", optarg, "json", "text");
		break;
	case O_OUTPUT:
		a->output = optarg;
		break;
	case O_IDLE_VQS:
		a->cfg.idle_vqs = cli_ulong("--idle-vqs", optarg, 0, 16);
		break;
	default:
		if (explore_option(a, c))
			break;
		if (!numeric_option(&a->cfg, c, optarg))
			cli_usage_error("%s '%s'", c == ':' ?
					"missing value for" : "unknown option",
					argv[optind - 1]);
	}
}

static void parse_args(struct args *a, int argc, char **argv)
{
	const char *msg;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		if (c == O_LIST) {
			list_strategies();
			exit(0);
		}
		if (c == O_HELP) {
			fputs(usage, stdout);
			exit(0);
		}
		option(a, c, argv);
	}
	if (optind < argc)
		cli_usage_error("unexpected argument '%s'", argv[optind]);
	if (a->explore_only && !a->cfg.explore)
		cli_usage_error("--search, --bound, --depth, --runs, --replay, --find, --memory-model and --max-* need --explore");
	model_config_settle(&a->cfg);
	msg = model_config_check(&a->cfg);
	if (msg)
		cli_usage_error("%s", msg);
	if (a->output)
		cli_check_out("--output", a->output);
}

static int explore_main(const struct args *a)
{
	struct explore_result *res = calloc(1, sizeof(*res));
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	int ret;

	if (!res)
		return 1;
	ret = explore_run(&a->cfg, res);
	if (ret) {
		fprintf(stderr, "mnbench-model: exploration failed: %s\n",
			ret == -EINVAL && a->cfg.replay ?
			"malformed --replay schedule" : strerror(-ret));
		free(res);
		return ret == -EINVAL ? 2 : 1;
	}
	out = a->output ? open_memstream(&buf, &len) : stdout;
	ret = !out ? -1 : a->json ? explore_report_json(out, &a->cfg, res) :
				 explore_report_text(out, &a->cfg, res);
	if (a->output) {
		if ((out && fclose(out)) || ret ||
		    cli_write_out(a->output, buf))
			ret = -1;
		free(buf);
	}
	explore_result_free(res);
	free(res);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	static struct args a;
	struct placement placement;
	struct model_result *res;
	char why[256];
	int ret;

	cli_init("mnbench-model");
	model_config_default(&a.cfg);
	/* mnbench-model's default strategy (--help); the model has none. */
	a.cfg.strategy = mn_strategy_find(DEFAULT_STRATEGY);
	parse_args(&a, argc, argv);
	if (a.cfg.explore)
		return explore_main(&a);
	if (a.placement) {
		if (placement_resolve(a.placement_kind, &placement, why,
				      sizeof(why))) {
			fprintf(stderr, "mnbench-model: placement %s is not available here: %s\n",
				a.placement, why);
			return 1;
		}
		a.cfg.placement = &placement;
	}
	res = calloc(1, sizeof(*res));
	if (!res)
		return 1;
	ret = model_run(&a.cfg, res);
	if (ret) {
		fprintf(stderr, "mnbench-model: run failed: %s\n",
			strerror(-ret));
		free(res);
		return 1;
	}
	ret = write_result(a.output, a.json, res) ? 1 : 0;
	free(res);
	return ret;
}
