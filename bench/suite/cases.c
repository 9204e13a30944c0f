// SPDX-License-Identifier: GPL-2.0
/*
 * The case runners: the fast path, one metadata access, the harness's own
 * overhead and model runs under load, each reporting the counters of the
 * JSON contract, and their registration with Google Benchmark.
 */
#include <stdio.h>
#include <stdlib.h>

#include "case_counters.h"
#include "fastpath.h"
#include "gbench.h"
#include "perf_counters.h"
#include "suite.h"

static double case_estimate(const struct bench_case *c)
{
	if (c->kind == CASE_ACCESS)
		return 0.05;
	if (c->kind != CASE_MODEL)
		return suite.quick ? 0.2 : 1.5;
	/* Many vqs take their set-up and drain: about 0.5 s at 1024. */
	return c->cfg.seconds + 0.02 + model_active_vqs(&c->cfg) / 2000.0;
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
			c->repetitions, left);
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
		/* Its round: the decision pairs runs of one round. */
		if (c->decision)
			gb_counter(st, "round", c->calls - 1, GB_COUNTER_PLAIN);
		gb_set_label(st, res->safe ? "safe" : "UNSAFE");
	}
	free(res);
}

void estimate_case(struct bench_case *c)
{
	c->estimate_s = case_estimate(c);
	if (c->selected)
		suite.total_s += c->estimate_s * c->repetitions;
}

/*
 * One repetition: schedule.c orders them, so the library runs each
 * registration once and its own interleaving stays off.
 */
void register_repetition(struct bench_case *c)
{
	struct gb_options opts = { .repetitions = 1 };
	gb_fn fn = model_case;

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
