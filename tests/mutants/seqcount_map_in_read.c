// SPDX-License-Identifier: GPL-2.0
/* seqcount that maps lazily inside its RCU read section: pinning and
 * vmap() sleep, which an RCU reader must not. */
#define mn_strategy_seqcount seqcount_base_map_in_read
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static struct mn_map *read_begin_lazy(struct mn_vq *vq, unsigned long *cookie)
	__acquires(RCU)
{
	struct mn_map *map;

	rcu_read_lock();
	if (!READ_ONCE(vq->map))
		seqcount_establish_map(vq);
	rcu_read_unlock();
	map = seqcount_read_begin(vq, cookie);
	return map;
}

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_map_in_read;
	s->read_begin = read_begin_lazy;
}

const struct mutant mutant_seqcount_map_in_read = {
	.name = "seqcount_map_in_read",
	.bug = "establishes the mapping inside an RCU read section",
	.rule = V_SLEEP_IN_ATOMIC, .load = LOAD_ZAP, .invalidators = 1,
	.make = make,
};
