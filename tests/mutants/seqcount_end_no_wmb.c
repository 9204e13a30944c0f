// SPDX-License-Identifier: GPL-2.0
/* seqcount whose write section ends without raw_write_seqcount_end()'s
 * smp_wmb(): the even count may become visible before the mm's page
 * changes, so a worker that reads it even walks the old page tables and
 * installs a mapping the sequence says is current. Redundant
 * (docs/strategies.md): the mm changes the pte under the PTL and unlocks
 * it before end takes the driver lock, which orders the change before the
 * even count under LKMM (po-unlock-lock-po). Only that smp_wmb() is off
 * (mn_compat.h's MN_BARRIER_OFF). */
#define MN_BARRIER_OFF(prim) MN_BARRIER_AT(prim, "raw_write_seqcount_end", "seqcount_invalidate_range_end")
#define mn_strategy_seqcount seqcount_base_end_no_wmb
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_end_no_wmb;
}

const struct mutant mutant_seqcount_end_no_wmb = {
	.name = "seqcount_end_no_wmb",
	.bug = "the even count is not ordered after the invalidation's stores",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make, .barrier = true,
	.primitive = "seqcount.c:seqcount_invalidate_range_end: raw_write_seqcount_end() smp_wmb() removed",
};
