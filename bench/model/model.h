/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One run of the userspace model: a guest posting buffers, the vhost-like
 * worker consuming them through a strategy, invalidators replaying kernel
 * sequences, and the oracle's verdict at the end.
 */
#ifndef MODEL_MODEL_H
#define MODEL_MODEL_H

#include "histogram.h"
#include "model_config.h"
#include "oracle.h"
#include "perf_counters.h"
#include "task_cpu.h"
#include "placement.h"

/* Identical pages beside the rings for KSM to merge (a guest's free RAM). */
#define MODEL_BAIT_PAGES	32

struct model_buffers {
	u64 posted;
	u64 completed;
	u64 lost;	/* posted, never completed after the drain */
	u64 corrupted;	/* completed twice, unknown id or wrong answer */
	u64 in_flight;	/* outstanding when an aborted run stopped */
};

struct model_result {
	struct model_config cfg;
	bool safe;
	bool aborted;		/* the watchdog stopped a hung run */
	u64 violations[V_NR];
	char first_violation[560];
	char first_of[V_NR][512];
	char lock_cycles[ORACLE_CYCLES][512];	/* "" past the last */
	char first_stale_write[512];
	char first_corruption[256];
	char lost_detail[192];	/* set when buffers were lost */
	struct model_buffers buffers;
	double elapsed_s;
	double ops_per_sec;
	struct mm_stats mm;
	struct mn_vq_stats vq;
	struct histogram start_ns;
	struct histogram end_ns;
	struct histogram inval_range_ns;
	struct histogram total_ns;
	struct histogram notifier_ns;		/* per invalidation */
	struct histogram notifier_hit_ns;	/* ... that hit a vq */
	struct histogram notifier_wait_ns;
	u64 events;			/* load events the invalidators ran */
	u64 worker_stall_ns;	/* worker time blocked on locks and waits */
	u64 worker_life_ns;	/* ... out of the worker thread's life */
	int64_t worker_cpu_ns;		/* the worker thread's CPU time */
	struct perf_counters worker_perf;	/* its hardware counts */
	u64 schedule_digest;
	bool schedule_digest_valid;
	char rcu_grace_period[128];	/* what synchronize_rcu() waited for */
	u64 host_grace_periods;		/* host grace periods waited */
};

/* Where one vq's rings and buffers sit in the model's address space. */
struct vq_layout {
	unsigned long desc_pages;
	unsigned long avail_pages;
	unsigned long used_pages;
	unsigned long buf_pages;
	unsigned long pages;		/* all of the above */
};

void vq_layout(unsigned int num, struct vq_layout *l);
/* Lay a vq out from page base; *buf_base gets its buffers' address. */
int vq_setup(struct mn_vq *vq, const struct mn_strategy *s, unsigned int num,
	     const struct vq_layout *l, unsigned long base, void *backend,
	     unsigned long *buf_base);

/* What synchronize_rcu() will wait for with cfg; true if the host's GP. */
bool model_rcu_grace_period(const struct model_config *cfg, char *buf,
			    size_t len);
/* 0 when the run completed (whatever the verdict), -errno otherwise. */
int model_run(const struct model_config *cfg, struct model_result *res);

#endif /* MODEL_MODEL_H */
