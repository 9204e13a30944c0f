/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pluggable part of mnbench: an invalidation strategy fills a
 * struct mn_strategy (the rcutorture/locktorture *_torture_ops pattern).
 * The same strategy files build into the kernel module and into the
 * userspace model. strategy_list.h lists them; registry.c collects them.
 */
#ifndef MN_STRATEGY_H
#define MN_STRATEGY_H

#include "vq/vq.h"
#include "strategy_names.h"

struct mn_strategy {
	const char *name;	/* as in strategy_list.h */
	const char *summary;
	size_t priv_size;

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
	 * Instead of the above, an mmu_interval_notifier on the vq's
	 * metadata, which the backend inserts: called only for invalidations
	 * that overlap it, and must call mn_interval_set_seq(vq, cur_seq)
	 * under the lock the worker checks mn_interval_read_retry() under.
	 * false: it would have to sleep and the range is not blockable.
	 */
	bool (*interval_invalidate)(struct mn_vq *vq,
				    const struct mn_range *range,
				    unsigned long cur_seq);

	/*
	 * Worker side, vq mutex held. *_begin returns the mapping to use or
	 * NULL for the slow path; read_end returns false if what was read
	 * must be discarded. A _begin that returns a mapping may return with
	 * a lock held that the matching _end releases.
	 */
	struct mn_map *(*read_begin)(struct mn_vq *vq, unsigned long *cookie);
	bool (*read_end)(struct mn_vq *vq, unsigned long cookie);
	struct mn_map *(*write_begin)(struct mn_vq *vq, unsigned long *cookie);
	void (*write_end)(struct mn_vq *vq, unsigned long cookie);
	/*
	 * ->release of the mm's notifier (exit_mmap, or the notifier
	 * unregistered while the mm lives), for each vq: from its return on
	 * the vq must never use its mapping or map the rings again, and no
	 * invalidate_range_end follows, not even for the starts in flight.
	 * Blockable. NULL: mn_vq_release()'s default, which is right for
	 * every strategy with a start (and nothing is needed without one:
	 * an interval notifier sees exit_mmap's unmapping as any other).
	 */
	void (*release)(struct mn_vq *vq);
	/* (Re-)establish the mapping, outside any invalidation. */
	void (*establish_map)(struct mn_vq *vq);
	/* Take the mapping away from the strategy (ring reset, teardown). */
	struct mn_map *(*detach)(struct mn_vq *vq);

	/*
	 * The device loop and the per-access benchmark, compiled for this
	 * strategy: MN_VQ_LOOP_OPS() of vq/vq_loop.h fills them.
	 */
	int (*process)(struct mn_vq *vq, unsigned int budget);
	int (*read_repeat)(struct mn_vq *vq, unsigned long uaddr,
			   unsigned int n);
};

/* The registry (registry.c), in strategy_list.h's order. */
extern const struct mn_strategy *const mn_strategies[];
extern const unsigned int mn_nr_strategies;
const struct mn_strategy *mn_strategy_find(const char *name);
/* The strategy's MN_* flags from strategy_list.h. */
unsigned int mn_strategy_flags(const struct mn_strategy *s);

static inline bool mn_strategy_is(const struct mn_strategy *s,
				  unsigned int flag)
{
	return mn_strategy_flags(s) & flag;
}

/* Mapping lifetime helpers for the strategies (vq/vq_access.c). */
void mn_vq_retire_map(struct mn_vq *vq, struct mn_map *map);
void mn_vq_drop_map(struct mn_vq *vq, struct mn_map *map, bool blockable);

#endif /* MN_STRATEGY_H */
