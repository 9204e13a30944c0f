// SPDX-License-Identifier: GPL-2.0
#include <sched.h>
#include <stdio.h>

#include "events.h"
#include "guest.h"
#include "thread.h"
#include "vq/vring.h"

#define GUEST_BATCH	16

/* The guest's own view of a vq: it shares ring memory, not driver state. */
struct guest_vq {
	unsigned int num;
	unsigned long desc, avail, used;
	unsigned long buf_base;
	u16 avail_idx;
	u16 last_used;
	u16 *free;
	unsigned int nfree;
	bool *busy;
	u64 *seq;
	u64 *nonce;
	u64 next_seq;
};

int guest_init(struct guest *gs, struct mm *mm, struct mn_vq *vqs,
	       unsigned int nvqs, const unsigned long *buf_base, u64 seed,
	       unsigned int nactive, u64 wake_interval_ns)
{
	unsigned int i, d;

	memset(gs, 0, sizeof(*gs));
	gs->mm = mm;
	gs->nvqs = nvqs;
	gs->nactive = nactive;
	gs->wake_interval_ns = wake_interval_ns;
	gs->rng = seed ^ 0x6775657374ull;
	gs->g = kcalloc(nvqs, sizeof(*gs->g), GFP_KERNEL);
	if (!gs->g)
		return -ENOMEM;
	for (i = 0; i < nvqs; i++) {
		struct guest_vq *g = &gs->g[i];
		unsigned int num = vqs[i].num;

		g->num = num;
		g->desc = vqs[i].desc;
		g->avail = vqs[i].avail;
		g->used = vqs[i].used;
		g->buf_base = buf_base[i];
		g->free = kcalloc(num, sizeof(*g->free), GFP_KERNEL);
		g->busy = kcalloc(num, sizeof(*g->busy), GFP_KERNEL);
		g->seq = kcalloc(num, sizeof(*g->seq), GFP_KERNEL);
		g->nonce = kcalloc(num, sizeof(*g->nonce), GFP_KERNEL);
		if (!g->free || !g->busy || !g->seq || !g->nonce)
			return -ENOMEM;
		for (d = 0; d < num; d++)
			g->free[d] = (u16)(num - 1 - d);
		g->nfree = num;
	}
	return 0;
}

void guest_destroy(struct guest *gs)
{
	unsigned int i;

	for (i = 0; gs->g && i < gs->nvqs; i++) {
		kfree(gs->g[i].free);
		kfree(gs->g[i].busy);
		kfree(gs->g[i].seq);
		kfree(gs->g[i].nonce);
	}
	kfree(gs->g);
	gs->g = NULL;
}

static void guest_write(struct guest *gs, unsigned long uaddr,
			const void *src, size_t len)
{
	mm_access(gs->mm, uaddr, (void *)src, len, true);
}

/* 0, or -EFAULT once the process has exited. */
static int guest_read(struct guest *gs, unsigned long uaddr, void *dst,
		      size_t len)
{
	return mm_access(gs->mm, uaddr, dst, len, false);
}

static unsigned int post(struct guest *gs, struct guest_vq *g,
			 unsigned int batch)
{
	unsigned int n = 0;

	while (g->nfree && n < batch) {
		u16 d = g->free[--g->nfree];
		struct mn_request req = {
			.seq = g->next_seq++,
			.nonce = rng_next(&gs->rng),
		};
		struct mn_vring_desc desc = {
			.addr = g->buf_base + (u64)d * MN_BUF_SIZE,
			.len = MN_BUF_SIZE,
			.flags = MN_VRING_DESC_F_WRITE,
		};
		unsigned long slot = g->avail_idx & (g->num - 1);

		g->busy[d] = true;
		g->seq[d] = req.seq;
		g->nonce[d] = req.nonce;
		guest_write(gs, desc.addr, &req, sizeof(req));
		guest_write(gs, g->desc + d * sizeof(desc), &desc,
			    sizeof(desc));
		guest_write(gs, g->avail +
			    offsetof(struct mn_vring_avail, ring) +
			    slot * sizeof(u16), &d, sizeof(d));
		g->avail_idx++;
		n++;
	}
	if (n) {
		guest_write(gs, g->avail + offsetof(struct mn_vring_avail, idx),
			    &g->avail_idx, sizeof(g->avail_idx));
		gs->buffers.posted += n;
		__atomic_add_fetch(&gs->outstanding, n, __ATOMIC_RELAXED);
	}
	return n;
}

static void corrupted(struct guest *gs, unsigned int vqi, const char *why,
		      u32 id)
{
	if (!gs->buffers.corrupted++)
		snprintf(gs->first_corruption, sizeof(gs->first_corruption),
			 "vq %u: used element id %u: %s", vqi, id, why);
}

unsigned int guest_reap(struct guest *gs, unsigned int vqi)
{
	struct guest_vq *g = &gs->g[vqi];
	struct mn_vring_used_elem elem;
	struct mn_request req;
	unsigned int n = 0;
	u16 used_idx;

	/* Nothing to reap in memory that is gone: the guest died with it. */
	if (guest_read(gs, g->used + offsetof(struct mn_vring_used, idx),
		       &used_idx, sizeof(used_idx)))
		return 0;
	while (g->last_used != used_idx) {
		unsigned long slot = g->last_used & (g->num - 1);

		if (guest_read(gs, g->used +
			       offsetof(struct mn_vring_used, ring) +
			       slot * sizeof(elem), &elem, sizeof(elem)))
			break;
		g->last_used++;
		n++;
		if (elem.id >= g->num || !g->busy[elem.id]) {
			corrupted(gs, vqi, "not outstanding (duplicate or stale)",
				  elem.id);
			continue;
		}
		if (guest_read(gs, g->buf_base + (u64)elem.id * MN_BUF_SIZE,
			       &req, sizeof(req)))
			break;
		g->busy[elem.id] = false;
		g->free[g->nfree++] = (u16)elem.id;
		__atomic_sub_fetch(&gs->outstanding, 1, __ATOMIC_RELAXED);
		if (req.seq != g->seq[elem.id] ||
		    req.answer != mn_answer(g->seq[elem.id], g->nonce[elem.id]) ||
		    elem.len != sizeof(req))
			corrupted(gs, vqi, "wrong answer or length", elem.id);
		else
			gs->buffers.completed++;
	}
	if (n)
		__atomic_add_fetch(&gs->progress, n, __ATOMIC_RELAXED);
	return n;
}

unsigned int guest_post(struct guest *gs, unsigned int vqi)
{
	return post(gs, &gs->g[vqi], gs->g[vqi].num);
}

/* Idle queues wake one after another: until then, their rings stay zero. */
static bool awake(struct guest *gs, unsigned int i)
{
	if (i < gs->nactive)
		return true;
	return ktime_get_ns() - gs->t0 >=
	       (i - gs->nactive + 1) * gs->wake_interval_ns;
}

/*
 * Nothing to post or reap: poll a little, then sleep longer and longer,
 * as a guest driver goes from busy polling to waiting for an interrupt,
 * so it leaves the CPU to the invalidators it shares it with.
 */
static void backoff(unsigned int *idle)
{
	struct timespec ts = { 0, 0 };

	if (++*idle < 16) {
		sched_yield();
		return;
	}
	ts.tv_nsec = 1000l << (*idle < 22 ? *idle - 16 : 6);
	nanosleep(&ts, NULL);
}

void guest_run(struct guest *gs)
{
	unsigned int i, work, idle = 0;

	mt_set_activity("guest: post and reap");
	gs->t0 = ktime_get_ns();
	/* The guest is the process: it ends with it (load exit). */
	while (!__atomic_load_n(&gs->stop, __ATOMIC_ACQUIRE) &&
	       !mm_exited(gs->mm)) {
		bool posting = !__atomic_load_n(&gs->stop_posting,
						__ATOMIC_ACQUIRE);

		/* No post() is under way: outstanding can only fall now. */
		if (!posting)
			__atomic_store_n(&gs->posting_stopped, true,
					 __ATOMIC_RELEASE);
		work = 0;
		for (i = 0; i < gs->nvqs; i++) {
			if (posting && awake(gs, i))
				work += post(gs, &gs->g[i], GUEST_BATCH);
			work += guest_reap(gs, i);
		}
		if (work)
			idle = 0;
		else
			backoff(&idle);
	}
}
