// SPDX-License-Identifier: GPL-2.0
/* counter that unmaps in start even when the range is not blockable (the
 * OOM reaper), where it must leave the mapping for the worker. */
#define mn_strategy_counter counter_base_sleep_nonblock
#include "counter.c"
#undef mn_strategy_counter
#include "mutant.h"

static int start_always_release(struct mn_vq *vq,
				const struct mn_range *range)
{
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	map = counter_begin_invalidation(vq);
	if (map)
		mn_map_release(vq, map, MN_RELEASE_NOTIFIER);
	return 0;
}

static void make(struct mn_strategy *s)
{
	*s = counter_base_sleep_nonblock;
	s->invalidate_range_start = start_always_release;
}

const struct mutant mutant_counter_sleep_nonblock = {
	.name = "counter_sleep_nonblock",
	.bug = "unmaps (may sleep) in a non-blockable invalidate_range_start",
	.rule = V_SLEEP_IN_ATOMIC, .load = LOAD_OOM, .invalidators = 2,
	.make = make,
};
