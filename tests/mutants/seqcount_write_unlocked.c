// SPDX-License-Identifier: GPL-2.0
/* seqcount that writes like it reads, without the lock: a write cannot
 * be discarded afterwards, and start may unmap it mid-write. */
#define mn_strategy_seqcount seqcount_base_write_unlocked
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"
#include "helpers/mutex_map.h"

static struct mn_map *write_begin_unlocked(struct mn_vq *vq,
					   unsigned long *cookie)
{
	unsigned int seq = raw_read_seqcount(&seqcount_state(vq)->seq);

	(void)cookie;
	return (seq & 1) ? NULL : READ_ONCE(vq->map);
}

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_write_unlocked;
	s->write_begin = write_begin_unlocked;
	s->write_end = mn_map_write_end_nop;
}

const struct mutant mutant_seqcount_write_unlocked = {
	.name = "seqcount_write_unlocked",
	.bug = "writes through the mapping without the lock start takes",
	.rule = V_USE_AFTER_RELEASE, .load = LOAD_ZAP, .invalidators = 2,
	.make = make,
};
