// SPDX-License-Identifier: GPL-2.0
/*
 * Start/end with a counter of active invalidations, the pattern Jerome
 * Glisse described in the 2019 thread and KVM uses
 * (mmu_invalidate_in_progress + mmu_invalidate_seq): start bumps the count
 * and drops the mapping under a spinlock, end bumps the sequence and drops
 * the count. The worker does not map while the count is non-zero (it takes
 * the slow path meanwhile) and re-checks count and sequence under the lock
 * before installing a mapping it built outside the lock.
 */
#include "strategy.h"

struct counter_state {
	spinlock_t lock;
	long invalidate_count;
	unsigned long invalidate_seq;
};

static struct counter_state *counter_state(struct mn_vq *vq)
{
	return vq->priv;
}

static int counter_init(struct mn_vq *vq)
{
	spin_lock_init(&counter_state(vq)->lock);
	return 0;
}

static int counter_invalidate_range_start(struct mn_vq *vq,
					  const struct mn_range *range)
{
	struct counter_state *cs = counter_state(vq);
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	spin_lock(&cs->lock);
	WRITE_ONCE(cs->invalidate_count, cs->invalidate_count + 1);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&cs->lock);
	mn_vq_drop_map(vq, map, range->blockable);
	return 0;
}

static void counter_invalidate_range_end(struct mn_vq *vq,
					 const struct mn_range *range)
{
	struct counter_state *cs = counter_state(vq);

	if (!mn_range_overlaps_vq(vq, range))
		return;
	spin_lock(&cs->lock);
	WRITE_ONCE(cs->invalidate_seq, cs->invalidate_seq + 1);
	WRITE_ONCE(cs->invalidate_count, cs->invalidate_count - 1);
	spin_unlock(&cs->lock);
}

static struct mn_map *counter_access_begin(struct mn_vq *vq,
					   unsigned long *cookie)
{
	struct counter_state *cs = counter_state(vq);
	struct mn_map *map;

	(void)cookie;
	spin_lock(&cs->lock);
	map = vq->map;
	if (!map)
		spin_unlock(&cs->lock);
	return map;
}

static bool counter_read_end(struct mn_vq *vq, unsigned long cookie)
{
	(void)cookie;
	spin_unlock(&counter_state(vq)->lock);
	return true;
}

static void counter_write_end(struct mn_vq *vq, unsigned long cookie)
{
	(void)cookie;
	spin_unlock(&counter_state(vq)->lock);
}

static void counter_prefetch(struct mn_vq *vq)
{
	struct counter_state *cs = counter_state(vq);
	unsigned long seq;
	struct mn_map *map;

	if (READ_ONCE(vq->map))
		return;
	seq = READ_ONCE(cs->invalidate_seq);
	/* Pairs with end: the seq bump is visible before count drops. */
	smp_rmb();
	if (READ_ONCE(cs->invalidate_count))
		return;
	map = mn_map_create(vq);
	if (!map)
		return;
	spin_lock(&cs->lock);
	if (cs->invalidate_count || cs->invalidate_seq != seq) {
		/* An invalidation overlapped the page walk: redo later. */
		spin_unlock(&cs->lock);
		vq->stats.retries++;
		mn_map_release(vq, map, MN_RELEASE_WORKER);
		return;
	}
	WRITE_ONCE(vq->map, map);
	spin_unlock(&cs->lock);
	vq->stats.remaps++;
}

static struct mn_map *counter_detach(struct mn_vq *vq)
{
	struct counter_state *cs = counter_state(vq);
	struct mn_map *map;

	spin_lock(&cs->lock);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&cs->lock);
	return map;
}

const struct mn_strategy mn_strategy_counter = {
	.name = "counter",
	.summary = "start/end with an invalidation counter (KVM style)",
	.priv_size = sizeof(struct counter_state),
	.init = counter_init,
	.invalidate_range_start = counter_invalidate_range_start,
	.invalidate_range_end = counter_invalidate_range_end,
	.read_begin = counter_access_begin,
	.read_end = counter_read_end,
	.write_begin = counter_access_begin,
	.write_end = counter_write_end,
	.prefetch = counter_prefetch,
	.detach = counter_detach,
};
