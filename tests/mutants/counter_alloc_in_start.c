// SPDX-License-Identifier: GPL-2.0
/* counter whose start allocates with GFP_KERNEL under a mutex of its own:
 * reclaim may call invalidate_range_start, which takes that mutex. */
#define mn_strategy_counter counter_base_alloc_in_start
#include "counter.c"
#undef mn_strategy_counter
#include "mutant.h"

struct alloc_state {
	struct counter_state cs;	/* first: counter's ops use it */
	struct mutex bookkeeping;
};

static int init_alloc(struct mn_vq *vq)
{
	struct alloc_state *as = vq->priv;

	mutex_init(&as->bookkeeping);
	return mn_locked_map_init(vq);
}

static int start_alloc(struct mn_vq *vq, const struct mn_range *range)
{
	struct alloc_state *as = vq->priv;
	void *note;

	if (mn_range_overlaps_vq(vq, range) && range->blockable) {
		mutex_lock(&as->bookkeeping);
		note = kzalloc(64, GFP_KERNEL);
		kfree(note);
		mutex_unlock(&as->bookkeeping);
	}
	return counter_invalidate_range_start(vq, range);
}

static void make(struct mn_strategy *s)
{
	*s = counter_base_alloc_in_start;
	s->priv_size = sizeof(struct alloc_state);
	s->init = init_alloc;
	s->invalidate_range_start = start_alloc;
}

const struct mutant mutant_counter_alloc_in_start = {
	.name = "counter_alloc_in_start",
	.bug = "allocates with GFP_KERNEL under a lock taken in invalidate_range_start",
	.rule = V_LOCK_ORDER, .load = LOAD_ZAP, .invalidators = 1,
	.make = make,
};
