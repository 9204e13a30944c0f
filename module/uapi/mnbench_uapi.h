/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The ioctl interface of /dev/mnbench, shared by the module and
 * mnbench-module (the lib/test_hmm_uapi.h pattern: plain structs, results
 * returned in the struct).
 */
#ifndef MNBENCH_UAPI_H
#define MNBENCH_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define MNB_STRATEGY_LEN	32

/*
 * How the worker holds the pages of its mapping (mnb_setup.flags): pins
 * (FOLL_PIN | FOLL_LONGTERM, the default), get_user_pages() references,
 * or none: references only while the vmap is built, as the 2019 series
 * did. None lets the mm free a page the vmap still maps: the module takes
 * it only when loaded with allow_dangerous=1.
 */
enum mnb_gup {
	MNB_GUP_PIN,
	MNB_GUP_GET,
	MNB_GUP_NONE,
	MNB_GUP_NR
};

#define MNB_SETUP_GUP_MASK	0x3	/* flags: an enum mnb_gup */

/* Queues per device (open file): a multiqueue vhost-net's worth. */
#define MNB_MAX_VQS	1024

/*
 * Add a vq on the caller's memory to the device (the open file), up to
 * MNB_MAX_VQS before the first START; the first picks the strategy and
 * flags, which every other must repeat; no two vqs' metadata may share
 * a page.
 */
struct mnb_setup {
	__u64 desc;		/* user addresses of the three rings */
	__u64 avail;
	__u64 used;
	__u32 num;		/* ring size: mn_vring_num_valid() */
	__u32 flags;		/* MNB_SETUP_GUP_MASK; other bits 0 */
	char strategy[MNB_STRATEGY_LEN];	/* NUL-terminated name */
};

struct mnb_stats {
	__u64 processed;	/* buffers completed by the worker */
	__u64 map_reads;
	__u64 map_writes;
	__u64 fallbacks;
	__u64 retries;
	__u64 remaps;
	__u64 bad_heads;
	__u64 start_calls;	/* notifier callbacks seen */
	__u64 end_calls;
	__u64 invalidate_range_calls;
	__u64 release_calls;
	__u64 worker_errors;
	__u64 overlapping_calls;	/* starts whose range hit the rings */
	__u32 stop_reason;	/* enum mnb_stop: why the vq stopped */
	/* The worker kthread's pid in the caller's namespace, 0 if none. */
	__u32 worker_pid;
	__u64 stop_detail;	/* avail.idx or descriptor head at fault */
	__u64 pin_failures;	/* mappings that could not be set up */
	/* Current waits before the next try (0: the last one worked). */
	__u32 fault_backoff_us;	/* after the ring faulted */
	__u32 pin_backoff_ms;	/* after a mapping could not be pinned */
	__u32 vqs;		/* the device's vqs; the counters sum them */
	__u32 stopped_vqs;	/* stop_reason is the first one's */
	/*
	 * With the module's check_stale=1: accesses through a mapping the
	 * worker compared with the user memory at the same address (read
	 * with copy_from_user_nofault() before and after, unchanged
	 * meanwhile), and of those, reads whose value differed and which
	 * the strategy then used, and writes that user memory did not show.
	 */
	__u64 stale_compared;
	__u64 stale_reads;
	__u64 stale_writes;
	__u64 nonblock_starts;	/* starts of non-blockable ranges (OOM) */
	__u64 refused_starts;	/* starts that returned an error */
};

/*
 * The worker stops a vq whose guest broke the ring's rules, as vhost's
 * vq_err() does; only a new device (a new fd) starts over.
 */
enum mnb_stop {
	MNB_RUNNING,
	MNB_STOP_AVAIL_IDX,	/* avail.idx moved by more than the ring */
	MNB_STOP_DESC_FAULT,	/* a buffer outside the user's memory */
};

/*
 * Histograms of nanoseconds, in HDR-style log-linear buckets that the
 * module fills and userspace reads (integer-only, no libc in the kernel).
 * Values below 2^HIST_SUB_BITS get a bucket each; every power of two
 * above is split into 2^HIST_SUB_BITS equal buckets, so a bucket is at
 * most 1/32 of its value wide. Values at or above 2^HIST_MAX_BITS ns
 * (about 18 minutes) land in the last bucket.
 */
#define HIST_SUB_BITS	5
#define HIST_SUB	(1u << HIST_SUB_BITS)
#define HIST_MAX_BITS	40
/* One linear group below 2^SUB_BITS, then one group per power of two. */
#define HIST_NR_BUCKETS	((HIST_MAX_BITS - HIST_SUB_BITS + 1) * HIST_SUB)

static inline unsigned int hist_bucket_index(__u64 v)
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

static inline __u64 hist_bucket_lower(unsigned int idx)
{
	unsigned int group = idx / HIST_SUB, sub = idx % HIST_SUB;

	if (!group)
		return sub;
	return (__u64)(HIST_SUB + sub) << (group - 1);
}

static inline __u64 hist_bucket_upper(unsigned int idx)
{
	if (idx + 1 >= HIST_NR_BUCKETS)
		return ~(__u64)0;
	return hist_bucket_lower(idx + 1) - 1;
}


enum mnb_hist {
	MNB_HIST_START,		/* time in invalidate_range_start */
	MNB_HIST_END,		/* time in invalidate_range_end */
	MNB_HIST_INVAL_RANGE,	/* time in ->invalidate_range */
	MNB_HIST_TOTAL,		/* start called .. end returned */
	/* Per invalidation: start's and end's time summed (not waiting). */
	MNB_HIST_NOTIFIER,
	/* The same, only invalidations whose range hit the rings. */
	MNB_HIST_NOTIFIER_HIT,
	MNB_HIST_NR
};

struct mnb_hist_req {
	__u32 which;		/* enum mnb_hist */
	__u32 nbuckets;		/* in: room at buckets; out: buckets used */
	__u64 buckets;		/* user pointer to __u64[nbuckets] */
};

#define MNB_IOC_MAGIC	'M'
#define MNB_IOC_SETUP	_IOW(MNB_IOC_MAGIC, 1, struct mnb_setup)
#define MNB_IOC_START	_IO(MNB_IOC_MAGIC, 2)
#define MNB_IOC_STOP	_IO(MNB_IOC_MAGIC, 3)
#define MNB_IOC_STATS	_IOR(MNB_IOC_MAGIC, 4, struct mnb_stats)
#define MNB_IOC_HIST	_IOWR(MNB_IOC_MAGIC, 5, struct mnb_hist_req)

#endif /* MNBENCH_UAPI_H */
