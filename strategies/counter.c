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
#include "helpers/locked_map.h"
#include "vq/vq_loop.h"

struct counter_state {
	struct mn_locked_map lm;	/* first: the helpers' lock */
	long invalidate_count;
	unsigned long invalidate_seq;
};

static struct counter_state *counter_state(struct mn_vq *vq)
{
	return vq->priv;
}

/* Count the invalidation and take the mapping away from the worker. */
static struct mn_map *counter_begin_invalidation(struct mn_vq *vq)
{
	struct counter_state *cs = counter_state(vq);
	struct mn_map *map;

	spin_lock(&cs->lm.lock);
	WRITE_ONCE(cs->invalidate_count, cs->invalidate_count + 1);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&cs->lm.lock);
	return map;
}

static int counter_invalidate_range_start(struct mn_vq *vq,
					  const struct mn_range *range)
{
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	map = counter_begin_invalidation(vq);
	mn_vq_drop_map(vq, map, range->blockable);
	return 0;
}

static void counter_invalidate_range_end(struct mn_vq *vq,
					 const struct mn_range *range)
{
	struct counter_state *cs = counter_state(vq);

	if (!mn_range_overlaps_vq(vq, range))
		return;
	spin_lock(&cs->lm.lock);
	WRITE_ONCE(cs->invalidate_seq, cs->invalidate_seq + 1);
	WRITE_ONCE(cs->invalidate_count, cs->invalidate_count - 1);
	spin_unlock(&cs->lm.lock);
}

/* Under the lock: did an invalidation start or end since snapshot? */
static bool counter_changed(struct mn_vq *vq, unsigned long snapshot)
{
	struct counter_state *cs = counter_state(vq);

	return cs->invalidate_count || cs->invalidate_seq != snapshot;
}

static void counter_establish_map(struct mn_vq *vq)
{
	struct counter_state *cs = counter_state(vq);
	unsigned long seq;

	if (READ_ONCE(vq->map))
		return;
	seq = READ_ONCE(cs->invalidate_seq);
	/* Pairs with end: the seq bump is visible before count drops. */
	smp_rmb();
	if (READ_ONCE(cs->invalidate_count))
		return;
	mn_locked_map_establish(vq, seq, counter_changed);
}

MN_VQ_LOOP(mn_strategy_counter)

const struct mn_strategy mn_strategy_counter = {
	.name = "counter",
	.summary = "start/end with an invalidation counter (KVM style)",
	.priv_size = sizeof(struct counter_state),
	.init = mn_locked_map_init,
	.invalidate_range_start = counter_invalidate_range_start,
	.invalidate_range_end = counter_invalidate_range_end,
	MN_LOCKED_MAP_WORKER_OPS,
	.establish_map = counter_establish_map,
	MN_VQ_LOOP_OPS(mn_strategy_counter),
};
