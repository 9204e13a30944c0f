// SPDX-License-Identifier: GPL-2.0
/* counter without the count of active invalidations: start only drops
 * the mapping, so the worker maps the range again before _end. */
#define mn_strategy_counter counter_base_no_count
#include "counter.c"
#undef mn_strategy_counter
#include "mutant.h"

static int start_no_count(struct mn_vq *vq, const struct mn_range *range)
{
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	spin_lock(&counter_state(vq)->lm.lock);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&counter_state(vq)->lm.lock);
	mn_vq_drop_map(vq, map, range->blockable);
	return 0;
}

static void end_no_count(struct mn_vq *vq, const struct mn_range *range)
{
	struct counter_state *cs = counter_state(vq);

	if (!mn_range_overlaps_vq(vq, range))
		return;
	spin_lock(&cs->lm.lock);
	WRITE_ONCE(cs->invalidate_seq, cs->invalidate_seq + 1);
	spin_unlock(&cs->lm.lock);
}

static void make(struct mn_strategy *s)
{
	*s = counter_base_no_count;
	s->invalidate_range_start = start_no_count;
	s->invalidate_range_end = end_no_count;
}

const struct mutant mutant_counter_no_count = {
	.name = "counter_no_count",
	.bug = "start drops the mapping but does not count the invalidation",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make,
};
