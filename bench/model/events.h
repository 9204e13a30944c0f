/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Load generators: replay the kernel's invalidation sequences on the
 * model's mm. Each event is planned from the seeded generator first and
 * executed after, so the event sequence depends on the seed alone.
 */
#ifndef MODEL_EVENTS_H
#define MODEL_EVENTS_H

#include "loads.h"
#include "mm.h"

enum event_type {
	EV_KSM,		/* write_protect_page + replace_page */
	EV_FORK,	/* copy_page_range: write-protect for COW */
	EV_COW_TOUCH,	/* a parent write fault: wp_page_copy or reuse */
	EV_ZAP,		/* zap_page_range_single */
	EV_OOM,		/* the OOM reaper: non-blockable start */
	EV_EXIT,	/* exit_mmap: ->release, then unmap everything */
};

struct event_plan {
	enum event_type type;
	unsigned long page;
	unsigned long npages;
	u32 window_ns[2];	/* pauses inside the sequence */
};

struct event_gen {
	u64 rng;
	enum load load;
	unsigned long index;
	unsigned long pages_per_vq;
	unsigned int nvqs;
	unsigned long npages;	/* pages per invalidation */
	unsigned long mm_pages;	/* KSM scans every page, bait too */
	u32 window_ns;
	u64 digest;		/* hash of the first plans */
};

#define EVENT_DIGEST_PLANS	256

u64 rng_next(u64 *state);
void event_gen_init(struct event_gen *g, u64 seed, enum load load,
		    unsigned int nvqs, unsigned long pages_per_vq,
		    unsigned long npages, u32 window_ns,
		    unsigned long mm_pages);
void event_plan_next(struct event_gen *g, struct event_plan *p);
void event_run(struct mm *mm, const struct event_plan *p);
/* The forked child exits: drop its references (no parent notifier). */
void event_child_exit(struct mm *mm);

#endif /* MODEL_EVENTS_H */
