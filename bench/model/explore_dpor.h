/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --search dpor (explore_dpor.c): every Mazurkiewicz trace of the
 * scenario, with no preemption bound, by source-DPOR with sleep sets
 * over the steps' footprints (scheduler.h).
 */
#ifndef MODEL_EXPLORE_DPOR_H
#define MODEL_EXPLORE_DPOR_H

#include "explore.h"

/*
 * Runs the search; sres and ex hold the last execution (the first
 * counterexample if *found). res counts schedules and says whether the
 * search was exhaustive. t0: the search's start, for --max-seconds.
 */
int explore_dpor_search(const struct model_config *cfg,
			struct explore_result *res, struct sched_result *sres,
			struct explore_execution *ex, double t0, bool *found);

#endif /* MODEL_EXPLORE_DPOR_H */
