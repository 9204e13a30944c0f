// SPDX-License-Identifier: GPL-2.0
/*
 * The weak-memory engine (memory_model.h). The lkmm mode is a view-based
 * operational model in the spirit of the promise-free view machines for
 * C11 and the kernel's model:
 *
 * - Each location has a modification order (mo) of messages; a write
 *   may be placed anywhere in it after the writer's own view of that
 *   location (so writes to different locations can reach the order in
 *   another order than they executed: 2+2W, S, R), except between an
 *   RMW and the message it read.
 * - A read of x returns any message not older (in mo) than the thread's
 *   view cur[x]: coherence, and nothing more, unless something moved
 *   cur. Reads see only executed writes: no load buffering.
 * - Each message carries a view: what a reader that orders itself after
 *   it (acquire, rmb, a dependency, a lock) must see too. A plain write
 *   carries rel (what earlier wmb/release/mb/lock put there); a release
 *   write carries everything the writer has seen, and what the messages
 *   it read carried (A-cumulativity); smp_wmb puts only the thread's own
 *   earlier writes into rel (wmb orders writes, and is not A-cumulative).
 * - smp_rmb makes the thread see what its earlier reads' messages
 *   carried (acq); smp_load_acquire does so for its own message; an
 *   address dependency does so for the one dependent access only.
 * - smp_mb is one global synchronisation point: it joins the thread's
 *   view (and acq) into a global view and takes the global view back,
 *   so of two smp_mb()s the later one sees what preceded the earlier
 *   one (SB, R, IRIW and 2+2W with mb are forbidden, as in LKMM).
 * - Locks are a location whose order is the lock's order: lock reads the
 *   latest unlock (acquire) and puts what that unlock released, and the
 *   thread's own last unlock, into rel (po-unlock-lock-po is cumulative
 *   in LKMM); unlock is a release write.
 * - RCU: a grace period waits for the readers inside at its start; at its
 *   end the updater sees what every reader that entered before the start
 *   released at its exit; a reader entering after a start sees what the
 *   updater had seen at that start (stronger than LKMM, see the docs).
 *
 * sc: reads return the latest message, writes go last, fences do nothing.
 * tso: per-thread FIFO store buffers in front of sc memory; a read looks
 * in its own buffer first; a buffered store reaching memory is a step of
 * its own (mm_tso_flush); mb, every RMW, lock, unlock and grace periods
 * drain the buffer, and so does the exit of an RCU reader (standing for
 * the barrier of the quiescent state its grace period waits for).
 */
#include <string.h>

#include "memory_model.h"

#define MM_BUF_ID	0xff	/* a TSO read from the thread's own buffer */

const char *mm_mode_name(enum mm_mode mode)
{
	switch (mode) {
	case MM_SC:
		return "sc";
	case MM_TSO:
		return "tso";
	case MM_LKMM:
		return "lkmm";
	}
	return "?";
}

int mm_mode_parse(const char *name, enum mm_mode *mode)
{
	static const enum mm_mode all[] = { MM_SC, MM_TSO, MM_LKMM };
	unsigned int i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(name, mm_mode_name(all[i]))) {
			*mode = all[i];
			return 0;
		}
	return -1;
}

void mm_state_init(struct mm_state *s, enum mm_mode mode, unsigned int nthreads,
	     unsigned int nlocs, const long *init)
{
	unsigned int l;

	memset(s, 0, sizeof(*s));
	s->mode = mode;
	s->nthreads = nthreads < MM_MAX_THREADS ? nthreads : MM_MAX_THREADS;
	s->nlocs = nlocs < MM_MAX_LOCS ? nlocs : MM_MAX_LOCS;
	for (l = 0; l < s->nlocs; l++) {
		s->loc[l].nmsgs = 1;
		s->loc[l].msg[0].val = init ? init[l] : 0;
		s->loc[l].msg[0].writer = -1;
	}
}

void mm_set_lock(struct mm_state *s, unsigned int loc)
{
	s->lock_locs |= 1ull << loc;
}

/* Is message a of loc at or after message b in the modification order? */
static bool mo_ge(const struct mm_state *s, unsigned int loc, uint8_t a,
		  uint8_t b)
{
	return s->loc[loc].pos[a] >= s->loc[loc].pos[b];
}

static void view_join(const struct mm_state *s, struct mm_view *v,
		      const struct mm_view *w)
{
	unsigned int l;

	for (l = 0; l < s->nlocs; l++)
		if (!mo_ge(s, l, v->m[l], w->m[l]))
			v->m[l] = w->m[l];
}

static void view_set(const struct mm_state *s, struct mm_view *v,
		     unsigned int loc, uint8_t id)
{
	if (!mo_ge(s, loc, v->m[loc], id))
		v->m[loc] = id;
}

static uint8_t latest(const struct mm_state *s, unsigned int loc)
{
	const struct mm_loc *L = &s->loc[loc];

	return L->order[L->nmsgs - 1];
}

static uint8_t later(const struct mm_state *s, unsigned int loc, uint8_t a,
		     uint8_t b)
{
	return mo_ge(s, loc, a, b) ? a : b;
}

/*
 * The oldest message thread t may read at loc (with a dependency); full:
 * after the smp_mb() a fully ordered RMW or write starts with.
 */
static uint8_t lower_bound(const struct mm_state *s, unsigned int t,
			   unsigned int loc, const struct mm_view *dep,
			   bool full)
{
	const struct mm_thread *th = &s->th[t];
	uint8_t lo = th->cur.m[loc];

	if (dep)
		lo = later(s, loc, lo, dep->m[loc]);
	if (full) {
		lo = later(s, loc, lo, th->acq.m[loc]);
		lo = later(s, loc, lo, s->sc_view.m[loc]);
	}
	return lo;
}

static int tso_buffered(const struct mm_thread *th, unsigned int loc)
{
	int i;

	for (i = (int)th->nbuf - 1; i >= 0; i--)
		if (th->buf_loc[i] == loc)
			return i;
	return -1;
}

/*
 * Inserts a message at mo position p; returns its id, or MM_MAX_MSGS if
 * the location is full (s->overflow then says so).
 */
static uint8_t insert_msg(struct mm_state *s, unsigned int t,
			  unsigned int loc, unsigned int p, long val,
			  const struct mm_view *view, bool rmw)
{
	struct mm_loc *L = &s->loc[loc];
	uint8_t id = L->nmsgs;
	unsigned int i;

	if (L->nmsgs >= MM_MAX_MSGS) {
		s->overflow = true;
		return MM_MAX_MSGS;
	}
	for (i = L->nmsgs; i > p; i--) {
		L->order[i] = L->order[i - 1];
		L->pos[L->order[i]] = (uint8_t)i;
	}
	L->order[p] = id;
	L->pos[id] = (uint8_t)p;
	L->nmsgs++;
	L->msg[id].val = val;
	L->msg[id].writer = (int8_t)t;
	L->msg[id].rmw = rmw;
	L->msg[id].rmw_read = false;
	if (view)
		L->msg[id].view = *view;
	else
		memset(&L->msg[id].view, 0, sizeof(L->msg[id].view));
	L->msg[id].view.m[loc] = id;
	return id;
}

static void append_sc(struct mm_state *s, unsigned int t, unsigned int loc,
		      long val)
{
	insert_msg(s, t, loc, s->loc[loc].nmsgs, val, NULL, false);
}

void mm_tso_flush(struct mm_state *s, unsigned int t)
{
	struct mm_thread *th = &s->th[t];

	if (!th->nbuf)
		return;
	append_sc(s, t, th->buf_loc[0], th->buf_val[0]);
	memmove(th->buf_loc, th->buf_loc + 1, th->nbuf - 1);
	memmove(th->buf_val, th->buf_val + 1,
		(th->nbuf - 1) * sizeof(th->buf_val[0]));
	th->nbuf--;
}

bool mm_tso_can_flush(const struct mm_state *s, unsigned int t)
{
	return s->mode == MM_TSO && s->th[t].nbuf > 0;
}

static void tso_drain(struct mm_state *s, unsigned int t)
{
	while (s->th[t].nbuf)
		mm_tso_flush(s, t);
}

void mm_read_choices(const struct mm_state *s, unsigned int t,
		     unsigned int loc, const struct mm_view *dep,
		     struct mm_choices *c)
{
	const struct mm_loc *L = &s->loc[loc];
	unsigned int p;

	c->n = 0;
	if (s->mode == MM_TSO && tso_buffered(&s->th[t], loc) >= 0) {
		c->id[c->n++] = MM_BUF_ID;
		return;
	}
	if (s->mode != MM_LKMM) {
		c->id[c->n++] = latest(s, loc);
		return;
	}
	for (p = L->pos[lower_bound(s, t, loc, dep, false)]; p < L->nmsgs; p++)
		c->id[c->n++] = L->order[p];
}

/* The view effects of thread t reading message id of loc. */
static void observe(struct mm_state *s, unsigned int t, unsigned int loc,
		    uint8_t id, bool acquire, const struct mm_view *dep,
		    struct mm_view *dep_out)
{
	struct mm_thread *th = &s->th[t];
	const struct mm_view *mv = &s->loc[loc].msg[id].view;

	view_set(s, &th->cur, loc, id);
	view_join(s, &th->acq, mv);
	if (dep)
		view_join(s, &th->acq, dep);
	view_join(s, &th->acq, &th->cur);
	if (acquire) {
		view_join(s, &th->cur, mv);
		if (dep)
			view_join(s, &th->cur, dep);
	}
	if (dep_out) {
		*dep_out = *mv;
		if (dep)
			view_join(s, dep_out, dep);
	}
}

long mm_read(struct mm_state *s, unsigned int t, unsigned int loc,
	     enum mm_order ord, const struct mm_view *dep, unsigned int k,
	     struct mm_view *dep_out)
{
	struct mm_choices c;
	uint8_t id;

	mm_read_choices(s, t, loc, dep, &c);
	if (k >= c.n)
		k = c.n - 1;
	id = c.id[k];
	if (id == MM_BUF_ID) {
		if (dep_out)
			memset(dep_out, 0, sizeof(*dep_out));
		return s->th[t].buf_val[tso_buffered(&s->th[t], loc)];
	}
	if (s->mode == MM_LKMM)
		observe(s, t, loc, id,
			ord == MM_ACQUIRE || ord == MM_FULL, dep, dep_out);
	else if (dep_out)
		memset(dep_out, 0, sizeof(*dep_out));
	return s->loc[loc].msg[id].val;
}

/* The mo positions a write of t to loc may take, latest first. */
static unsigned int write_places(const struct mm_state *s, unsigned int t,
				 unsigned int loc, const struct mm_view *dep,
				 bool full, uint8_t *place)
{
	const struct mm_loc *L = &s->loc[loc];
	unsigned int n = 0, p, lo;

	place[n++] = L->nmsgs;
	if (s->mode != MM_LKMM || (s->lock_locs & (1ull << loc)))
		return n;
	lo = L->pos[lower_bound(s, t, loc, dep, full)];
	for (p = L->nmsgs - 1; p > lo; p--)
		if (!L->msg[L->order[p]].rmw)
			place[n++] = (uint8_t)p;
	return n;
}

unsigned int mm_write_choices(const struct mm_state *s, unsigned int t,
			      unsigned int loc, enum mm_order ord,
			      const struct mm_view *dep)
{
	uint8_t place[MM_MAX_MSGS + 1];

	return write_places(s, t, loc, dep, ord == MM_FULL, place);
}

/* What a write of t carries: release (A-cumulative) or rel. */
static void write_view(const struct mm_state *s, unsigned int t,
		       bool release, struct mm_view *v)
{
	const struct mm_thread *th = &s->th[t];

	*v = th->rel;
	if (release) {
		view_join(s, v, &th->cur);
		view_join(s, v, &th->acq);
	}
}

static void wrote(struct mm_state *s, unsigned int t, unsigned int loc,
		  uint8_t id)
{
	struct mm_thread *th = &s->th[t];

	if (id >= MM_MAX_MSGS)
		return;
	th->cur.m[loc] = id;
	view_set(s, &th->acq, loc, id);
	th->own.m[loc] = id;
}

void mm_write(struct mm_state *s, unsigned int t, unsigned int loc, long val,
	      enum mm_order ord, const struct mm_view *dep, unsigned int k)
{
	struct mm_thread *th = &s->th[t];
	uint8_t place[MM_MAX_MSGS + 1];
	struct mm_view v;
	unsigned int n;

	if (s->mode == MM_TSO) {
		if (th->nbuf == MM_TSO_BUF)
			mm_tso_flush(s, t);
		th->buf_loc[th->nbuf] = (uint8_t)loc;
		th->buf_val[th->nbuf++] = val;
		return;
	}
	if (s->mode == MM_SC) {
		append_sc(s, t, loc, val);
		return;
	}
	if (ord == MM_FULL)
		mm_fence(s, t, MM_MB);
	n = write_places(s, t, loc, dep, false, place);
	if (k >= n)
		k = n - 1;
	write_view(s, t, ord == MM_RELEASE || ord == MM_FULL, &v);
	wrote(s, t, loc, insert_msg(s, t, loc, place[k], val, &v, false));
	if (ord == MM_FULL)
		mm_fence(s, t, MM_MB);
}

static bool rmw_apply(enum mm_rmw_op op, long old, long expect, long arg,
		      long *new)
{
	switch (op) {
	case MM_RMW_ADD:
		*new = old + arg;
		return true;
	case MM_RMW_XCHG:
		*new = arg;
		return true;
	case MM_RMW_CMPXCHG:
		*new = arg;
		return old == expect;
	case MM_RMW_ADD_UNLESS:
		*new = old + arg;
		return old != expect;
	}
	return false;
}

void mm_rmw_choices(const struct mm_state *s, unsigned int t,
		    unsigned int loc, enum mm_rmw_op op, long expect, long arg,
		    enum mm_order ord, struct mm_choices *c)
{
	const struct mm_loc *L = &s->loc[loc];
	unsigned int p, full;
	long new;

	c->n = 0;
	if (s->mode != MM_LKMM) {
		c->id[c->n++] = latest(s, loc);
		return;
	}
	/*
	 * A failing one is a plain read; a succeeding one reads a message
	 * no other RMW read (atomicity: fre;coe), and if fully ordered one
	 * not older than its leading smp_mb() lets it.
	 */
	full = L->pos[lower_bound(s, t, loc, NULL, ord == MM_FULL)];
	for (p = L->pos[s->th[t].cur.m[loc]]; p < L->nmsgs; p++) {
		const struct mm_msg *m = &L->msg[L->order[p]];

		if (!rmw_apply(op, m->val, expect, arg, &new) ||
		    (!m->rmw_read && p >= full))
			c->id[c->n++] = L->order[p];
	}
}

long mm_rmw(struct mm_state *s, unsigned int t, unsigned int loc,
	    enum mm_rmw_op op, long expect, long arg, enum mm_order ord,
	    unsigned int k)
{
	struct mm_choices c;
	struct mm_msg *m;
	struct mm_view v;
	long old, new;
	uint8_t id;
	bool ok;

	if (s->mode == MM_TSO)
		tso_drain(s, t);
	mm_rmw_choices(s, t, loc, op, expect, arg, ord, &c);
	if (k >= c.n)
		k = c.n - 1;
	id = c.id[k];
	m = &s->loc[loc].msg[id];
	old = m->val;
	ok = rmw_apply(op, old, expect, arg, &new);
	if (s->mode != MM_LKMM) {
		if (ok)
			append_sc(s, t, loc, new);
		return old;
	}
	if (!ok) {
		observe(s, t, loc, id, ord == MM_ACQUIRE, NULL, NULL);
		return old;
	}
	if (ord == MM_FULL)
		mm_fence(s, t, MM_MB);
	observe(s, t, loc, id, ord == MM_ACQUIRE || ord == MM_FULL, NULL, NULL);
	m->rmw_read = true;
	write_view(s, t, ord == MM_RELEASE || ord == MM_FULL, &v);
	wrote(s, t, loc, insert_msg(s, t, loc, s->loc[loc].pos[id] + 1u, new,
				    &v, true));
	if (ord == MM_FULL)
		mm_fence(s, t, MM_MB);
	return old;
}

void mm_fence(struct mm_state *s, unsigned int t, enum mm_fence f)
{
	struct mm_thread *th = &s->th[t];

	if (s->mode == MM_TSO) {
		if (f == MM_MB)
			tso_drain(s, t);
		return;
	}
	if (s->mode != MM_LKMM)
		return;
	switch (f) {
	case MM_RMB:
		view_join(s, &th->cur, &th->acq);
		break;
	case MM_WMB:
		view_join(s, &th->rel, &th->own);
		break;
	case MM_MB:
		view_join(s, &th->cur, &th->acq);
		view_join(s, &th->cur, &s->sc_view);
		s->sc_view = th->cur;
		th->acq = th->cur;
		th->rel = th->cur;
		break;
	}
}

bool mm_lock_free(const struct mm_state *s, unsigned int lock)
{
	return s->loc[lock].msg[latest(s, lock)].val == 0;
}

void mm_lock(struct mm_state *s, unsigned int t, unsigned int lock)
{
	struct mm_thread *th = &s->th[t];
	uint8_t id;

	if (s->mode == MM_TSO)
		tso_drain(s, t);
	id = latest(s, lock);
	if (s->mode == MM_LKMM) {
		const struct mm_view *uv = &s->loc[lock].msg[id].view;

		observe(s, t, lock, id, true, NULL, NULL);
		view_join(s, &th->rel, uv);
		view_join(s, &th->rel, &th->unlocked);
	}
	s->loc[lock].msg[id].rmw_read = true;
	wrote(s, t, lock, insert_msg(s, t, lock, s->loc[lock].nmsgs, 1,
				     &th->rel, true));
}

void mm_unlock(struct mm_state *s, unsigned int t, unsigned int lock)
{
	struct mm_thread *th = &s->th[t];
	struct mm_view v;

	if (s->mode == MM_TSO)
		tso_drain(s, t);
	write_view(s, t, true, &v);
	wrote(s, t, lock, insert_msg(s, t, lock, s->loc[lock].nmsgs, 0, &v,
				     false));
	th->unlocked = s->loc[lock].msg[th->cur.m[lock]].view;
}

void mm_rcu_read_lock(struct mm_state *s, unsigned int t)
{
	struct mm_thread *th = &s->th[t];

	if (th->rcu_depth++)
		return;
	th->rcu_epoch = s->epochs;
	if (s->mode == MM_LKMM) {
		view_join(s, &th->cur, &s->gp_view);
		view_join(s, &th->acq, &s->gp_view);
	}
}

void mm_rcu_read_unlock(struct mm_state *s, unsigned int t)
{
	struct mm_thread *th = &s->th[t];
	struct mm_view *done;

	if (!th->rcu_depth || --th->rcu_depth)
		return;
	/*
	 * TSO: the quiescent state a grace period waits for implies a full
	 * barrier on the reader's CPU; draining here is that, a little early.
	 */
	if (s->mode == MM_TSO)
		tso_drain(s, t);
	done = &s->rcu_done[th->rcu_epoch];
	view_join(s, done, &th->cur);
	view_join(s, done, &th->acq);
}

void mm_sync_start(struct mm_state *s, unsigned int t)
{
	struct mm_thread *th = &s->th[t];
	unsigned int u;

	if (s->mode == MM_TSO)
		tso_drain(s, t);
	mm_fence(s, t, MM_MB);
	th->in_gp = true;
	th->gp_epoch = s->epochs;
	if (s->epochs < MM_MAX_EPOCHS)
		s->epochs++;
	else
		s->overflow = true;
	th->gp_waits = 0;
	for (u = 0; u < s->nthreads; u++)
		if (u != t && s->th[u].rcu_depth)
			th->gp_waits |= 1u << u;
	if (s->mode == MM_LKMM)
		view_join(s, &s->gp_view, &th->cur);
}

bool mm_sync_can_end(const struct mm_state *s, unsigned int t)
{
	const struct mm_thread *th = &s->th[t];
	unsigned int u;

	for (u = 0; u < s->nthreads; u++)
		if ((th->gp_waits & (1u << u)) && s->th[u].rcu_depth &&
		    s->th[u].rcu_epoch <= th->gp_epoch)
			return false;
	return true;
}

void mm_sync_end(struct mm_state *s, unsigned int t)
{
	struct mm_thread *th = &s->th[t];
	unsigned int e;

	if (s->mode == MM_LKMM)
		for (e = 0; e <= th->gp_epoch; e++) {
			view_join(s, &th->cur, &s->rcu_done[e]);
			view_join(s, &th->acq, &s->rcu_done[e]);
		}
	mm_fence(s, t, MM_MB);
	th->in_gp = false;
}

int mm_msg_writer(const struct mm_state *s, unsigned int loc, unsigned int id)
{
	return s->loc[loc].msg[id].writer;
}

unsigned int mm_msg_place(const struct mm_state *s, unsigned int loc,
			  unsigned int id)
{
	return s->loc[loc].pos[id];
}

long mm_final(const struct mm_state *s, unsigned int loc)
{
	return s->loc[loc].msg[latest(s, loc)].val;
}

int mm_add_loc(struct mm_state *s, long init)
{
	struct mm_loc *L;

	if (s->nlocs >= MM_MAX_LOCS)
		return -1;
	L = &s->loc[s->nlocs];
	memset(L, 0, sizeof(*L));
	L->nmsgs = 1;
	L->msg[0].val = init;
	L->msg[0].writer = -1;
	return (int)s->nlocs++;
}

static void view_reset_loc(struct mm_view *v, unsigned int loc)
{
	v->m[loc] = 0;
}

void mm_lock_compact(struct mm_state *s, unsigned int lock)
{
	struct mm_loc *L = &s->loc[lock];
	unsigned int l, i, e;

	if (L->nmsgs <= 1)
		return;
	L->msg[0] = L->msg[latest(s, lock)];
	L->msg[0].view.m[lock] = 0;
	L->nmsgs = 1;
	L->order[0] = 0;
	L->pos[0] = 0;
	for (l = 0; l < s->nlocs; l++)
		for (i = 0; i < s->loc[l].nmsgs; i++)
			view_reset_loc(&s->loc[l].msg[i].view, lock);
	for (i = 0; i < s->nthreads; i++) {
		view_reset_loc(&s->th[i].cur, lock);
		view_reset_loc(&s->th[i].acq, lock);
		view_reset_loc(&s->th[i].rel, lock);
		view_reset_loc(&s->th[i].own, lock);
		view_reset_loc(&s->th[i].unlocked, lock);
	}
	view_reset_loc(&s->sc_view, lock);
	view_reset_loc(&s->gp_view, lock);
	for (e = 0; e <= MM_MAX_EPOCHS; e++)
		view_reset_loc(&s->rcu_done[e], lock);
}

void mm_external_write(struct mm_state *s, unsigned int loc, long val)
{
	struct mm_loc *L = &s->loc[loc];
	uint8_t id;
	unsigned int t;

	id = insert_msg(s, 0, loc, L->nmsgs, val, NULL, false);
	if (id >= MM_MAX_MSGS)
		return;
	L->msg[id].writer = -1;
	for (t = 0; t < s->nthreads; t++) {
		s->th[t].cur.m[loc] = id;
		s->th[t].acq.m[loc] = id;
	}
}
