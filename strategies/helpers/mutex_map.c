// SPDX-License-Identifier: GPL-2.0
/* The worker side of mappings the vq mutex protects (see mutex_map.h). */
#include "mutex_map.h"

struct mn_map *mn_mutex_map_begin(struct mn_vq *vq, unsigned long *cookie)
{
	(void)cookie;
	lockdep_assert_held(&vq->mutex);
	return vq->map;
}

bool mn_map_read_end_valid(struct mn_vq *vq, unsigned long cookie)
{
	(void)vq;
	(void)cookie;
	return true;
}

void mn_map_write_end_nop(struct mn_vq *vq, unsigned long cookie)
{
	(void)vq;
	(void)cookie;
}

void mn_mutex_map_establish(struct mn_vq *vq)
{
	if (vq->map)
		return;
	vq->map = mn_map_create(vq);
	if (vq->map)
		vq->stats.remaps++;
}

struct mn_map *mn_mutex_map_detach(struct mn_vq *vq)
{
	struct mn_map *map = vq->map;

	vq->map = NULL;
	return map;
}
