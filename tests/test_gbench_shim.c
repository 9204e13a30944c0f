// SPDX-License-Identifier: GPL-2.0
/*
 * The C shim over Google Benchmark: registered C functions run, their
 * counters, items, manual time, skip reasons and context reach the JSON
 * report, schema_version among the context.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gb_report.h"
#include "gbench.h"
#include "schema_version.h"

static int calls;

static void counters_case(struct gb_state *st, void *arg)
{
	int64_t n = 0;

	calls++;
	while (gb_keep_running(st)) {
		gb_pause(st);
		gb_resume(st);
		n++;
	}
	gb_set_items_processed(st, n * 10);
	gb_counter(st, "answer", *(int *)arg, GB_COUNTER_PLAIN);
	gb_counter(st, "events", n, GB_COUNTER_RATE);
	gb_set_label(st, "shim-label");
}

static void manual_case(struct gb_state *st, void *arg)
{
	(void)arg;
	while (gb_keep_running(st))
		gb_set_iteration_time(st, 0.001);
}

static void skipped_case(struct gb_state *st, void *arg)
{
	(void)arg;
	gb_skip(st, "needs hardware this test does not have");
	while (gb_keep_running(st))
		;
}

int main(int argc, char **argv)
{
	static char min_time[] = "--benchmark_min_time=0.01";
	char *args[] = { argv[0], min_time, NULL };
	struct gb_options manual = { .iterations = 5, .manual_time = true };
	int answer = 42;
	char *json = NULL;
	json_t *report;
	size_t n;

	(void)argc;
	gb_register("shim/counters", counters_case, &answer, NULL);
	gb_register("shim/manual", manual_case, NULL, &manual);
	gb_register("shim/skipped", skipped_case, NULL, NULL);
	CHECK(!gb_initialize(2, args, true));
	gb_add_context("shim_context", "present");
	n = gb_run(&json);
	gb_shutdown();
	CHECK(n == 3);
	CHECK(calls > 0);
	report = json ? gb_report_parse(json) : NULL;
	free(json);
	CHECK(report != NULL);
	if (!report)
		return 1;
	CHECK(gb_field(report, "shim/counters", "answer") == 42);
	CHECK(gb_field(report, "shim/counters", "events") > 0);
	CHECK(gb_field(report, "shim/counters", "items_per_second") > 0);
	CHECK(!strcmp(gb_text(report, "shim/counters", "label"), "shim-label"));
	CHECK(gb_field(report, "shim/manual/iterations:5/manual_time",
		       "iterations") == 5);
	/* 1 ms of manual time per iteration, reported in ns. */
	CHECK(gb_field(report, "shim/manual/iterations:5/manual_time",
		       "real_time") == 1e6);
	CHECK(!strcmp(gb_text(report, "shim/skipped", "error_message"),
		      "needs hardware this test does not have"));
	/* The context: the caller's keys, and always the schema's version. */
	CHECK(!strcmp(gb_context(report, "shim_context"), "present"));
	CHECK(!strcmp(gb_context(report, "schema_version"),
		      MN_SCHEMA_VERSION_STR));
	json_decref(report);
	if (failures)
		return 1;
	printf("gbench shim: all checks passed\n");
	return 0;
}
