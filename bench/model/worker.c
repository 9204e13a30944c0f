// SPDX-License-Identifier: GPL-2.0
#include <sched.h>

#include "thread.h"
#include "vq/vq_access.h"
#include "worker.h"

#define WORKER_BUDGET	64

int worker_handle_vq(struct mn_vq *vq, unsigned int budget)
{
	mt_set_activity("worker: establish map");
	mn_vq_reap(vq);
	mn_vq_establish_map(vq);
	mt_set_activity("worker: handle vq");
	return mn_vq_process(vq, budget);
}

void worker_run(struct worker *w)
{
	u64 period = (u64)w->remap_ms * 1000000, now, *next_reset;
	unsigned int i;
	int n, work;

	next_reset = w->next_reset;
	now = ktime_get_ns();
	/*
	 * The first pass maps and resets every ring, as setting the ring
	 * addresses does, so the driver's lock order is on record before
	 * any load; later resets are spread over the period.
	 */
	for (i = 0; i < w->nvqs; i++)
		next_reset[i] = now;
	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		work = 0;
		for (i = 0; i < w->nvqs; i++) {
			struct mn_vq *vq = &w->vqs[i];

			mutex_lock(&vq->mutex);
			n = worker_handle_vq(vq, WORKER_BUDGET);
			if (period && ktime_get_ns() >= next_reset[i]) {
				/* As vhost on VHOST_SET_VRING_ADDR. */
				mt_set_activity("worker: ring reset");
				mn_vq_reset_map(vq);
				next_reset[i] += period;
			}
			mutex_unlock(&vq->mutex);
			if (n < 0)
				w->errors++;
			else
				work += n;
		}
		mt_set_activity("worker: idle");
		backend_quiescent(w->backend);
		if (!__atomic_load_n(&w->ready, __ATOMIC_RELAXED)) {
			for (i = 0; i < w->nvqs; i++)
				next_reset[i] = now + period +
						period * i / w->nvqs;
			__atomic_store_n(&w->ready, true, __ATOMIC_RELEASE);
		}
		if (!work)
			sched_yield();
	}
}

void worker_teardown(struct worker *w)
{
	unsigned int i;

	mt_set_activity("worker: teardown");
	for (i = 0; i < w->nvqs; i++) {
		mutex_lock(&w->vqs[i].mutex);
		mn_vq_reset_map(&w->vqs[i]);
		mutex_unlock(&w->vqs[i].mutex);
	}
	backend_quiescent(w->backend);
}
