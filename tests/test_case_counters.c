// SPDX-License-Identifier: GPL-2.0
/*
 * Each counter of the JSON contract (bench/lib/case_counters.c) on a case
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
#include "gb_report.h"
#include "schema_version.h"

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

/* Every line: schema_version, a case, and its histograms bucket by bucket. */
static void histogram_lines(char *text, const struct case_counters *cc)
{
	json_t *line, *buckets;
	const char *name;
	json_error_t err;
	uint64_t count, last;
	size_t i, lines = 0;
	char *p, *next;

	for (p = text; *p; p = next) {
		next = strchr(p, '\n');
		CHECK(next != NULL);
		if (!next)
			return;
		*next++ = 0;
		lines++;
		line = json_loads(p, 0, &err);
		CHECK(line != NULL);
		if (!line)
			continue;
		CHECK(json_integer_value(json_object_get(line,
			"schema_version")) == MN_SCHEMA_VERSION);
		name = json_string_value(json_object_get(line, "case"));
		CHECK(name && !strncmp(name, "cc/", 3));
		buckets = json_object_get(line, "window_ns");
		count = last = 0;
		for (i = 0; i < json_array_size(buckets); i++) {
			json_t *b = json_array_get(buckets, i);
			uint64_t v = json_integer_value(json_array_get(b, 0));

			/* ascending, no bucket twice */
			CHECK(v > last || i == 0);
			last = v;
			count += json_integer_value(json_array_get(b, 1));
		}
		/* 100 values, the last bucket clamped to the maximum. */
		CHECK(count == cc->window_ns->count);
		CHECK(last == cc->window_ns->max);
		buckets = json_object_get(line, "notifier_ns");
		CHECK(json_array_size(buckets) > 0);
		json_decref(line);
	}
	CHECK(lines == 3);	/* a line per case */
}

static bool near(double got, double want)
{
	return fabs(got - want) <= want / 32 + 1;	/* a bucket's width */
}

/* What each counter of the constructed cases t, x (extreme), i (idle) is. */
static void check_counters(json_t *report, const char *t, const char *x,
			   const char *i)
{
	CHECK(near(gb_field(report, t, "inval_p50_ns"), 50000));
	CHECK(near(gb_field(report, t, "inval_p99_ns"), 99000));
	CHECK(near(gb_field(report, t, "inval_max_ns"), 100000));
	CHECK(near(gb_field(report, t, "notifier_p50_ns"), 500));
	CHECK(near(gb_field(report, t, "notifier_p999_ns"), 1000));
	CHECK(near(gb_field(report, t, "notifier_wait_p99_ns"), 99));
	CHECK(gb_field(report, t, "start_p99_ns") == 7);
	CHECK(gb_field(report, t, "end_p99_ns") == 9);
	CHECK(gb_field(report, t, "invalidations") == 40);
	CHECK(gb_field(report, t, "overlapping_invalidations") == 10);
	/* fallbacks / (mapped + slow-path accesses) */
	CHECK(gb_field(report, t, "fallback_rate") == 0.25);
	/* retries / (accesses + retries): attempts that had to be redone */
	CHECK(near(gb_field(report, t, "retry_rate") * 1e4, 25.0 / 425 * 1e4));
	CHECK(gb_field(report, t, "lost") == 2 && gb_field(report, t, "corrupted") == 3);
	CHECK(gb_field(report, x, "retry_rate") <= 1);
	CHECK(isnan(gb_field(report, x, "notifier_wait_p50_ns")));
	CHECK(gb_field(report, i, "fallback_rate") == 0);
	CHECK(gb_field(report, i, "retry_rate") == 0);
	/* the worker's task-clock / the buffers it completed */
	CHECK(gb_field(report, t, "worker_cpu_ns_per_buffer") == 2000);
	CHECK(gb_field(report, t, "worker_instructions_per_buffer") == 3000);
	CHECK(isnan(gb_field(report, t, "worker_cycles_per_buffer")));
	CHECK(isnan(gb_field(report, x, "worker_cpu_ns_per_buffer")));
	CHECK(isnan(gb_field(report, x, "worker_instructions_per_buffer")));
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
	char *json = NULL, *hists;
	json_t *report;
	const char *t = "cc/typical", *x = "cc/extreme", *i = "cc/idle";

	(void)argc;
	extreme.retries = 1000;
	extreme.notifier_wait_ns = NULL;	/* the module cannot tell */
	extreme.completed = 0;	/* no buffer: no cost per buffer */
	idle.map_accesses = idle.fallbacks = idle.retries = 0;
	typical.name = t;
	idle.name = i;
	extreme.name = x;
	fill();
	/* extreme last: a counter it lacks is then absent, not the next's. */
	gb_register(t, constructed_case, &typical, &opts);
	gb_register(i, constructed_case, &idle, &opts);
	gb_register(x, constructed_case, &extreme, &opts);
	CHECK(!gb_initialize(2, args, true));
	case_histograms_begin();
	CHECK(gb_run(&json) == 3);
	gb_shutdown();
	CHECK(!case_histograms_end(&hists));
	report = json ? gb_report_parse(json) : NULL;
	free(json);
	CHECK(report && hists);
	if (!report || !hists)
		return 1;
	histogram_lines(hists, &typical);
	free(hists);
	check_counters(report, t, x, i);
	json_decref(report);
	if (failures)
		return 1;
	printf("case counters: every definition holds\n");
	return 0;
}
