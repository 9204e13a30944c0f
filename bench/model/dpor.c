// SPDX-License-Identifier: GPL-2.0
/*
 * Source-DPOR with sleep sets (dpor.h). The execution E is a stack of
 * events (thread, footprint); node d is the state before event d, with
 * its backtrack, done and sleep sets and the footprint of every
 * thread's next step there. Before taking a thread p at node d, every
 * race between an earlier event e and p's step (dependent, different
 * threads, and not ordered through a third event) asks for an
 * alternative at the node before e: some initial of notdep(e, E).p,
 * unless one is already in its backtrack set. Lock steps: an unlock
 * and the next lock cannot be reversed (the lock is held in between),
 * so a lock races with the previous lock of that lock instead, ordered
 * through neither's unlock.
 */
#include <string.h>

#include "dpor.h"

#define HB_WORDS	((DPOR_MAX_DEPTH + 63) / 64)

struct hbset {
	uint64_t w[HB_WORDS];
};

struct event {
	uint8_t thread;
	struct dpor_fp fp;
	struct hbset hb;	/* earlier events that happen before it */
};

struct node {
	uint32_t enabled, backtrack, done, sleep;
	struct dpor_fp next[DPOR_MAX_THREADS];
};

struct search {
	const struct dpor_ops *ops;
	void *ctx;
	struct dpor_stats *st;
	struct event ev[DPOR_MAX_DEPTH];
	struct node node[DPOR_MAX_DEPTH + 1];
};

bool dpor_dependent(struct dpor_fp a, struct dpor_fp b)
{
	if (a.kind == DPOR_LOCAL || b.kind == DPOR_LOCAL || a.obj != b.obj)
		return false;
	return a.kind != DPOR_READ || b.kind != DPOR_READ;
}

static bool hb_has(const struct hbset *s, unsigned int i)
{
	return s->w[i / 64] >> (i % 64) & 1;
}

static void hb_add(struct hbset *s, unsigned int i)
{
	s->w[i / 64] |= (uint64_t)1 << (i % 64);
}

static void hb_union(struct hbset *s, const struct hbset *o)
{
	unsigned int k;

	for (k = 0; k < HB_WORDS; k++)
		s->w[k] |= o->w[k];
}

/*
 * What happens before a step of thread t with footprint fp after
 * ev[0..d). With races set, for a lock: not through another thread's
 * unlock of it (a lock never races with an unlock, see add_backtracks).
 */
static void hb_of(const struct search *s, unsigned int d, unsigned int t,
		  struct dpor_fp fp, bool races, struct hbset *out)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < d; i++) {
		const struct event *e = &s->ev[i];

		if (races && fp.kind == DPOR_LOCK && e->thread != t &&
		    e->fp.kind == DPOR_UNLOCK && e->fp.obj == fp.obj)
			continue;
		if (e->thread == t || dpor_dependent(e->fp, fp)) {
			hb_add(out, i);
			hb_union(out, &e->hb);
		}
	}
}

static void replay(struct search *s, unsigned int d)
{
	unsigned int i;

	s->ops->reset(s->ctx);
	for (i = 0; i < d; i++) {
		s->ops->step(s->ctx, s->ev[i].thread);
		s->st->steps++;
	}
}

static uint32_t lowest(uint32_t set)
{
	return set & -set;
}

/*
 * The initials of v = notdep(e_i, E).p at node i: threads whose first
 * event in v has no happens-before predecessor in v.
 */
static uint32_t initials(const struct search *s, unsigned int i,
			 unsigned int d, unsigned int p,
			 const struct hbset *hbp)
{
	uint32_t init = 0, seen = 0;
	unsigned int j, k;

	for (j = i + 1; j < d; j++) {
		const struct event *e = &s->ev[j];
		bool first = true;

		if (hb_has(&e->hb, i))
			continue;	/* not in notdep(e_i, E) */
		if (seen & (1u << e->thread))
			continue;
		seen |= 1u << e->thread;
		for (k = i + 1; k < j && first; k++)
			if (!hb_has(&s->ev[k].hb, i) && hb_has(&e->hb, k))
				first = false;
		if (first)
			init |= 1u << e->thread;
	}
	if (!(seen & (1u << p))) {
		bool first = true;

		for (k = i + 1; k < d && first; k++)
			if (!hb_has(&s->ev[k].hb, i) && hb_has(hbp, k))
				first = false;
		if (first)
			init |= 1u << p;
	}
	return init;
}

static void add_backtracks(struct search *s, unsigned int d, unsigned int p)
{
	struct dpor_fp fp = s->node[d].next[p];
	struct hbset hbp;
	unsigned int i, k;

	/* An unlock races with nothing: no other lock step fits before it. */
	if (fp.kind == DPOR_UNLOCK)
		return;
	hb_of(s, d, p, fp, true, &hbp);
	for (i = d; i-- > 0;) {
		const struct event *e = &s->ev[i];
		struct node *n = &s->node[i];
		bool direct = true;
		uint32_t init;

		if (e->thread == p || !dpor_dependent(e->fp, fp))
			continue;
		/* A lock races with the previous lock, not with its unlock. */
		if (fp.kind == DPOR_LOCK && e->fp.kind == DPOR_UNLOCK)
			continue;
		/* A race only if no event between orders them. */
		for (k = i + 1; k < d && direct; k++)
			if (hb_has(&hbp, k) && hb_has(&s->ev[k].hb, i))
				direct = false;
		if (!direct)
			continue;
		init = initials(s, i, d, p, &hbp);
		if (init & n->backtrack)
			continue;
		init &= n->enabled;
		/* None can run there (blocked): try every thread that can. */
		n->backtrack |= init ? lowest(init) : n->enabled;
	}
}

static void explore(struct search *s, unsigned int d)
{
	struct node *n = &s->node[d];
	uint32_t todo;
	unsigned int t;

	n->enabled = s->ops->enabled(s->ctx);
	for (t = 0; t < DPOR_MAX_THREADS; t++)
		if (n->enabled & (1u << t))
			n->next[t] = s->ops->next(s->ctx, t);
	if (!n->enabled) {
		s->ops->complete(s->ctx);
		s->st->executions++;
		return;
	}
	if (d == DPOR_MAX_DEPTH) {
		s->st->depth_overflow = true;
		return;
	}
	if (!(n->enabled & ~n->sleep)) {
		s->st->sleep_blocked++;
		return;
	}
	n->backtrack = lowest(n->enabled & ~n->sleep);
	n->done = 0;
	while ((todo = n->backtrack & ~n->done & ~n->sleep & n->enabled)) {
		struct node *c = &s->node[d + 1];
		uint32_t q;

		t = (unsigned int)__builtin_ctz(todo);
		n->done |= 1u << t;
		add_backtracks(s, d, t);
		c->sleep = 0;
		for (q = n->sleep; q; q &= q - 1) {
			unsigned int u = (unsigned int)__builtin_ctz(q);

			if (!dpor_dependent(n->next[u], n->next[t]))
				c->sleep |= 1u << u;
		}
		s->ev[d].thread = (uint8_t)t;
		s->ev[d].fp = n->next[t];
		hb_of(s, d, t, n->next[t], false, &s->ev[d].hb);
		s->ops->step(s->ctx, t);
		s->st->steps++;
		explore(s, d + 1);
		n->sleep |= 1u << t;
		replay(s, d);
	}
}

void dpor_explore(const struct dpor_ops *ops, void *ctx,
		  struct dpor_stats *st)
{
	static struct search s;	/* large; one search at a time */

	memset(&s, 0, sizeof(s));
	memset(st, 0, sizeof(*st));
	s.ops = ops;
	s.ctx = ctx;
	s.st = st;
	ops->reset(ctx);
	explore(&s, 0);
}

static void explore_all(struct search *s, unsigned int d)
{
	uint32_t en = s->ops->enabled(s->ctx), todo;

	if (!en) {
		s->ops->complete(s->ctx);
		s->st->executions++;
		return;
	}
	if (d == DPOR_MAX_DEPTH) {
		s->st->depth_overflow = true;
		return;
	}
	for (todo = en; todo; todo &= todo - 1) {
		unsigned int t = (unsigned int)__builtin_ctz(todo);

		if (todo != en)
			replay(s, d);
		s->ev[d].thread = (uint8_t)t;
		s->ops->step(s->ctx, t);
		s->st->steps++;
		explore_all(s, d + 1);
	}
}

void dpor_explore_all(const struct dpor_ops *ops, void *ctx,
		      struct dpor_stats *st)
{
	static struct search s;

	memset(&s, 0, sizeof(s));
	memset(st, 0, sizeof(*st));
	s.ops = ops;
	s.ctx = ctx;
	s.st = st;
	ops->reset(ctx);
	explore_all(&s, 0);
}
