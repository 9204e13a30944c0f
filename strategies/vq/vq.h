/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vhost-like virtqueue that every strategy protects, the cached
 * mapping of its metadata, and the hooks through which the core reaches
 * memory. The model (bench/model/) and the module (module/) each
 * implement the hooks; <mn_compat.h> is the kernel API of the build
 * environment: the kernel's own headers in the module, the model's
 * instrumented userspace versions elsewhere.
 */
#ifndef MN_VQ_H
#define MN_VQ_H

#include <mn_compat.h>

/* One invalidation, as struct mmu_notifier_range describes it. */
struct mn_range {
	unsigned long start;
	unsigned long end;	/* exclusive */
	bool blockable;		/* mmu_notifier_range_blockable() */
};

/*
 * A cached kernel mapping of a vq's metadata (pinned pages + vmap). The
 * backend embeds this header first in its own structure.
 */
struct mn_map {
	struct mn_map *retired_next;
};

struct mn_vq_stats {
	u64 map_reads;		/* accesses served through the mapping */
	u64 map_writes;
	u64 fallbacks;		/* accesses that took the slow path */
	u64 retries;		/* read sections or remaps that had to redo */
	u64 remaps;		/* mappings (re-)established */
	u64 bad_heads;		/* out-of-range descriptor index seen */
};

/*
 * Why a vq stopped, as vhost's vq_err() stops one: the guest broke the
 * ring's rules, so nothing more of it is trusted until it is set up
 * again. Values are the uapi's (mnb_stats.stop_reason).
 */
enum mn_vq_stop {
	MN_VQ_RUNNING,
	MN_VQ_STOP_AVAIL_IDX,	/* avail.idx moved by more than the ring */
	MN_VQ_STOP_DESC_FAULT,	/* a buffer outside the user's memory */
};

struct mn_strategy;

struct mn_vq {
	struct mutex mutex;	/* held by the worker while it runs this vq */
	unsigned int num;	/* ring size */
	unsigned long desc;	/* user addresses of the three rings */
	unsigned long avail;
	unsigned long used;
	unsigned long meta_start;	/* page-aligned span of the rings */
	unsigned long meta_end;
	u16 last_avail_idx;	/* worker-private */
	u16 last_used_idx;

	struct mn_map *map;	/* accessed only as the strategy's rules say */
	const struct mn_strategy *strategy;
	void *priv;		/* strategy state, priv_size bytes */

	spinlock_t retire_lock;	/* mappings released later by the worker */
	struct mn_map *retired;

	void *backend;		/* model or module per-vq state */
	/* The backend's mmu_interval_notifier, if the strategy has one. */
	void *interval;
	struct mn_vq_stats stats;
	enum mn_vq_stop stopped;	/* worker-private, as the indices */
	u64 stop_detail;	/* the index or descriptor head at fault */
};

static inline bool mn_range_overlaps_vq(const struct mn_vq *vq,
					const struct mn_range *range)
{
	return range->start < vq->meta_end && vq->meta_start < range->end;
}

/* ---- backend hooks: the model and the module each implement these ---- */

enum mn_release_ctx {
	/* Worker, vq mutex held: set_page_dirty_lock() takes page locks. */
	MN_RELEASE_WORKER,
	/* Notifier: the caller may hold the page lock; set_page_dirty(). */
	MN_RELEASE_NOTIFIER,
};

/*
 * The mmu_interval_notifier protocol on vq->interval (see
 * mmu_interval_read_begin() and friends): read_begin may sleep until an
 * invalidation of the range ends; read_retry and set_seq go under the
 * strategy's lock. Without a notifier, read_retry is always true.
 */
unsigned long mn_interval_read_begin(struct mn_vq *vq);
bool mn_interval_read_retry(struct mn_vq *vq, unsigned long seq);
void mn_interval_set_seq(struct mn_vq *vq, unsigned long cur_seq);

/* Pin the metadata pages and map them; may sleep. NULL on failure. */
struct mn_map *mn_map_create(struct mn_vq *vq);
/* Mark dirty, unmap and unpin; may sleep. */
void mn_map_release(struct mn_vq *vq, struct mn_map *map,
		    enum mn_release_ctx ctx);
/*
 * Each environment's <mn_user_access.h> defines, inline, since they are
 * the paths being measured:
 *   int mn_copy_from_user(vq, dst, uaddr, len), int mn_copy_to_user(vq,
 *   uaddr, src, len): the slow path, what vhost does without a mapping;
 *   0 or -EFAULT.
 *   bool mn_map_read(vq, map, uaddr, dst, len), void mn_map_write(vq, map,
 *   uaddr, src, len): an access through map, which covers the vq's
 *   metadata. mn_map_read() returns true if the caller must then call
 *   mn_map_read_done(vq, used) to say whether the read was used, as the
 *   strategy's read_end decided (the model's oracle judges only that).
 */
#include <mn_user_access.h>

#endif /* MN_VQ_H */
