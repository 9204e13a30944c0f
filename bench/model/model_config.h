/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The settings of one run of the model, a timed run (model_run()) or a
 * search over schedules (explore_run()): one struct, one set of
 * defaults, one check. A setting the other kind of run has no use for
 * is ignored by it.
 */
#ifndef MODEL_MODEL_CONFIG_H
#define MODEL_MODEL_CONFIG_H

#include <limits.h>

#include "events.h"
#include "oracle.h"
#include "placement.h"

#define MODEL_MAX_VQS		1024	/* per device */
#define MODEL_MAX_DEVICES	MM_MAX_DEVICES
/* vqs over all devices: what the address space is sized for. */
#define MODEL_MAX_TOTAL_VQS	2048
#define MODEL_MAX_INVALIDATORS	64
#define MODEL_MAX_PAGES		64
#define EXPLORE_MAX_INVALIDATORS	3
/*
 * What a search's counterexample must show: any problem, one of the
 * oracle's rules (enum violation_kind), or a stale write in particular.
 */
#define EXPLORE_FIND_ANY		(-1)
#define EXPLORE_FIND_STALE_WRITE	V_NR
/* invalidators: 1 in a timed run, 2 in a search; 0 under load none. */
#define MODEL_INVALIDATORS_DEFAULT	UINT_MAX

struct model_config {
	/* What is run, in both kinds of run. */
	const struct mn_strategy *strategy;	/* the caller's choice */
	enum load load;
	unsigned int invalidators;	/* threads issuing invalidations */
	enum gup_mode gup;		/* how mapped pages are held */
	/* Events' targets and windows; the PCT search's random choices. */
	u64 seed;
	/* Search schedules (explore_run) instead of a timed run. */
	bool explore;

	/* A timed run's. */
	double seconds;
	unsigned int vqs;		/* per device */
	/* Devices on the mm, each a notifier over its own vqs. */
	unsigned int devices;
	unsigned int ring_size;
	unsigned long pages;		/* pages per zap/OOM invalidation */
	unsigned int rate;		/* events/s per invalidator, 0: no cap */
	unsigned int window_us;		/* max pause inside a sequence */
	unsigned int hang_ms;		/* watchdog limit */
	unsigned int remap_ms;		/* worker ring-reset period, 0: never */
	/* Wait for completions at the end (at least hang_ms + 0.5 s). */
	unsigned int drain_ms;
	unsigned int worker_window_us;	/* max worker pause in a section */
	/*
	 * Queues the guest leaves idle, with zeroed, identical rings, and
	 * wakes one after another during the run (the multiqueue pattern
	 * KSM meets); -1: two under loads with KSM, none otherwise.
	 */
	int idle_vqs;
	/* End the measured period at the first violation (mutation tests). */
	bool stop_on_violation;
	/* synchronize_rcu() also waits the host kernel's grace period. */
	bool rcu_host_gp;
	const struct placement *placement;	/* NULL: threads float */

	/* A search's (explore.h). */
	bool pct;			/* else bounded (exhaustive) search */
	bool dpor;			/* partial-order reduction, no bound */
	int memory_model;		/* enum mm_mode: sc (0), tso, lkmm */
	unsigned int bound;		/* preemptions per schedule */
	unsigned int depth;		/* PCT's bug depth */
	unsigned long runs;		/* PCT's schedules */
	unsigned long max_schedules;	/* 0: no limit */
	double max_seconds;		/* 0: no limit */
	const char *replay;		/* a schedule to run once, or NULL */
	int find;			/* EXPLORE_FIND_*, or a violation kind */
};

/* --find's names: "any", "stale_write" or the rule's; NULL if unknown. */
const char *explore_find_name(int find);
/* The EXPLORE_FIND_* or rule called name; -2 if none is. */
int explore_find_parse(const char *name);

/* Every default but the strategy, which the caller chooses. */
void model_config_default(struct model_config *cfg);
/* Fills in what the defaults leave to the kind of run (invalidators). */
void model_config_settle(struct model_config *cfg);
/* NULL, or a message naming the bad setting (for cfg->explore's kind). */
const char *model_config_check(const struct model_config *cfg);

/* The vqs the guest uses, over all devices. */
static inline unsigned int model_active_vqs(const struct model_config *cfg)
{
	return cfg->vqs * cfg->devices;
}

#endif /* MODEL_MODEL_CONFIG_H */
