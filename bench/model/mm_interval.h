/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model mm's mmu_interval_notifiers, as the 6.1 core keeps them
 * (mm/mmu_notifier.c): subscriptions on address ranges, found for an
 * invalidation in O(log n + hits) so the ones it misses cost nothing,
 * and one sequence for the mm, odd from the start of an invalidation
 * that hit any subscription until the last one in flight ends.
 */
#ifndef MODEL_MM_INTERVAL_H
#define MODEL_MM_INTERVAL_H

#include "strategy.h"

struct mm_interval_sub {
	struct mm_itree *tree;
	struct mn_vq *vq;
	unsigned long start, last;	/* inclusive, as the core's */
	unsigned long invalidate_seq;	/* atomic */
};

struct mm_itree {
	spinlock_t lock;
	unsigned long invalidate_seq;	/* atomic; odd: invalidating */
	long active;			/* invalidations in flight */
	struct mm_interval_sub **subs;	/* by start */
	unsigned long *max_last;	/* max of last over subs[0..i] */
	unsigned int nsubs;
};

void mm_itree_init(struct mm_itree *t);
void mm_itree_destroy(struct mm_itree *t);
/*
 * Subscribe vq to invalidations of its metadata (vq->interval); at set-up
 * only, before any invalidation: the core defers an insert that comes
 * during one, which the model never needs. 0 or -ENOMEM.
 */
int mm_itree_insert(struct mm_itree *t, struct mn_vq *vq);

/*
 * An invalidation begins (every one, as the core counts them): returns
 * the sequence to pass to the subscriptions it hits, subs[*lo..*hi) the
 * ones that may overlap (check each with mm_itree_hits()).
 */
unsigned long mm_itree_inv_begin(struct mm_itree *t, const struct mn_range *r,
				 unsigned int *lo, unsigned int *hi);
static inline bool mm_itree_hits(const struct mm_interval_sub *sub,
				 const struct mn_range *r)
{
	return sub->start < r->end && r->start <= sub->last;
}
void mm_itree_inv_end(struct mm_itree *t);

#endif /* MODEL_MM_INTERVAL_H */
