/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The latency bucket scheme, shared by the userspace harness and the
 * kernel module (integer-only, no libc in the kernel): HDR-style
 * log-linear buckets. Values below 2^HIST_SUB_BITS get a bucket each;
 * every power of two above is split into 2^HIST_SUB_BITS equal buckets,
 * so a bucket is at most 1/32 of its value wide. Values at or above
 * 2^HIST_MAX_BITS ns (about 18 minutes) land in the last bucket.
 */
#ifndef MN_HIST_BUCKETS_H
#define MN_HIST_BUCKETS_H

#ifdef __KERNEL__
#include <linux/types.h>
typedef u64 hist_u64;
#else
#include <stdint.h>
typedef uint64_t hist_u64;
#endif

#define HIST_SUB_BITS	5
#define HIST_SUB	(1u << HIST_SUB_BITS)
#define HIST_MAX_BITS	40
/* One linear group below 2^SUB_BITS, then one group per power of two. */
#define HIST_NR_BUCKETS	((HIST_MAX_BITS - HIST_SUB_BITS + 1) * HIST_SUB)

static inline unsigned int hist_bucket_index(hist_u64 v)
{
	unsigned int msb, shift;

	if (v < HIST_SUB)
		return (unsigned int)v;
	if (v >> HIST_MAX_BITS)
		return HIST_NR_BUCKETS - 1;
	msb = 63 - (unsigned int)__builtin_clzll(v);
	shift = msb - HIST_SUB_BITS;
	/* Group msb - SUB_BITS + 1, sub-bucket from the bits below msb. */
	return (shift + 1) * HIST_SUB +
	       (unsigned int)((v >> shift) & (HIST_SUB - 1));
}

static inline hist_u64 hist_bucket_lower(unsigned int idx)
{
	unsigned int group = idx / HIST_SUB, sub = idx % HIST_SUB;

	if (!group)
		return sub;
	return (hist_u64)(HIST_SUB + sub) << (group - 1);
}

static inline hist_u64 hist_bucket_upper(unsigned int idx)
{
	if (idx + 1 >= HIST_NR_BUCKETS)
		return ~(hist_u64)0;
	return hist_bucket_lower(idx + 1) - 1;
}

#endif /* MN_HIST_BUCKETS_H */
