/* SPDX-License-Identifier: GPL-2.0 */
/* Module-internal state of /dev/mnbench: one device per open file. */
#ifndef MNBENCH_H
#define MNBENCH_H

#include <linux/mmu_notifier.h>
#include <linux/version.h>

#include "mnbench_uapi.h"
#include "strategy.h"


/* Metadata of a MN_VRING_MAX_NUM ring: 16 + 3 + 9 pages. */
#define MNB_MAX_META_PAGES	32
#define MNB_TIMING_SLOTS	64

/*
 * 6.6 replaced ->invalidate_range with ->arch_invalidate_secondary_tlbs,
 * which the core refuses in the same ops as start/end: one test, here.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define MNB_SECONDARY_TLBS_HOOK	1
#else
#define MNB_SECONDARY_TLBS_HOOK	0
#endif

struct mnb_dev;

/* One vq of a device, with its own interval notifier if it has one. */
struct mnb_vq {
	struct mn_vq vq;
	struct mnb_dev *dev;
	struct mmu_interval_notifier isub;
	bool isub_inserted;
	/* Written by the worker only, read by STATS. */
	unsigned long pin_retry_at;	/* jiffies: no pinning before */
	unsigned int pin_backoff_ms;	/* after a failed mapping */
	/* check_stale: the worker's, under the vq mutex, read by STATS. */
	u64 stale_compared;
	u64 stale_reads;
	u64 stale_writes;
};

/*
 * A device, as vhost's: its vqs, one notifier over all of them, and one
 * worker. SETUP adds a vq; the first START registers the notifier, so
 * the callbacks never see a vq come or go.
 */
struct mnb_dev {
	struct mutex lock;		/* ioctls and teardown */
	const struct mn_strategy *strategy;	/* the first SETUP's */
	struct mnb_vq **vqs;		/* MNB_MAX_VQS slots */
	unsigned int nvqs;
	struct mm_struct *mm;		/* mmgrab'ed owner */
	struct mmu_notifier mn;		/* start/end */
#if MNB_SECONDARY_TLBS_HOOK
	/* The core refuses start/end and this hook in one ops. */
	struct mmu_notifier mn_tlb;
#endif
	bool mn_registered;
	enum mnb_gup gup;		/* how mappings hold their pages */
	struct task_struct *worker;

	spinlock_t dead_lock;		/* maps freed at quiescent points */
	struct mn_map *dead_maps;

	/* start -> end timing, keyed by the range the core passes. */
	struct {
		const void *range;
		u64 t0;
		u64 start_ns;	/* time start's callback took */
		bool hit;	/* the range hit the rings */
	} timing[MNB_TIMING_SLOTS];

	atomic64_t processed;
	atomic64_t start_calls;
	atomic64_t end_calls;
	atomic64_t inval_range_calls;
	atomic64_t release_calls;
	atomic64_t worker_errors;
	atomic64_t overlapping_calls;
	atomic64_t pin_failures;
	atomic64_t nonblock_starts;
	atomic64_t refused_starts;
	/* Written by the worker only, read by STATS. */
	unsigned int fault_backoff_us;	/* after the ring faulted */
	atomic64_t *hist;		/* MNB_HIST_NR x HIST_NR_BUCKETS */
};

/*
 * Module-wide, in /sys/class/misc/mnbench/: the pages the mappings hold
 * (pins or references), the mappings not yet freed and the open devices.
 * All three are 0 whenever no device is open: a test's pin balance.
 */
extern atomic_long_t mnb_pages_held;
extern atomic_long_t mnb_maps_live;

void mnb_free_dead_maps(struct mnb_dev *dev);
/* SETUP: are the rings mapped, writable and pinnable? 0 or -errno. */
int mnb_probe_rings(const struct mn_vq *vq, const struct mn_strategy *s,
		    enum mnb_gup gup);

#endif /* MNBENCH_H */
