// SPDX-License-Identifier: GPL-2.0
/*
 * Each counter of the JSON contract (bench/case_counters.c) on a case
 * built by hand: known histograms and counts in, the documented formula
 * out, and every share within [0, 1] even for counts no run would give.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_counters.h"
#include "check.h"

static struct histogram window, start, end, range, notifier, wait;
static struct perf_counters worker_perf;

/* 1 s of manual time, so a rate counter equals its count. */
static void constructed_case(struct gb_state *st, void *arg)
{
	const struct case_counters *cc = arg;

	while (gb_keep_running(st))
		gb_set_iteration_time(st, 1.0);
	case_counters_report(st, cc);
}

static void fill(void)
{
	uint64_t v;

	hist_init(&window);
	hist_init(&start);
	hist_init(&end);
	hist_init(&range);
	hist_init(&notifier);
	hist_init(&wait);
	/* 1..100 us: p50 = 50 us, p99 = 99 us within a bucket's width. */
	for (v = 1; v <= 100; v++) {
		hist_record(&window, v * 1000);
		hist_record(&notifier, v * 10);
		hist_record(&wait, v);
	}
	hist_record(&start, 7);
	hist_record(&end, 9);
	/* Instructions counted by a PMU; cycles not. */
	memset(&worker_perf, 0, sizeof(worker_perf));
	worker_perf.value[PC_INSTRUCTIONS] = 900000;
	worker_perf.open_errno[PC_CYCLES] = ENOENT;
}

static bool near(double got, double want)
{
	return fabs(got - want) <= want / 32 + 1;	/* a bucket's width */
}

int main(int argc, char **argv)
{
	static char min_time[] = "--benchmark_min_time=0.01";
	char *args[] = { argv[0], min_time, NULL };
	struct gb_options opts = { .iterations = 1, .manual_time = true };
	struct case_counters typical = {
		.window_ns = &window, .start_ns = &start, .end_ns = &end,
		.inval_range_ns = &range, .notifier_ns = &notifier,
		.notifier_wait_ns = &wait, .invalidations = 40,
		.overlapping = 10, .map_accesses = 300, .fallbacks = 100,
		.retries = 25, .lost = 2, .corrupted = 3,
		.worker_cpu_ns = 600000, .worker_perf = &worker_perf,
		.completed = 300,
	};
	/* More retries than accesses, no access at all: shares stay in [0, 1]. */
	struct case_counters extreme = typical, idle = typical;
	char *json = NULL;
	const char *t = "cc/typical", *x = "cc/extreme", *i = "cc/idle";

	(void)argc;
	extreme.retries = 1000;
	extreme.notifier_wait_ns = NULL;	/* the module cannot tell */
	extreme.completed = 0;	/* no buffer: no cost per buffer */
	idle.map_accesses = idle.fallbacks = idle.retries = 0;
	fill();
	/* extreme last: a counter it lacks is then absent, not the next's. */
	gb_register(t, constructed_case, &typical, &opts);
	gb_register(i, constructed_case, &idle, &opts);
	gb_register(x, constructed_case, &extreme, &opts);
	CHECK(!gb_initialize(2, args, true));
	CHECK(gb_run(&json) == 3);
	gb_shutdown();
	if (!json)
		return 1;
	CHECK(near(json_field(json, t, "inval_p50_ns"), 50000));
	CHECK(near(json_field(json, t, "inval_p99_ns"), 99000));
	CHECK(near(json_field(json, t, "inval_max_ns"), 100000));
	CHECK(near(json_field(json, t, "notifier_p50_ns"), 500));
	CHECK(near(json_field(json, t, "notifier_p999_ns"), 1000));
	CHECK(near(json_field(json, t, "notifier_wait_p99_ns"), 99));
	CHECK(json_field(json, t, "start_p99_ns") == 7);
	CHECK(json_field(json, t, "end_p99_ns") == 9);
	CHECK(json_field(json, t, "invalidations") == 40);
	CHECK(json_field(json, t, "overlapping_invalidations") == 10);
	/* fallbacks / (mapped + slow-path accesses) */
	CHECK(json_field(json, t, "fallback_rate") == 0.25);
	/* retries / (accesses + retries): attempts that had to be redone */
	CHECK(near(json_field(json, t, "retry_rate") * 1e4, 25.0 / 425 * 1e4));
	CHECK(json_field(json, t, "lost") == 2 && json_field(json, t, "corrupted") == 3);
	CHECK(json_field(json, x, "retry_rate") <= 1);
	CHECK(isnan(json_field(json, x, "notifier_wait_p50_ns")));
	CHECK(json_field(json, i, "fallback_rate") == 0);
	CHECK(json_field(json, i, "retry_rate") == 0);
	/* the worker's task-clock / the buffers it completed */
	CHECK(json_field(json, t, "worker_cpu_ns_per_buffer") == 2000);
	CHECK(json_field(json, t, "worker_instructions_per_buffer") == 3000);
	CHECK(isnan(json_field(json, t, "worker_cycles_per_buffer")));
	CHECK(isnan(json_field(json, x, "worker_cpu_ns_per_buffer")));
	CHECK(isnan(json_field(json, x, "worker_instructions_per_buffer")));
	free(json);
	if (failures)
		return 1;
	printf("case counters: every definition holds\n");
	return 0;
}
