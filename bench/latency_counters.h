/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Invalidation latency as benchmark counters: enough percentiles for a
 * CDF plot (inval_p10_ns .. inval_p999_ns, inval_max_ns), the same names
 * for model and module runs.
 */
#ifndef MN_LATENCY_COUNTERS_H
#define MN_LATENCY_COUNTERS_H

#include "gbench.h"
#include "histogram.h"

void gb_latency_counters(struct gb_state *st, const struct histogram *h);

#endif /* MN_LATENCY_COUNTERS_H */
