/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for strategies whose mapping the vq mutex alone protects: the
 * worker holds it while it runs the vq, so the worker side needs no lock
 * of its own and every section is valid (invalidate_range, mutex).
 */
#ifndef MN_MUTEX_MAP_H
#define MN_MUTEX_MAP_H

#include "strategy.h"

/* read_begin/write_begin: vq->map, which the held vq mutex protects. */
struct mn_map *mn_mutex_map_begin(struct mn_vq *vq, unsigned long *cookie);
/* Section ends that check nothing: also for the unsafe reference. */
bool mn_map_read_end_valid(struct mn_vq *vq, unsigned long cookie);
void mn_map_write_end_nop(struct mn_vq *vq, unsigned long cookie);
void mn_mutex_map_establish(struct mn_vq *vq);
struct mn_map *mn_mutex_map_detach(struct mn_vq *vq);

/* The worker side of such a strategy, for its struct mn_strategy. */
#define MN_MUTEX_MAP_WORKER_OPS				\
	.read_begin = mn_mutex_map_begin,		\
	.read_end = mn_map_read_end_valid,		\
	.write_begin = mn_mutex_map_begin,		\
	.write_end = mn_map_write_end_nop,		\
	.establish_map = mn_mutex_map_establish,	\
	.detach = mn_mutex_map_detach

#endif /* MN_MUTEX_MAP_H */
