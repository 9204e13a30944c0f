// SPDX-License-Identifier: GPL-2.0
/*
 * Every execution of a litmus program under the engine: a depth-first
 * search that, at each state, tries each thread's next event with each
 * choice the engine offers (and each TSO flush), copying the state at
 * every branch. Programs are straight-line and tiny, so the search is
 * exhaustive without any reduction: it is the reference the engine's
 * results are checked by.
 */
#include <stdlib.h>
#include <string.h>

#include "dpor.h"
#include "litmus.h"

struct run_state {
	struct mm_state mm;
	unsigned int pc[LIT_THREADS];
	bool in_sync[LIT_THREADS];
	long reg[LIT_THREADS][LIT_REGS];
	struct mm_view dep[LIT_THREADS][LIT_REGS];
	struct lit_choice path[LIT_PATH];	/* the decisions so far */
	unsigned int npath;
	bool path_overflow;
};

struct search {
	const struct litmus *t;
	struct lit_stats *st;
	unsigned int cap;
	bool nomem;
};

bool litmus_holds(const struct litmus *t, const struct lit_outcome *o)
{
	unsigned int i;

	for (i = 0; i < t->nterms; i++) {
		const struct lit_term *x = &t->exists[i];
		long v = x->thread < 0 ? o->loc[x->idx]
				       : o->reg[x->thread][x->idx];

		if (v != x->val)
			return false;
	}
	return true;
}

static bool same(const struct lit_outcome *a, const struct lit_outcome *b)
{
	return !memcmp(a->reg, b->reg, sizeof(a->reg)) &&
	       !memcmp(a->loc, b->loc, sizeof(a->loc));
}

static bool member(const struct lit_stats *st, const struct lit_outcome *o)
{
	unsigned int i;

	for (i = 0; i < st->noutcomes; i++)
		if (same(&st->outcomes[i], o))
			return true;
	return false;
}

bool litmus_subset(const struct lit_stats *a, const struct lit_stats *b)
{
	unsigned int i;

	for (i = 0; i < a->noutcomes; i++)
		if (!member(b, &a->outcomes[i]))
			return false;
	return true;
}

static void record(struct search *s, const struct run_state *rs)
{
	struct lit_stats *st = s->st;
	struct lit_outcome o;
	unsigned int l;

	memset(&o, 0, sizeof(o));
	memcpy(o.reg, rs->reg, sizeof(o.reg));
	if (rs->path_overflow)
		st->overflow = true;
	for (l = 0; l < s->t->nlocs; l++)
		o.loc[l] = mm_final(&rs->mm, l);
	st->executions++;
	if (rs->mm.overflow)
		st->overflow = true;
	if (member(st, &o))
		return;
	if (st->noutcomes == s->cap) {
		unsigned int cap = s->cap ? 2 * s->cap : 16;
		struct lit_outcome *n = realloc(st->outcomes,
						cap * sizeof(*n));

		if (!n) {
			s->nomem = true;
			return;
		}
		st->outcomes = n;
		s->cap = cap;
	}
	st->outcomes[st->noutcomes] = o;
	memcpy(st->outcomes[st->noutcomes].path, rs->path,
	       rs->npath * sizeof(rs->path[0]));
	st->outcomes[st->noutcomes++].npath = rs->npath;
	if (litmus_holds(s->t, &o))
		st->exists = true;
}

static void explore(struct search *s, const struct run_state *rs);

/* Does thread w's program write loc (so a read may name w as writer)? */
static bool writes(const struct litmus *t, int w, unsigned int loc)
{
	unsigned int i;

	if (w < 0)
		return true;	/* the initial value */
	for (i = 0; i < LIT_INS; i++) {
		const struct lit_ins *in = &t->p[w][i];

		if ((in->op == L_WRITE || in->op == L_RMW || in->op == L_LOCK ||
		     in->op == L_UNLOCK) && (in->dep || in->loc == (int)loc))
			return true;
	}
	return false;
}

/* How many choices thread th's next event has (1: none to make). */
static unsigned int choices(const struct search *s, const struct run_state *rs,
			    unsigned int th, struct mm_choices *ch)
{
	const struct lit_ins *in = &s->t->p[th][rs->pc[th]];
	const struct mm_view *dep = NULL;
	unsigned int loc = in->loc;

	if (in->ctrl && !rs->reg[th][in->if_reg])
		return 1;	/* the branch not taken */
	if (in->dep) {
		loc = (unsigned int)rs->reg[th][in->addr];
		dep = &rs->dep[th][in->addr];
	}
	if (in->op == L_READ) {
		mm_read_choices(&rs->mm, th, loc, dep, ch);
		return ch->n;
	}
	if (in->op == L_WRITE)
		return mm_write_choices(&rs->mm, th, loc, in->ord, dep);
	if (in->op == L_RMW) {
		mm_rmw_choices(&rs->mm, th, loc, in->rmw, in->expect, in->val,
			       in->ord, ch);
		return ch->n;
	}
	return 1;
}

/* Thread th's next event with choice k (a grace period's start: no pc). */
static void apply(struct search *s, struct run_state *c, unsigned int th,
		  unsigned int k)
{
	const struct lit_ins *in = &s->t->p[th][c->pc[th]];
	const struct mm_view *dep = NULL;
	unsigned int loc = in->loc;
	struct mm_choices ch;

	if (in->ctrl && !c->reg[th][in->if_reg]) {
		c->pc[th]++;
		return;
	}
	if (in->dep) {
		loc = (unsigned int)c->reg[th][in->addr];
		dep = &c->dep[th][in->addr];
	}
	switch (in->op) {
	case L_READ:
		mm_read_choices(&c->mm, th, loc, dep, &ch);
		/* Under tso a read may come from the own buffer. */
		if (k < ch.n && ch.id[k] < MM_MAX_MSGS &&
		    !writes(s->t, mm_msg_writer(&c->mm, loc, ch.id[k]), loc))
			s->st->bad_writer++;
		c->reg[th][in->reg] = mm_read(&c->mm, th, loc, in->ord, dep, k,
					      &c->dep[th][in->reg]);
		break;
	case L_WRITE:
		mm_write(&c->mm, th, loc, in->val, in->ord, dep, k);
		break;
	case L_RMW:
		c->reg[th][in->reg] = mm_rmw(&c->mm, th, loc, in->rmw,
					     in->expect, in->val, in->ord, k);
		break;
	case L_FENCE:
		mm_fence(&c->mm, th, in->fence);
		break;
	case L_LOCK:
		mm_lock(&c->mm, th, loc);
		break;
	case L_UNLOCK:
		mm_unlock(&c->mm, th, loc);
		break;
	case L_RCU_LOCK:
		mm_rcu_read_lock(&c->mm, th);
		break;
	case L_RCU_UNLOCK:
		mm_rcu_read_unlock(&c->mm, th);
		break;
	case L_SYNC:
		if (!c->in_sync[th]) {
			mm_sync_start(&c->mm, th);
			c->in_sync[th] = true;
			return;	/* the end is a step of its own */
		}
		mm_sync_end(&c->mm, th);
		c->in_sync[th] = false;
		break;
	case L_END:
		break;
	}
	c->pc[th]++;
}

/* Appends a decision to c's path: flush, or an event with choice k. */
static void note(struct run_state *c, unsigned int th, bool flush,
		 unsigned int k)
{
	if (c->npath < LIT_PATH)
		c->path[c->npath++] = (struct lit_choice){
			.thread = (uint8_t)th, .flush = flush,
			.k = (uint8_t)k };
	else
		c->path_overflow = true;
}

static void step(struct search *s, const struct run_state *rs,
		 unsigned int th)
{
	struct run_state *c;
	struct mm_choices ch;
	unsigned int k, n = choices(s, rs, th, &ch);

	c = malloc(sizeof(*c));
	if (!c) {
		s->nomem = true;
		return;
	}
	for (k = 0; k < n; k++) {
		*c = *rs;
		note(c, th, false, k);
		apply(s, c, th, k);
		explore(s, c);
	}
	free(c);
}

static bool can_step(const struct search *s, const struct run_state *rs,
		     unsigned int th)
{
	const struct lit_ins *in = &s->t->p[th][rs->pc[th]];

	if (rs->pc[th] >= LIT_INS || in->op == L_END)
		return false;
	if (in->op == L_LOCK)
		return mm_lock_free(&rs->mm, in->loc);
	if (in->op == L_SYNC && rs->in_sync[th])
		return mm_sync_can_end(&rs->mm, th);
	return true;
}

static bool finished(const struct search *s, const struct run_state *rs)
{
	unsigned int th;

	for (th = 0; th < s->t->nthreads; th++)
		if (rs->pc[th] < LIT_INS && s->t->p[th][rs->pc[th]].op != L_END)
			return false;
	return true;
}

static void explore(struct search *s, const struct run_state *rs)
{
	bool any = false;
	unsigned int th;

	if (s->nomem)
		return;
	for (th = 0; th < s->t->nthreads; th++) {
		if (mm_tso_can_flush(&rs->mm, th)) {
			struct run_state *c = malloc(sizeof(*c));

			if (!c) {
				s->nomem = true;
				return;
			}
			*c = *rs;
			note(c, th, true, 0);
			mm_tso_flush(&c->mm, th);
			explore(s, c);
			free(c);
			any = true;
		}
		if (!can_step(s, rs, th))
			continue;
		any = true;
		step(s, rs, th);
	}
	if (any)
		return;
	if (finished(s, rs))
		record(s, rs);
	else
		s->st->deadlocks++;
}

int litmus_run(const struct litmus *t, enum mm_mode mode,
	       struct lit_stats *st)
{
	struct search s = { .t = t, .st = st };
	struct run_state *rs;
	unsigned int l;

	memset(st, 0, sizeof(*st));
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return -1;
	mm_state_init(&rs->mm, mode, t->nthreads, t->nlocs, t->init);
	for (l = 0; l < t->nlocs; l++)
		if (t->locks & (1u << l))
			mm_set_lock(&rs->mm, l);
	explore(&s, rs);
	free(rs);
	return s.nomem ? -1 : 0;
}

int litmus_replay(const struct litmus *t, enum mm_mode mode,
		  const struct lit_choice *path, unsigned int npath,
		  struct lit_outcome *o)
{
	struct lit_stats st;
	struct search s = { .t = t, .st = &st };
	struct run_state *rs;
	unsigned int i, l;
	int ret = 0;

	memset(&st, 0, sizeof(st));
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return -1;
	mm_state_init(&rs->mm, mode, t->nthreads, t->nlocs, t->init);
	for (l = 0; l < t->nlocs; l++)
		if (t->locks & (1u << l))
			mm_set_lock(&rs->mm, l);
	for (i = 0; i < npath && !ret; i++) {
		const struct lit_choice *d = &path[i];
		struct mm_choices ch;

		if (d->thread >= t->nthreads)
			ret = -1;
		else if (d->flush && mm_tso_can_flush(&rs->mm, d->thread))
			mm_tso_flush(&rs->mm, d->thread);
		else if (d->flush || !can_step(&s, rs, d->thread) ||
			 d->k >= choices(&s, rs, d->thread, &ch))
			ret = -1;	/* not a decision this state offers */
		else
			apply(&s, rs, d->thread, d->k);
	}
	memset(o, 0, sizeof(*o));
	memcpy(o->reg, rs->reg, sizeof(o->reg));
	for (l = 0; l < t->nlocs; l++)
		o->loc[l] = mm_final(&rs->mm, l);
	free(rs);
	return ret;
}

bool litmus_same(const struct lit_outcome *a, const struct lit_outcome *b)
{
	return same(a, b);
}

void litmus_stats_free(struct lit_stats *st)
{
	free(st->outcomes);
	st->outcomes = NULL;
}

/*
 * DPOR under sc: each step has one choice, so a thread's step is
 * deterministic and the search is over interleavings only. Footprints:
 * reads and writes of their location, locks, fences local (nothing to
 * order under sc), RCU calls all writes of one object (a reader's exit
 * can let a grace period end).
 */
#define RCU_OBJ	LIT_LOCS

struct dpor_run {
	struct search s;
	struct run_state rs;
};

static void dr_reset(void *arg)
{
	struct dpor_run *d = arg;
	unsigned int l;

	memset(&d->rs, 0, sizeof(d->rs));
	mm_state_init(&d->rs.mm, MM_SC, d->s.t->nthreads, d->s.t->nlocs,
		d->s.t->init);
	for (l = 0; l < d->s.t->nlocs; l++)
		if (d->s.t->locks & (1u << l))
			mm_set_lock(&d->rs.mm, l);
}

static uint32_t dr_enabled(void *arg)
{
	struct dpor_run *d = arg;
	uint32_t e = 0;
	unsigned int th;

	for (th = 0; th < d->s.t->nthreads; th++)
		if (can_step(&d->s, &d->rs, th))
			e |= 1u << th;
	return e;
}

static struct dpor_fp dr_next(void *arg, unsigned int th)
{
	struct dpor_run *d = arg;
	const struct lit_ins *in = &d->s.t->p[th][d->rs.pc[th]];
	struct dpor_fp fp = { DPOR_LOCAL, 0 };
	unsigned int loc = in->loc;

	if (in->dep)
		loc = (unsigned int)d->rs.reg[th][in->addr];
	if (in->ctrl && !d->rs.reg[th][in->if_reg])
		return fp;
	switch (in->op) {
	case L_READ:
		fp = (struct dpor_fp){ DPOR_READ, loc };
		break;
	case L_WRITE:
	case L_RMW:
		fp = (struct dpor_fp){ DPOR_WRITE, loc };
		break;
	case L_LOCK:
		fp = (struct dpor_fp){ DPOR_LOCK, loc };
		break;
	case L_UNLOCK:
		fp = (struct dpor_fp){ DPOR_UNLOCK, loc };
		break;
	case L_RCU_LOCK:
	case L_RCU_UNLOCK:
	case L_SYNC:
		fp = (struct dpor_fp){ DPOR_WRITE, RCU_OBJ };
		break;
	case L_FENCE:
	case L_END:
		break;
	}
	return fp;
}

static void dr_step(void *arg, unsigned int th)
{
	struct dpor_run *d = arg;

	apply(&d->s, &d->rs, th, 0);
}

static void dr_complete(void *arg)
{
	struct dpor_run *d = arg;

	if (finished(&d->s, &d->rs))
		record(&d->s, &d->rs);
	else
		d->s.st->deadlocks++;
}

int litmus_run_dpor_sc(const struct litmus *t, struct lit_stats *st,
		       unsigned long *schedules)
{
	static const struct dpor_ops ops = {
		dr_reset, dr_enabled, dr_next, dr_step, dr_complete,
	};
	struct dpor_run *d;
	struct dpor_stats ds;
	int ret;

	memset(st, 0, sizeof(*st));
	d = calloc(1, sizeof(*d));
	if (!d)
		return -1;
	d->s.t = t;
	d->s.st = st;
	dpor_explore(&ops, d, &ds);
	*schedules = ds.executions + ds.sleep_blocked;
	if (ds.depth_overflow)
		st->overflow = true;
	ret = d->s.nomem ? -1 : 0;
	free(d);
	return ret;
}
