// SPDX-License-Identifier: GPL-2.0
/*
 * mnbench-module: the userspace side of a module run. It lays a virtqueue
 * out in its own memory, has /dev/mnbench's worker consume it through a
 * strategy, posts and checks buffers from a guest thread, and makes real
 * load: KSM merging of identical pages and COW after fork. Hostile ioctls
 * are another program's job (tests/module_fuzz.c).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case_counters.h"
#include "cli_suite.h"
#include "gbench.h"
#include "host_context.h"
#include "module_run.h"
#include "name_list.h"
#include "strategy_names.h"

struct module_case {
	char name[96];
	struct opts o;
};

/* Every strategy under every load: the matrix cannot outgrow this. */
static struct module_case cases[MN_NR_STRATEGIES * LOAD_NR];
static unsigned int ncases;

static const char usage[] =
"Usage: mnbench-module [options] [--benchmark_* flags]\n"
"Drive /dev/mnbench (module/): a worker in the kernel consumes a virtqueue\n"
"in this process's memory through each strategy while this process posts\n"
"and checks buffers and makes KSM, COW or zap load. Reports like mnbench\n"
"(Google Benchmark JSON, cases throughput/<strategy>/<load>/vqs:N, with\n"
"/devices:N after it for more than one device), so model and module runs\n"
"compare case by case.\n"
"\n"
"  --strategies LIST   comma-separated (default: all but test-only ones;\n"
"                      the module refuses rule-breaking ones unless loaded\n"
"                      with allow_dangerous=1, and the case says so)\n"
"  --loads LIST        from none,ksm,cow,zap,mixed (default none,ksm,cow,\n"
"                      mixed; zap: MADV_DONTNEED of an idle ring's\n"
"                      descriptor table every 64 buffers; oom: a child\n"
"                      owns the device, posts --buffers buffers, then\n"
"                      grows until the OOM killer kills it, so the\n"
"                      reaper invalidates its live mm; root, one device,\n"
"                      and not in the default list)\n"
"  --buffers N         buffers each run completes (default 20000)\n"
"  --timeout S         a run gives up after S seconds (default 60)\n"
"  --ring-size N       power of two, 2..4096 (default 256)\n"
"  --vqs N             queues per device, 1..1024, all carrying the guest's\n"
"                      buffers (default 1)\n"
"  --devices N         devices (open files, each with its notifier and\n"
"                      worker) on this process's mm, 1..8 (default 1);\n"
"                      with more than 1, notifier_* count each device's\n"
"                      callbacks apart, as an invalidation calls them all\n"
"  --repetitions N     runs per case (default 1)\n"
"  --device PATH       default /dev/mnbench\n"
"  --gup MODE          how the module holds mapped pages: pin (FOLL_PIN|\n"
"                      FOLL_LONGTERM, default, as the model), get (page\n"
"                      references) or none (only while the vmap is built,\n"
"                      as in 2019: needs allow_dangerous=1)\n"
"  --out FILE          also write the JSON report there, atomically, and\n"
"                      the full latency histograms next to it, into\n"
"                      FILE-histograms.jsonl (FILE without .json)\n"
"  --help              this text\n"
"\n"
"Exit status: 0 done, 1 failure, 2 bad arguments, 3 no device (module\n"
"not loaded). KSM load changes /sys/kernel/mm/ksm and restores it.\n";

/* What only some loads have: the OOM kill, the tasks that invalidate. */
static void report_load_counters(struct gb_state *st,
				 const struct module_case *c,
				 const struct result *res)
{
	if (c->o.load == LOAD_OOM) {
		gb_counter(st, "oom_kills", res->oom_kills, 0);
		gb_counter(st, "oom_grown_mb", (double)res->oom_grown_mb,
			   GB_COUNTER_PLAIN);
	}
	/* ksmd merging, the COW thread forking. */
	if (load_uses_ksm(c->o.load) && res->ksmd_cpu_ns >= 0)
		gb_counter(st, "ksmd_cpu_ns", (double)res->ksmd_cpu_ns,
			   GB_COUNTER_PLAIN);
	if (load_uses_cow(c->o.load) && res->cow_cpu_ns >= 0)
		gb_counter(st, "cow_thread_cpu_ns", (double)res->cow_cpu_ns,
			   GB_COUNTER_PLAIN);
}

/* The counters scripts/ read, then the ones only a module run has. */
static void report_module_counters(struct gb_state *st,
				   const struct module_case *c,
				   const struct result *res)
{
	const struct case_counters cc = {
		.name = c->name,
		.window_ns = &res->h[MNB_HIST_TOTAL],
		.start_ns = &res->h[MNB_HIST_START],
		.end_ns = &res->h[MNB_HIST_END],
		.inval_range_ns = &res->h[MNB_HIST_INVAL_RANGE],
		/* The kernel does not tell how long a callback waited. */
		.notifier_ns = &res->h[MNB_HIST_NOTIFIER],
		.notifier_wait_ns = NULL,
		.notifier_hit_ns = &res->h[MNB_HIST_NOTIFIER_HIT],
		.invalidations = res->st.start_calls,
		.overlapping = res->st.overlapping_calls,
		.map_accesses = res->st.map_reads + res->st.map_writes,
		.fallbacks = res->st.fallbacks,
		.retries = res->st.retries,
		.lost = res->lost,
		.corrupted = res->corrupted,
		.worker_cpu_ns = res->worker_cpu_ns,
		.worker_perf = &res->worker_perf,
		.completed = res->completed,
	};

	gb_set_items_processed(st, (int64_t)res->completed);
	case_counters_report(st, &cc);
	gb_counter(st, "completed", res->completed, 0);
	gb_counter(st, "start_calls", res->st.start_calls, 0);
	gb_counter(st, "end_calls", res->st.end_calls, 0);
	gb_counter(st, "invalidate_range_calls",
		   res->st.invalidate_range_calls, 0);
	gb_counter(st, "timed_out", res->timed_out, 0);
	gb_counter(st, "forks", res->forks, 0);
	gb_counter(st, "zaps", res->zaps, 0);
	/* The module's check_stale=1; all 0 without it. */
	gb_counter(st, "stale_compared", res->st.stale_compared, 0);
	gb_counter(st, "stale_reads", res->st.stale_reads, 0);
	gb_counter(st, "stale_writes", res->st.stale_writes, 0);
	gb_counter(st, "nonblock_starts", res->st.nonblock_starts, 0);
	gb_counter(st, "refused_starts", res->st.refused_starts, 0);
	gb_counter(st, "ksm_merged_pages", res->ksm_pages, 0);
	gb_counter(st, "bad_heads", res->st.bad_heads, 0);
	gb_counter(st, "worker_errors", res->st.worker_errors, 0);
	gb_counter(st, "pin_failures", res->st.pin_failures, 0);
	gb_counter(st, "vq_stopped", res->st.stop_reason, 0);
	gb_counter(st, "idle_vqs", res->idle_vqs, 0);
	gb_counter(st, "vqs", res->vqs, 0);
	gb_counter(st, "devices", res->devices, 0);
	report_load_counters(st, c, res);
	gb_set_label(st, "module");
}

static const char *setup_errno_hint(int err)
{
	switch (err) {
	case EPERM:
		return " (the strategy breaks kernel rules, or --gup none: only with allow_dangerous=1, on a disposable machine)";
	case EOPNOTSUPP:
		return " (the rings cannot be pinned long-term, e.g. a file mapping: the case would measure only the slow path)";
	case EFAULT:
		return " (the rings are not mapped and writable)";
	default:
		return "";
	}
}

/* Why the case could not run: the module refused it, or the run failed. */
static void skip_case(struct gb_state *st, const struct result *res)
{
	char why[200];

	if (!res->setup_errno) {
		gb_skip(st, "the run failed");
		return;
	}
	snprintf(why, sizeof(why), "the module refused it: %s%s",
		 strerror(res->setup_errno), setup_errno_hint(res->setup_errno));
	gb_skip(st, why);
}

/* Once: without the worker's CPU time the summary has no cost per buffer. */
static void say_worker_uncounted(const struct result *res)
{
	static bool said;

	if (said || res->worker_cpu_ns >= 0)
		return;
	said = true;
	fprintf(stderr, "mnbench-module: the kernel worker's CPU time cannot be read (/proc/PID/schedstat or stat)\n");
}

/* One module run per repetition, reported as mnbench reports the model. */
static void module_case(struct gb_state *st, void *arg)
{
	struct module_case *c = arg;
	struct result *res = calloc(1, sizeof(*res));

	if (!res) {
		gb_skip(st, "out of memory");
		return;
	}
	fprintf(stderr, "mnbench-module: %s\n", c->name);
	while (gb_keep_running(st)) {
		memset(res, 0, sizeof(*res));
		if (module_run(&c->o, res) || res->setup_errno) {
			skip_case(st, res);
			break;
		}
		gb_set_iteration_time(st, res->elapsed_s);
	}
	if (!res->setup_errno && res->elapsed_s > 0) {
		say_worker_uncounted(res);
		report_module_counters(st, c, res);
	}
	free(res);
}

struct args {
	struct cli_suite suite;		/* global: exits anywhere leak nothing */
	struct opts o;			/* what every case starts from */
};

static struct args args = {
	.suite = { .loads = "none,ksm,cow,mixed", .repetitions = 1 },
	.o = {
		.device = "/dev/mnbench", .num = 256, .buffers = 20000,
		.timeout_s = 60, .vqs = 1, .devices = 1,
	},
};

static unsigned int ring_size(const char *arg)
{
	unsigned long num = cli_ulong("--ring-size", arg, MN_VRING_MIN_NUM,
				      MN_VRING_MAX_NUM);

	if (!mn_vring_num_valid(num))
		cli_usage_error("--ring-size needs a power of two, not '%s'",
				arg);
	return num;
}

enum {
	O_BUFFERS = 256, O_TIMEOUT, O_RING, O_DEVICE, O_GUP, O_VQS, O_DEVICES
};

static const struct option options[] = {
	CLI_SUITE_OPTIONS,
	{ "buffers", required_argument, NULL, O_BUFFERS },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "ring-size", required_argument, NULL, O_RING },
	{ "device", required_argument, NULL, O_DEVICE },
	{ "gup", required_argument, NULL, O_GUP },
	{ "vqs", required_argument, NULL, O_VQS },
	{ "devices", required_argument, NULL, O_DEVICES },
	{ NULL, 0, NULL, 0 },
};

static bool option(int c, const char *arg)
{
	switch (c) {
	case O_BUFFERS:
		args.o.buffers = cli_ulong("--buffers", arg, 1,
					   1000000000000ul);
		return true;
	case O_TIMEOUT:
		args.o.timeout_s = cli_seconds("--timeout", arg, 86400);
		return true;
	case O_RING:
		args.o.num = ring_size(arg);
		return true;
	case O_DEVICE:
		args.o.device = arg;
		return true;
	case O_VQS:
		args.o.vqs = cli_ulong("--vqs", arg, 1, MNB_MAX_VQS);
		return true;
	case O_DEVICES:
		args.o.devices = cli_ulong("--devices", arg, 1,
					   MODULE_MAX_DEVICES);
		return true;
	case O_GUP:
		args.o.gup = cli_choice("--gup", arg, mnb_gup_names, MNB_GUP_NR);
		return true;
	}
	return false;
}

/* Strategy names, comma-separated: the default matrix, or for messages. */
static const char *strategy_list(bool all, const char *sep)
{
	static char buf[2][512];
	char *b = buf[all];
	unsigned int k;

	b[0] = 0;
	for (k = 0; k < MN_NR_STRATEGIES; k++) {
		if (!all && (mn_strategy_names[k].flags & MN_TEST_ONLY))
			continue;
		strncat(b, b[0] ? sep : "", sizeof(buf[0]) - strlen(b) - 1);
		strncat(b, mn_strategy_names[k].name,
			sizeof(buf[0]) - strlen(b) - 1);
	}
	return b;
}

static bool known_strategy(const char *name)
{
	return mn_strategy_name_find(name);
}

static bool known_load(const char *name)
{
	int load = load_parse(name);

	return load >= 0 && load_on_module(load);
}

/* Everything is checked before the first case runs. */
static void check_args(void)
{
	if (!args.suite.strategies)
		args.suite.strategies = strategy_list(false, ",");
	cli_check_list(args.suite.strategies, "strategy", known_strategy,
		       strategy_list(true, ", "));
	cli_check_list(args.suite.loads, "load", known_load,
		       load_name_list(true));
	if (args.suite.out)
		cli_check_out("--out", args.suite.out);
	if (args.o.devices > 1 && name_in_list(args.suite.loads, "oom"))
		cli_usage_error("--loads oom takes one device, not --devices %u",
				args.o.devices);
}

/* The device is checked once here, so a missing module exits 3 at once. */
static int check_device(void)
{
	int fd = module_open(args.o.device);

	if (fd < 0)
		return EXIT_NO_DEVICE;
	close(fd);
	return 0;
}

/* The model's names: more devices are named, one is not. */
static void case_name(struct module_case *mc)
{
	int n = snprintf(mc->name, sizeof(mc->name), "throughput/%s/%s/vqs:%u",
			 mc->o.strategy, load_names[mc->o.load], mc->o.vqs);

	if (mc->o.devices > 1 && n > 0 && (size_t)n < sizeof(mc->name))
		snprintf(mc->name + n, sizeof(mc->name) - n, "/devices:%u",
			 mc->o.devices);
}

static void register_cases(void)
{
	struct gb_options gopts = { .iterations = 1, .manual_time = true };
	unsigned int k, l;

	for (k = 0; k < MN_NR_STRATEGIES; k++) {
		const char *s = mn_strategy_names[k].name;

		if (!name_in_list(args.suite.strategies, s))
			continue;
		for (l = 0; l < LOAD_NR; l++) {
			struct module_case *mc = &cases[ncases];

			if (!load_on_module(l) ||
			    !name_in_list(args.suite.loads, load_names[l]))
				continue;
			mc->o = args.o;
			mc->o.strategy = s;
			mc->o.load = l;
			case_name(mc);
			gb_register(mc->name, module_case, mc, &gopts);
			ncases++;
		}
	}
}

static void add_module_context(void)
{
	gb_add_context("source", "module");
	gb_add_context("device", args.o.device);
	gb_add_context("gup", mnb_gup_names[args.o.gup]);
	host_context_add();
	gb_add_context("build_type", MNBENCH_BUILD_TYPE);
}

int main(int argc, char **argv)
{
	cli_init("mnbench-module");
	cli_suite_parse(&args.suite, argc, argv, options, usage, option);
	signal(SIGPIPE, SIG_IGN);
	check_args();
	if (check_device())
		return EXIT_NO_DEVICE;
	register_cases();
	return cli_suite_run(&args.suite, false, add_module_context);
}
