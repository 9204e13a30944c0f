/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest driver: posts buffers on every vq through the page table (so
 * its writes fault and COW like a real guest's) and checks every
 * completion: each buffer exactly once, with the right answer.
 */
#ifndef MODEL_GUEST_H
#define MODEL_GUEST_H

#include "mm.h"
#include "model.h"

struct guest_vq;

struct guest {
	struct mm *mm;
	struct guest_vq *g;
	unsigned int nvqs;
	unsigned int nactive;	/* the rest start idle */
	u64 wake_interval_ns;	/* idle vq k wakes at (k + 1) intervals */
	u64 t0;
	u64 rng;
	bool stop_posting;	/* atomic: drain phase */
	bool posting_stopped;	/* atomic: the guest saw stop_posting */
	bool stop;		/* atomic */
	u64 outstanding;	/* atomic: posted, not yet completed */
	u64 progress;		/* atomic: completions so far */
	struct model_buffers buffers;	/* owned by the guest thread */
	char first_corruption[256];
};

/*
 * buf_base[i]: user address of vq i's buffers, MN_BUF_SIZE each. The
 * first nactive vqs are used from the start, the others are woken one
 * every wake_interval_ns.
 */
int guest_init(struct guest *gs, struct mm *mm, struct mn_vq *vqs,
	       unsigned int nvqs, const unsigned long *buf_base, u64 seed,
	       unsigned int nactive, u64 wake_interval_ns);
void guest_destroy(struct guest *gs);
/* The thread body; returns when gs->stop is set. */
void guest_run(struct guest *gs);
/* One step on vq vqi: post what fits, or reap completions; how many. */
unsigned int guest_post(struct guest *gs, unsigned int vqi);
unsigned int guest_reap(struct guest *gs, unsigned int vqi);

#endif /* MODEL_GUEST_H */
