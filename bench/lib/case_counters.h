/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters a model or module case reports, under the names scripts/
 * read: the JSON contract between the programs and the scripts, written
 * once here for both (results/README.md documents each one).
 */
#ifndef MN_CASE_COUNTERS_H
#define MN_CASE_COUNTERS_H

#include <stdint.h>

#include "gbench.h"
#include "histogram.h"
#include "perf_counters.h"

struct case_counters {
	const char *name;	/* the case, for the histograms file */
	/* invalidate_range_start called .. invalidate_range_end returned */
	const struct histogram *window_ns;
	const struct histogram *start_ns;	/* inside each callback */
	const struct histogram *end_ns;
	const struct histogram *inval_range_ns;
	/*
	 * Per invalidation, the time spent inside the secondary MMU's
	 * callbacks (start, end and ->invalidate_range summed), and the part
	 * of it spent waiting (NULL where it cannot be measured).
	 */
	const struct histogram *notifier_ns;
	const struct histogram *notifier_wait_ns;
	/*
	 * notifier_ns over the invalidations that hit some vq's metadata:
	 * what a hit costs, where a miss may cost nothing (NULL if unknown).
	 */
	const struct histogram *notifier_hit_ns;
	uint64_t invalidations;		/* start/end pairs in the run */
	uint64_t overlapping;		/* ... whose range hit vq metadata */
	uint64_t map_accesses;		/* ring accesses through the mapping */
	uint64_t fallbacks;		/* ... and through the slow path */
	uint64_t retries;		/* accesses or remaps redone */
	uint64_t lost;			/* buffers never given back */
	uint64_t corrupted;		/* given back wrong or twice */
	/*
	 * The worker's own CPU time (the model's worker thread, the module's
	 * kernel thread; < 0 where not measured), its hardware counts (NULL
	 * or absent without a PMU), and the buffers it completed meanwhile.
	 */
	int64_t worker_cpu_ns;
	const struct perf_counters *worker_perf;
	uint64_t completed;
};

/* Percentiles p10..p99.9 and max, as PREFIX_p10_ns ..: enough for a CDF. */
void case_percentile_counters(struct gb_state *st, const char *prefix,
			      const struct histogram *h);
/*
 * Everything in struct case_counters, as counters of the case; and, while
 * histograms are collected, the case's full latency histograms.
 */
void case_counters_report(struct gb_state *st, const struct case_counters *c);

/*
 * The full histograms behind the percentile counters, one JSON line per
 * case and repetition ({"schema_version", "case", "notifier_ns",
 * "window_ns"}, the last two each a list of [value, count]: a bucket's
 * upper bound, clamped to the histogram's max, and how many fell in it),
 * collected in memory between begin and end. end gives the text
 * (malloc'ed; NULL if nothing was collected) and returns 0, or -1 (and
 * no text) if a line could not be built or written.
 */
void case_histograms_begin(void);
int case_histograms_end(char **text);

#endif /* MN_CASE_COUNTERS_H */
