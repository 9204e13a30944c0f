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
#define MNB_MAX_RING		4096

/* Set up the vq on the caller's memory and pick the strategy. */
struct mnb_setup {
	__u64 desc;		/* user addresses of the three rings */
	__u64 avail;
	__u64 used;
	__u32 num;		/* ring size, power of two <= MNB_MAX_RING */
	__u32 flags;		/* must be 0 */
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
};

/* Histograms of nanoseconds, bucketed as bench/hist_buckets.h says. */
enum mnb_hist {
	MNB_HIST_START,		/* time in invalidate_range_start */
	MNB_HIST_END,		/* time in invalidate_range_end */
	MNB_HIST_INVAL_RANGE,	/* time in ->invalidate_range */
	MNB_HIST_TOTAL,		/* start called .. end returned */
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
