// SPDX-License-Identifier: GPL-2.0
#include "case_counters.h"

void case_latency_counters(struct gb_state *st, const struct histogram *h)
{
	static const struct {
		const char *name;
		double q;
	} points[] = {
		{ "inval_p10_ns", 10 }, { "inval_p25_ns", 25 },
		{ "inval_p50_ns", 50 }, { "inval_p75_ns", 75 },
		{ "inval_p90_ns", 90 }, { "inval_p95_ns", 95 },
		{ "inval_p99_ns", 99 }, { "inval_p999_ns", 99.9 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(points) / sizeof(points[0]); i++)
		gb_counter(st, points[i].name,
			   (double)hist_percentile(h, points[i].q),
			   GB_COUNTER_PLAIN);
	gb_counter(st, "inval_max_ns", (double)h->max, GB_COUNTER_PLAIN);
}

/* A share of all accesses, in [0, 1]. */
static double share(uint64_t part, uint64_t all)
{
	return all ? (double)part / (double)all : 0;
}

void case_counters_report(struct gb_state *st, const struct case_counters *c)
{
	uint64_t accesses = c->map_accesses + c->fallbacks;

	case_latency_counters(st, c->window_ns);
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
	gb_counter(st, "retry_rate", share(c->retries, accesses),
		   GB_COUNTER_PLAIN);
	gb_counter(st, "lost", (double)c->lost, GB_COUNTER_PLAIN);
	gb_counter(st, "corrupted", (double)c->corrupted, GB_COUNTER_PLAIN);
}
