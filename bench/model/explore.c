// SPDX-License-Identifier: GPL-2.0
/*
 * The search over schedules (explore.h). A schedule is the list of the
 * scheduler's decisions where more than one thread could run; the
 * default at each is to keep the running thread (or the lowest-numbered
 * one that can run). Bounded search is a stateless depth-first search
 * over all schedules with at most `bound` preemptions (switching away
 * from a thread that could go on), replaying a prefix each time. PCT
 * runs random priority schedules with depth - 1 priority change points.
 * A counterexample is minimized by turning its choices back into
 * defaults while the same rule stays broken.
 */
#include <malloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "explore.h"
#include "explore_dpor.h"
#include "thread.h"

#define CHOICE_DEFAULT	0xff	/* in a prefix: what the default would do */
#define TRACE_BYTES	(1u << 20)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One thread runs at a time: on one CPU a hand-over is a plain context
 * switch, across CPUs it is a wake-up IPI (a VM exit in a guest), which
 * made the search several times slower. The threads inherit it.
 */
static void pin_to_one_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static bool is_preemption(const struct sched_decision *d, u8 chosen)
{
	return !d->nchoices && d->current >= 0 && chosen != (u8)d->current;
}

static u8 default_of(const struct sched_decision *d)
{
	if (d->nchoices)
		return 0;	/* the memory model's sequentially consistent one */
	if (d->current >= 0)
		return (u8)d->current;
	return (u8)__builtin_ctz(d->enabled);
}

/* "k:t,k:t": decision k went to thread t; all others are defaults. */
static void encode(const struct sched_result *r, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int k;

	buf[0] = 0;
	for (k = 0; k < r->ndecisions; k++) {
		if (r->d[k].chosen == default_of(&r->d[k]))
			continue;
		used += snprintf(buf + used, len - used, "%s%u:%u",
				 used ? "," : "", k, r->d[k].chosen);
		if (used >= len) {
			/* A cut schedule would replay another execution. */
			snprintf(buf, len, "(too long to print)");
			return;
		}
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

/* Fills prefix from a schedule string; its length, or -1 if malformed. */
static int decode(const char *s, u8 *prefix, unsigned int max)
{
	unsigned int len = 0, i;
	char *end;

	if (!strcmp(s, "-"))
		return 0;
	while (*s) {
		unsigned long k = strtoul(s, &end, 10), t;

		if (end == s || *end != ':' || k >= max)
			return -1;
		s = end + 1;
		t = strtoul(s, &end, 10);
		if (end == s || t >= CHOICE_DEFAULT ||
		    (*end && (*end != ',' || !end[1])))
			return -1;
		for (i = len; i < k; i++)
			prefix[i] = CHOICE_DEFAULT;
		if (k + 1 > len)
			len = (unsigned int)k + 1;
		prefix[k] = (u8)t;
		s = *end ? end + 1 : end;
	}
	return (int)len;
}

struct search {
	const struct model_config *cfg;
	struct explore_result *res;
	struct sched_result sres;
	struct explore_execution ex;
	u8 prefix[SCHED_MAX_DECISIONS];
	double t0;
};

static int execute(struct search *s, const struct sched_policy *pol)
{
	int ret = explore_execute(s->cfg, pol, &s->sres, NULL, &s->ex);

	if (ret)
		return ret;
	s->res->schedules++;
	if (s->sres.steps > s->res->max_steps)
		s->res->max_steps = s->sres.steps;
	if (s->sres.ndecisions > s->res->max_decisions)
		s->res->max_decisions = s->sres.ndecisions;
	if (s->sres.wm_overflow)
		s->res->wm_overflow = true;
	s->res->fast_accesses += s->ex.fast_accesses;
	return 0;
}

static bool out_of_budget(const struct search *s)
{
	const struct model_config *c = s->cfg;

	return (c->max_schedules && s->res->schedules >= c->max_schedules) ||
	       (c->max_seconds > 0 && now_s() - s->t0 >= c->max_seconds);
}

/* Replays a prefix (CHOICE_DEFAULT where the default applies). */
static int replay(struct search *s, const u8 *prefix, unsigned int len)
{
	struct sched_policy pol = { .prefix = prefix, .prefix_len = len };

	return execute(s, &pol);
}

/*
 * The next prefix of the depth-first search: the deepest decision with
 * an untried alternative within the bound. Alternatives are taken in a
 * fixed order, the default first, then the others by thread number.
 */
static bool backtrack(struct search *s, unsigned int bound,
		      unsigned int *len)
{
	const struct sched_result *r = &s->sres;
	unsigned int used[SCHED_MAX_DECISIONS + 1], k;
	int i;

	used[0] = 0;
	for (k = 0; k < r->ndecisions; k++)
		used[k + 1] = used[k] + is_preemption(&r->d[k], r->d[k].chosen);
	for (i = (int)r->ndecisions - 1; i >= 0; i--) {
		const struct sched_decision *d = &r->d[i];
		u8 def = default_of(d), t;
		unsigned int start;

		/* Past the default, resume after the current choice. */
		start = d->chosen == def ? 0 : d->chosen + 1u;
		for (t = (u8)start; t < (d->nchoices ? d->nchoices :
						      SCHED_MAX_THREADS); t++) {
			if (t == def ||
			    (!d->nchoices && !(d->enabled & (1u << t))))
				continue;
			if (used[i] + is_preemption(d, t) > bound)
				continue;
			for (k = 0; k < (unsigned int)i; k++)
				s->prefix[k] = r->d[k].chosen;
			s->prefix[i] = t;
			*len = (unsigned int)i + 1;
			return true;
		}
	}
	return false;
}

/* Every schedule with at most `bound` preemptions, depth first. */
static int bounded_pass(struct search *s, unsigned int bound, bool *found)
{
	unsigned int len = 0;
	int ret;

	for (;;) {
		ret = replay(s, s->prefix, len);
		if (ret)
			return ret;
		if (s->ex.bad) {
			*found = true;
			return 0;
		}
		if (s->sres.decisions_overflow) {
			/* Decisions past the record cannot be revisited. */
			s->res->stopped_early = true;
		}
		if (!backtrack(s, bound, &len))
			return 0;
		if (out_of_budget(s)) {
			s->res->stopped_early = true;
			return 0;
		}
	}
}

/*
 * Iterative context bounding, as CHESS: bound 0, then 1, ... so a bug
 * is found with the fewest preemptions first (a pass repeats the
 * schedules of the smaller bounds, a small share of its own).
 */
static int bounded_search(struct search *s, bool *found)
{
	unsigned int b;
	int ret;

	for (b = 0; b <= s->cfg->bound; b++) {
		ret = bounded_pass(s, b, found);
		if (ret || *found || s->res->stopped_early)
			return ret;
	}
	s->res->exhaustive = true;
	return 0;
}

/* PCT's change points: at most 16, as --depth. */
struct pct_draw {
	unsigned long change_at[16];
	unsigned int change_prio[16];
};

/*
 * One PCT schedule: the threads' start priorities shuffled, and depth - 1
 * change points drawn over the default schedule's steps.
 */
static void pct_draw(struct sched_policy *pol, struct pct_draw *d,
		     u64 *rng, unsigned int n, unsigned int depth,
		     unsigned long steps)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		pol->prio[i] = depth + i;
	for (i = n - 1; i > 0; i--) {	/* Fisher-Yates */
		unsigned int tmp;

		j = (unsigned int)(rng_next(rng) % (i + 1));
		tmp = pol->prio[i];
		pol->prio[i] = pol->prio[j];
		pol->prio[j] = tmp;
	}
	/*
	 * Change point i, as drawn, lowers the running thread to priority i
	 * (below every start value); sorted by step for the scheduler, each
	 * keeps its own priority.
	 */
	for (i = 0; i + 1 < depth; i++) {
		d->change_at[i] = 1 + rng_next(rng) % steps;
		d->change_prio[i] = i;
	}
	for (i = 1; i + 1 < depth; i++)	/* insertion sort */
		for (j = i; j > 0 && d->change_at[j - 1] > d->change_at[j];
		     j--) {
			unsigned long ts = d->change_at[j];
			unsigned int tp = d->change_prio[j];

			d->change_at[j] = d->change_at[j - 1];
			d->change_prio[j] = d->change_prio[j - 1];
			d->change_at[j - 1] = ts;
			d->change_prio[j - 1] = tp;
		}
	pol->change_at = d->change_at;
	pol->change_prio = d->change_prio;
	pol->nchanges = depth - 1;
}

static int pct_search(struct search *s, bool *found)
{
	struct sched_policy pol = { .pct = true };
	struct pct_draw draw;
	unsigned long steps, r;
	u64 rng = s->cfg->seed;
	int ret;

	/* The length of a default schedule bounds the change points. */
	ret = replay(s, s->prefix, 0);
	if (ret || s->ex.bad) {
		*found = !ret && s->ex.bad;
		return ret;
	}
	steps = s->sres.steps ? s->sres.steps : 1;
	for (r = 1; r < s->cfg->runs; r++) {
		pct_draw(&pol, &draw, &rng, 1 + s->cfg->invalidators,
			 s->cfg->depth, steps);
		ret = execute(s, &pol);
		if (ret)
			return ret;
		if (s->ex.bad) {
			*found = true;
			return 0;
		}
		if (out_of_budget(s)) {
			s->res->stopped_early = true;
			return 0;
		}
	}
	return 0;
}

/* The kind of problem, so minimizing keeps the same finding. */
static int problem_kind(const struct model_config *cfg,
			const struct explore_execution *ex)
{
	unsigned int k;

	if (cfg->find != EXPLORE_FIND_ANY)
		return cfg->find;	/* bad only if it is this one */
	for (k = 0; k < V_NR; k++)
		if (ex->violations[k])
			return (int)k;
	return V_NR + (ex->corrupted ? 1 : ex->lost ? 2 : 0);
}

/*
 * Greedy minimization: turn each non-default choice, last first, back
 * into the default; keep the change if the same kind of problem stays.
 */
static int minimize(struct search *s)
{
	u8 best[SCHED_MAX_DECISIONS], trial[SCHED_MAX_DECISIONS];
	unsigned int len, k, tries = 0;
	int kind = problem_kind(s->cfg, &s->ex), i, ret;
	bool changed = true;

	len = s->sres.ndecisions;
	for (k = 0; k < len; k++)
		best[k] = s->sres.d[k].chosen != default_of(&s->sres.d[k]) ?
			  s->sres.d[k].chosen : CHOICE_DEFAULT;
	while (changed && tries < 2000) {
		changed = false;
		for (i = (int)len - 1; i >= 0; i--) {
			if (best[i] == CHOICE_DEFAULT)
				continue;
			memcpy(trial, best, len);
			trial[i] = CHOICE_DEFAULT;
			tries++;
			ret = replay(s, trial, len);
			if (ret)
				return ret;
			if (s->ex.bad && problem_kind(s->cfg, &s->ex) == kind) {
				memcpy(best, trial, len);
				changed = true;
			}
		}
	}
	while (len && best[len - 1] == CHOICE_DEFAULT)
		len--;
	memcpy(s->prefix, best, len);
	return (int)len;
}

/* Runs the final schedule once more with the trace on. */
static int record(struct search *s, const u8 *prefix, unsigned int len)
{
	struct sched_policy pol = { .prefix = prefix, .prefix_len = len };
	struct sched_trace tr = { .len = TRACE_BYTES };
	struct explore_result *res = s->res;
	unsigned int k;
	int ret;

	tr.buf = malloc(TRACE_BYTES);
	if (!tr.buf)
		return -ENOMEM;
	tr.buf[0] = 0;
	ret = explore_execute(s->cfg, &pol, &s->sres, &tr, &s->ex);
	if (ret) {
		free(tr.buf);
		return ret;
	}
	res->trace = tr.buf;
	res->max_steps = s->sres.steps;
	res->max_decisions = s->sres.ndecisions;
	res->cx = s->ex;
	res->unsafe = s->ex.bad;
	encode(&s->sres, res->schedule, sizeof(res->schedule));
	res->preemptions = 0;
	for (k = 0; k < s->sres.ndecisions; k++)
		res->preemptions += is_preemption(&s->sres.d[k],
						  s->sres.d[k].chosen);
	return 0;
}

int explore_run(const struct model_config *cfg_in, struct explore_result *res)
{
	struct model_config settled = *cfg_in, *cfg = &settled;
	struct search *s;
	bool found = false, registered = false;
	int ret, len;

	memset(res, 0, sizeof(*res));
	model_config_settle(cfg);
	if (!cfg->explore || model_config_check(cfg))
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->cfg = cfg;
	s->res = res;
	s->t0 = now_s();
	/*
	 * Each schedule builds and frees the scenario's memory: keep it in
	 * the heap, or every schedule pays the kernel's page faults.
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	pin_to_one_cpu();
	if (!mt_self) {
		if (!mt_register("main")) {
			free(s);
			return -EBUSY;
		}
		registered = true;
	}
	if (cfg->replay) {
		len = decode(cfg->replay, s->prefix, SCHED_MAX_DECISIONS);
		ret = len < 0 ? -EINVAL : record(s, s->prefix, (unsigned int)len);
		res->schedules = 1;
		goto out;
	}
	if (cfg->dpor)
		ret = explore_dpor_search(cfg, res, &s->sres, &s->ex, s->t0,
					  &found);
	else
		ret = cfg->pct ? pct_search(s, &found) :
				 bounded_search(s, &found);
	if (!ret && found) {
		len = minimize(s);
		ret = len < 0 ? len : record(s, s->prefix, (unsigned int)len);
	}
out:
	if (res->wm_overflow)
		res->exhaustive = false;
	if (!ret && !res->unsafe && !cfg->replay && cfg->strategy->establish_map &&
	    !res->fast_accesses)
		res->degenerate = true;
	res->seconds = now_s() - s->t0;
	if (registered)
		mt_unregister();
	free(s);
	return ret;
}

void explore_result_free(struct explore_result *res)
{
	free(res->trace);
	res->trace = NULL;
}
