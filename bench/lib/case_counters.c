// SPDX-License-Identifier: GPL-2.0
#include "case_counters.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "result_json.h"

static FILE *hist_stream;
static char *hist_text;
static size_t hist_len;
static bool hist_failed;		/* a line could not be written */

void case_histograms_begin(void)
{
	hist_stream = open_memstream(&hist_text, &hist_len);
	hist_failed = !hist_stream;
}

int case_histograms_end(char **text)
{
	*text = NULL;
	if (hist_stream && fclose(hist_stream))
		hist_failed = true;
	hist_stream = NULL;
	if (hist_text && *hist_text && !hist_failed)
		*text = hist_text;
	else
		free(hist_text);
	hist_text = NULL;
	return hist_failed ? -1 : 0;
}

/* [[value, count], ...]: each used bucket's upper bound, clamped to max. */
static json_t *buckets_json(const struct histogram *h)
{
	json_t *a = json_array();
	unsigned int i;
	uint64_t v;
	int err = !a;

	for (i = 0; a && i < HIST_NR_BUCKETS; i++) {
		if (!h->buckets[i])
			continue;
		v = hist_bucket_upper(i);
		err |= json_array_append_new(a, json_pack("[o, o]",
			rj_u64(v < h->max ? v : h->max),
			rj_u64(h->buckets[i])));
	}
	return rj_checked(a, err);
}

/* One JSON line; one that cannot be built fails case_histograms_end(). */
static void histograms_line(const struct case_counters *c)
{
	json_t *line;

	if (!hist_stream || !c->name)
		return;
	line = rj_document();
	if (!line || rj_merge(line, json_pack("{s:s, s:o, s:o}",
			"case", c->name,
			"notifier_ns", buckets_json(c->notifier_ns),
			"window_ns", buckets_json(c->window_ns)))) {
		json_decref(line);
		hist_failed = true;
		return;
	}
	if (rj_write_line(hist_stream, line))
		hist_failed = true;
}

void case_percentile_counters(struct gb_state *st, const char *prefix,
			      const struct histogram *h)
{
	static const struct {
		const char *suffix;
		double q;
	} points[] = {
		{ "p10", 10 }, { "p25", 25 }, { "p50", 50 }, { "p75", 75 },
		{ "p90", 90 }, { "p95", 95 }, { "p99", 99 }, { "p999", 99.9 },
	};
	char name[64];
	unsigned int i;

	for (i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		snprintf(name, sizeof(name), "%s_%s_ns", prefix,
			 points[i].suffix);
		gb_counter(st, name, (double)hist_percentile(h, points[i].q),
			   GB_COUNTER_PLAIN);
	}
	snprintf(name, sizeof(name), "%s_max_ns", prefix);
	gb_counter(st, name, (double)h->max, GB_COUNTER_PLAIN);
}

/* PREFIX_p50_ns and PREFIX_p99_ns: a distribution's middle and tail. */
static void p50_p99_counters(struct gb_state *st, const char *prefix,
			     const struct histogram *h)
{
	char name[64];

	snprintf(name, sizeof(name), "%s_p50_ns", prefix);
	gb_counter(st, name, hist_percentile(h, 50), GB_COUNTER_PLAIN);
	snprintf(name, sizeof(name), "%s_p99_ns", prefix);
	gb_counter(st, name, hist_percentile(h, 99), GB_COUNTER_PLAIN);
}

/* A share of all accesses, in [0, 1]. */
static double share(uint64_t part, uint64_t all)
{
	return all ? (double)part / (double)all : 0;
}

/* What a buffer costs the worker: CPU time, and instructions and cycles. */
static void worker_cost(struct gb_state *st, const struct case_counters *c)
{
	static const struct {
		enum perf_counter_id id;
		const char *name;
	} per_buffer[] = {
		{ PC_INSTRUCTIONS, "worker_instructions_per_buffer" },
		{ PC_CYCLES, "worker_cycles_per_buffer" },
	};
	const struct perf_counters *pc = c->worker_perf;
	unsigned int i;

	if (!c->completed)
		return;
	if (c->worker_cpu_ns >= 0)
		gb_counter(st, "worker_cpu_ns_per_buffer",
			   (double)c->worker_cpu_ns / (double)c->completed,
			   GB_COUNTER_PLAIN);
	for (i = 0; pc && i < sizeof(per_buffer) / sizeof(per_buffer[0]); i++)
		if (perf_counter_present(pc, per_buffer[i].id))
			gb_counter(st, per_buffer[i].name,
				   (double)pc->value[per_buffer[i].id] /
				   (double)c->completed, GB_COUNTER_PLAIN);
}

void case_counters_report(struct gb_state *st, const struct case_counters *c)
{
	uint64_t accesses = c->map_accesses + c->fallbacks;

	/* The window includes the mm's own work; notifier_ns is ours. */
	case_percentile_counters(st, "inval", c->window_ns);
	case_percentile_counters(st, "notifier", c->notifier_ns);
	/* No hit, no cost of one: absent, not a 0 that reads as free. */
	if (c->notifier_hit_ns && c->notifier_hit_ns->count)
		p50_p99_counters(st, "notifier_hit", c->notifier_hit_ns);
	if (c->notifier_wait_ns)
		p50_p99_counters(st, "notifier_wait", c->notifier_wait_ns);
	gb_counter(st, "overlapping_invalidations", (double)c->overlapping,
		   GB_COUNTER_RATE);
	gb_counter(st, "start_p99_ns", hist_percentile(c->start_ns, 99),
		   GB_COUNTER_PLAIN);
	gb_counter(st, "end_p99_ns", hist_percentile(c->end_ns, 99),
		   GB_COUNTER_PLAIN);
	gb_counter(st, "invalidate_range_p99_ns",
		   hist_percentile(c->inval_range_ns, 99), GB_COUNTER_PLAIN);
	gb_counter(st, "invalidations", (double)c->invalidations,
		   GB_COUNTER_RATE);
	gb_counter(st, "fallback_rate", share(c->fallbacks, accesses),
		   GB_COUNTER_PLAIN);
	/* Attempts that had to be redone: a retry is an attempt too. */
	gb_counter(st, "retry_rate",
		   share(c->retries, accesses + c->retries), GB_COUNTER_PLAIN);
	gb_counter(st, "lost", (double)c->lost, GB_COUNTER_PLAIN);
	gb_counter(st, "corrupted", (double)c->corrupted, GB_COUNTER_PLAIN);
	worker_cost(st, c);
	histograms_line(c);
}
