// SPDX-License-Identifier: GPL-2.0
/*
 * The March 2019 vhost patch: no start/end, the mapping is torn down in
 * ->invalidate_range under the vq mutex. ->invalidate_range may run under
 * the page-table lock (COW: ptep_clear_flush_notify), where a mutex must
 * not be taken, and from _end with the page lock held (KSM), which inverts
 * the worker's vq mutex -> page lock order. KSM's write protection only
 * reaches it at _end, after the worker could still write the page.
 */
#include "helpers/mutex_map.h"
#include "vq/vq_loop.h"

static void invalidate_range_invalidate_range(struct mn_vq *vq,
					      unsigned long start,
					      unsigned long end)
{
	struct mn_map *map;

	mutex_lock(&vq->mutex);
	if (start < vq->meta_end && vq->meta_start < end) {
		map = vq->map;
		vq->map = NULL;
		if (map)
			mn_map_release(vq, map, MN_RELEASE_NOTIFIER);
	}
	mutex_unlock(&vq->mutex);
}

MN_VQ_LOOP(mn_strategy_invalidate_range)

const struct mn_strategy mn_strategy_invalidate_range = {
	.name = "invalidate_range",
	.summary = "teardown in ->invalidate_range under the vq mutex (2019)",
	.invalidate_range = invalidate_range_invalidate_range,
	/* The worker runs under the vq mutex, which is all it relies on. */
	MN_MUTEX_MAP_WORKER_OPS,
	MN_VQ_LOOP_OPS(mn_strategy_invalidate_range),
};
