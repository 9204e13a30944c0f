// SPDX-License-Identifier: GPL-2.0
/*
 * seqcount with lockdep-tracked write sections: the odd section spans
 * start..end, so lockdep sees a lock held across the core's
 * invalidate_range_start map (the report the debug kernel gave).
 */
#include <mn_compat.h>
#undef raw_write_seqcount_begin
#undef raw_write_seqcount_end
#define raw_write_seqcount_begin write_seqcount_begin
#define raw_write_seqcount_end write_seqcount_end
#define mn_strategy_seqcount seqcount_base_lockdep_write
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_lockdep_write;
}

const struct mutant mutant_seqcount_lockdep_write = {
	.name = "seqcount_lockdep_write",
	.bug = "write_seqcount_begin in start, _end in end: a lockdep lock held across the mm's invalidation",
	.rule = V_LOCK_ORDER, .load = LOAD_KSM, .invalidators = 1,
	.make = make,
};
