// SPDX-License-Identifier: GPL-2.0
/* seqcount that installs a mapping without re-checking the sequence. */
#define mn_strategy_seqcount seqcount_base_no_establish_recheck
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static bool never_changed(struct mn_vq *vq, unsigned long snapshot)
{
	(void)vq;
	(void)snapshot;
	return false;
}

static void establish_no_recheck(struct mn_vq *vq)
{
	if (READ_ONCE(vq->map) || (raw_read_seqcount(&seqcount_state(vq)->seq) & 1))
		return;
	mn_locked_map_establish(vq, 0, never_changed);
}

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_no_establish_recheck;
	s->establish_map = establish_no_recheck;
}

const struct mutant mutant_seqcount_no_establish_recheck = {
	.name = "seqcount_no_establish_recheck",
	.bug = "installs a mapping without re-checking the sequence under the lock",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make,
};
