// SPDX-License-Identifier: GPL-2.0
/*
 * Sequence count, as mmu_interval_notifier does it: the sequence is odd
 * while any overlapping invalidation is in flight. Reads through the
 * mapping are lockless (RCU keeps the mapping alive, the sequence says
 * whether what was read may be used); writes cannot be undone, so they go
 * under the lock that the invalidation takes, like mmu_interval_read_retry
 * under the driver lock in HMM users.
 */
#include "strategy.h"

struct seqcount_state {
	spinlock_t lock;
	seqcount_t seq;
	int active;		/* overlapping invalidations in flight */
};

static struct seqcount_state *seqcount_state(struct mn_vq *vq)
{
	return vq->priv;
}

static int seqcount_init_state(struct mn_vq *vq)
{
	struct seqcount_state *ss = seqcount_state(vq);

	spin_lock_init(&ss->lock);
	seqcount_init(&ss->seq);
	return 0;
}

static int seqcount_invalidate_range_start(struct mn_vq *vq,
					   const struct mn_range *range)
{
	struct seqcount_state *ss = seqcount_state(vq);
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	spin_lock(&ss->lock);
	if (ss->active++ == 0)
		write_seqcount_begin(&ss->seq);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&ss->lock);
	if (map && range->blockable)
		synchronize_rcu();	/* lockless readers are done with it */
	mn_vq_drop_map(vq, map, range->blockable);
	return 0;
}

static void seqcount_invalidate_range_end(struct mn_vq *vq,
					  const struct mn_range *range)
{
	struct seqcount_state *ss = seqcount_state(vq);

	if (!mn_range_overlaps_vq(vq, range))
		return;
	spin_lock(&ss->lock);
	if (--ss->active == 0)
		write_seqcount_end(&ss->seq);
	spin_unlock(&ss->lock);
}

static struct mn_map *seqcount_read_begin(struct mn_vq *vq,
					  unsigned long *cookie)
{
	struct seqcount_state *ss = seqcount_state(vq);
	unsigned int seq;
	struct mn_map *map;

	rcu_read_lock();
	seq = raw_read_seqcount(&ss->seq);
	map = (seq & 1) ? NULL : READ_ONCE(vq->map);
	if (!map) {
		rcu_read_unlock();
		return NULL;
	}
	*cookie = seq;
	return map;
}

static bool seqcount_read_end(struct mn_vq *vq, unsigned long cookie)
{
	bool ok = !read_seqcount_retry(&seqcount_state(vq)->seq, cookie);

	rcu_read_unlock();
	return ok;
}

static struct mn_map *seqcount_write_begin(struct mn_vq *vq,
					   unsigned long *cookie)
{
	struct seqcount_state *ss = seqcount_state(vq);
	struct mn_map *map;

	(void)cookie;
	spin_lock(&ss->lock);
	map = ss->active ? NULL : vq->map;
	if (!map)
		spin_unlock(&ss->lock);
	return map;
}

static void seqcount_write_end(struct mn_vq *vq, unsigned long cookie)
{
	(void)cookie;
	spin_unlock(&seqcount_state(vq)->lock);
}

static void seqcount_prefetch(struct mn_vq *vq)
{
	struct seqcount_state *ss = seqcount_state(vq);
	struct mn_map *map;
	unsigned int seq;

	if (READ_ONCE(vq->map))
		return;
	seq = raw_read_seqcount(&ss->seq);
	if (seq & 1)
		return;
	map = mn_map_create(vq);
	if (!map)
		return;
	spin_lock(&ss->lock);
	if (read_seqcount_retry(&ss->seq, seq)) {
		spin_unlock(&ss->lock);
		vq->stats.retries++;
		mn_map_release(vq, map, MN_RELEASE_WORKER);
		return;
	}
	WRITE_ONCE(vq->map, map);
	spin_unlock(&ss->lock);
	vq->stats.remaps++;
}

/* The worker is the only reader, so no grace period is needed here. */
static struct mn_map *seqcount_detach(struct mn_vq *vq)
{
	struct seqcount_state *ss = seqcount_state(vq);
	struct mn_map *map;

	spin_lock(&ss->lock);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&ss->lock);
	return map;
}

const struct mn_strategy mn_strategy_seqcount = {
	.name = "seqcount",
	.summary = "lockless reads in sequence sections, locked writes",
	.priv_size = sizeof(struct seqcount_state),
	.init = seqcount_init_state,
	.invalidate_range_start = seqcount_invalidate_range_start,
	.invalidate_range_end = seqcount_invalidate_range_end,
	.read_begin = seqcount_read_begin,
	.read_end = seqcount_read_end,
	.write_begin = seqcount_write_begin,
	.write_end = seqcount_write_end,
	.prefetch = seqcount_prefetch,
	.detach = seqcount_detach,
};
