/* SPDX-License-Identifier: GPL-2.0 */
/* The worker's view of a vq: accessors, the device loop, mapping upkeep. */
#ifndef MN_VQ_ACCESS_H
#define MN_VQ_ACCESS_H

#include "../strategy.h"
#include "vring.h"

/*
 * How a batch's accesses went, counted in locals and added to vq->stats
 * once per batch: a store into *vq per access would make the compiler
 * reload the vq's fields after each, a cost the kernel's vhost never had.
 */
struct mn_vq_tally {
	unsigned int map_reads;
	unsigned int map_writes;
	unsigned int fallbacks;
	unsigned int retries;
};

static inline void mn_vq_tally_flush(struct mn_vq *vq,
				     const struct mn_vq_tally *t)
{
	vq->stats.map_reads += t->map_reads;
	vq->stats.map_writes += t->map_writes;
	vq->stats.fallbacks += t->fallbacks;
	vq->stats.retries += t->retries;
}

/*
 * A metadata access through the strategy's mapping if it hands one out,
 * through the slow path (copy_from_user/put_user) otherwise, as the 2019
 * vhost patch did. s is vq->strategy, passed so that a caller compiled
 * for one strategy (vq_loop.h) calls its accessors directly, inlined, as
 * vhost's own code would, instead of through pointers.
 */
static __always_inline int mn_vq_read(struct mn_vq *vq,
				      const struct mn_strategy *s,
				      struct mn_vq_tally *t,
				      unsigned long uaddr, void *dst,
				      size_t len)
{
	unsigned long cookie = 0;	/* a begin that hands out no cookie */
	struct mn_map *map;
	bool judged, ok;

	if (s->read_begin) {
		map = s->read_begin(vq, &cookie);
		if (map) {
			judged = mn_map_read(vq, map, uaddr, dst, len);
			ok = s->read_end(vq, cookie);
			if (unlikely(judged))
				mn_map_read_done(vq, ok);
			if (likely(ok)) {
				t->map_reads++;
				return 0;
			}
			t->retries++;
		}
	}
	t->fallbacks++;
	return mn_copy_from_user(vq, dst, uaddr, len);
}

static __always_inline int mn_vq_write(struct mn_vq *vq,
				       const struct mn_strategy *s,
				       struct mn_vq_tally *t,
				       unsigned long uaddr, const void *src,
				       size_t len)
{
	unsigned long cookie = 0;	/* a begin that hands out no cookie */
	struct mn_map *map;

	if (s->write_begin) {
		map = s->write_begin(vq, &cookie);
		if (map) {
			mn_map_write(vq, map, uaddr, src, len);
			s->write_end(vq, cookie);
			t->map_writes++;
			return 0;
		}
	}
	t->fallbacks++;
	return mn_copy_to_user(vq, uaddr, src, len);
}

/*
 * A list of mappings to release later, at the worker's next quiescent
 * point, under its own spinlock (a vq's retired mappings, the module's
 * dead ones): push one; or take them all and release each, the lock
 * dropped, since releasing may sleep.
 */
void mn_map_list_push(spinlock_t *lock, struct mn_map **head,
		      struct mn_map *map);
void mn_map_list_drain(spinlock_t *lock, struct mn_map **head,
		       void (*release)(struct mn_map *map, void *arg),
		       void *arg);
/* Worker, vq mutex held: release mappings the notifiers left behind. */
void mn_vq_reap(struct mn_vq *vq);
/* Worker, vq mutex held: drop the mapping (ring reset, teardown). */
void mn_vq_reset_map(struct mn_vq *vq);
/*
 * The notifier's ->release, for one vq: the strategy's own, or its
 * invalidate_range_start over the whole address space, blockable, that no
 * end will ever close (KVM's release zaps everything for good as well).
 */
void mn_vq_release(struct mn_vq *vq);
/* Worker, vq mutex held: have the strategy (re-)establish its mapping. */
void mn_vq_establish_map(struct mn_vq *vq);

/*
 * Worker, vq mutex held: consume up to budget buffers. Returns how many,
 * -EFAULT if the ring could not be accessed at all (try again later), or
 * -EINVAL once the guest broke the ring's rules: the vq is stopped and
 * vq->stopped says why, as vhost's vq_err(). The strategy's own copy of
 * the loop (vq_loop.h).
 */
static inline int mn_vq_process(struct mn_vq *vq, unsigned int budget)
{
	return vq->strategy->process(vq, budget);
}

/* Set up ring addresses and strategy state; 0 or -errno. */
int mn_vq_init(struct mn_vq *vq, const struct mn_strategy *s,
	       unsigned int num, unsigned long desc, unsigned long avail,
	       unsigned long used, unsigned long page_size);
void mn_vq_destroy(struct mn_vq *vq);

#endif /* MN_VQ_ACCESS_H */
