/* SPDX-License-Identifier: GPL-2.0 */
/* The model's implementation of the strategy backend hooks. */
#ifndef MODEL_BACKEND_H
#define MODEL_BACKEND_H

#include <pthread.h>

#include "mm.h"

struct model_map;

struct backend {
	struct mm *mm;
	pthread_mutex_t lock;
	struct model_map *maps;	/* allocated and not yet freed */
	/*
	 * FOLL_PIN (pin_user_pages) rather than the plain references of
	 * get_user_pages_fast() the 2019 series took: fork copies pinned
	 * pages for the child instead of sharing them for COW.
	 */
	bool pin;
	/* Oracle checks on mapped accesses (off to time the fast path). */
	bool check;
};

void backend_init(struct backend *b, struct mm *mm, bool pin);
/* Worker, holding no mapping: free the records of released mappings. */
void backend_quiescent(struct backend *b);
/* After every thread has stopped. */
void backend_destroy(struct backend *b);

#endif /* MODEL_BACKEND_H */
