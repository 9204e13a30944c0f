// SPDX-License-Identifier: GPL-2.0
/* The shipped seqcount before the release (docs/strategies.md): a mapping
 * built outside the lock published with WRITE_ONCE under it. spin_lock()
 * is only an acquire, so mn_map_create()'s initialising stores may become
 * visible after the pointer to another CPU. Redundant today: the one
 * lockless reader is the worker that published it, and every other
 * reader takes the lock, whose unlock orders the stores.
 * The helper is compiled here under its own names (so __func__ is
 * publish_once_establish) with only that
 * smp_store_release() weakened (mn_compat.h's MN_BARRIER_OFF), and
 * seqcount.c as shipped uses this copy.
 */
#define MN_BARRIER_OFF(prim)						\
	MN_BARRIER_AT(prim, "smp_store_release", "publish_once_establish")
#define mn_locked_map_init		publish_once_init
#define mn_locked_map_begin		publish_once_begin
#define mn_locked_map_read_end		publish_once_read_end
#define mn_locked_map_write_end		publish_once_write_end
#define mn_locked_map_detach		publish_once_detach
#define mn_locked_map_establish		publish_once_establish
#define mn_strategy_seqcount seqcount_base_publish_once
#include "seqcount.c"
#include "helpers/locked_map.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_publish_once;
}

const struct mutant mutant_locked_map_publish_once = {
	.name = "locked_map_publish_once",
	.bug = "a new mapping is published with WRITE_ONCE, not a release",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make, .barrier = true,
	.primitive = "helpers/locked_map.c:mn_locked_map_establish: smp_store_release() weakened to WRITE_ONCE (seqcount)",
};
