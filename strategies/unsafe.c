// SPDX-License-Identifier: GPL-2.0
/*
 * Reference point: the mapping is used with no synchronization at all. The
 * notifier tears it down in ->invalidate_range_start without waiting for
 * the worker, and the worker remaps whenever it finds none, even in the
 * middle of an invalidation. The speed ceiling, and a strategy the oracle
 * must catch (stale accesses under KSM and COW).
 */
#include "helpers/mutex_map.h"
#include "vq/vq_loop.h"

static int unsafe_invalidate_range_start(struct mn_vq *vq,
					 const struct mn_range *range)
{
	if (mn_range_overlaps_vq(vq, range))
		mn_vq_drop_map(vq, xchg(&vq->map, NULL), range->blockable);
	return 0;
}

static struct mn_map *unsafe_access_begin(struct mn_vq *vq,
					  unsigned long *cookie)
{
	(void)cookie;
	return READ_ONCE(vq->map);
}

static void unsafe_establish_map(struct mn_vq *vq)
{
	struct mn_map *map;

	if (READ_ONCE(vq->map))
		return;
	map = mn_map_create(vq);
	if (!map)
		return;
	vq->stats.remaps++;
	mn_vq_drop_map(vq, xchg(&vq->map, map), true);
}

static struct mn_map *unsafe_detach(struct mn_vq *vq)
{
	return xchg(&vq->map, NULL);
}

MN_VQ_LOOP(mn_strategy_unsafe)

const struct mn_strategy mn_strategy_unsafe = {
	.name = "unsafe",
	.summary = "mapping used with no synchronization (speed ceiling)",
	.invalidate_range_start = unsafe_invalidate_range_start,
	.read_begin = unsafe_access_begin,
	.read_end = mn_map_read_end_valid,
	.write_begin = unsafe_access_begin,
	.write_end = mn_map_write_end_nop,
	.establish_map = unsafe_establish_map,
	.detach = unsafe_detach,
	MN_VQ_LOOP_OPS(mn_strategy_unsafe),
};
