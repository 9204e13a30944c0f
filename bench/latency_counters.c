// SPDX-License-Identifier: GPL-2.0
#include "latency_counters.h"

void gb_latency_counters(struct gb_state *st, const struct histogram *h)
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
