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
 *   - the map is built outside the lock (helpers/counted_map.h);
 *   - one map for the three rings where 5.3 had one per ring.
 * Against the 6.1 core, -EAGAIN with an end callback breaks the
 * contract (the core WARNs, then calls end for the failed start), so the
 * module runs it only with allow_dangerous=1. What 2019 needed that the
 * model lacks is in docs/history/vhost53.md.
 */
#include "helpers/counted_map.h"
#include "vq/vq_loop.h"

static int vhost53_invalidate_range_start(struct mn_vq *vq,
					  const struct mn_range *range)
{
	struct mn_map *map;

	if (!range->blockable)
		return -EAGAIN;
	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	map = mn_counted_map_take(vq);
	if (map) {
		synchronize_rcu();	/* readers are done with it */
		mn_vq_drop_map(vq, map, true);
	}
	return 0;
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

/* The worker is the only reader, so detach needs no grace period. */
MN_VQ_LOOP(mn_strategy_vhost53)

const struct mn_strategy mn_strategy_vhost53 = {
	.name = "vhost53",
	.summary = "RCU readers, synchronize_rcu() in start (v5.3-rc1)",
	.priv_size = sizeof(struct mn_counted_map),
	.init = mn_locked_map_init,
	.invalidate_range_start = vhost53_invalidate_range_start,
	.invalidate_range_end = mn_counted_map_end,
	.read_begin = vhost53_access_begin,
	.read_end = vhost53_read_end,
	.write_begin = vhost53_access_begin,
	.write_end = vhost53_write_end,
	.establish_map = mn_counted_map_establish,
	.detach = mn_locked_map_detach,
	MN_VQ_LOOP_OPS(mn_strategy_vhost53),
};
