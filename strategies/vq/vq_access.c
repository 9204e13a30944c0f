// SPDX-License-Identifier: GPL-2.0
/*
 * How the worker reaches vq metadata: through the strategy's mapping when
 * it hands one out, through the slow path (copy_from_user/put_user)
 * otherwise, as the 2019 vhost patch did.
 */
#include "vq_access.h"

void mn_vq_retire_map(struct mn_vq *vq, struct mn_map *map)
{
	spin_lock(&vq->retire_lock);
	map->retired_next = vq->retired;
	vq->retired = map;
	spin_unlock(&vq->retire_lock);
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

void mn_vq_reap(struct mn_vq *vq)
{
	struct mn_map *map, *next;

	spin_lock(&vq->retire_lock);
	map = vq->retired;
	vq->retired = NULL;
	spin_unlock(&vq->retire_lock);
	for (; map; map = next) {
		next = map->retired_next;
		mn_map_release(vq, map, MN_RELEASE_WORKER);
	}
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

int mn_vq_read(struct mn_vq *vq, unsigned long uaddr, void *dst, size_t len)
{
	const struct mn_strategy *s = vq->strategy;
	unsigned long cookie;
	struct mn_map *map;
	bool ok;

	if (s->read_begin) {
		map = s->read_begin(vq, &cookie);
		if (map) {
			mn_map_read(vq, map, uaddr, dst, len);
			ok = s->read_end(vq, cookie);
			mn_map_read_done(vq, ok);
			if (likely(ok)) {
				vq->stats.map_reads++;
				return 0;
			}
			vq->stats.retries++;
		}
	}
	vq->stats.fallbacks++;
	return mn_copy_from_user(vq, dst, uaddr, len);
}

int mn_vq_write(struct mn_vq *vq, unsigned long uaddr, const void *src,
		size_t len)
{
	const struct mn_strategy *s = vq->strategy;
	unsigned long cookie;
	struct mn_map *map;

	if (s->write_begin) {
		map = s->write_begin(vq, &cookie);
		if (map) {
			mn_map_write(vq, map, uaddr, src, len);
			s->write_end(vq, cookie);
			vq->stats.map_writes++;
			return 0;
		}
	}
	vq->stats.fallbacks++;
	return mn_copy_to_user(vq, uaddr, src, len);
}
