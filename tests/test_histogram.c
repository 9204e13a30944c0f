// SPDX-License-Identifier: GPL-2.0
/* The histogram: bucket scheme invariants and known percentiles. */
#include <stdio.h>
#include <stdlib.h>

#include "histogram.h"

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		failures++;						\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	unsigned long long __a = (a), __b = (b);			\
	if (__a != __b) {						\
		fprintf(stderr, "FAIL %s:%d: %s == %llu, wanted %llu\n",	\
			__FILE__, __LINE__, #a, __a, __b);		\
		failures++;						\
	}								\
} while (0)

static void buckets(void)
{
	unsigned int i;

	CHECK_EQ(hist_bucket_lower(0), 0);
	for (i = 0; i < HIST_NR_BUCKETS; i++) {
		uint64_t lo = hist_bucket_lower(i), hi = hist_bucket_upper(i);

		CHECK(lo <= hi);
		CHECK_EQ(hist_bucket_index(lo), i);
		if (i + 1 < HIST_NR_BUCKETS) {
			CHECK_EQ(hist_bucket_index(hi), i);
			CHECK_EQ(hist_bucket_lower(i + 1), hi + 1);
			/* Bucket width at most 1/32 of its lower bound. */
			if (lo >= HIST_SUB)
				CHECK((hi - lo + 1) * HIST_SUB <= lo);
		}
	}
	for (i = 0; i < HIST_SUB; i++)
		CHECK_EQ(hist_bucket_upper(hist_bucket_index(i)), i);
	CHECK_EQ(hist_bucket_index(1ull << 40), HIST_NR_BUCKETS - 1);
	CHECK_EQ(hist_bucket_index(UINT64_MAX), HIST_NR_BUCKETS - 1);
}

static void percentiles(void)
{
	struct histogram h, a, b;
	uint64_t v, rng = 12345, p50, p99, p999;
	int i;

	hist_init(&h);
	CHECK_EQ(hist_percentile(&h, 50), 0);
	for (v = 1; v <= 100; v++)
		hist_record(&h, v);
	CHECK_EQ(hist_percentile(&h, 50), 50);
	CHECK_EQ(hist_percentile(&h, 99), 99);
	CHECK_EQ(hist_percentile(&h, 100), 100);
	CHECK_EQ(hist_percentile(&h, 0), 1);
	CHECK_EQ(h.min, 1);
	CHECK_EQ(h.max, 100);

	hist_init(&h);
	hist_record(&h, 12345);
	CHECK_EQ(hist_percentile(&h, 1), 12345);
	CHECK_EQ(hist_percentile(&h, 50), 12345);
	CHECK_EQ(hist_percentile(&h, 100), 12345);

	hist_init(&h);
	hist_record_n(&h, 10, 1000);
	hist_record(&h, 1000000);
	CHECK_EQ(hist_percentile(&h, 50), 10);
	CHECK_EQ(hist_percentile(&h, 99.9), 10);
	CHECK_EQ(hist_percentile(&h, 100), 1000000);

	/* Log-distributed sample: ordered percentiles, merge == union. */
	hist_init(&h);
	hist_init(&a);
	hist_init(&b);
	for (i = 0; i < 100000; i++) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		v = (rng >> 20) & ((1ull << ((rng >> 58) % 36)) - 1);
		hist_record(&h, v);
		hist_record(i & 1 ? &a : &b, v);
	}
	p50 = hist_percentile(&h, 50);
	p99 = hist_percentile(&h, 99);
	p999 = hist_percentile(&h, 99.9);
	CHECK(p50 <= p99 && p99 <= p999 && p999 <= h.max);
	hist_merge(&a, &b);
	CHECK_EQ(a.count, h.count);
	CHECK_EQ(a.min, h.min);
	CHECK_EQ(a.max, h.max);
	CHECK_EQ(a.sum, h.sum);
	for (i = 0; i < (int)HIST_NR_BUCKETS; i++)
		CHECK_EQ(a.buckets[i], h.buckets[i]);

	hist_init(&h);
	hist_record(&h, UINT64_MAX);
	hist_record(&h, UINT64_MAX);
	CHECK_EQ(h.sum, UINT64_MAX);
	CHECK_EQ(hist_percentile(&h, 50), UINT64_MAX);
}

int main(void)
{
	buckets();
	percentiles();
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("histogram: all checks passed\n");
	return 0;
}
