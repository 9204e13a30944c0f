// SPDX-License-Identifier: GPL-2.0
/*
 * The exploration's liveness and balance checks: a strategy whose fast
 * path never maps is "degenerate", not safe; one whose worker drops a
 * mapping without releasing it leaves pins held, and that is a
 * counterexample (pin_balance); counter itself is neither.
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

static int explore(const struct mn_strategy *ops, struct explore_result *res)
{
	struct model_config cfg;

	model_config_default(&cfg);
	cfg.strategy = ops;
	cfg.explore = true;
	cfg.load = LOAD_ZAP;
	cfg.bound = 1;
	return explore_run(&cfg, res);
}

int main(void)
{
	static struct mn_strategy ops;
	struct explore_result res;
	int fails = 0;

	ops = *mn_strategy_find("counter");
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
	printf("%s\n", fails ? "FAILED" : "all checks passed");
	return fails ? 1 : 0;
}
