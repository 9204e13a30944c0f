/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pluggable part of mnbench: an invalidation strategy fills a
 * struct mn_strategy (the rcutorture/locktorture *_torture_ops pattern).
 * The same strategy files build into the kernel module and into the
 * userspace model; both provide the backend hooks declared at the end.
 */
#ifndef MN_STRATEGY_H
#define MN_STRATEGY_H

#include "compat.h"

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

struct mn_strategy;

/* The vhost-like virtqueue, shared by the strategy, the device and backend. */
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
	struct mn_vq_stats stats;
};

struct mn_strategy {
	const char *name;
	const char *summary;
	size_t priv_size;
	/* Known wrong: a reference point the oracle must catch. */
	bool known_unsafe;
	/* Exists to test the oracle; not part of the benchmark matrix. */
	bool test_only;
	/*
	 * Sleeps where the kernel forbids it or inverts lock order with the
	 * page lock: in the kernel it BUGs or deadlocks, so the module runs
	 * it only when loaded with allow_dangerous=1.
	 */
	bool breaks_kernel_rules;

	int (*init)(struct mn_vq *vq);

	/* mmu_notifier side; any op may be NULL. */
	int (*invalidate_range_start)(struct mn_vq *vq,
				      const struct mn_range *range);
	void (*invalidate_range_end)(struct mn_vq *vq,
				     const struct mn_range *range);
	/* May run under the page-table lock: must not sleep. */
	void (*invalidate_range)(struct mn_vq *vq, unsigned long start,
				 unsigned long end);

	/*
	 * Worker side, vq mutex held. *_begin returns the mapping to use or
	 * NULL for the slow path; read_end returns false if what was read
	 * must be discarded.
	 */
	struct mn_map *(*read_begin)(struct mn_vq *vq, unsigned long *cookie);
	bool (*read_end)(struct mn_vq *vq, unsigned long cookie);
	struct mn_map *(*write_begin)(struct mn_vq *vq, unsigned long *cookie);
	void (*write_end)(struct mn_vq *vq, unsigned long cookie);
	/* (Re-)establish the mapping, outside any invalidation. */
	void (*prefetch)(struct mn_vq *vq);
	/* Take the mapping away from the strategy (ring reset, teardown). */
	struct mn_map *(*detach)(struct mn_vq *vq);
};

extern const struct mn_strategy mn_strategy_invalidate_range;
extern const struct mn_strategy mn_strategy_mutex;
extern const struct mn_strategy mn_strategy_counter;
extern const struct mn_strategy mn_strategy_seqcount;
extern const struct mn_strategy mn_strategy_uaccess;
extern const struct mn_strategy mn_strategy_unsafe;
extern const struct mn_strategy mn_strategy_valid_flag;

extern const struct mn_strategy *const mn_strategies[];
extern const unsigned int mn_nr_strategies;
const struct mn_strategy *mn_strategy_find(const char *name);

static inline bool mn_range_overlaps_vq(const struct mn_vq *vq,
					const struct mn_range *range)
{
	return range->start < vq->meta_end && vq->meta_start < range->end;
}

/* Helpers shared by the strategies (vq_access.c). */
void mn_vq_retire_map(struct mn_vq *vq, struct mn_map *map);
void mn_vq_drop_map(struct mn_vq *vq, struct mn_map *map, bool blockable);

/* ---- backend hooks: the model and the module each implement these ---- */

enum mn_release_ctx {
	/* Worker, vq mutex held: set_page_dirty_lock() takes page locks. */
	MN_RELEASE_WORKER,
	/* Notifier: the caller may hold the page lock; set_page_dirty(). */
	MN_RELEASE_NOTIFIER,
};

/* Pin the metadata pages and map them; may sleep. NULL on failure. */
struct mn_map *mn_map_create(struct mn_vq *vq);
/* Mark dirty, unmap and unpin; may sleep. */
void mn_map_release(struct mn_vq *vq, struct mn_map *map,
		    enum mn_release_ctx ctx);
void mn_map_read(struct mn_vq *vq, struct mn_map *map, unsigned long uaddr,
		 void *dst, size_t len);
void mn_map_write(struct mn_vq *vq, struct mn_map *map, unsigned long uaddr,
		  const void *src, size_t len);
/* Tells the oracle whether the reads since read_begin were used. */
void mn_map_read_done(struct mn_vq *vq, bool used);
/* The slow path: what vhost does without a mapping. 0 or -EFAULT. */
int mn_copy_from_user(struct mn_vq *vq, void *dst, unsigned long uaddr,
		      size_t len);
int mn_copy_to_user(struct mn_vq *vq, unsigned long uaddr, const void *src,
		    size_t len);

#endif /* MN_STRATEGY_H */
