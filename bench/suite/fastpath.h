/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The worker's per-buffer cost with no invalidations, in one thread: the
 * guest fills the ring (untimed), the worker consumes it through the
 * strategy (timed), the guest reaps (untimed). The oracle's checks are off
 * so the strategy's own synchronization is what is measured. The bare
 * variant does the same ring memory operations with no strategy layer.
 */
#ifndef MN_FASTPATH_H
#define MN_FASTPATH_H

#include "backend.h"
#include "guest.h"

struct fastpath {
	struct mm mm;
	struct backend backend;
	struct mn_vq vq;
	struct guest guest;
	unsigned long buf_base;
	bool vq_ready;
	/* The bare loop's fixed view of the ring pages. */
	u8 *desc, *avail, *used;
};

int fastpath_init(struct fastpath *fp, const struct mn_strategy *s,
		  unsigned int ring_size);
/*
 * ns per metadata access: the strategy's begin/end pair around one read
 * of the avail index, as the worker does it (vq mutex held, mapping
 * established if the strategy keeps one); rounds of n accesses.
 */
double fastpath_access_ns(struct fastpath *fp, unsigned int n);
void fastpath_destroy(struct fastpath *fp);
unsigned int fastpath_post(struct fastpath *fp);
unsigned int fastpath_reap(struct fastpath *fp);
/* Consume what was posted; returns buffers consumed or -errno. */
int fastpath_consume(struct fastpath *fp);
int fastpath_consume_bare(struct fastpath *fp);

#endif /* MN_FASTPATH_H */
