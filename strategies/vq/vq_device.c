// SPDX-License-Identifier: GPL-2.0
/*
 * The device loop of the vhost-like worker: read the avail ring, answer
 * each request in its buffer, publish it in the used ring. Shared by the
 * module and the model so both measure the same per-buffer work.
 */
#include "vq_access.h"

int mn_vq_init(struct mn_vq *vq, const struct mn_strategy *s,
	       unsigned int num, unsigned long desc, unsigned long avail,
	       unsigned long used, unsigned long page_size)
{
	unsigned long lo, hi;

	if (!mn_vring_num_valid(num))
		return -EINVAL;
	mutex_init(&vq->mutex);
	spin_lock_init(&vq->retire_lock);
	vq->num = num;
	vq->desc = desc;
	vq->avail = avail;
	vq->used = used;
	lo = desc < avail ? desc : avail;
	lo = lo < used ? lo : used;
	hi = desc + mn_vring_desc_size(num);
	if (avail + mn_vring_avail_size(num) > hi)
		hi = avail + mn_vring_avail_size(num);
	if (used + mn_vring_used_size(num) > hi)
		hi = used + mn_vring_used_size(num);
	vq->meta_start = lo & ~(page_size - 1);
	vq->meta_end = (hi + page_size - 1) & ~(page_size - 1);
	vq->strategy = s;
	vq->map = NULL;
	vq->retired = NULL;
	vq->last_avail_idx = 0;
	vq->last_used_idx = 0;
	vq->stopped = MN_VQ_RUNNING;
	vq->stop_detail = 0;
	memset(&vq->stats, 0, sizeof(vq->stats));
	vq->priv = NULL;
	if (s->priv_size) {
		vq->priv = kzalloc(s->priv_size, GFP_KERNEL);
		if (!vq->priv)
			return -ENOMEM;
	}
	return s->init ? s->init(vq) : 0;
}

void mn_vq_destroy(struct mn_vq *vq)
{
	kfree(vq->priv);
	vq->priv = NULL;
	mutex_destroy(&vq->mutex);
}

static int mn_vq_handle_buffer(struct mn_vq *vq,
			       const struct mn_vring_desc *d, u32 *written)
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
static int mn_vq_enable_notify(struct mn_vq *vq)
{
	u16 event = vq->last_avail_idx;

	return mn_vq_write(vq, vq->used + offsetof(struct mn_vring_used, ring) +
			   vq->num * sizeof(struct mn_vring_used_elem),
			   &event, sizeof(event)) ? -EFAULT : 0;
}

static int mn_vq_stop(struct mn_vq *vq, enum mn_vq_stop why, u64 detail)
{
	vq->stopped = why;
	vq->stop_detail = detail;
	return -EINVAL;
}

int mn_vq_process(struct mn_vq *vq, unsigned int budget)
{
	struct mn_vring_used_elem elem;
	struct mn_vring_desc d;
	unsigned int done = 0;
	u16 avail_idx, head, used_idx;
	int ret;

	if (unlikely(vq->stopped))
		return -EINVAL;
	ret = mn_vq_read(vq, vq->avail + offsetof(struct mn_vring_avail, idx),
			 &avail_idx, sizeof(avail_idx));
	if (ret)
		return ret;
	if (vq->last_avail_idx == avail_idx)
		return mn_vq_enable_notify(vq);
	/* More new entries than the ring holds: the index is garbage. */
	if (unlikely((u16)(avail_idx - vq->last_avail_idx) > vq->num))
		return mn_vq_stop(vq, MN_VQ_STOP_AVAIL_IDX, avail_idx);
	/* Read ring entries only after the index that covers them. */
	smp_rmb();
	while (vq->last_avail_idx != avail_idx && done < budget) {
		unsigned long slot = vq->last_avail_idx & (vq->num - 1);

		ret = mn_vq_read(vq, vq->avail +
				 offsetof(struct mn_vring_avail, ring) +
				 slot * sizeof(u16), &head, sizeof(head));
		if (ret)
			break;
		if (unlikely(head >= vq->num)) {
			/* A stale or hostile ring: skip, never index with it. */
			vq->stats.bad_heads++;
			vq->last_avail_idx++;
			continue;
		}
		/* The mapping bypasses uaccess and its speculation barrier. */
		head = array_index_nospec(head, vq->num);
		ret = mn_vq_read(vq, vq->desc + head * sizeof(d), &d,
				 sizeof(d));
		if (ret)
			break;
		elem.id = head;
		ret = mn_vq_handle_buffer(vq, &d, &elem.len);
		if (ret) {
			/* The ring was read: the buffer is what faulted. */
			ret = mn_vq_stop(vq, MN_VQ_STOP_DESC_FAULT, head);
			break;
		}
		slot = vq->last_used_idx & (vq->num - 1);
		ret = mn_vq_write(vq, vq->used +
				  offsetof(struct mn_vring_used, ring) +
				  slot * sizeof(elem), &elem, sizeof(elem));
		if (ret)
			break;
		vq->last_avail_idx++;
		vq->last_used_idx++;
		done++;
	}
	if (done) {
		/* Publish the entries before the index that covers them. */
		smp_wmb();
		used_idx = vq->last_used_idx;
		if (mn_vq_write(vq, vq->used +
				offsetof(struct mn_vring_used, idx),
				&used_idx, sizeof(used_idx)))
			return -EFAULT;
	}
	return done ? (int)done : ret;
}
