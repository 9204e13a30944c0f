// SPDX-License-Identifier: GPL-2.0
/*
 * The exploration's liveness and balance checks: a strategy whose fast
 * path never maps is "degenerate", not safe; one whose worker drops a
 * mapping without releasing it leaves pins held, and that is a
 * counterexample (pin_balance); counter itself is neither. Under the
 * OOM reaper (non-blockable: the mapping is retired, left for the
 * worker to release) counter's pins balance once the device's release
 * reaped what the reaper retired after the worker's teardown, and a
 * counter that forgets the mapping it took there leaks and is caught.
 */
#include <stdio.h>
#include <string.h>

#include "explore.h"
#include "vq/vq_loop.h"

static void never_map(struct mn_vq *vq)
{
	(void)vq;
}

/* Takes the mapping away and forgets it: its pins are never dropped. */
static struct mn_map *detach_leak(struct mn_vq *vq)
{
	WRITE_ONCE(vq->map, NULL);
	return NULL;
}

/*
 * Takes the mapping away and, where it may not sleep, forgets it instead
 * of retiring it: neither the worker nor the release ever drops its pins.
 */
static const struct mn_strategy *counter_ops;

static int start_forgets(struct mn_vq *vq, const struct mn_range *range)
{
	struct mn_map *map;

	if (range->blockable || !mn_range_overlaps_vq(vq, range))
		return counter_ops->invalidate_range_start(vq, range);
	map = counter_ops->detach(vq);
	(void)map;
	return counter_ops->invalidate_range_start(vq, range);
}

static int explore_load(const struct mn_strategy *ops, enum load load,
			unsigned int invalidators, unsigned int bound,
			struct explore_result *res)
{
	struct model_config cfg;

	model_config_default(&cfg);
	cfg.strategy = ops;
	cfg.explore = true;
	cfg.load = load;
	cfg.invalidators = invalidators;
	cfg.bound = bound;
	return explore_run(&cfg, res);
}

static int explore(const struct mn_strategy *ops, struct explore_result *res)
{
	return explore_load(ops, LOAD_ZAP, MODEL_INVALIDATORS_DEFAULT, 1, res);
}

/*
 * counter under the OOM reaper, one invalidator, to bound 2 (the reaper
 * retiring the mapping after the worker's last reap takes two
 * preemptions): safe, its pins balanced.
 */
static int oom_balance(struct mn_strategy *ops, struct explore_result *res)
{
	int fails = 0;

	*ops = *counter_ops;
	ops->process = mn_vq_process_dynamic;
	ops->read_repeat = mn_vq_read_repeat_dynamic;
	if (explore_load(ops, LOAD_OOM, 1, 2, res) || res->unsafe ||
	    !res->exhaustive || res->degenerate) {
		printf("FAIL: counter under oom, 1 invalidator, bound 2: %s\n",
		       res->unsafe ? res->cx.problem : "not exhaustive");
		fails++;
	}
	explore_result_free(res);
	ops->name = "counter_oom_forgets";
	ops->invalidate_range_start = start_forgets;
	if (explore_load(ops, LOAD_OOM, 1, 2, res) || !res->unsafe ||
	    !strstr(res->cx.problem, "pin_balance")) {
		printf("FAIL: a mapping the OOM reaper forgot is not a pin_balance counterexample (%s)\n",
		       res->unsafe ? res->cx.problem : "safe");
		fails++;
	}
	explore_result_free(res);
	return fails;
}

int main(void)
{
	static struct mn_strategy ops;
	struct explore_result res;
	int fails = 0;

	counter_ops = mn_strategy_find("counter");
	ops = *counter_ops;
	ops.process = mn_vq_process_dynamic;
	ops.read_repeat = mn_vq_read_repeat_dynamic;
	if (explore(&ops, &res) || res.unsafe || res.degenerate ||
	    !res.fast_accesses) {
		printf("FAIL: counter is not safe with a live fast path\n");
		fails++;
	}
	explore_result_free(&res);

	ops.name = "counter_never_maps";
	ops.establish_map = never_map;
	if (explore(&ops, &res) || res.unsafe || !res.degenerate) {
		printf("FAIL: a fast path that never maps is not degenerate (unsafe %d, degenerate %d)\n",
		       res.unsafe, res.degenerate);
		fails++;
	}
	explore_result_free(&res);

	ops = *mn_strategy_find("counter");
	ops.process = mn_vq_process_dynamic;
	ops.read_repeat = mn_vq_read_repeat_dynamic;
	ops.name = "counter_detach_leaks";
	ops.detach = detach_leak;
	if (explore(&ops, &res) || !res.unsafe ||
	    !strstr(res.cx.problem, "pin_balance")) {
		printf("FAIL: pins held at the end are not a counterexample (%s)\n",
		       res.unsafe ? res.cx.problem : "safe");
		fails++;
	}
	explore_result_free(&res);
	fails += oom_balance(&ops, &res);
	printf("%s\n", fails ? "FAILED" : "all checks passed");
	return fails ? 1 : 0;
}
