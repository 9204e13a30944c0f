// SPDX-License-Identifier: GPL-2.0
/* seqcount whose worker snapshots the sequence relaxed instead of with
 * raw_read_seqcount()'s acquire before mn_map_create()'s page walk (as
 * counter_no_rmb for counter): the walk may be satisfied before the
 * snapshot, see the old page, and pass the locked recheck against a
 * sequence read after the invalidation ended. Only that acquire is
 * weakened (mn_compat.h's MN_BARRIER_OFF). */
#define MN_BARRIER_OFF(prim) MN_BARRIER_AT(prim, "raw_read_seqcount", "seqcount_establish_map")
#define mn_strategy_seqcount seqcount_base_establish_relaxed
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_establish_relaxed;
}

const struct mutant mutant_seqcount_establish_relaxed = {
	.name = "seqcount_establish_relaxed",
	.bug = "the worker's snapshot is not ordered before its page walk",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make, .barrier = true,
	.primitive = "seqcount.c:seqcount_establish_map: raw_read_seqcount() acquire weakened to READ_ONCE",
};
