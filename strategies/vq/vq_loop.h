/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device loop of the vhost-like worker: read the avail ring, answer
 * each request in its buffer, publish it in the used ring. Shared by the
 * module and the model so both measure the same per-buffer work.
 *
 * Each strategy file instantiates it with MN_VQ_LOOP(), so the loop calls
 * that strategy's accessors directly and the compiler inlines them, as in
 * vhost, where the accessors are plain code. Through function pointers,
 * two indirect calls per metadata access (retpolines in the kernel) would
 * cost more than the cheaper strategies' own synchronization.
 */
#ifndef MN_VQ_LOOP_H
#define MN_VQ_LOOP_H

#include "vq_access.h"

static __always_inline int
mn_vq_handle_buffer(struct mn_vq *vq, const struct mn_vring_desc *d,
		    u32 *written)
{
	struct mn_request req;
	u64 answer;

	*written = 0;
	if (d->len < sizeof(req) || !(d->flags & MN_VRING_DESC_F_WRITE))
		return 0;
	if (mn_copy_from_user(vq, &req, d->addr, sizeof(req)))
		return -EFAULT;
	answer = mn_answer(req.seq, req.nonce);
	if (mn_copy_to_user(vq, d->addr + offsetof(struct mn_request, answer),
			    &answer, sizeof(answer)))
		return -EFAULT;
	*written = sizeof(req);
	return 0;
}

/*
 * An empty ring: ask to be kicked at the next buffer, as vhost does with
 * VIRTIO_RING_F_EVENT_IDX, by writing avail_event into the used ring.
 * So an idle queue's used ring is written, with the same value each time.
 */
static __always_inline int mn_vq_enable_notify(struct mn_vq *vq,
					       const struct mn_strategy *s,
					       struct mn_vq_tally *t)
{
	u16 event = vq->last_avail_idx;

	return mn_vq_write(vq, s, t, vq->used +
			   offsetof(struct mn_vring_used, ring) +
			   vq->num * sizeof(struct mn_vring_used_elem),
			   &event, sizeof(event)) ? -EFAULT : 0;
}

static inline int mn_vq_stop(struct mn_vq *vq, enum mn_vq_stop why,
			     u64 detail)
{
	vq->stopped = why;
	vq->stop_detail = detail;
	return -EINVAL;
}

/* One buffer: its avail entry, descriptor, request and used entry. */
static __always_inline int mn_vq_process_one(struct mn_vq *vq,
					     const struct mn_strategy *s,
					     struct mn_vq_tally *t)
{
	unsigned long slot = vq->last_avail_idx & (vq->num - 1);
	struct mn_vring_used_elem elem;
	struct mn_vring_desc d;
	u16 head;
	int ret;

	ret = mn_vq_read(vq, s, t, vq->avail +
			 offsetof(struct mn_vring_avail, ring) +
			 slot * sizeof(u16), &head, sizeof(head));
	if (ret)
		return ret;
	if (unlikely(head >= vq->num)) {
		/* A stale or hostile ring: skip, never index with it. */
		vq->stats.bad_heads++;
		vq->last_avail_idx++;
		return 1;
	}
	/* The mapping bypasses uaccess and its speculation barrier. */
	head = array_index_nospec(head, vq->num);
	ret = mn_vq_read(vq, s, t, vq->desc + head * sizeof(d), &d,
			 sizeof(d));
	if (ret)
		return ret;
	elem.id = head;
	/* The ring was read: the buffer is what faulted. */
	if (mn_vq_handle_buffer(vq, &d, &elem.len))
		return mn_vq_stop(vq, MN_VQ_STOP_DESC_FAULT, head);
	slot = vq->last_used_idx & (vq->num - 1);
	ret = mn_vq_write(vq, s, t, vq->used +
			  offsetof(struct mn_vring_used, ring) +
			  slot * sizeof(elem), &elem, sizeof(elem));
	if (ret)
		return ret;
	vq->last_avail_idx++;
	vq->last_used_idx++;
	return 0;
}

static __always_inline int mn_vq_process_tallied(struct mn_vq *vq,
						 unsigned int budget,
						 const struct mn_strategy *s,
						 struct mn_vq_tally *t)
{
	unsigned int done = 0;
	u16 avail_idx, used_idx;
	int ret;

	if (unlikely(vq->stopped))
		return -EINVAL;
	ret = mn_vq_read(vq, s, t, vq->avail +
			 offsetof(struct mn_vring_avail, idx),
			 &avail_idx, sizeof(avail_idx));
	if (ret)
		return ret;
	if (vq->last_avail_idx == avail_idx)
		return mn_vq_enable_notify(vq, s, t);
	/* More new entries than the ring holds: the index is garbage. */
	if (unlikely((u16)(avail_idx - vq->last_avail_idx) > vq->num))
		return mn_vq_stop(vq, MN_VQ_STOP_AVAIL_IDX, avail_idx);
	/* Read ring entries only after the index that covers them. */
	smp_rmb();
	while (vq->last_avail_idx != avail_idx && done < budget) {
		ret = mn_vq_process_one(vq, s, t);
		if (ret > 0)
			continue;	/* a bad head, skipped */
		if (ret)
			break;
		done++;
	}
	if (done) {
		/* Publish the entries before the index that covers them. */
		smp_wmb();
		used_idx = vq->last_used_idx;
		if (mn_vq_write(vq, s, t, vq->used +
				offsetof(struct mn_vring_used, idx),
				&used_idx, sizeof(used_idx)))
			return -EFAULT;
	}
	return done ? (int)done : ret;
}

/* mn_vq_process() (vq_access.h) with s == vq->strategy. */
static __always_inline int mn_vq_process_as(struct mn_vq *vq,
					    unsigned int budget,
					    const struct mn_strategy *s)
{
	struct mn_vq_tally t = { 0 };
	int ret = mn_vq_process_tallied(vq, budget, s, &t);

	mn_vq_tally_flush(vq, &t);
	return ret;
}

/* Reads the u16 at uaddr n times: the per-access cost benchmark. */
static __always_inline int mn_vq_read_repeat_as(struct mn_vq *vq,
						unsigned long uaddr,
						unsigned int n,
						const struct mn_strategy *s)
{
	struct mn_vq_tally t = { 0 };
	unsigned int i;
	int ret = 0;
	u16 v;

	for (i = 0; i < n && !ret; i++)
		ret = mn_vq_read(vq, s, &t, uaddr, &v, sizeof(v));
	mn_vq_tally_flush(vq, &t);
	return ret;
}

/*
 * In a strategy file, before its struct mn_strategy sym: defines the
 * strategy's copies of the loops, which MN_VQ_LOOP_OPS(sym) plugs in.
 */
#define MN_VQ_LOOP(sym)							\
	extern const struct mn_strategy sym;				\
	static int sym##_process(struct mn_vq *vq, unsigned int budget)	\
	{								\
		return mn_vq_process_as(vq, budget, &sym);		\
	}								\
	static int sym##_read_repeat(struct mn_vq *vq,			\
				     unsigned long uaddr, unsigned int n) \
	{								\
		return mn_vq_read_repeat_as(vq, uaddr, n, &sym);	\
	}

/* The same, calling vq->strategy's accessors through their pointers. */
int mn_vq_process_dynamic(struct mn_vq *vq, unsigned int budget);
int mn_vq_read_repeat_dynamic(struct mn_vq *vq, unsigned long uaddr,
			      unsigned int n);

#define MN_VQ_LOOP_OPS(sym)						\
	.process = sym##_process,					\
	.read_repeat = sym##_read_repeat

#endif /* MN_VQ_LOOP_H */
