// SPDX-License-Identifier: GPL-2.0
/* counter, but a mapping built outside the lock is installed on count 0
 * alone: an invalidation that started and ended during mn_map_create()
 * goes unnoticed, and the mapping holds the page it replaced. */
#define mn_strategy_counter counter_base_no_recheck
#include "counter.c"
#undef mn_strategy_counter
#include "mutant.h"

static bool count_only_changed(struct mn_vq *vq, unsigned long snapshot)
{
	(void)snapshot;
	return counter_state(vq)->invalidate_count;
}

static void establish_no_recheck(struct mn_vq *vq)
{
	if (READ_ONCE(vq->map) || READ_ONCE(counter_state(vq)->invalidate_count))
		return;
	mn_locked_map_establish(vq, 0, count_only_changed);
}

static void make(struct mn_strategy *s)
{
	*s = counter_base_no_recheck;
	s->establish_map = establish_no_recheck;
}

const struct mutant mutant_counter_no_recheck = {
	.name = "counter_no_recheck",
	.bug = "installs a mapping without re-checking the sequence under the lock",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make,
};
