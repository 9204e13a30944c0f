/* SPDX-License-Identifier: GPL-2.0 */
/* The worker's view of a vq: accessors, the device loop, mapping upkeep. */
#ifndef MN_VQ_ACCESS_H
#define MN_VQ_ACCESS_H

#include "../strategy.h"
#include "vring.h"

int mn_vq_read(struct mn_vq *vq, unsigned long uaddr, void *dst, size_t len);
int mn_vq_write(struct mn_vq *vq, unsigned long uaddr, const void *src,
		size_t len);

/* Worker, vq mutex held: release mappings the notifiers left behind. */
void mn_vq_reap(struct mn_vq *vq);
/* Worker, vq mutex held: drop the mapping (ring reset, teardown). */
void mn_vq_reset_map(struct mn_vq *vq);
/* Worker, vq mutex held: have the strategy (re-)establish its mapping. */
void mn_vq_establish_map(struct mn_vq *vq);

/*
 * Worker, vq mutex held: consume up to budget buffers. Returns how many,
 * or -EFAULT if the ring could not be accessed at all.
 */
int mn_vq_process(struct mn_vq *vq, unsigned int budget);

/* Set up ring addresses and strategy state; 0 or -errno. */
int mn_vq_init(struct mn_vq *vq, const struct mn_strategy *s,
	       unsigned int num, unsigned long desc, unsigned long avail,
	       unsigned long used, unsigned long page_size);
void mn_vq_destroy(struct mn_vq *vq);

#endif /* MN_VQ_ACCESS_H */
