// SPDX-License-Identifier: GPL-2.0
/*
 * The March 2019 vhost patch: no start/end, the mapping is torn down in
 * ->invalidate_range under the vq mutex. ->invalidate_range may run under
 * the page-table lock (COW: ptep_clear_flush_notify), where a mutex must
 * not be taken, and from _end with the page lock held (KSM), which inverts
 * the worker's vq mutex -> page lock order. KSM's write protection only
 * reaches it at _end, after the worker could still write the page.
 */
#include "strategy.h"

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

/* The worker holds the vq mutex, which is all the patch relied on. */
static struct mn_map *invalidate_range_access_begin(struct mn_vq *vq,
						    unsigned long *cookie)
{
	(void)cookie;
	return vq->map;
}

static bool invalidate_range_read_end(struct mn_vq *vq, unsigned long cookie)
{
	(void)vq;
	(void)cookie;
	return true;
}

static void invalidate_range_write_end(struct mn_vq *vq, unsigned long cookie)
{
	(void)vq;
	(void)cookie;
}

static void invalidate_range_prefetch(struct mn_vq *vq)
{
	if (vq->map)
		return;
	vq->map = mn_map_create(vq);
	if (vq->map)
		vq->stats.remaps++;
}

static struct mn_map *invalidate_range_detach(struct mn_vq *vq)
{
	struct mn_map *map = vq->map;

	vq->map = NULL;
	return map;
}

const struct mn_strategy mn_strategy_invalidate_range = {
	.name = "invalidate_range",
	.summary = "teardown in ->invalidate_range under the vq mutex (2019)",
	.known_unsafe = true,
	.invalidate_range = invalidate_range_invalidate_range,
	.read_begin = invalidate_range_access_begin,
	.read_end = invalidate_range_read_end,
	.write_begin = invalidate_range_access_begin,
	.write_end = invalidate_range_write_end,
	.prefetch = invalidate_range_prefetch,
	.detach = invalidate_range_detach,
};
