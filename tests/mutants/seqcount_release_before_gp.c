// SPDX-License-Identifier: GPL-2.0
/* seqcount that waits for its readers only after it has unmapped. */
#define mn_strategy_seqcount seqcount_base_release_before_gp
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static int start_release_first(struct mn_vq *vq, const struct mn_range *range)
{
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	map = seqcount_begin_invalidation(vq);
	mn_vq_drop_map(vq, map, range->blockable);
	if (map && range->blockable)
		synchronize_rcu();
	return 0;
}

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_release_before_gp;
	s->invalidate_range_start = start_release_first;
}

const struct mutant mutant_seqcount_release_before_gp = {
	.name = "seqcount_release_before_gp",
	.bug = "unmaps before the grace period instead of after it",
	.rule = V_USE_AFTER_RELEASE, .load = LOAD_ZAP, .invalidators = 2,
	.make = make,
};
