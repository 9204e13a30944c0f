// SPDX-License-Identifier: GPL-2.0
#include "fastpath.h"
#include "model.h"
#include "vq/vq_access.h"

int fastpath_init(struct fastpath *fp, const struct mn_strategy *s,
		  unsigned int ring_size)
{
	struct vq_layout l;
	int ret;

	memset(fp, 0, sizeof(*fp));
	vq_layout(ring_size, &l);
	ret = mm_init(&fp->mm, l.pages, (u32)(l.pages * 2 + 16));
	if (!ret)
		ret = mm_populate(&fp->mm);
	if (ret)
		return ret;
	backend_init(&fp->backend, &fp->mm, GUP_PIN, 1, 0);
	fp->backend.access.check = false;
	ret = vq_setup(&fp->vq, s, ring_size, &l, 0, &fp->backend,
		       &fp->buf_base);
	if (ret)
		return ret;
	fp->vq_ready = true;
	fp->mm.vqs = NULL;	/* no notifier: nothing invalidates */
	ret = guest_init(&fp->guest, &fp->mm, &fp->vq, 1, &fp->buf_base, 1, 1,
			 0);
	if (ret)
		return ret;
	/* Nothing changes the ptes here, so the bare loop may keep them. */
	if (l.desc_pages != 1 || l.avail_pages != 1 || l.used_pages != 1)
		return 0;	/* the bare loop handles one-page rings only */
	fp->desc = fp->mm.frames[pte_frame(mm_pte(&fp->mm, 0))].data;
	fp->avail = fp->mm.frames[pte_frame(mm_pte(&fp->mm,
						   l.desc_pages))].data;
	fp->used = fp->mm.frames[pte_frame(mm_pte(&fp->mm, l.desc_pages +
						  l.avail_pages))].data;
	return 0;
}

void fastpath_destroy(struct fastpath *fp)
{
	if (fp->vq_ready) {
		mutex_lock(&fp->vq.mutex);
		mn_vq_reset_map(&fp->vq);
		mutex_unlock(&fp->vq.mutex);
		backend_quiescent(&fp->backend);
		mn_vq_destroy(&fp->vq);
	}
	guest_destroy(&fp->guest);
	if (fp->backend.access.mm)
		backend_destroy(&fp->backend);
	if (fp->mm.pte)
		mm_destroy(&fp->mm);
}

unsigned int fastpath_post(struct fastpath *fp)
{
	return guest_post(&fp->guest, 0);
}

unsigned int fastpath_reap(struct fastpath *fp)
{
	return guest_reap(&fp->guest, 0);
}

int fastpath_consume(struct fastpath *fp)
{
	int n;

	mutex_lock(&fp->vq.mutex);
	mn_vq_establish_map(&fp->vq);
	n = mn_vq_process(&fp->vq, fp->vq.num);
	mutex_unlock(&fp->vq.mutex);
	return n;
}

static u16 load16(const u8 *p)
{
	return __atomic_load_n((const u16 *)p, __ATOMIC_RELAXED);
}

/* mn_vq_process() for a mapping that is always valid, minus all layers. */
int fastpath_consume_bare(struct fastpath *fp)
{
	struct mn_vq *vq = &fp->vq;
	unsigned int done = 0;
	struct mn_vring_used_elem elem;
	struct mn_vring_desc d;
	struct mn_request req;
	u16 avail_idx, head;

	if (!fp->desc)
		return -EINVAL;
	avail_idx = load16(fp->avail + offsetof(struct mn_vring_avail, idx));
	/* The same barriers as mn_vq_process(), so the costs compare. */
	smp_rmb();
	while (vq->last_avail_idx != avail_idx) {
		unsigned long slot = vq->last_avail_idx & (vq->num - 1);

		head = load16(fp->avail + offsetof(struct mn_vring_avail, ring) +
			      slot * sizeof(u16));
		if (head >= vq->num)
			return -EINVAL;
		mem_copy_atomic(&d, fp->desc + head * sizeof(d), sizeof(d));
		if (mm_access(&fp->mm, d.addr, &req, sizeof(req), false))
			return -EFAULT;
		req.answer = mn_answer(req.seq, req.nonce);
		if (mm_access(&fp->mm, d.addr + offsetof(struct mn_request,
							 answer),
			      &req.answer, sizeof(req.answer), true))
			return -EFAULT;
		elem.id = head;
		elem.len = sizeof(req);
		slot = vq->last_used_idx & (vq->num - 1);
		mem_copy_atomic(fp->used + offsetof(struct mn_vring_used, ring) +
				slot * sizeof(elem), &elem, sizeof(elem));
		vq->last_avail_idx++;
		vq->last_used_idx++;
		done++;
	}
	smp_wmb();	/* entries before the index, as mn_vq_process() */
	__atomic_store_n((u16 *)(fp->used + offsetof(struct mn_vring_used, idx)),
			 vq->last_used_idx, __ATOMIC_RELAXED);
	return done;
}

double fastpath_access_ns(struct fastpath *fp, unsigned int n)
{
	unsigned long idx = fp->vq.avail + offsetof(struct mn_vring_avail, idx);
	u64 t0, t1;
	int ret;

	mutex_lock(&fp->vq.mutex);
	mn_vq_establish_map(&fp->vq);
	t0 = ktime_get_ns();
	ret = fp->vq.strategy->read_repeat(&fp->vq, idx, n);
	t1 = ktime_get_ns();
	mutex_unlock(&fp->vq.mutex);
	return ret || !n ? 0 : (double)(t1 - t0) / n;
}
