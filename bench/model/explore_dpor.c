// SPDX-License-Identifier: GPL-2.0
/*
 * --search dpor: source-DPOR with sleep sets (Abdulla, Aronis, Jonsson,
 * Sagonas, POPL 2014) over the exploration scenario, with no preemption
 * bound. The algorithm is that of dpor.c; this is its stateless,
 * run-to-completion form for the real scheduler: each execution replays
 * a prefix of steps and then runs on, the scheduler telling the search
 * at every step which thread ran and what its step touched
 * (struct sched_fp, scheduler.h). After an execution, every race of a
 * new step with an earlier one (dependent, of other threads, ordered by
 * no third step) asks for a thread at the state before the earlier step:
 * an initial of what follows it, unless one is already there.
 *
 * A step's footprint is measured as it runs, so what a step touches
 * after its point (a release, model code) counts; model code (mm,
 * notifiers, backend) counts as one object written, and a step whose
 * extent is unknown as dependent with every step. See docs/explore.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "explore.h"
#include "explore_dpor.h"

#define DP_MAX_DEPTH	8192	/* steps per execution the search tracks */
#define DP_THREADS	SCHED_MAX_THREADS

struct dp_node {
	u8 enabled, backtrack, done, sleep, chosen;
	u8 taken_set;	/* threads whose step from here has been run */
	struct sched_fp taken[DP_THREADS];	/* each thread's step from here */
	struct sched_fp sleep_fp[DP_THREADS];	/* for threads asleep here */
};

/*
 * A memory-model choice (which write a read reads from, ...) made in the
 * step of node at - 1: each of its n alternatives is explored, as
 * transitions of that one thread from that node.
 */
struct dp_mm {
	unsigned int at;
	u8 n, chosen;
};

#define DP_MAX_MM	(8 * DP_MAX_DEPTH)

struct dp {
	struct dp_node *node;
	struct dp_mm *mm;
	unsigned int nmm;	/* this execution's choices so far */
	unsigned int replay_mm;	/* of which the first ones are replayed */
	u16 (*vc)[DP_THREADS];	/* vector clock of the step at each node */
	unsigned int branch;	/* the node this execution chose anew */
	bool first;		/* the first execution: no branch yet */
	unsigned int depth;	/* nodes of this execution so far */
	bool redundant;		/* every enabled thread asleep: covered */
	bool overflow;		/* past DP_MAX_DEPTH: not exhaustive */
	bool diverged;		/* a replay went another way: a bug here */
};

/* What a thread's step from a node touched, over all its runs. */
static void fp_union(struct sched_fp *a, const struct sched_fp *b, bool had)
{
	unsigned int i, j;

	if (!had) {
		*a = *b;
		return;
	}
	if (a->any || b->any) {
		a->any = true;
		return;
	}
	for (j = 0; j < b->n; j++) {
		for (i = 0; i < a->n && a->obj[i] != b->obj[j]; i++)
			;
		if (i < a->n) {
			a->kind[i] |= b->kind[j];
		} else if (a->n == SCHED_FP_MAX) {
			a->any = true;
			return;
		} else {
			a->kind[a->n] = b->kind[j];
			a->obj[a->n++] = b->obj[j];
		}
	}
}

static unsigned int dp_choose_value(void *ctx, unsigned int n)
{
	struct dp *dp = ctx;
	struct dp_mm *m;

	if (dp->redundant || dp->overflow)
		return 0;
	if (dp->nmm < dp->replay_mm)
		return dp->mm[dp->nmm++].chosen;
	if (dp->nmm >= DP_MAX_MM) {
		dp->overflow = true;
		return 0;
	}
	m = &dp->mm[dp->nmm++];
	m->at = dp->depth;
	m->n = (u8)n;
	m->chosen = 0;
	return 0;
}

static u8 lowest(u8 set)
{
	return set & (u8)-set;
}

static int dp_choose(void *ctx, int ran, const struct sched_fp *fp,
		     u8 enabled, int def)
{
	struct dp *dp = ctx;
	unsigned int d = dp->depth, u;
	struct dp_node *n;
	u8 avail;
	int c;

	if (dp->redundant || dp->overflow)
		return def;
	if (ran >= 0 && d > 0) {
		struct dp_node *p = &dp->node[d - 1];

		fp_union(&p->taken[ran], fp, (p->taken_set >> ran) & 1);
		p->taken_set |= (u8)(1u << ran);
		if (d < DP_MAX_DEPTH && (dp->first || d - 1 >= dp->branch)) {
			/* The child's sleep set: the asleep it leaves asleep. */
			n = &dp->node[d];
			n->sleep = 0;
			for (u = 0; u < DP_THREADS; u++)
				if ((p->sleep & (1u << u)) &&
				    !sched_fp_dependent(&p->sleep_fp[u], fp)) {
					n->sleep |= 1u << u;
					n->sleep_fp[u] = p->sleep_fp[u];
				}
		}
	}
	if (!enabled)
		return def;
	if (d >= DP_MAX_DEPTH) {
		dp->overflow = true;
		return def;
	}
	n = &dp->node[d];
	if (!dp->first && d <= dp->branch) {
		/* Replay: the same state, so the same threads can run. */
		c = n->chosen;
		if (!(enabled & (1u << c))) {
			dp->diverged = true;
			dp->redundant = true;
			return def;
		}
		dp->depth = d + 1;
		return c;
	}
	if (d == 0)
		n->sleep = 0;
	n->enabled = enabled;
	n->taken_set = 0;
	avail = enabled & ~n->sleep;
	if (!avail) {
		dp->redundant = true;
		return def;
	}
	c = def >= 0 && (avail & (1u << def)) ? def : __builtin_ctz(avail);
	n->chosen = (u8)c;
	n->backtrack = (u8)(1u << c);
	n->done = (u8)(1u << c);
	dp->depth = d + 1;
	return c;
}

static unsigned int thr(const struct dp *dp, unsigned int i)
{
	return dp->node[i].chosen;
}

static const struct sched_fp *efp(const struct dp *dp, unsigned int i)
{
	return &dp->node[i].taken[dp->node[i].chosen];
}

/* Vector clocks of steps 0..n-1: what happens before each. */
static void clocks(struct dp *dp, unsigned int n)
{
	int last[DP_THREADS];
	unsigned int j, k, t;

	for (t = 0; t < DP_THREADS; t++)
		last[t] = -1;
	for (j = 0; j < n; j++) {
		unsigned int tj = thr(dp, j);

		if (last[tj] >= 0)
			memcpy(dp->vc[j], dp->vc[last[tj]], sizeof(dp->vc[j]));
		else
			memset(dp->vc[j], 0, sizeof(dp->vc[j]));
		for (k = 0; k < j; k++) {
			if (thr(dp, k) == tj ||
			    !sched_fp_dependent(efp(dp, k), efp(dp, j)))
				continue;
			for (t = 0; t < DP_THREADS; t++)
				if (dp->vc[k][t] > dp->vc[j][t])
					dp->vc[j][t] = dp->vc[k][t];
		}
		dp->vc[j][tj]++;
		last[tj] = (int)j;
	}
}

/* Step i happens before (or is) step k. */
static bool hb(const struct dp *dp, unsigned int i, unsigned int k)
{
	unsigned int ti = thr(dp, i);

	return dp->vc[k][ti] >= dp->vc[i][ti];
}

/*
 * The initials of v.p, v the steps after i that i does not happen
 * before and p = thr(j): threads whose first step in v.p has no
 * happens-before predecessor in v. A thread's steps in v are a prefix of
 * its steps after i (once one is after i, all its later ones are).
 */
static u8 initials(const struct dp *dp, unsigned int i, unsigned int j)
{
	int first[DP_THREADS];
	unsigned int k, q, r, p = thr(dp, j);
	u8 init = 0;

	for (q = 0; q < DP_THREADS; q++)
		first[q] = -1;
	for (k = i + 1; k < j; k++)
		if (first[thr(dp, k)] < 0 && !hb(dp, i, k))
			first[thr(dp, k)] = (int)k;
	/* A thread whose first step after i is after i has none in v. */
	for (k = i + 1; k < j; k++) {
		q = thr(dp, k);
		if (first[q] > (int)k)
			first[q] = -1;
	}
	for (q = 0; q < DP_THREADS; q++) {
		int c = first[q];
		bool ok = true;

		if (q == p && c < 0)
			c = (int)j;
		if (c < 0)
			continue;
		for (r = 0; r < DP_THREADS && ok; r++) {
			int f = first[r];

			if (r == q || f < 0 || f >= c)
				continue;
			if (dp->vc[c][r] >= dp->vc[f][r])
				ok = false;
		}
		if (ok)
			init |= (u8)(1u << q);
	}
	return init;
}

/* Races of the steps from `from` on with earlier steps: backtracks. */
static void races(struct dp *dp, unsigned int from, unsigned int n)
{
	unsigned int i, j, t;

	clocks(dp, n);
	for (j = from; j < n; j++) {
		unsigned int tj = thr(dp, j);
		u16 cover[DP_THREADS] = { 0 };

		for (i = j; i-- > 0;) {
			unsigned int ti = thr(dp, i);
			struct dp_node *nd = &dp->node[i];
			u8 init;

			if (ti == tj) {
				/* Its own earlier steps order all before them. */
				for (t = 0; t < DP_THREADS; t++)
					if (dp->vc[i][t] > cover[t])
						cover[t] = dp->vc[i][t];
				continue;
			}
			if (!sched_fp_dependent(efp(dp, i), efp(dp, j)))
				continue;
			if (cover[ti] < dp->vc[i][ti]) {
				init = initials(dp, i, j);
				if (!(init & (nd->backtrack | nd->sleep))) {
					init &= nd->enabled;
					nd->backtrack |= init ? lowest(init)
							      : nd->enabled;
				}
			}
			for (t = 0; t < DP_THREADS; t++)
				if (dp->vc[i][t] > cover[t])
					cover[t] = dp->vc[i][t];
		}
	}
}

/* The deepest node with a thread still to run: the next branch. */
static bool next_branch(struct dp *dp, unsigned int n)
{
	unsigned int d, u;
	int i = (int)dp->nmm - 1;

	for (d = n; d-- > 0;) {
		struct dp_node *nd = &dp->node[d];
		u8 todo = nd->backtrack & ~nd->done & ~nd->sleep & nd->enabled;

		/* First the memory model's choices in the step of node d. */
		for (; i >= 0 && dp->mm[i].at > d; i--) {
			struct dp_mm *m = &dp->mm[i];

			if (m->at != d + 1 || m->chosen + 1 >= m->n)
				continue;
			m->chosen++;
			dp->replay_mm = (unsigned int)i + 1;
			dp->branch = d;
			dp->first = false;
			return true;
		}
		if (!todo)
			continue;
		/* What ran from here is covered: asleep for the rest. */
		for (u = 0; u < DP_THREADS; u++)
			if (nd->done & (1u << u)) {
				nd->sleep |= 1u << u;
				nd->sleep_fp[u] = nd->taken[u];
			}
		nd->chosen = (u8)__builtin_ctz(todo);
		nd->done |= lowest(todo);
		/* Its choices were those of another thread's step. */
		dp->replay_mm = (unsigned int)(i + 1);
		dp->branch = d;
		dp->first = false;
		return true;
	}
	return false;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void dp_free(struct dp *dp)
{
	if (!dp)
		return;
	free(dp->node);
	free(dp->vc);
	free(dp->mm);
	free(dp);
}

static struct dp *dp_alloc(void)
{
	struct dp *dp = calloc(1, sizeof(*dp));

	if (!dp)
		return NULL;
	dp->node = calloc(DP_MAX_DEPTH, sizeof(*dp->node));
	dp->vc = calloc(DP_MAX_DEPTH, sizeof(*dp->vc));
	dp->mm = calloc(DP_MAX_MM, sizeof(*dp->mm));
	if (!dp->node || !dp->vc || !dp->mm) {
		dp_free(dp);
		return NULL;
	}
	return dp;
}

static void count_execution(struct explore_result *res,
			    const struct sched_result *sres,
			    const struct explore_execution *ex)
{
	res->schedules++;
	if (sres->steps > res->max_steps)
		res->max_steps = sres->steps;
	if (sres->ndecisions > res->max_decisions)
		res->max_decisions = sres->ndecisions;
	if (sres->wm_overflow)
		res->wm_overflow = true;
	res->fast_accesses += ex->fast_accesses;
}

int explore_dpor_search(const struct model_config *cfg,
			struct explore_result *res, struct sched_result *sres,
			struct explore_execution *ex, double t0, bool *found)
{
	struct dp *dp = dp_alloc();
	struct sched_hook hook = { .ctx = dp, .choose = dp_choose,
				   .choose_value = dp_choose_value };
	struct sched_policy pol = { .hook = &hook };
	unsigned int n;
	int ret = 0;

	if (!dp)
		return -ENOMEM;
	dp->first = true;
	for (;;) {
		unsigned int from = dp->first ? 0 : dp->branch;

		dp->depth = 0;
		dp->nmm = 0;
		dp->redundant = false;
		ret = explore_execute(cfg, &pol, sres, NULL, ex);
		if (ret)
			goto out;
		count_execution(res, sres, ex);
		if (ex->bad) {
			*found = true;
			goto out;
		}
		if (dp->diverged) {
			/* Not deterministic after all: say so, not "safe". */
			res->stopped_early = true;
			goto out;
		}
		n = dp->depth;
		races(dp, from, n);
		if (!next_branch(dp, n))
			break;
		if ((cfg->max_schedules && res->schedules >= cfg->max_schedules) ||
		    (cfg->max_seconds > 0 && now_s() - t0 >= cfg->max_seconds)) {
			res->stopped_early = true;
			goto out;
		}
	}
	res->exhaustive = !dp->overflow;
	res->stopped_early = dp->overflow;
out:
	dp_free(dp);
	return ret;
}
