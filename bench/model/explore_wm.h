/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The weak memory model in the explorer (--memory-model tso|lkmm): the
 * compat layer's marked accesses, fences, locks and RCU calls go
 * through the engine of memory_model.h instead of straight to memory,
 * and the engine's choices (which write a read reads from, where a
 * write goes in its location's order, which buffered stores reach
 * memory) are decisions of the schedule (sched_choose_value), so a
 * schedule string replays them exactly. Under sc nothing goes through
 * it: the explorer is the sequentially consistent one it always was.
 */
#ifndef MODEL_EXPLORE_WM_H
#define MODEL_EXPLORE_WM_H

#include <mn_compat.h>

/* The modes (memory_model.h's enum mm_mode, which mm.h's names clash with). */
#define WM_SC	0
#define WM_TSO	1
#define WM_LKMM	2

const char *wm_model_name(int mode);
/* 0 and the mode, or -1 for an unknown name. */
int wm_model_parse(const char *name, int *mode);

/* Before one execution's threads start, and after they all ended. */
void wm_begin(int mode, unsigned int nthreads);
/*
 * Ends it: stores still buffered reach memory. True if the engine ran
 * out of room (locations or messages) and part of the execution was
 * run under SC instead: the search is then not exhaustive.
 */
bool wm_end(void);
/* Locations the engine tracked in the execution that just ended. */
unsigned int wm_locations(void);

/*
 * The mm's state the oracle judges a mapped access by (each page's pte
 * word and its count of invalidations between start and end), under
 * lkmm: the mm's changes of it are writes of a location of the engine,
 * placed last in its order (the mm makes them under the PTL or as its
 * own bookkeeping, so as SC would), and the oracle's check at a mapped
 * access is a READ_ONCE of it by the worker that may read any write the
 * model allows; the oracle then judges the access by the write it read.
 * Each write carries a note for the oracle: who made it and, for a pte,
 * the generation its frame had then. was is what memory holds now, the
 * note of the location's first message if the engine meets it here.
 * Under sc and tso they are plain accesses (tso's reads of memory are
 * SC's, and the PTL's unlock drains the writer's buffer).
 */
struct wm_note {
	const char *why;
	u64 aux;
};

#ifdef MN_EXPLORE
extern int mn_wm_on;
#define WM_MM_ON()	unlikely(mn_wm_on)
void wm_mm_write(void *p, unsigned int size, long v, struct wm_note now,
		 struct wm_note was);
/* what names the location in the trace ("pte of page 3"). */
long wm_mm_read(const void *p, unsigned int size, const char *what,
		struct wm_note was, struct wm_note *note);
#else
#define WM_MM_ON()	0
static inline void wm_mm_write(void *p, unsigned int size, long v,
			       struct wm_note now, struct wm_note was)
{
	(void)p;
	(void)size;
	(void)v;
	(void)now;
	(void)was;
}

static inline long wm_mm_read(const void *p, unsigned int size,
			      const char *what, struct wm_note was,
			      struct wm_note *note)
{
	(void)p;
	(void)size;
	(void)what;
	*note = was;
	return 0;
}
#endif

/* The compat layer's locks and RCU (primitives.c) tell the engine. */
#ifdef MN_EXPLORE
void mn_wm_lock(const void *l);
void mn_wm_unlock(const void *l);
void mn_wm_rcu(int what);	/* MN_WM_RCU_LOCK, ... (mn_compat.h) */
#define WM_LOCK(l)	do { if (MN_WM_ON()) mn_wm_lock(l); } while (0)
#define WM_UNLOCK(l)	do { if (MN_WM_ON()) mn_wm_unlock(l); } while (0)
#define WM_RCU(what)	do { if (MN_WM_ON()) mn_wm_rcu(what); } while (0)
#else
#define WM_LOCK(l)	((void)0)
#define WM_UNLOCK(l)	((void)0)
#define WM_RCU(what)	((void)0)
#endif

#endif /* MODEL_EXPLORE_WM_H */
