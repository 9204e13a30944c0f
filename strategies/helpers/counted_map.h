/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 2019 vhost designs' invalidation count (vq->invalidate_count under
 * mmu_lock): start counts an overlapping invalidation and takes the map
 * away under the lock, end uncounts it, and the worker maps only at
 * count 0. 2019 built the map under mmu_lock with GUP-fast, which does
 * not sleep; a mapping here sleeps (pins, vmap), so it is built outside
 * the lock and installed only if no invalidation began or ended
 * meanwhile, which a generation that end bumps tells: the guarantee the
 * lock gave. Such a strategy's state starts with a struct mn_counted_map.
 */
#ifndef MN_COUNTED_MAP_H
#define MN_COUNTED_MAP_H

#include "locked_map.h"

struct mn_counted_map {
	struct mn_locked_map lm;	/* first: the mmu_lock */
	long invalidate_count;
	unsigned long generation;
};

/* Count the invalidation and take the map away; returns what was there. */
struct mn_map *mn_counted_map_take(struct mn_vq *vq);
/* invalidate_range_end: an overlapping range is uncounted. */
void mn_counted_map_end(struct mn_vq *vq, const struct mn_range *range);
/* vhost_map_prefetch(): map only while no invalidation is counted. */
void mn_counted_map_establish(struct mn_vq *vq);

#endif /* MN_COUNTED_MAP_H */
