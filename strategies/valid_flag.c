// SPDX-License-Identifier: GPL-2.0
/*
 * The "valid flag" proposed in the 2019 thread: start clears it, end sets
 * it. Invalidations overlap, so the first end re-validates while a second
 * one is still in flight, the worker maps the page that invalidation is
 * about to replace, and then uses it stale. Kept as a known-wrong
 * reference for the oracle.
 */
#include "strategy.h"

struct valid_flag_state {
	spinlock_t lock;
	bool valid;
};

static struct valid_flag_state *valid_flag_state(struct mn_vq *vq)
{
	return vq->priv;
}

static int valid_flag_init(struct mn_vq *vq)
{
	struct valid_flag_state *vs = valid_flag_state(vq);

	spin_lock_init(&vs->lock);
	vs->valid = true;
	return 0;
}

static int valid_flag_invalidate_range_start(struct mn_vq *vq,
					     const struct mn_range *range)
{
	struct valid_flag_state *vs = valid_flag_state(vq);
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	spin_lock(&vs->lock);
	WRITE_ONCE(vs->valid, false);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&vs->lock);
	mn_vq_drop_map(vq, map, range->blockable);
	return 0;
}

static void valid_flag_invalidate_range_end(struct mn_vq *vq,
					    const struct mn_range *range)
{
	struct valid_flag_state *vs = valid_flag_state(vq);

	if (!mn_range_overlaps_vq(vq, range))
		return;
	spin_lock(&vs->lock);
	WRITE_ONCE(vs->valid, true);
	spin_unlock(&vs->lock);
}

static struct mn_map *valid_flag_access_begin(struct mn_vq *vq,
					      unsigned long *cookie)
{
	struct valid_flag_state *vs = valid_flag_state(vq);
	struct mn_map *map;

	(void)cookie;
	spin_lock(&vs->lock);
	map = vq->map;
	if (!map)
		spin_unlock(&vs->lock);
	return map;
}

static bool valid_flag_read_end(struct mn_vq *vq, unsigned long cookie)
{
	(void)cookie;
	spin_unlock(&valid_flag_state(vq)->lock);
	return true;
}

static void valid_flag_write_end(struct mn_vq *vq, unsigned long cookie)
{
	(void)cookie;
	spin_unlock(&valid_flag_state(vq)->lock);
}

static void valid_flag_prefetch(struct mn_vq *vq)
{
	struct valid_flag_state *vs = valid_flag_state(vq);
	struct mn_map *map;

	if (READ_ONCE(vq->map) || !READ_ONCE(vs->valid))
		return;
	map = mn_map_create(vq);
	if (!map)
		return;
	spin_lock(&vs->lock);
	if (!vs->valid) {
		spin_unlock(&vs->lock);
		vq->stats.retries++;
		mn_map_release(vq, map, MN_RELEASE_WORKER);
		return;
	}
	WRITE_ONCE(vq->map, map);
	spin_unlock(&vs->lock);
	vq->stats.remaps++;
}

static struct mn_map *valid_flag_detach(struct mn_vq *vq)
{
	struct valid_flag_state *vs = valid_flag_state(vq);
	struct mn_map *map;

	spin_lock(&vs->lock);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&vs->lock);
	return map;
}

const struct mn_strategy mn_strategy_valid_flag = {
	.name = "valid_flag",
	.summary = "test-only: a valid flag cleared in start, set in end",
	.priv_size = sizeof(struct valid_flag_state),
	.known_unsafe = true,
	.test_only = true,
	.init = valid_flag_init,
	.invalidate_range_start = valid_flag_invalidate_range_start,
	.invalidate_range_end = valid_flag_invalidate_range_end,
	.read_begin = valid_flag_access_begin,
	.read_end = valid_flag_read_end,
	.write_begin = valid_flag_access_begin,
	.write_end = valid_flag_write_end,
	.prefetch = valid_flag_prefetch,
	.detach = valid_flag_detach,
};
