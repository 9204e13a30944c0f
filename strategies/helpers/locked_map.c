// SPDX-License-Identifier: GPL-2.0
/* The worker side of spinlock-protected mappings (see locked_map.h). */
#include "locked_map.h"

int mn_locked_map_init(struct mn_vq *vq)
{
	spin_lock_init(mn_locked_map_lock(vq));
	return 0;
}

struct mn_map *mn_locked_map_begin(struct mn_vq *vq, unsigned long *cookie)
	__acquires(mn_locked_map_lock(vq))
{
	struct mn_map *map;

	(void)cookie;
	spin_lock(mn_locked_map_lock(vq));
	map = vq->map;
	if (!map)
		spin_unlock(mn_locked_map_lock(vq));
	return map;
}

bool mn_locked_map_read_end(struct mn_vq *vq, unsigned long cookie)
	__releases(mn_locked_map_lock(vq))
{
	(void)cookie;
	spin_unlock(mn_locked_map_lock(vq));
	return true;
}

void mn_locked_map_write_end(struct mn_vq *vq, unsigned long cookie)
	__releases(mn_locked_map_lock(vq))
{
	(void)cookie;
	spin_unlock(mn_locked_map_lock(vq));
}

struct mn_map *mn_locked_map_detach(struct mn_vq *vq)
{
	struct mn_map *map;

	spin_lock(mn_locked_map_lock(vq));
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(mn_locked_map_lock(vq));
	return map;
}

void mn_locked_map_establish(struct mn_vq *vq, unsigned long snapshot,
			     bool (*changed)(struct mn_vq *vq,
					     unsigned long snapshot))
{
	struct mn_map *map = mn_map_create(vq);

	if (!map)
		return;
	spin_lock(mn_locked_map_lock(vq));
	if (changed(vq, snapshot)) {
		/* An invalidation overlapped the page walk: redo later. */
		spin_unlock(mn_locked_map_lock(vq));
		vq->stats.retries++;
		mn_map_release(vq, map, MN_RELEASE_WORKER);
		return;
	}
	/*
	 * rcu_assign_pointer(): spin_lock() does not order mn_map_create()'s
	 * stores before this one, as a lockless reader on another CPU needs.
	 * Today's one lockless reader (seqcount's read_begin) is this worker
	 * and every other reader takes the lock, so it is not needed yet
	 * (docs/strategies.md, locked_map_publish_once).
	 */
	smp_store_release(&vq->map, map);
	spin_unlock(mn_locked_map_lock(vq));
	vq->stats.remaps++;
}
