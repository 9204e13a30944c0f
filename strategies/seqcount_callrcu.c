// SPDX-License-Identifier: GPL-2.0
/*
 * The V3/V4 design of the 2019 "Fixes for vhost metadata acceleration"
 * series (2019-08-07, patch "vhost: do not use RCU to synchronize MMU
 * notifier with worker"): the worker takes the *write* side of a per-vq
 * seqcount around every metadata access, and the notifier's start, once
 * it has taken the map away under mmu_lock, waits until a worker it saw
 * inside an access (odd count) has left it, then releases the map.
 * Reviewers judged it no better than a spinlock once the read-side
 * barrier it lacked was added.
 *
 * As the series wrote it:
 *   - worker: write_seqcount_begin(); map = vq->maps[..]; access;
 *     write_seqcount_end() (vhost_vq_access_map_begin/end);
 *   - start: not overlapping, 0; not blockable, -EAGAIN; under mmu_lock
 *     ++invalidate_count and take the map; then smp_mb(), read the count
 *     and, if odd, spin until it changes (vhost_vq_sync_access), smp_mb(),
 *     dirty and release the map;
 *   - end: under mmu_lock --invalidate_count; prefetch only at count 0.
 * Reconstructed:
 *   - the name: the public record has no call_rcu() in V3 or V4.
 *     call_rcu() + a completion in place of synchronize_rcu() was a
 *     proposal in V1's review, and is what synchronize_rcu() does inside;
 *     the seqcount that replaced RCU in V3/V4 is what is built here;
 *   - raw_write_seqcount_*: 6.1 requires preemption off around
 *     write_seqcount_begin() on a plain seqcount_t, which 5.3 did not;
 *     raw_ keeps 5.3's behaviour (a preempted worker keeps the count odd
 *     and start waits for it to run);
 *   - the map is built outside the lock (helpers/counted_map.h).
 * Against the 6.1 core, -EAGAIN with an end callback breaks the contract
 * (the core WARNs, then calls end for the failed start), so the module
 * runs it only with allow_dangerous=1.
 * What the model cannot see: its threads are sequentially consistent.
 * The write side orders stores only, so a CPU may load vq->map before
 * its store of the odd count is visible, and start then frees a map the
 * worker is about to use: the barrier the review asked for
 * (docs/history/seqcount_callrcu.md).
 */
#include "helpers/counted_map.h"
#include "vq/vq_loop.h"

struct seqcount_callrcu_state {
	struct mn_counted_map cm;	/* first: the helpers' state */
	seqcount_t seq;			/* odd while the worker accesses */
};

static struct seqcount_callrcu_state *scr_state(struct mn_vq *vq)
{
	return vq->priv;
}

static int scr_init(struct mn_vq *vq)
{
	seqcount_init(&scr_state(vq)->seq);
	return mn_locked_map_init(vq);
}

/* vhost_vq_sync_access(): wait out an access in progress, if any. */
static void scr_sync_access(struct mn_vq *vq)
{
	struct seqcount_callrcu_state *ss = scr_state(vq);
	unsigned int seq;

	smp_mb();	/* map = NULL before the count is read */
	seq = raw_read_seqcount(&ss->seq);
	if (seq & 1)
		mn_spin_until(raw_read_seqcount(&ss->seq) != seq,
			      "the worker to leave its access");
	smp_mb();	/* the worker's access before the release */
}

static int scr_invalidate_range_start(struct mn_vq *vq,
				      const struct mn_range *range)
{
	struct mn_map *map;

	if (!mn_range_overlaps_vq(vq, range))
		return 0;
	if (!range->blockable)
		return -EAGAIN;
	map = mn_counted_map_take(vq);
	if (map) {
		scr_sync_access(vq);
		mn_vq_drop_map(vq, map, true);
	}
	return 0;
}

/* vhost_vq_access_map_begin(): the worker's side is the write side. */
static struct mn_map *scr_access_begin(struct mn_vq *vq,
				       unsigned long *cookie)
{
	struct seqcount_callrcu_state *ss = scr_state(vq);
	struct mn_map *map;

	(void)cookie;
	raw_write_seqcount_begin(&ss->seq);
	map = READ_ONCE(vq->map);
	if (!map)
		raw_write_seqcount_end(&ss->seq);
	return map;
}

static bool scr_read_end(struct mn_vq *vq, unsigned long cookie)
{
	(void)cookie;
	raw_write_seqcount_end(&scr_state(vq)->seq);
	return true;
}

static void scr_write_end(struct mn_vq *vq, unsigned long cookie)
{
	(void)cookie;
	raw_write_seqcount_end(&scr_state(vq)->seq);
}

/* The worker is the only one inside an access: nothing to wait for. */
MN_VQ_LOOP(mn_strategy_seqcount_callrcu)

const struct mn_strategy mn_strategy_seqcount_callrcu = {
	.name = "seqcount_callrcu",
	.summary = "worker holds a seqcount's write side, start waits (2019 V3/V4)",
	.priv_size = sizeof(struct seqcount_callrcu_state),
	.init = scr_init,
	.invalidate_range_start = scr_invalidate_range_start,
	.invalidate_range_end = mn_counted_map_end,
	.read_begin = scr_access_begin,
	.read_end = scr_read_end,
	.write_begin = scr_access_begin,
	.write_end = scr_write_end,
	.establish_map = mn_counted_map_establish,
	.detach = mn_locked_map_detach,
	MN_VQ_LOOP_OPS(mn_strategy_seqcount_callrcu),
};
