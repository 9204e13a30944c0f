// SPDX-License-Identifier: GPL-2.0
/* counter whose worker uses the mapping without taking the lock that
 * start takes: start can release it in the middle of an access. */
#define mn_strategy_counter counter_base_unlocked_access
#include "counter.c"
#undef mn_strategy_counter
#include "mutant.h"
#include "helpers/mutex_map.h"

static struct mn_map *begin_unlocked(struct mn_vq *vq, unsigned long *cookie)
{
	(void)cookie;
	return READ_ONCE(vq->map);
}

static void make(struct mn_strategy *s)
{
	*s = counter_base_unlocked_access;
	s->read_begin = begin_unlocked;
	s->read_end = mn_map_read_end_valid;
	s->write_begin = begin_unlocked;
	s->write_end = mn_map_write_end_nop;
}

const struct mutant mutant_counter_unlocked_access = {
	.name = "counter_unlocked_access",
	.bug = "the worker uses the mapping without the lock start takes",
	.rule = V_USE_AFTER_RELEASE, .load = LOAD_ZAP, .invalidators = 2,
	.make = make,
};
