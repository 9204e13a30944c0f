// SPDX-License-Identifier: GPL-2.0
/*
 * mnbench: the benchmark suite. Every strategy's fast path, its vq
 * throughput and invalidation latency under load in the model, and sweeps
 * over ring size, vqs, pages per invalidation, rate and invalidators,
 * reported through Google Benchmark (so its compare.py reads the JSON).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "case_counters.h"
#include "cli_suite.h"
#include "fastpath.h"
#include "gbench.h"
#include "host_context.h"
#include "model.h"
#include "name_list.h"
#include "perf_counters.h"
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
	unsigned int calls;	/* model cases: one per repetition */
};

static struct {
	struct bench_case cases[MAX_CASES];
	unsigned int ncases;
	unsigned int repetitions;
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
} suite;

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
"  --repetitions N     repetitions of every case (default 5, quick 2)\n"
"  --out FILE          also write the JSON report to FILE, atomically:\n"
"                      nothing is written unless the run completes;\n"
"                      the full latency histograms go next to it, into\n"
"                      FILE-histograms.jsonl (FILE without .json)\n"
"  --list              list the cases and exit\n"
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
"  sweep/<param>/<strategy>/<load>/<param>:<value>\n"
"Progress goes to stderr.\n";

static double case_estimate(const struct bench_case *c)
{
	if (c->kind == CASE_ACCESS)
		return 0.05;
	if (c->kind != CASE_MODEL)
		return suite.quick ? 0.2 : 1.5;
	/* Many vqs take their set-up and drain: about 0.5 s at 1024. */
	return c->cfg.seconds + 0.02 + model_active_vqs(&c->cfg) / 2000.0;
}

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
	model_config_default(&c->cfg);
	c->cfg.seconds = suite.seconds;
	c->cfg.hang_ms = 1000;
	/* Measurement: the worker is not slowed down to open races. */
	c->cfg.worker_window_us = 0;
	return c;
}

/*
 * Progress on stderr: every repetition of a model case, other cases once.
 * Repetitions run interleaved, so what is left comes from the clock, not
 * from a position in the list.
 */
static void announce(struct bench_case *c)
{
	double done, left;
	u64 now = ktime_get_ns();

	if (c->kind != CASE_MODEL && c->calls)
		return;
	c->calls++;
	if (!suite.t0_ns)
		suite.t0_ns = now;
	done = (now - suite.t0_ns) / 1e9;
	left = suite.total_s > done ? suite.total_s - done : 0;
	if (c->kind == CASE_MODEL)
		fprintf(stderr, "[%3.0f%%] %s, repetition %u/%u (about %.0f s left)\n",
			100 * done / (done + left), c->name, c->calls,
			suite.repetitions, left);
	else
		fprintf(stderr, "[%3.0f%%] %s (about %.0f s left)\n",
			100 * done / (done + left), c->name, left);
}

static void fastpath_case(struct gb_state *st, void *arg)
{
	struct bench_case *c = arg;
	struct fastpath fp;
	int64_t buffers = 0;
	int n;

	announce(c);
	if (fastpath_init(&fp, c->kind == CASE_BARE ?
			  mn_strategy_find("unsafe") : c->cfg.strategy,
			  c->cfg.ring_size)) {
		gb_skip(st, "could not set up the fast path");
		fastpath_destroy(&fp);
		return;
	}
	/*
	 * Whole rounds timed by hand: the guest's side of a round is not the
	 * worker's cost, and pausing the library's timer around it would
	 * cost more than what it leaves out.
	 */
	while (gb_keep_running(st)) {
		u64 t0;

		fastpath_reap(&fp);
		fastpath_post(&fp);
		t0 = ktime_get_ns();
		n = c->kind == CASE_BARE ? fastpath_consume_bare(&fp)
					 : fastpath_consume(&fp);
		gb_set_iteration_time(st, (ktime_get_ns() - t0) / 1e9);
		if (n < 0) {
			gb_skip(st, "the worker failed to consume the ring");
			break;
		}
		buffers += n;
	}
	gb_set_items_processed(st, buffers);
	gb_counter(st, "fallback_rate", fp.vq.stats.fallbacks /
		   (double)(fp.vq.stats.fallbacks + fp.vq.stats.map_reads +
			    fp.vq.stats.map_writes + 1), GB_COUNTER_PLAIN);
	fastpath_destroy(&fp);
}

/* Nanoseconds per buffer over rounds of one full ring. */
static double time_rounds(struct fastpath *fp, bool bare, int rounds)
{
	u64 ns = 0, buffers = 0, t0;
	int i, n;

	for (i = 0; i < rounds; i++) {
		fastpath_reap(fp);
		fastpath_post(fp);
		t0 = ktime_get_ns();
		n = bare ? fastpath_consume_bare(fp) : fastpath_consume(fp);
		ns += ktime_get_ns() - t0;
		if (n <= 0)
			return 0;
		buffers += n;
	}
	return (double)ns / buffers;
}

#define OVERHEAD_TARGET	1.15
#define ACCESS_ROUND	4096

/* One metadata access through the strategy: what a lock or a check costs. */
static void access_case(struct gb_state *st, void *arg)
{
	struct bench_case *c = arg;
	struct fastpath fp;
	double ns, sum = 0;
	int64_t rounds = 0;

	announce(c);
	if (fastpath_init(&fp, c->cfg.strategy, c->cfg.ring_size)) {
		gb_skip(st, "could not set up the fast path");
		goto out;
	}
	while (gb_keep_running(st)) {
		ns = fastpath_access_ns(&fp, ACCESS_ROUND);
		if (!ns) {
			gb_skip(st, "the access failed");
			break;
		}
		gb_set_iteration_time(st, ns * ACCESS_ROUND / 1e9);
		sum += ns;
		rounds++;
	}
	if (rounds) {
		gb_set_items_processed(st, rounds * ACCESS_ROUND);
		gb_counter(st, "ns_per_access", sum / rounds, GB_COUNTER_PLAIN);
	}
out:
	fastpath_destroy(&fp);
}

/* The harness's own cost: the unsafe fast path against the bare loop. */
static void overhead_case(struct gb_state *st, void *arg)
{
	struct bench_case *c = arg;
	struct fastpath bare, unsafe;
	double b = 0, u = 0, rb, ru;
	int64_t iters = 0;
	char label[64];

	announce(c);
	if (fastpath_init(&bare, mn_strategy_find("unsafe"), c->cfg.ring_size) ||
	    fastpath_init(&unsafe, mn_strategy_find("unsafe"),
			  c->cfg.ring_size)) {
		gb_skip(st, "could not set up the fast path");
		goto out;
	}
	while (gb_keep_running(st)) {
		/* Interleaved, so both see the same machine conditions. */
		rb = time_rounds(&bare, true, 16);
		ru = time_rounds(&unsafe, false, 16);
		if (!rb || !ru) {
			gb_skip(st, "the worker failed to consume the ring");
			break;
		}
		b += rb;
		u += ru;
		iters++;
		gb_set_iteration_time(st, ru * 16 * c->cfg.ring_size / 1e9);
	}
	if (iters && b > 0) {
		gb_counter(st, "bare_ns_per_buffer", b / iters, GB_COUNTER_PLAIN);
		gb_counter(st, "unsafe_ns_per_buffer", u / iters,
			   GB_COUNTER_PLAIN);
		gb_counter(st, "overhead_ratio", u / b, GB_COUNTER_PLAIN);
		snprintf(label, sizeof(label), "target ratio <= %.2f: %s",
			 OVERHEAD_TARGET, u / b <= OVERHEAD_TARGET ? "met" : "MISSED");
		gb_set_label(st, label);
	}
out:
	fastpath_destroy(&bare);
	fastpath_destroy(&unsafe);
}

static void perf_report(struct gb_state *st, const struct perf_counters *pc)
{
	int i;

	for (i = 0; i < PC_NR; i++)
		if (perf_counter_present(pc, i))
			gb_counter(st, perf_counter_name(i), pc->value[i],
				   GB_COUNTER_PLAIN);
}

/* Load events run per second over those asked, in [0, 1]. */
static double event_rate_achieved(const struct model_result *res)
{
	double asked = (double)res->cfg.rate * res->cfg.invalidators *
		       res->elapsed_s;

	if (!res->cfg.rate || !res->cfg.invalidators || !(asked > 0))
		return 1;
	/* An event under way when the period ends still counts: cap. */
	return res->events >= asked ? 1 : res->events / asked;
}

static void report_model_counters(struct gb_state *st, const char *name,
				  const struct model_result *res)
{
	const struct case_counters cc = {
		.name = name,
		.window_ns = &res->total_ns,
		.start_ns = &res->start_ns,
		.end_ns = &res->end_ns,
		.inval_range_ns = &res->inval_range_ns,
		.notifier_ns = &res->notifier_ns,
		.notifier_hit_ns = &res->notifier_hit_ns,
		.notifier_wait_ns = &res->notifier_wait_ns,
		.invalidations = res->mm.invalidations,
		.overlapping = res->mm.overlapping,
		.map_accesses = res->vq.map_reads + res->vq.map_writes,
		.fallbacks = res->vq.fallbacks,
		.retries = res->vq.retries,
		.lost = res->buffers.lost,
		.corrupted = res->buffers.corrupted,
		.worker_cpu_ns = res->worker_cpu_ns,
		.worker_perf = &res->worker_perf,
		.completed = res->buffers.completed,
	};

	gb_set_items_processed(st, (int64_t)(res->ops_per_sec *
					     res->elapsed_s));
	case_counters_report(st, &cc);
	gb_counter(st, "worker_stall_frac", res->worker_life_ns ?
		   (double)res->worker_stall_ns / res->worker_life_ns : 0, 0);
	gb_counter(st, "host_grace_periods", res->host_grace_periods, 0);
	gb_counter(st, "event_rate_achieved", event_rate_achieved(res), 0);
	gb_counter(st, "violations", oracle_total(), 0);
	gb_counter(st, "stale_access", res->violations[V_STALE_ACCESS], 0);
	gb_counter(st, "use_after_release",
		   res->violations[V_USE_AFTER_RELEASE], 0);
	gb_counter(st, "contract", res->violations[V_CONTRACT], 0);
	gb_counter(st, "sleep_in_atomic", res->violations[V_SLEEP_IN_ATOMIC],
		   0);
	gb_counter(st, "lock_order", res->violations[V_LOCK_ORDER], 0);
	gb_counter(st, "hang", res->violations[V_HANG], 0);
	gb_counter(st, "verdict_safe", res->safe, 0);
}

static void model_case(struct gb_state *st, void *arg)
{
	struct bench_case *c = arg;
	struct model_result *res;
	struct perf_counters pc;
	int ret;

	announce(c);
	if (c->unavailable) {
		gb_skip(st, c->unavailable);
		while (gb_keep_running(st))
			;
		return;
	}
	res = calloc(1, sizeof(*res));
	if (!res) {
		gb_skip(st, "out of memory");
		return;
	}
	c->cfg.placement = c->placement;
	perf_counters_open(&pc);
	while (gb_keep_running(st)) {
		perf_counters_start(&pc);
		ret = model_run(&c->cfg, res);
		perf_counters_stop(&pc);
		if (ret) {
			gb_skip(st, "the model run could not be set up");
			break;
		}
		gb_set_iteration_time(st, res->elapsed_s);
	}
	perf_counters_close(&pc);
	if (!ret) {
		report_model_counters(st, c->name, res);
		perf_report(st, &pc);
		gb_set_label(st, res->safe ? "safe" : "UNSAFE");
	}
	free(res);
}

static void register_case(struct bench_case *c)
{
	struct gb_options opts = { 0 };
	gb_fn fn = model_case;

	c->estimate_s = case_estimate(c);
	if (c->selected)
		suite.total_s += c->estimate_s * suite.repetitions;
	switch (c->kind) {
	case CASE_FASTPATH:
	case CASE_BARE:
		fn = fastpath_case;
		opts.manual_time = true;
		/*
		 * Quick runs: a fixed 8192 rounds (2 million buffers), where the
		 * library's search for its minimum time spent seconds per
		 * repetition posting and reaping, which is not timed.
		 */
		if (suite.quick)
			opts.iterations = 8192;
		break;
	case CASE_ACCESS:
		fn = access_case;
		opts.manual_time = true;
		/* Rounds of microseconds: a few hundred settle the mean. */
		opts.iterations = 256;
		break;
	case CASE_OVERHEAD:
		fn = overhead_case;
		opts.manual_time = true;
		if (suite.quick)
			opts.iterations = 512;	/* 2 x 512 x 16 rounds */
		break;
	case CASE_MODEL:
		opts.iterations = 1;
		opts.manual_time = true;
		break;
	}
	gb_register(c->name, fn, c, &opts);
}

static void add_model_case(const struct mn_strategy *s, enum load load,
			   unsigned int pl, const char *fmt, ...)
	__printf(4, 5);

static struct bench_case *last_case;

static void add_model_case(const struct mn_strategy *s, enum load load,
			   unsigned int pl, const char *fmt, ...)
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
	last_case = c;
}

/* A sweep varies one model parameter; quick runs take the short list. */
struct sweep {
	const char *param;
	enum load load;
	unsigned int quick[6], full[6];
	unsigned int nquick, nfull;	/* how many of each are used */
	void (*set)(struct model_config *cfg, unsigned int v);
};

/* 64-descriptor rings: 1024 vqs set up and drain in a second. */
static void set_vqs(struct model_config *c, unsigned int v)
{
	c->vqs = v;
	c->ring_size = 64;
}

/* Devices of 64 queues each: a multiqueue NIC's worth per notifier. */
static void set_devices(struct model_config *c, unsigned int v)
{
	set_vqs(c, 64);
	c->devices = v;
}

static void set_pages(struct model_config *c, unsigned int v)
{
	c->pages = v;
}

static void set_rate(struct model_config *c, unsigned int v)
{
	c->rate = v;
}

static void set_ring(struct model_config *c, unsigned int v)
{
	c->ring_size = v;
}

static void set_invalidators(struct model_config *c, unsigned int v)
{
	c->invalidators = v;
}

/*
 * A curve needs four points at least; quick runs (the default run's
 * time budget) draw the one that matters most, vqs, and full runs all.
 * vqs under zap: every vq's rings are equally likely to be hit, so what
 * one hit costs stays comparable from 1 vq to 1024 (notifier_hit_*).
 */
static const struct sweep sweeps[] = {
	{ "vqs", LOAD_ZAP, { 1, 16, 256, 1024 }, { 1, 4, 16, 64, 256, 1024 },
	  4, 6, set_vqs },
	{ "devices", LOAD_ZAP, { 0 }, { 1, 2, 4, 8 }, 0, 4, set_devices },
	{ "pages", LOAD_ZAP, { 0 }, { 1, 4, 16, 64 }, 0, 4, set_pages },
	/* A rate of 0 is no cap at all. */
	{ "rate", LOAD_MIXED, { 0 }, { 100, 1000, 10000, 0 }, 0, 4,
	  set_rate },
	{ "ring", LOAD_KSM, { 0 }, { 64, 256, 1024 }, 0, 3, set_ring },
	{ "invalidators", LOAD_MIXED, { 0 }, { 1, 2, 4 }, 0, 3,
	  set_invalidators },
};

static void add_sweeps(const struct mn_strategy *s, unsigned int pl)
{
	const struct sweep *sw;
	unsigned int i, n, v;

	for (sw = sweeps; sw < sweeps + ARRAY_SIZE(sweeps); sw++) {
		n = suite.quick ? sw->nquick : sw->nfull;
		for (i = 0; i < n; i++) {
			v = suite.quick ? sw->quick[i] : sw->full[i];
			add_model_case(s, sw->load, pl, "sweep/%s/%s/%s/%s:%u",
				       sw->param, s->name, load_names[sw->load],
				       sw->param, v);
			sw->set(&last_case->cfg, v);
		}
	}
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

static void build_matrix(const char *strategies, const char *loads)
{
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
					add_model_case(s, l, pl,
						       "throughput/%s/%s/vqs:1",
						       s->name, load_names[l]);
		}
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
static void select_cases(const char *filter)
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

static void read_line(const char *cmd, char *buf, size_t len)
{
	FILE *f = popen(cmd, "r");

	buf[0] = 0;
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = 0;
		pclose(f);
	}
	if (!buf[0])
		snprintf(buf, len, "unknown");
}

static void add_context(const char *strategies, const char *cmdline)
{
	char buf[512], pl[1024] = "";
	struct model_config cfg;
	struct perf_counters pc;
	unsigned int i;

	host_context_add();
	model_config_default(&cfg);
	model_rcu_grace_period(&cfg, buf, sizeof(buf));
	gb_add_context("rcu_grace_period", buf);
	gb_add_context("topology", placement_topology_summary(buf, sizeof(buf)));
	for (i = 0; i < suite.nplacements; i++) {
		size_t off = strlen(pl);

		snprintf(pl + off, sizeof(pl) - off, "%s%s%s: %s", i ? "; " : "",
			 placement_name(suite.placements[i].kind),
			 suite.placement_default ? " (default)" : "",
			 suite.placement_ok[i] ? suite.placements[i].description
					       : suite.reasons[i]);
	}
	gb_add_context("placement", pl);
	gb_add_context("strategies", strategies);
	read_line("git -C " MNBENCH_SOURCE_DIR " describe --always --dirty 2>/dev/null",
		  buf, sizeof(buf));
	gb_add_context("git_revision", buf);
	gb_add_context("build_type", MNBENCH_BUILD_TYPE);
	gb_add_context("mnbench_quick", suite.quick ? "true" : "false");
	gb_add_context("mnbench_command", cmdline);
	gb_add_context("oracle", "on in model cases (its cost is in their numbers), off in fastpath cases");
	gb_add_context("gup", gup_names[cfg.gup]);
	gb_add_context("worker_pauses", "none in model cases, which measure; the verdict tests, the mutation suite and mnbench-model pause the worker inside its sections to open races");
	perf_counters_open(&pc);
	perf_counters_absent(&pc, suite.perf_absent, sizeof(suite.perf_absent));
	perf_counters_close(&pc);
	gb_add_context("perf_absent", suite.perf_absent[0] ? suite.perf_absent
							   : "none");
}

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
	bool list;
};

static struct args args = { .suite.loads = "none,ksm,cow,mixed" };

enum { O_QUICK = 256, O_PLACEMENT, O_SECONDS, O_LIST };

static const struct option options[] = {
	CLI_SUITE_OPTIONS,
	{ "quick", no_argument, NULL, O_QUICK },
	{ "placement", required_argument, NULL, O_PLACEMENT },
	{ "seconds", required_argument, NULL, O_SECONDS },
	{ "list", no_argument, NULL, O_LIST },
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
}

static void add_suite_context(void)
{
	add_context(args.suite.strategies, args.cmdline);
	fprintf(stderr, "mnbench: %u cases x %u repetitions, about %.0f s\n",
		suite.nselected, suite.repetitions, suite.total_s);
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
	for (k = 0; k < suite.ncases; k++)
		register_case(&suite.cases[k]);
	if (args.list) {
		for (k = 0; k < suite.ncases; k++)
			printf("%s\n", suite.cases[k].name);
		cli_gb_args_free(&args.suite.gb);
		return 0;
	}
	return cli_suite_run(&args.suite, true, add_suite_context);
}
