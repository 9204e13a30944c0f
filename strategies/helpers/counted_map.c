// SPDX-License-Identifier: GPL-2.0
/* The 2019 designs' invalidation count (see counted_map.h). */
#include "counted_map.h"

static struct mn_counted_map *counted_map(struct mn_vq *vq)
{
	return vq->priv;
}

struct mn_map *mn_counted_map_take(struct mn_vq *vq)
{
	struct mn_counted_map *cm = counted_map(vq);
	struct mn_map *map;

	spin_lock(&cm->lm.lock);
	WRITE_ONCE(cm->invalidate_count, cm->invalidate_count + 1);
	map = vq->map;
	WRITE_ONCE(vq->map, NULL);
	spin_unlock(&cm->lm.lock);
	return map;
}

void mn_counted_map_end(struct mn_vq *vq, const struct mn_range *range)
{
	struct mn_counted_map *cm = counted_map(vq);

	if (!mn_range_overlaps_vq(vq, range))
		return;
	spin_lock(&cm->lm.lock);
	WRITE_ONCE(cm->generation, cm->generation + 1);
	WRITE_ONCE(cm->invalidate_count, cm->invalidate_count - 1);
	spin_unlock(&cm->lm.lock);
}

/* Under the lock: did an invalidation begin or end since snapshot? */
static bool counted_map_changed(struct mn_vq *vq, unsigned long snapshot)
{
	struct mn_counted_map *cm = counted_map(vq);

	return cm->invalidate_count || cm->generation != snapshot;
}

void mn_counted_map_establish(struct mn_vq *vq)
{
	struct mn_counted_map *cm = counted_map(vq);
	unsigned long generation;

	if (READ_ONCE(vq->map))
		return;
	spin_lock(&cm->lm.lock);
	generation = cm->generation;
	if (cm->invalidate_count) {
		spin_unlock(&cm->lm.lock);
		return;
	}
	spin_unlock(&cm->lm.lock);
	mn_locked_map_establish(vq, generation, counted_map_changed);
}
