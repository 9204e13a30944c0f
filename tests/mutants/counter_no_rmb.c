// SPDX-License-Identifier: GPL-2.0
/* counter without the smp_rmb() after the sequence snapshot: the
 * snapshot may be satisfied after mn_map_create()'s page walk, so a
 * walk that saw the old page is installed against a sequence read after
 * the invalidation ended (KVM's smp_rmb() after reading mmu_invalidate_seq
 * is the same barrier). Only that one smp_rmb() is off (mn_compat.h's
 * MN_BARRIER_OFF); the rest is counter.c as shipped. */
#define MN_BARRIER_OFF(prim) MN_BARRIER_AT(prim, "smp_rmb", "counter_establish_map")
#define mn_strategy_counter counter_base_no_rmb
#include "counter.c"
#undef mn_strategy_counter
#include "mutant.h"

static void make(struct mn_strategy *s)
{
	*s = counter_base_no_rmb;
}

const struct mutant mutant_counter_no_rmb = {
	.name = "counter_no_rmb",
	.bug = "the sequence snapshot is not ordered before the page walk",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make, .barrier = true,
	.primitive = "counter.c:counter_establish_map: smp_rmb() removed",
};
