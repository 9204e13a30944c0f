// SPDX-License-Identifier: GPL-2.0
/*
 * Sequence count, as mmu_interval_notifier does it: the sequence is odd
 * while any overlapping invalidation is in flight. Reads through the
 * mapping are lockless (RCU keeps the mapping alive, the sequence says
 * whether what was read may be used); writes cannot be undone, so they go
 * under the lock that the invalidation takes, like mmu_interval_read_retry
 * under the driver lock in HMM users.
 */
#include "helpers/locked_map.h"
#include "vq/vq_loop.h"

struct seqcount_state {
	struct mn_locked_map lm;	/* first: the helpers' lock */
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

	seqcount_init(&ss->seq);
	return mn_locked_map_init(vq);
}

/*
 * Make the sequence odd (if first) and take the mapping away from readers.
 *
 * The raw_ writers: the odd section lasts from one invalidation's start
 * to the last overlapping one's end, across the mm's own locking and
 * possibly from one task to another, so it is not a lock a task holds.
 * With write_seqcount_begin() lockdep tracks it as one and reports a
 * circular dependency with the core's invalidate_range_start map (seen
 * on the debug kernel, and by the model's lock graph). No reader ever
 * waits for an even count (raw_read_seqcount, then the slow path), which
 * is why there is no deadlock for lockdep to find: mmu_interval_notifier
 * keeps its sequence outside lockdep for the same reason.
 *
 * For the same reason it is not KCSAN's either: the seqcount writers open
 * a per-task "atomic" region (kcsan_nestable_atomic_begin/end) in which
 * KCSAN checks none of the task's accesses. Begun by one task and ended by
 * another, it leaves the first unchecked for good and warns "Unbalanced
 * kcsan_nestable_atomic_end()" in the second (seen on the KCSAN kernel,
 * ksmd against the owner's exit). So each task closes the region it opened
 * around the sequence's own increment, and is checked in between.
 */
static struct mn_map *seqcount_begin_invalidation(struct mn_vq *vq)
{
	struct seqcount_state *ss = seqcount_state(vq);
	struct mn_map *map;

	spin_lock(&ss->lm.lock);
	if (ss->active++ == 0) {
		raw_write_seqcount_begin(&ss->seq);
		kcsan_nestable_atomic_end();
	}
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&ss->lm.lock);
	return map;
}

static int seqcount_invalidate_range_start(struct mn_vq *vq,
					   const struct mn_range *range)
{
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	map = seqcount_begin_invalidation(vq);
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
	spin_lock(&ss->lm.lock);
	if (--ss->active == 0) {
		kcsan_nestable_atomic_begin();
		raw_write_seqcount_end(&ss->seq);
	}
	spin_unlock(&ss->lm.lock);
}

/* Returns a mapping inside an RCU read section that read_end closes. */
static struct mn_map *seqcount_read_begin(struct mn_vq *vq,
					  unsigned long *cookie)
	__acquires(RCU)
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
	__releases(RCU)
{
	bool ok = !read_seqcount_retry(&seqcount_state(vq)->seq, cookie);

	rcu_read_unlock();
	return ok;
}

static bool seqcount_changed(struct mn_vq *vq, unsigned long snapshot)
{
	return read_seqcount_retry(&seqcount_state(vq)->seq, snapshot);
}

/*
 * Writes cannot be discarded afterwards, so they take the lock: start
 * clears vq->map under it while the sequence is odd, and no mapping is
 * installed until the sequence is even again.
 */
static void seqcount_establish_map(struct mn_vq *vq)
{
	unsigned int seq;

	if (READ_ONCE(vq->map))
		return;
	seq = raw_read_seqcount(&seqcount_state(vq)->seq);
	if (seq & 1)
		return;
	mn_locked_map_establish(vq, seq, seqcount_changed);
}

/* The worker is the only reader, so detach needs no grace period. */
MN_VQ_LOOP(mn_strategy_seqcount)

const struct mn_strategy mn_strategy_seqcount = {
	.name = "seqcount",
	.summary = "lockless reads in sequence sections, locked writes",
	.priv_size = sizeof(struct seqcount_state),
	.init = seqcount_init_state,
	.invalidate_range_start = seqcount_invalidate_range_start,
	.invalidate_range_end = seqcount_invalidate_range_end,
	.read_begin = seqcount_read_begin,
	.read_end = seqcount_read_end,
	.write_begin = mn_locked_map_begin,
	.write_end = mn_locked_map_write_end,
	.establish_map = seqcount_establish_map,
	.detach = mn_locked_map_detach,
	MN_VQ_LOOP_OPS(mn_strategy_seqcount),
};
