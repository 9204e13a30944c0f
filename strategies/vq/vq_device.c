// SPDX-License-Identifier: GPL-2.0
/*
 * Setting up and tearing down a vq. The device loop itself is in
 * vq_loop.h, compiled into each strategy.
 */
#include "vq_loop.h"

int mn_vq_init(struct mn_vq *vq, const struct mn_strategy *s,
	       unsigned int num, unsigned long desc, unsigned long avail,
	       unsigned long used, unsigned long page_size)
{
	unsigned long lo, hi;

	/* Without its own loop (MN_VQ_LOOP_OPS) a strategy cannot run. */
	if (!mn_vring_num_valid(num) || !s->process || !s->read_repeat)
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
	if (s->init) {
		int ret = s->init(vq);

		if (ret) {
			kfree(vq->priv);
			vq->priv = NULL;
		}
		return ret;
	}
	return 0;
}

void mn_vq_destroy(struct mn_vq *vq)
{
	kfree(vq->priv);
	vq->priv = NULL;
	mutex_destroy(&vq->mutex);
}

/*
 * The loops for an ops table built at run time (the tests' mutants): a
 * copied table's MN_VQ_LOOP() loops would call the original's accessors.
 */
int mn_vq_process_dynamic(struct mn_vq *vq, unsigned int budget)
{
	return mn_vq_process_as(vq, budget, vq->strategy);
}

int mn_vq_read_repeat_dynamic(struct mn_vq *vq, unsigned long uaddr,
			      unsigned int n)
{
	return mn_vq_read_repeat_as(vq, uaddr, n, vq->strategy);
}
