/* SPDX-License-Identifier: GPL-2.0 */
/* The model's implementation of the strategy backend hooks. */
#ifndef MODEL_BACKEND_H
#define MODEL_BACKEND_H

#include <pthread.h>

#include "mm.h"

struct model_map;

struct backend {
	struct model_vq_access access;	/* first: see vq_access_of() */
	pthread_mutex_t lock;
	struct model_map *maps;	/* allocated and not yet freed */
	/*
	 * How mapped pages are held: FOLL_PIN pins make fork copy them for
	 * the child and KSM skip them; plain references make KSM skip them
	 * and COW copy them away; with none, the mm may free or replace a
	 * mapped page and only the notifier says so.
	 */
	enum gup_mode gup;
	/*
	 * Seeded pauses of the worker inside its mapped sections and between
	 * the pages of a mapping's creation, so short races open often.
	 */
	u64 pause_max_ns;
	u64 rng;			/* worker-owned */
};

void backend_init(struct backend *b, struct mm *mm, enum gup_mode gup,
		  u64 seed, u64 pause_max_ns);
/* Worker, holding no mapping: free the records of released mappings. */
void backend_quiescent(struct backend *b);
/* After every thread has stopped. */
void backend_destroy(struct backend *b);

#endif /* MODEL_BACKEND_H */
