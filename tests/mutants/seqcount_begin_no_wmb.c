// SPDX-License-Identifier: GPL-2.0
/* seqcount whose write section begins without raw_write_seqcount_begin()'s
 * smp_wmb(): the odd count is not ordered before the section's later
 * stores. Redundant (docs/strategies.md): the count is stored under the
 * driver lock, and the unlock followed by the next lock the invalidating
 * CPU takes (the PTL of the page change) orders it before every later
 * store under LKMM (po-unlock-lock-po); vq->map = NULL before the unlock
 * sends a reader to the slow path whatever the order.
 * Only that smp_wmb() is off (mn_compat.h's MN_BARRIER_OFF). */
#define MN_BARRIER_OFF(prim) MN_BARRIER_AT(prim, "raw_write_seqcount_begin", "seqcount_begin_invalidation")
#define mn_strategy_seqcount seqcount_base_begin_no_wmb
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_begin_no_wmb;
}

const struct mutant mutant_seqcount_begin_no_wmb = {
	.name = "seqcount_begin_no_wmb",
	.bug = "the write section's odd count is not ordered before its stores",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make, .barrier = true,
	.primitive = "seqcount.c:seqcount_begin_invalidation: raw_write_seqcount_begin() smp_wmb() removed",
};
