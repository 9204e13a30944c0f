// SPDX-License-Identifier: GPL-2.0
/*
 * The event schedule (types, targets, windows) comes from the seed alone:
 * two runs with one seed plan the same events, another seed plans others.
 * Thread interleaving is the scheduler's and is not compared.
 */
#include <stdio.h>

#include "model.h"

static u64 digest(u64 seed, struct model_result *res)
{
	struct model_config cfg;

	model_config_default(&cfg);
	cfg.strategy = mn_strategy_find("counter");
	cfg.load = LOAD_MIXED;
	cfg.invalidators = 2;
	cfg.rate = 0;
	cfg.window_us = 5;
	cfg.hang_ms = 5000;
	cfg.seed = seed;
	/* The digest needs EVENT_DIGEST_PLANS events: slow hosts run longer. */
	for (cfg.seconds = 0.5; cfg.seconds <= 4; cfg.seconds *= 2) {
		if (model_run(&cfg, res)) {
			fprintf(stderr, "FAIL: the model run could not be set up\n");
			exit(1);
		}
		if (res->schedule_digest_valid)
			break;
	}
	if (!res->schedule_digest_valid) {
		fprintf(stderr, "FAIL: run with seed %llu gave no digest in 4 s\n",
			(unsigned long long)seed);
		exit(1);
	}
	if (!res->safe) {
		fprintf(stderr, "FAIL: counter unsafe: %s\n",
			res->first_violation);
		exit(1);
	}
	return res->schedule_digest;
}

int main(void)
{
	struct model_result *res = calloc(1, sizeof(*res));
	u64 a, b, c;

	if (!res)
		return 1;
	a = digest(42, res);
	b = digest(42, res);
	c = digest(43, res);
	printf("seed 42: %016llx, again: %016llx, seed 43: %016llx\n",
	       (unsigned long long)a, (unsigned long long)b,
	       (unsigned long long)c);
	free(res);
	if (a != b) {
		fprintf(stderr, "FAIL: same seed, different schedules\n");
		return 1;
	}
	if (a == c) {
		fprintf(stderr, "FAIL: different seeds, same schedule\n");
		return 1;
	}
	return 0;
}
