// SPDX-License-Identifier: GPL-2.0
/* counter whose end drops the count without bumping the sequence: a
 * mapping built across a whole invalidation looks current. */
#define mn_strategy_counter counter_base_end_no_seq
#include "counter.c"
#undef mn_strategy_counter
#include "mutant.h"

static void end_no_seq(struct mn_vq *vq, const struct mn_range *range)
{
	struct counter_state *cs = counter_state(vq);

	if (!mn_range_overlaps_vq(vq, range))
		return;
	spin_lock(&cs->lm.lock);
	WRITE_ONCE(cs->invalidate_count, cs->invalidate_count - 1);
	spin_unlock(&cs->lm.lock);
}

static void make(struct mn_strategy *s)
{
	*s = counter_base_end_no_seq;
	s->invalidate_range_end = end_no_seq;
}

const struct mutant mutant_counter_end_no_seq = {
	.name = "counter_end_no_seq",
	.bug = "end drops the count but does not bump the sequence",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make,
};
