// SPDX-License-Identifier: GPL-2.0
/* seqcount whose lockless reader reads the sequence relaxed instead of
 * with raw_read_seqcount()'s acquire: the reads through the mapping may
 * be satisfied before the sequence, inside an invalidation that the
 * sequence then no longer shows. Only that acquire is weakened
 * (mn_compat.h's MN_BARRIER_OFF); the rest is seqcount.c as shipped. */
#define MN_BARRIER_OFF(prim) MN_BARRIER_AT(prim, "raw_read_seqcount", "seqcount_read_begin")
#define mn_strategy_seqcount seqcount_base_read_relaxed
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_read_relaxed;
}

const struct mutant mutant_seqcount_read_relaxed = {
	.name = "seqcount_read_relaxed",
	.bug = "the reader's sequence read is relaxed, not an acquire",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make, .barrier = true,
	.primitive = "seqcount.c:seqcount_read_begin: raw_read_seqcount() acquire weakened to READ_ONCE",
};
