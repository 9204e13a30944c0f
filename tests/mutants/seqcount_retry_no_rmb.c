// SPDX-License-Identifier: GPL-2.0
/* seqcount whose read_end re-reads the sequence without
 * read_seqcount_retry()'s smp_rmb(): the re-read may be satisfied
 * before the reads through the mapping, which then may see a page the
 * invalidation replaced while the re-read says nothing changed. Only
 * read_end's retry loses it (mn_compat.h's MN_BARRIER_OFF); the locked
 * recheck in seqcount_changed keeps its own. */
#define MN_BARRIER_OFF(prim) MN_BARRIER_AT(prim, "read_seqcount_retry", "seqcount_read_end")
#define mn_strategy_seqcount seqcount_base_retry_no_rmb
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_retry_no_rmb;
}

const struct mutant mutant_seqcount_retry_no_rmb = {
	.name = "seqcount_retry_no_rmb",
	.bug = "read_end's re-read of the sequence is not ordered after the reads",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make, .barrier = true,
	.primitive = "seqcount.c:seqcount_read_end: read_seqcount_retry() smp_rmb() removed",
};
