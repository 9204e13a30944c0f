// SPDX-License-Identifier: GPL-2.0
/*
 * The order the cases run in. Every repetition is registered on its own,
 * in an order shuffled by the run's seed, so a host that drifts during
 * the run turns into spread rather than a bias against the cases that
 * ran late. The cases the decision compares go in blocks: round r of a
 * group (a placement and a load) runs the r-th repetition of each of its
 * decision cases back to back, in a shuffled order. A host whose speed
 * changes from one second to the next (a virtual CPU moved to a busier
 * core) slows every run of a block alike, so the ratio of two runs of one
 * round cancels it, where the ratio of two independent samples keeps it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

/* A single repetition of a case, or a round of a decision group. */
struct slot {
	struct bench_case *c;	/* NULL: a block */
	unsigned int group;
	unsigned int round;
};

/* xorshift64*: the same seed gives the same order on every host. */
static unsigned long long schedule_rand(unsigned long long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static void shuffle(void *base, size_t n, size_t size,
		    unsigned long long *rng)
{
	char tmp[sizeof(struct slot)];
	char *a = base;
	size_t i, j;

	for (i = n; i > 1; i--) {
		j = schedule_rand(rng) % i;
		memcpy(tmp, a + (i - 1) * size, size);
		memcpy(a + (i - 1) * size, a + j * size, size);
		memcpy(a + j * size, tmp, size);
	}
}

static void register_block(unsigned int group, unsigned int round,
			   unsigned long long *rng)
{
	struct bench_case *block[MAX_CASES];
	unsigned int k, n = 0;

	for (k = 0; k < suite.ncases; k++) {
		struct bench_case *c = &suite.cases[k];

		if (c->decision && c->group == group && round < c->repetitions)
			block[n++] = c;
	}
	shuffle(block, n, sizeof(block[0]), rng);
	for (k = 0; k < n; k++)
		register_repetition(block[k]);
}

/* A block per group and round, once: the first of its cases adds it. */
static bool first_of_group(unsigned int k)
{
	unsigned int j;

	for (j = 0; j < k; j++)
		if (suite.cases[j].decision &&
		    suite.cases[j].group == suite.cases[k].group)
			return false;
	return true;
}

static unsigned int group_rounds(unsigned int group)
{
	unsigned int k, n = 0;

	for (k = 0; k < suite.ncases; k++)
		if (suite.cases[k].decision && suite.cases[k].group == group &&
		    suite.cases[k].repetitions > n)
			n = suite.cases[k].repetitions;
	return n;
}

void register_schedule(void)
{
	unsigned long long rng = suite.schedule_seed * 2 + 1;
	struct slot *slots;
	size_t n = 0, cap = 0, i;
	unsigned int k, r, rounds;

	for (k = 0; k < suite.ncases; k++)
		cap += suite.cases[k].repetitions;
	slots = calloc(cap ? cap : 1, sizeof(*slots));
	if (!slots) {
		fprintf(stderr, "mnbench: out of memory\n");
		exit(1);
	}
	for (k = 0; k < suite.ncases; k++) {
		struct bench_case *c = &suite.cases[k];

		estimate_case(c);
		if (!c->decision) {
			for (r = 0; r < c->repetitions; r++)
				slots[n++] = (struct slot){ .c = c, .round = r };
			continue;
		}
		if (!first_of_group(k))
			continue;
		rounds = group_rounds(c->group);
		for (r = 0; r < rounds; r++)
			slots[n++] = (struct slot){ .group = c->group,
						    .round = r };
	}
	shuffle(slots, n, sizeof(*slots), &rng);
	/* A group's rounds in order: round r holds every case's r-th run. */
	for (k = 0; k < suite.ncases; k++) {
		unsigned int next = 0;

		if (!suite.cases[k].decision || !first_of_group(k))
			continue;
		for (i = 0; i < n; i++)
			if (!slots[i].c && slots[i].group == suite.cases[k].group)
				slots[i].round = next++;
	}
	for (i = 0; i < n; i++) {
		if (slots[i].c)
			register_repetition(slots[i].c);
		else
			register_block(slots[i].group, slots[i].round, &rng);
	}
	free(slots);
}
