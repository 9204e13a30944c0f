// SPDX-License-Identifier: GPL-2.0
/*
 * Upkeep of a vq's cached mapping: retiring, reaping and resetting it.
 * The accessors themselves are inline in vq_access.h.
 */
#include "vq_access.h"

void mn_map_list_push(spinlock_t *lock, struct mn_map **head,
		      struct mn_map *map)
{
	spin_lock(lock);
	map->retired_next = *head;
	*head = map;
	spin_unlock(lock);
}

void mn_map_list_drain(spinlock_t *lock, struct mn_map **head,
		       void (*release)(struct mn_map *map, void *arg),
		       void *arg)
{
	struct mn_map *map, *next;

	spin_lock(lock);
	map = *head;
	*head = NULL;
	spin_unlock(lock);
	for (; map; map = next) {
		next = map->retired_next;
		release(map, arg);
	}
}

void mn_vq_retire_map(struct mn_vq *vq, struct mn_map *map)
{
	mn_map_list_push(&vq->retire_lock, &vq->retired, map);
}

/*
 * A notifier cannot sleep when the range is not blockable (OOM reaper), and
 * unmapping may: leave those mappings, still pinned, for the worker.
 */
void mn_vq_drop_map(struct mn_vq *vq, struct mn_map *map, bool blockable)
{
	if (!map)
		return;
	if (blockable)
		mn_map_release(vq, map, MN_RELEASE_NOTIFIER);
	else
		mn_vq_retire_map(vq, map);
}

static void release_retired(struct mn_map *map, void *vq)
{
	mn_map_release(vq, map, MN_RELEASE_WORKER);
}

void mn_vq_reap(struct mn_vq *vq)
{
	mn_map_list_drain(&vq->retire_lock, &vq->retired, release_retired, vq);
}

void mn_vq_reset_map(struct mn_vq *vq)
{
	struct mn_map *map = NULL;

	if (vq->strategy->detach)
		map = vq->strategy->detach(vq);
	if (map)
		mn_map_release(vq, map, MN_RELEASE_WORKER);
	mn_vq_reap(vq);
}

void mn_vq_establish_map(struct mn_vq *vq)
{
	if (vq->strategy->establish_map)
		vq->strategy->establish_map(vq);
}

void mn_vq_release(struct mn_vq *vq)
{
	const struct mn_range all = {
		.start = 0, .end = ~0ul, .blockable = true,
	};

	/* An interval notifier has no ->release: the unmapping tells it. */
	if (vq->strategy->interval_invalidate)
		return;
	if (vq->strategy->release)
		vq->strategy->release(vq);
	else if (vq->strategy->invalidate_range_start)
		vq->strategy->invalidate_range_start(vq, &all);
}
