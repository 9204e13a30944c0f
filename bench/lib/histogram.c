// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>

#include "histogram.h"

void hist_init(struct histogram *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void hist_record_n(struct histogram *h, uint64_t v, uint64_t n)
{
	if (!n)
		return;
	h->buckets[hist_bucket_index(v)] += n;
	h->count += n;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	if (v && n > (UINT64_MAX - h->sum) / v)
		h->sum = UINT64_MAX;
	else
		h->sum += v * n;
}

void hist_record(struct histogram *h, uint64_t v)
{
	hist_record_n(h, v, 1);
}

void hist_merge(struct histogram *dst, const struct histogram *src)
{
	unsigned int i;

	if (!src->count)
		return;
	for (i = 0; i < HIST_NR_BUCKETS; i++)
		dst->buckets[i] += src->buckets[i];
	dst->count += src->count;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->sum = src->sum > UINT64_MAX - dst->sum ? UINT64_MAX
						    : dst->sum + src->sum;
}

uint64_t hist_percentile(const struct histogram *h, double q)
{
	uint64_t rank, seen = 0, v;
	unsigned int i;

	if (!h->count)
		return 0;
	if (!(q > 0))
		q = 0;
	if (q > 100)
		q = 100;
	/* The epsilon keeps 99% of 100 at rank 99 despite binary fractions. */
	rank = (uint64_t)ceil(q * (double)h->count / 100.0 * (1 - 1e-12));
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (i = 0; i < HIST_NR_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= rank)
			break;
	}
	v = hist_bucket_upper(i < HIST_NR_BUCKETS ? i : HIST_NR_BUCKETS - 1);
	if (v > h->max)
		v = h->max;
	if (v < h->min)
		v = h->min;
	return v;
}

double hist_mean(const struct histogram *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0;
}
