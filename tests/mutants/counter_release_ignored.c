// SPDX-License-Identifier: GPL-2.0
/* counter whose ->release does nothing, as a driver without the op: the
 * worker keeps using its mapping after the mm's teardown began. */
#define mn_strategy_counter counter_base_release_ignored
#include "counter.c"
#undef mn_strategy_counter
#include "mutant.h"

static void release_ignored(struct mn_vq *vq)
{
	(void)vq;
}

static void make(struct mn_strategy *s)
{
	*s = counter_base_release_ignored;
	s->release = release_ignored;
}

const struct mutant mutant_counter_release_ignored = {
	.name = "counter_release_ignored",
	.bug = "->release neither stops the worker nor takes its mapping",
	.rule = V_STALE_ACCESS, .load = LOAD_EXIT, .invalidators = 2,
	.make = make,
};
