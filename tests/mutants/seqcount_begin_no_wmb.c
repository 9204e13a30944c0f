// SPDX-License-Identifier: GPL-2.0
/* seqcount whose write section begins without raw_write_seqcount_begin()'s
 * smp_wmb(): the odd count is not ordered before the section's later
 * stores. Redundant (docs/strategies.md): the only store before the
 * grace period is vq->map = NULL, which sends readers to the slow path,
 * and synchronize_rcu() is a full barrier before the mm changes a page. */
#define mn_strategy_seqcount seqcount_base_begin_no_wmb
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static struct mn_map *begin_no_wmb(struct mn_vq *vq)
{
	struct seqcount_state *ss = seqcount_state(vq);
	struct mn_map *map;

	spin_lock(&ss->lm.lock);
	if (ss->active++ == 0)
		WRITE_ONCE(ss->seq.sequence, ss->seq.sequence + 1);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&ss->lm.lock);
	return map;
}

static int start_no_wmb(struct mn_vq *vq, const struct mn_range *range)
{
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	map = begin_no_wmb(vq);
	if (map && range->blockable)
		synchronize_rcu();
	mn_vq_drop_map(vq, map, range->blockable);
	return 0;
}

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_begin_no_wmb;
	s->invalidate_range_start = start_no_wmb;
}

const struct mutant mutant_seqcount_begin_no_wmb = {
	.name = "seqcount_begin_no_wmb",
	.bug = "the write section's odd count is not ordered before its stores",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make, .barrier = true,
	.primitive = "seqcount.c:seqcount_begin_invalidation: raw_write_seqcount_begin() smp_wmb() removed",
};
