// SPDX-License-Identifier: GPL-2.0
/*
 * The "valid flag" proposed in the 2019 thread: start clears it, end sets
 * it. Invalidations overlap, so the first end re-validates while a second
 * one is still in flight, the worker maps the page that invalidation is
 * about to replace, and then uses it stale. Kept as a known-wrong
 * reference for the oracle.
 */
#include "helpers/locked_map.h"
#include "vq/vq_loop.h"

struct valid_flag_state {
	struct mn_locked_map lm;	/* first: the helpers' lock */
	bool valid;
};

static struct valid_flag_state *valid_flag_state(struct mn_vq *vq)
{
	return vq->priv;
}

static int valid_flag_init(struct mn_vq *vq)
{
	struct valid_flag_state *vs = valid_flag_state(vq);

	vs->valid = true;
	return mn_locked_map_init(vq);
}

static int valid_flag_invalidate_range_start(struct mn_vq *vq,
					     const struct mn_range *range)
{
	struct valid_flag_state *vs = valid_flag_state(vq);
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	spin_lock(&vs->lm.lock);
	WRITE_ONCE(vs->valid, false);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&vs->lm.lock);
	mn_vq_drop_map(vq, map, range->blockable);
	return 0;
}

static void valid_flag_invalidate_range_end(struct mn_vq *vq,
					    const struct mn_range *range)
{
	struct valid_flag_state *vs = valid_flag_state(vq);

	if (!mn_range_overlaps_vq(vq, range))
		return;
	spin_lock(&vs->lm.lock);
	WRITE_ONCE(vs->valid, true);
	spin_unlock(&vs->lm.lock);
}

static bool valid_flag_changed(struct mn_vq *vq, unsigned long snapshot)
{
	(void)snapshot;
	return !valid_flag_state(vq)->valid;
}

static void valid_flag_establish_map(struct mn_vq *vq)
{
	if (READ_ONCE(vq->map) || !READ_ONCE(valid_flag_state(vq)->valid))
		return;
	mn_locked_map_establish(vq, 0, valid_flag_changed);
}

MN_VQ_LOOP(mn_strategy_valid_flag)

const struct mn_strategy mn_strategy_valid_flag = {
	.name = "valid_flag",
	.summary = "test-only: a valid flag cleared in start, set in end",
	.priv_size = sizeof(struct valid_flag_state),
	.init = valid_flag_init,
	.invalidate_range_start = valid_flag_invalidate_range_start,
	.invalidate_range_end = valid_flag_invalidate_range_end,
	MN_LOCKED_MAP_WORKER_OPS,
	.establish_map = valid_flag_establish_map,
	MN_VQ_LOOP_OPS(mn_strategy_valid_flag),
};
