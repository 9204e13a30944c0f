// SPDX-License-Identifier: GPL-2.0
/*
 * Start/end with the vq mutex: invalidate_range_start takes the vq mutex
 * and drops the mapping, invalidate_range_end releases it, so the worker
 * (which runs under the vq mutex) never sees a mapping during an
 * invalidation. KSM and rmap call start/end with the page lock held while
 * the worker takes page locks under the vq mutex (set_page_dirty_lock):
 * a lock-order inversion. It also sleeps in non-blockable starts.
 */
#include "helpers/mutex_map.h"
#include "vq/vq_loop.h"

/* Returns holding the vq mutex when the range overlaps: end drops it. */
static int mutex_invalidate_range_start(struct mn_vq *vq,
					const struct mn_range *range)
	__acquires(&vq->mutex)
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
	__releases(&vq->mutex)
{
	if (mn_range_overlaps_vq(vq, range))
		mutex_unlock(&vq->mutex);
}

MN_VQ_LOOP(mn_strategy_mutex)

const struct mn_strategy mn_strategy_mutex = {
	.name = "mutex",
	.summary = "start/end hold the vq mutex across the invalidation",
	.invalidate_range_start = mutex_invalidate_range_start,
	.invalidate_range_end = mutex_invalidate_range_end,
	/* The worker runs under the vq mutex, which is all it relies on. */
	MN_MUTEX_MAP_WORKER_OPS,
	MN_VQ_LOOP_OPS(mn_strategy_mutex),
};
