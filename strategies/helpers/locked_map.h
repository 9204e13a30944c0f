/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for strategies whose mapping a per-vq spinlock protects: the
 * notifier clears vq->map under the lock, the worker uses the mapping
 * with the lock held, and a mapping built outside the lock is installed
 * only if no invalidation ran meanwhile. Such a strategy's state starts
 * with a struct mn_locked_map.
 */
#ifndef MN_LOCKED_MAP_H
#define MN_LOCKED_MAP_H

#include "strategy.h"

struct mn_locked_map {
	spinlock_t lock;
};

static inline spinlock_t *mn_locked_map_lock(struct mn_vq *vq)
{
	struct mn_locked_map *lm = vq->priv;

	return &lm->lock;
}

int mn_locked_map_init(struct mn_vq *vq);

/*
 * read_begin/write_begin: returns vq->map with the lock held, or NULL
 * (slow path) with the lock released.
 */
struct mn_map *mn_locked_map_begin(struct mn_vq *vq, unsigned long *cookie);
/* read_end/write_end: releases the lock mn_locked_map_begin() took. */
bool mn_locked_map_read_end(struct mn_vq *vq, unsigned long cookie);
void mn_locked_map_write_end(struct mn_vq *vq, unsigned long cookie);

/* Clears vq->map under the lock and returns what was there. */
struct mn_map *mn_locked_map_detach(struct mn_vq *vq);

/*
 * Builds a mapping outside the lock (mn_map_create() sleeps) and installs
 * it under the lock, unless changed(vq, snapshot) says an invalidation
 * started or ended since the caller took snapshot: then the mapping may
 * hold pages the mm has already replaced, and it is released instead.
 */
void mn_locked_map_establish(struct mn_vq *vq, unsigned long snapshot,
			     bool (*changed)(struct mn_vq *vq,
					     unsigned long snapshot));

/*
 * The worker side of such a strategy, for its struct mn_strategy: all but
 * establish_map, whose pre-check and changed() are the strategy's own.
 */
#define MN_LOCKED_MAP_WORKER_OPS			\
	.read_begin = mn_locked_map_begin,		\
	.read_end = mn_locked_map_read_end,		\
	.write_begin = mn_locked_map_begin,		\
	.write_end = mn_locked_map_write_end,		\
	.detach = mn_locked_map_detach

#endif /* MN_LOCKED_MAP_H */
