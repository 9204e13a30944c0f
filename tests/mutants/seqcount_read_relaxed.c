// SPDX-License-Identifier: GPL-2.0
/* seqcount whose lockless reader reads the sequence relaxed instead of
 * with raw_read_seqcount()'s acquire: the reads through the mapping may
 * be satisfied before the sequence, inside an invalidation that the
 * sequence then no longer shows. */
#define mn_strategy_seqcount seqcount_base_read_relaxed
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static struct mn_map *read_begin_relaxed(struct mn_vq *vq,
					 unsigned long *cookie)
{
	struct seqcount_state *ss = seqcount_state(vq);
	unsigned int seq;
	struct mn_map *map;

	rcu_read_lock();
	seq = READ_ONCE(ss->seq.sequence);
	map = (seq & 1) ? NULL : READ_ONCE(vq->map);
	if (!map) {
		rcu_read_unlock();
		return NULL;
	}
	*cookie = seq;
	return map;
}

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_read_relaxed;
	s->read_begin = read_begin_relaxed;
}

const struct mutant mutant_seqcount_read_relaxed = {
	.name = "seqcount_read_relaxed",
	.bug = "the reader's sequence read is relaxed, not an acquire",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make, .barrier = true,
	.primitive = "seqcount.c:seqcount_read_begin: raw_read_seqcount() acquire weakened to READ_ONCE",
};
