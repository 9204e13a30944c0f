/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One run against /dev/mnbench: hand the module the ring, let its worker
 * consume it through a strategy while the guest posts buffers and the
 * load runs, then read the module's counters and histograms back.
 */
#ifndef MN_CLIENT_MODULE_RUN_H
#define MN_CLIENT_MODULE_RUN_H

#include <stdbool.h>

#include "histogram.h"
#include "module_loads.h"
#include "mnbench_uapi.h"
#include "perf_counters.h"
#include "task_cpu.h"

#define EXIT_NO_DEVICE	3
#define MODULE_MAX_DEVICES	8

struct opts {
	const char *device;
	const char *strategy;
	enum load load;
	unsigned int num;
	unsigned int vqs;	/* per device, all used by the guest */
	unsigned int devices;	/* open files, each a notifier */
	unsigned long buffers;
	double timeout_s;
	enum mnb_gup gup;	/* how the module holds mapped pages */
};

extern const char *const mnb_gup_names[MNB_GUP_NR];

/* One module run, reported with the harness's counter names. */
struct result {
	struct mnb_stats st;
	struct histogram h[MNB_HIST_NR];
	u64 posted, completed, lost, corrupted, forks, zaps;
	unsigned long ksm_pages;
	double elapsed_s;
	bool timed_out;
	int setup_errno;	/* the module refused the vq */
	/* The OOM load: the owner was killed; how far it grew first. */
	bool oom_kills;
	unsigned long oom_grown_mb;
	unsigned int idle_vqs;	/* idle queues beside the used ones */
	unsigned int vqs, devices;	/* used queues, in so many devices */
	/*
	 * CPU time of the worker kthread, ksmd and the COW thread while the
	 * guest ran (-1: not measured), and the worker's hardware counts.
	 */
	int64_t worker_cpu_ns, ksmd_cpu_ns, cow_cpu_ns;
	struct perf_counters worker_perf;
};

/* The device open, or -1 after saying the module may not be loaded. */
int module_open(const char *device);

/*
 * 0 with res filled; 1 if the run failed (res->setup_errno says whether
 * the module refused the strategy); EXIT_NO_DEVICE without the device.
 */
int module_run(const struct opts *o, struct result *res);

#endif /* MN_CLIENT_MODULE_RUN_H */
