// SPDX-License-Identifier: GPL-2.0
/* seqcount whose write section ends without raw_write_seqcount_end()'s
 * smp_wmb(): the even count may become visible before the mm's page
 * changes, so a worker that reads it even walks the old page tables and
 * installs a mapping the sequence says is current. */
#define mn_strategy_seqcount seqcount_base_end_no_wmb
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static void end_no_wmb(struct mn_vq *vq, const struct mn_range *range)
{
	struct seqcount_state *ss = seqcount_state(vq);

	if (!mn_range_overlaps_vq(vq, range))
		return;
	spin_lock(&ss->lm.lock);
	if (--ss->active == 0)
		WRITE_ONCE(ss->seq.sequence, ss->seq.sequence + 1);
	spin_unlock(&ss->lm.lock);
}

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_end_no_wmb;
	s->invalidate_range_end = end_no_wmb;
}

const struct mutant mutant_seqcount_end_no_wmb = {
	.name = "seqcount_end_no_wmb",
	.bug = "the even count is not ordered after the invalidation's stores",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make, .barrier = true,
	.primitive = "seqcount.c:seqcount_invalidate_range_end: raw_write_seqcount_end() smp_wmb() removed",
};
