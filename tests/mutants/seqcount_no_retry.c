// SPDX-License-Identifier: GPL-2.0
/* seqcount whose readers never check the sequence again: what a racing
 * invalidation changed under them is used. start waits for the readers,
 * so the race needs a second, overlapping invalidation: three invalidators. */
#define mn_strategy_seqcount seqcount_base_no_retry
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static bool read_end_no_retry(struct mn_vq *vq, unsigned long cookie)
	__releases(RCU)
{
	(void)vq;
	(void)cookie;
	rcu_read_unlock();
	return true;
}

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_no_retry;
	s->read_end = read_end_no_retry;
}

const struct mutant mutant_seqcount_no_retry = {
	.name = "seqcount_no_retry",
	.bug = "read_end does not re-check the sequence: discarded reads are used",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 3,
	.make = make,
};
