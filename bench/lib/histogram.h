/* SPDX-License-Identifier: GPL-2.0 */
/* Latency histograms: record in O(1), report percentiles, never a mean only. */
#ifndef MN_HISTOGRAM_H
#define MN_HISTOGRAM_H

#include <stdint.h>

#include "mnbench_uapi.h"	/* the bucket layout the module shares */

/* Not thread-safe: keep one per thread and merge. */
struct histogram {
	uint64_t count;
	uint64_t min;	/* UINT64_MAX when empty */
	uint64_t max;	/* 0 when empty */
	uint64_t sum;	/* saturating */
	uint64_t buckets[HIST_NR_BUCKETS];
};

void hist_init(struct histogram *h);
void hist_record(struct histogram *h, uint64_t v);
void hist_record_n(struct histogram *h, uint64_t v, uint64_t n);
void hist_merge(struct histogram *dst, const struct histogram *src);
/*
 * q in [0, 100]. The inclusive upper bound of the bucket holding the
 * ceil(q% of count)-th smallest value (rank at least 1), clamped to
 * [min, max]: p100 is max exactly. 0 for an empty histogram.
 */
uint64_t hist_percentile(const struct histogram *h, double q);
double hist_mean(const struct histogram *h);

#endif /* MN_HISTOGRAM_H */
