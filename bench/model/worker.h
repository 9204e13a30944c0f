/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vhost-like worker thread: runs each vq under its vq mutex, keeps
 * the strategy's mapping up (establish, reap, periodic ring reset) and
 * consumes buffers through the shared device loop.
 */
#ifndef MODEL_WORKER_H
#define MODEL_WORKER_H

#include "backend.h"

struct worker {
	struct mn_vq *vqs;
	unsigned int nvqs;
	struct backend *backend;
	unsigned int remap_ms;
	u64 *next_reset;	/* per vq, allocated by the caller */
	bool stop;		/* atomic */
	bool ready;		/* atomic: first pass (set-up) done */
	u64 errors;		/* ring accesses that failed outright */
};

/* vq mutex held: reap, (re-)establish the mapping, consume up to budget. */
int worker_handle_vq(struct mn_vq *vq, unsigned int budget);
void worker_run(struct worker *w);
/* Drop every mapping; the worker thread calls it as it stops. */
void worker_teardown(struct worker *w);

#endif /* MODEL_WORKER_H */
