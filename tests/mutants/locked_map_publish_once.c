// SPDX-License-Identifier: GPL-2.0
/* The shipped seqcount before the fix (docs/strategies.md): a mapping
 * built outside the lock published with WRITE_ONCE under it. spin_lock()
 * is only an acquire, so mn_map_create()'s initialising stores may become
 * visible after the pointer, and seqcount's lockless reader (no lock,
 * only the address dependency) may use a mapping not yet initialised. */
#define mn_strategy_seqcount seqcount_base_publish_once
#include "seqcount.c"
#undef mn_strategy_seqcount
#include "mutant.h"

static void establish_publish_once(struct mn_vq *vq)
{
	struct mn_map *map;
	unsigned int seq;

	if (READ_ONCE(vq->map))
		return;
	seq = raw_read_seqcount(&seqcount_state(vq)->seq);
	if (seq & 1)
		return;
	map = mn_map_create(vq);
	if (!map)
		return;
	spin_lock(mn_locked_map_lock(vq));
	if (seqcount_changed(vq, seq)) {
		spin_unlock(mn_locked_map_lock(vq));
		vq->stats.retries++;
		mn_map_release(vq, map, MN_RELEASE_WORKER);
		return;
	}
	WRITE_ONCE(vq->map, map);
	spin_unlock(mn_locked_map_lock(vq));
	vq->stats.remaps++;
}

static void make(struct mn_strategy *s)
{
	*s = seqcount_base_publish_once;
	s->establish_map = establish_publish_once;
}

const struct mutant mutant_locked_map_publish_once = {
	.name = "locked_map_publish_once",
	.bug = "a new mapping is published with WRITE_ONCE, not a release",
	.rule = V_STALE_ACCESS, .load = LOAD_ZAP, .invalidators = 2,
	.make = make, .barrier = true,
	.primitive = "helpers/locked_map.c:mn_locked_map_establish: smp_store_release() weakened to WRITE_ONCE (seqcount)",
};
