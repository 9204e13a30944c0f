// SPDX-License-Identifier: GPL-2.0
/* Its own READ_ONCEs are bookkeeping; its lock is a point. */
#define MN_NO_SCHED_POINTS
#include "mm_interval.h"
#include "scheduler.h"

void mm_itree_init(struct mm_itree *t)
{
	memset(t, 0, sizeof(*t));
	spin_lock_init(&t->lock);
	t->invalidate_seq = 2;	/* even: idle, as the core starts it */
}

void mm_itree_destroy(struct mm_itree *t)
{
	unsigned int i;

	for (i = 0; i < t->nsubs; i++) {
		t->subs[i]->vq->interval = NULL;
		kfree(t->subs[i]);
	}
	kfree(t->subs);
	kfree(t->max_last);
	t->subs = NULL;
	t->max_last = NULL;
	t->nsubs = 0;
}

int mm_itree_insert(struct mm_itree *t, struct mn_vq *vq)
{
	struct mm_interval_sub *sub = kzalloc(sizeof(*sub), GFP_KERNEL);
	unsigned int i, n = t->nsubs + 1;
	struct mm_interval_sub **subs = kcalloc(n, sizeof(*subs), GFP_KERNEL);
	unsigned long *max_last = kcalloc(n, sizeof(*max_last), GFP_KERNEL);

	if (!sub || !subs || !max_last) {
		kfree(sub);
		kfree(subs);
		kfree(max_last);
		return -ENOMEM;
	}
	sub->tree = t;
	sub->vq = vq;
	sub->start = vq->meta_start;
	sub->last = vq->meta_end - 1;
	/* Odd and not the mm's: read_begin does not wait. */
	sub->invalidate_seq = t->invalidate_seq - 1;
	spin_lock(&t->lock);
	for (i = 0; i < t->nsubs && t->subs[i]->start <= sub->start; i++)
		subs[i] = t->subs[i];
	subs[i] = sub;
	for (; i < t->nsubs; i++)
		subs[i + 1] = t->subs[i];
	for (i = 0; i < n; i++)
		max_last[i] = i && max_last[i - 1] > subs[i]->last ?
			      max_last[i - 1] : subs[i]->last;
	kfree(t->subs);
	kfree(t->max_last);
	t->subs = subs;
	t->max_last = max_last;
	t->nsubs = n;
	spin_unlock(&t->lock);
	vq->interval = sub;
	return 0;
}

/* The first index whose key is at least key: keys non-decreasing. */
static unsigned int lower_bound(const struct mm_itree *t, unsigned long key,
				bool by_max_last)
{
	unsigned int lo = 0, hi = t->nsubs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((by_max_last ? t->max_last[mid] : t->subs[mid]->start) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

unsigned long mm_itree_inv_begin(struct mm_itree *t, const struct mn_range *r,
				 unsigned int *lo, unsigned int *hi)
{
	unsigned long seq;
	unsigned int i;

	/* Subscriptions change only at set-up: no lock for the lookup. */
	*lo = lower_bound(t, r->start, true);
	*hi = lower_bound(t, r->end, false);
	spin_lock(&t->lock);
	t->active++;
	for (i = *lo; i < *hi; i++) {
		if (mm_itree_hits(t->subs[i], r)) {
			/* Hit: readers of any subscription must retry. */
			WRITE_ONCE(t->invalidate_seq, t->invalidate_seq | 1);
			break;
		}
	}
	seq = t->invalidate_seq;
	spin_unlock(&t->lock);
	return seq;
}

void mm_itree_inv_end(struct mm_itree *t)
{
	spin_lock(&t->lock);
	if (!--t->active && (t->invalidate_seq & 1))
		WRITE_ONCE(t->invalidate_seq, t->invalidate_seq + 1);
	spin_unlock(&t->lock);
}

/* The backend hooks of vq.h, for the model. */
unsigned long mn_interval_read_begin(struct mn_vq *vq)
{
	struct mm_interval_sub *sub = vq->interval;
	struct mm_itree *t;
	unsigned long seq;
	bool invalidating;
	SCHED_MODEL_SCOPE();

	if (!sub)
		return 0;
	t = sub->tree;
	might_sleep();
	spin_lock(&t->lock);
	seq = READ_ONCE(sub->invalidate_seq);
	invalidating = seq == t->invalidate_seq;
	spin_unlock(&t->lock);
	/* The core sleeps on a wait queue until that invalidation ends. */
	if (invalidating)
		mn_spin_until(READ_ONCE(t->invalidate_seq) != seq,
			      "an invalidation of the interval to end");
	return seq;
}

bool mn_interval_read_retry(struct mn_vq *vq, unsigned long seq)
{
	struct mm_interval_sub *sub = vq->interval;
	SCHED_MODEL_SCOPE();

	return !sub || sub->invalidate_seq != seq;
}

void mn_interval_set_seq(struct mn_vq *vq, unsigned long cur_seq)
{
	struct mm_interval_sub *sub = vq->interval;
	SCHED_MODEL_SCOPE();

	if (sub)
		WRITE_ONCE(sub->invalidate_seq, cur_seq);
}
