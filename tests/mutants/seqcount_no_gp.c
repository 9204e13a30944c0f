// SPDX-License-Identifier: GPL-2.0
/* seqcount without the grace period: start unmaps while a lockless
 * reader may still be inside the mapping. */
#define mn_strategy_seqcount seqcount_base_no_gp
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static int start_no_gp(struct mn_vq *vq, const struct mn_range *range)
{
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	map = seqcount_begin_invalidation(vq);
	mn_vq_drop_map(vq, map, range->blockable);
	return 0;
}

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_no_gp;
	s->invalidate_range_start = start_no_gp;
}

const struct mutant mutant_seqcount_no_gp = {
	.name = "seqcount_no_gp",
	.bug = "unmaps without waiting for lockless readers (no synchronize_rcu)",
	.rule = V_USE_AFTER_RELEASE, .load = LOAD_ZAP, .invalidators = 2,
	.make = make,
};
