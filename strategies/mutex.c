// SPDX-License-Identifier: GPL-2.0
/*
 * Start/end with the vq mutex: invalidate_range_start takes the vq mutex
 * and drops the mapping, invalidate_range_end releases it, so the worker
 * (which runs under the vq mutex) never sees a mapping during an
 * invalidation. KSM and rmap call start/end with the page lock held while
 * the worker takes page locks under the vq mutex (set_page_dirty_lock):
 * a lock-order inversion. It also sleeps in non-blockable starts.
 */
#include "strategy.h"

static int mutex_invalidate_range_start(struct mn_vq *vq,
					const struct mn_range *range)
{
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	mutex_lock(&vq->mutex);
	map = vq->map;
	vq->map = NULL;
	mn_vq_drop_map(vq, map, range->blockable);
	return 0;
}

static void mutex_invalidate_range_end(struct mn_vq *vq,
				       const struct mn_range *range)
{
	if (mn_range_overlaps_vq(vq, range))
		mutex_unlock(&vq->mutex);
}

static struct mn_map *mutex_access_begin(struct mn_vq *vq,
					 unsigned long *cookie)
{
	(void)cookie;
	return vq->map;
}

static bool mutex_read_end(struct mn_vq *vq, unsigned long cookie)
{
	(void)vq;
	(void)cookie;
	return true;
}

static void mutex_write_end(struct mn_vq *vq, unsigned long cookie)
{
	(void)vq;
	(void)cookie;
}

/* The vq mutex excludes every overlapping start..end. */
static void mutex_prefetch(struct mn_vq *vq)
{
	if (vq->map)
		return;
	vq->map = mn_map_create(vq);
	if (vq->map)
		vq->stats.remaps++;
}

static struct mn_map *mutex_detach(struct mn_vq *vq)
{
	struct mn_map *map = vq->map;

	vq->map = NULL;
	return map;
}

const struct mn_strategy mn_strategy_mutex = {
	.name = "mutex",
	.summary = "start/end hold the vq mutex across the invalidation",
	.known_unsafe = true,
	.invalidate_range_start = mutex_invalidate_range_start,
	.invalidate_range_end = mutex_invalidate_range_end,
	.read_begin = mutex_access_begin,
	.read_end = mutex_read_end,
	.write_begin = mutex_access_begin,
	.write_end = mutex_write_end,
	.prefetch = mutex_prefetch,
	.detach = mutex_detach,
};
