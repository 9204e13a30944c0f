// SPDX-License-Identifier: GPL-2.0
/*
 * The design merged in v5.3-rc1 (7f466032dc9e, "vhost: access vq metadata
 * through kernel virtual address", 2019-05-24), disabled weeks later for
 * memory corruption (73f628ec9e6b) and reverted for 5.3. The worker reads
 * and writes the rings through the map inside an RCU read section and
 * never looks at anything else; the notifier's start takes the map away
 * under the vq's mmu_lock, counting the invalidation, then waits a grace
 * period (synchronize_rcu() inside invalidate_range_start) before
 * releasing it; the prefetch maps only while no invalidation is counted.
 *
 * As merged (vhost_invalidate_range_start, vhost_invalidate_vq_start/
 * end, vhost_map_prefetch, the accessors):
 *   - start: not blockable, -EAGAIN, for every range, before any overlap
 *     test; then, overlapping: under mmu_lock ++invalidate_count, take
 *     the map (rcu_assign_pointer NULL); after the lock, if there was a
 *     map, synchronize_rcu() and release it;
 *   - end: overlapping, under mmu_lock --invalidate_count;
 *   - accessors: rcu_read_lock(); map = rcu_dereference(); use it, or
 *     copy_*_user if NULL; no counter, no sequence, no retry.
 * Reconstructed:
 *   - 5.3 dirtied the pages in start before clearing the pointer, while
 *     readers could still use them, and took no reference on the pages
 *     (GUP-fast, then release_pages at once); here the backend dirties
 *     on release, after the grace period, and holds the pages as its
 *     --gup mode says (none is 2019's);
 *   - the map is built outside the lock, as in spinlock.c, with a
 *     generation in place of 5.3's build under mmu_lock;
 *   - one map for the three rings where 5.3 had one per ring.
 * What 2019 needed that the model lacks is in docs/history/vhost53.md.
 */
#include "locked_map.h"
#include "vq/vq_loop.h"

struct vhost53_state {
	struct mn_locked_map lm;	/* first: the mmu_lock */
	int invalidate_count;
	unsigned long generation;
};

static struct vhost53_state *vhost53_state(struct mn_vq *vq)
{
	return vq->priv;
}

static int vhost53_invalidate_range_start(struct mn_vq *vq,
					  const struct mn_range *range)
{
	struct vhost53_state *vs = vhost53_state(vq);
	struct mn_map *map;

	if (!range->blockable)
		return -EAGAIN;
	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	spin_lock(&vs->lm.lock);
	WRITE_ONCE(vs->invalidate_count, vs->invalidate_count + 1);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&vs->lm.lock);
	if (map) {
		synchronize_rcu();	/* readers are done with it */
		mn_vq_drop_map(vq, map, true);
	}
	return 0;
}

static void vhost53_invalidate_range_end(struct mn_vq *vq,
					 const struct mn_range *range)
{
	struct vhost53_state *vs = vhost53_state(vq);

	if (!mn_range_overlaps_vq(vq, range))
		return;
	spin_lock(&vs->lm.lock);
	WRITE_ONCE(vs->generation, vs->generation + 1);
	WRITE_ONCE(vs->invalidate_count, vs->invalidate_count - 1);
	spin_unlock(&vs->lm.lock);
}

/* Returns a mapping inside an RCU read section that _end closes. */
static struct mn_map *vhost53_access_begin(struct mn_vq *vq,
					   unsigned long *cookie)
	__acquires(RCU)
{
	struct mn_map *map;

	(void)cookie;
	rcu_read_lock();
	map = READ_ONCE(vq->map);
	if (!map)
		rcu_read_unlock();
	return map;
}

static bool vhost53_read_end(struct mn_vq *vq, unsigned long cookie)
	__releases(RCU)
{
	(void)vq;
	(void)cookie;
	rcu_read_unlock();
	return true;
}

static void vhost53_write_end(struct mn_vq *vq, unsigned long cookie)
	__releases(RCU)
{
	(void)vq;
	(void)cookie;
	rcu_read_unlock();
}

static bool vhost53_changed(struct mn_vq *vq, unsigned long snapshot)
{
	struct vhost53_state *vs = vhost53_state(vq);

	return vs->invalidate_count || vs->generation != snapshot;
}

/* vhost_map_prefetch(): only while no invalidation is counted. */
static void vhost53_establish_map(struct mn_vq *vq)
{
	struct vhost53_state *vs = vhost53_state(vq);
	unsigned long generation;

	if (READ_ONCE(vq->map))
		return;
	spin_lock(&vs->lm.lock);
	generation = vs->generation;
	if (vs->invalidate_count) {
		spin_unlock(&vs->lm.lock);
		return;
	}
	spin_unlock(&vs->lm.lock);
	mn_locked_map_establish(vq, generation, vhost53_changed);
}

/* The worker is the only reader, so detach needs no grace period. */
MN_VQ_LOOP(mn_strategy_vhost53)

const struct mn_strategy mn_strategy_vhost53 = {
	.name = "vhost53",
	.summary = "RCU readers, synchronize_rcu() in start (v5.3-rc1)",
	.priv_size = sizeof(struct vhost53_state),
	.init = mn_locked_map_init,
	.invalidate_range_start = vhost53_invalidate_range_start,
	.invalidate_range_end = vhost53_invalidate_range_end,
	.read_begin = vhost53_access_begin,
	.read_end = vhost53_read_end,
	.write_begin = vhost53_access_begin,
	.write_end = vhost53_write_end,
	.establish_map = vhost53_establish_map,
	.detach = mn_locked_map_detach,
	MN_VQ_LOOP_OPS(mn_strategy_vhost53),
};
