// SPDX-License-Identifier: GPL-2.0
/*
 * mmu_interval_notifier (5.5+, 99cb252f5e68), the pattern mm now asks
 * drivers to use: one interval notifier per vq on its metadata range, so
 * the core calls only the notifiers an invalidation overlaps (an interval
 * tree) and the others cost nothing. The protocol is the core's
 * collision-retry sequence, as lib/test_hmm.c uses it:
 *   - invalidate: under the driver lock, mmu_interval_set_seq() and take
 *     the mapping away;
 *   - worker: seq = mmu_interval_read_begin() (waits out an invalidation
 *     in flight), build the mapping, then under the lock install it only
 *     if !mmu_interval_read_retry(seq);
 *   - every metadata access under the driver lock, which the invalidate
 *     callback takes, so none still uses a mapping it took away.
 */
#include "helpers/locked_map.h"
#include "vq/vq_loop.h"

static bool interval_invalidate(struct mn_vq *vq,
				const struct mn_range *range,
				unsigned long cur_seq)
{
	struct mn_map *map;

	/* A spinlock: never has to sleep, so never refuses. */
	spin_lock(mn_locked_map_lock(vq));
	mn_interval_set_seq(vq, cur_seq);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(mn_locked_map_lock(vq));
	mn_vq_drop_map(vq, map, range->blockable);
	return true;
}

/* Under the lock, as mmu_interval_read_retry() must be. */
static bool interval_changed(struct mn_vq *vq, unsigned long seq)
{
	return mn_interval_read_retry(vq, seq);
}

static void interval_establish_map(struct mn_vq *vq)
{
	unsigned long seq;

	if (READ_ONCE(vq->map))
		return;
	seq = mn_interval_read_begin(vq);
	mn_locked_map_establish(vq, seq, interval_changed);
}

MN_VQ_LOOP(mn_strategy_interval)

const struct mn_strategy mn_strategy_interval = {
	.name = "interval",
	.summary = "an mmu_interval_notifier per vq, collision-retry (5.5+)",
	.priv_size = sizeof(struct mn_locked_map),
	.init = mn_locked_map_init,
	.interval_invalidate = interval_invalidate,
	MN_LOCKED_MAP_WORKER_OPS,
	.establish_map = interval_establish_map,
	MN_VQ_LOOP_OPS(mn_strategy_interval),
};
