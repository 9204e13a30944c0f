// SPDX-License-Identifier: GPL-2.0
/*
 * The weak memory model in the explorer (explore_wm.h). Locations are
 * met as the execution goes: the first marked access to an address
 * makes it a location of the engine, holding what memory holds then.
 * Memory itself always holds the value last in each location's
 * modification order, so code that reads it plainly (the model's
 * bookkeeping, the oracle) sees what SC would; a plain store the engine
 * did not see is taken in at the location's next marked access as a
 * write every thread sees at once (mm_external_write).
 *
 * Every choice is numbered newest first: choice 0 is what SC does (the
 * latest write, the last place, every buffered store flushed), so a
 * schedule with no memory-model decisions is the SC execution.
 */
#include <stdio.h>
#include <string.h>

#include "explore_wm.h"
#include "memory_model.h"
#include "scheduler.h"

_Static_assert(WM_SC == MM_SC && WM_TSO == MM_TSO && WM_LKMM == MM_LKMM,
	       "explore_wm.h's modes are the engine's");

const char *wm_model_name(int mode)
{
	return mm_mode_name((enum mm_mode)mode);
}

int wm_model_parse(const char *name, int *mode)
{
	enum mm_mode m;

	if (mm_mode_parse(name, &m))
		return -1;
	*mode = (int)m;
	return 0;
}

#ifndef MN_EXPLORE
/* The measured build has no explorer: nothing goes through an engine. */
int mn_wm_on;

void wm_begin(int mode, unsigned int nthreads)
{
	(void)mode;
	(void)nthreads;
}

bool wm_end(void)
{
	return false;
}

unsigned int wm_locations(void)
{
	return 0;
}
#else

_Static_assert(MN_WM_ONCE == MM_ONCE && MN_WM_ACQUIRE == MM_ACQUIRE &&
	       MN_WM_RELEASE == MM_RELEASE && MN_WM_FULL == MM_FULL,
	       "mn_compat.h's orders are the engine's");
_Static_assert(MN_WM_MB == MM_MB && MN_WM_RMB == MM_RMB &&
	       MN_WM_WMB == MM_WMB, "mn_compat.h's fences are the engine's");
_Static_assert(MN_WM_ADD == MM_RMW_ADD && MN_WM_XCHG == MM_RMW_XCHG,
	       "mn_compat.h's RMWs are the engine's");

/* Footprints the engine adds to a step (for --search dpor). */
#define WM_OBJ_FENCE	(SCHED_OBJ_TAG | (3ull << 32))	/* smp_mb's order */
#define WM_OBJ_BUF(t)	(SCHED_OBJ_TAG | (4ull << 32) | (u32)(t))

int mn_wm_on;

static struct {
	struct mm_state s;
	unsigned int nthreads;
	uintptr_t addr[MM_MAX_LOCS];
	u8 size[MM_MAX_LOCS];	/* 0: a lock */
	unsigned long wstep[MM_MAX_LOCS][MM_MAX_MSGS];	/* writes' steps */
	/* The mm's notes on its writes (wm_mm_write); why NULL: none. */
	struct wm_note note[MM_MAX_LOCS][MM_MAX_MSGS];
	bool overflow;
} wm;

void wm_begin(int mode, unsigned int nthreads)
{
	mn_wm_on = 0;
	if (mode == MM_SC)
		return;
	mm_state_init(&wm.s, (enum mm_mode)mode, nthreads, 0, NULL);
	wm.nthreads = nthreads;
	wm.overflow = false;
	mn_wm_on = 1;
}

unsigned int wm_locations(void)
{
	return wm.s.nlocs;
}

static long normalize(long v, unsigned int size)
{
	switch (size) {
	case 1:
		return (signed char)v;
	case 2:
		return (short)v;
	case 4:
		return (int)v;
	default:
		return v;
	}
}

static long mem_load(uintptr_t addr, unsigned int size)
{
	long v = 0;

	switch (size) {
	case 1:
		return (signed char)__atomic_load_n((u8 *)addr, __ATOMIC_RELAXED);
	case 2:
		return (short)__atomic_load_n((u16 *)addr, __ATOMIC_RELAXED);
	case 4:
		return (int)__atomic_load_n((u32 *)addr, __ATOMIC_RELAXED);
	case 8:
		return (long)__atomic_load_n((u64 *)addr, __ATOMIC_RELAXED);
	default:
		memcpy(&v, (void *)addr, size);
		return v;
	}
}

/* An RMW straight on memory: the old value. */
static long mem_rmw(uintptr_t addr, unsigned int size, int op, long arg)
{
	long old = mem_load(addr, size);

	if (size == 4)
		return op == MN_WM_ADD ?
		       (int)__atomic_fetch_add((u32 *)addr, (u32)arg,
					       __ATOMIC_SEQ_CST) :
		       (int)__atomic_exchange_n((u32 *)addr, (u32)arg,
						__ATOMIC_SEQ_CST);
	if (size == 8)
		return op == MN_WM_ADD ?
		       (long)__atomic_fetch_add((u64 *)addr, (u64)arg,
						__ATOMIC_SEQ_CST) :
		       (long)__atomic_exchange_n((u64 *)addr, (u64)arg,
						 __ATOMIC_SEQ_CST);
	memcpy((void *)addr, op == MN_WM_ADD ? &(long){ old + arg } : &arg,
	       size);
	return old;
}

static void mem_store(uintptr_t addr, unsigned int size, long v)
{
	switch (size) {
	case 1:
		__atomic_store_n((u8 *)addr, (u8)v, __ATOMIC_RELAXED);
		break;
	case 2:
		__atomic_store_n((u16 *)addr, (u16)v, __ATOMIC_RELAXED);
		break;
	case 4:
		__atomic_store_n((u32 *)addr, (u32)v, __ATOMIC_RELAXED);
		break;
	case 8:
		__atomic_store_n((u64 *)addr, (u64)v, __ATOMIC_RELAXED);
		break;
	default:
		memcpy((void *)addr, &v, size);
	}
}

/* The last message's step: a write the trace can name. */
static void note_write(unsigned int loc)
{
	const struct mm_loc *L = &wm.s.loc[loc];

	if (L->nmsgs && L->nmsgs <= MM_MAX_MSGS)
		wm.wstep[loc][L->nmsgs - 1] = sched_steps();
}

static void write_back(unsigned int loc)
{
	if (wm.size[loc])
		mem_store(wm.addr[loc], wm.size[loc], mm_final(&wm.s, loc));
}

/* The engine's location for addr, -1 if it has no room (then SC). */
static int loc_of(const void *p, unsigned int size)
{
	uintptr_t addr = (uintptr_t)p;
	unsigned int i;
	long cur;
	int loc;

	for (i = 0; i < wm.s.nlocs; i++)
		if (wm.addr[i] == addr && wm.size[i] == size)
			break;
	if (i < wm.s.nlocs) {
		if (!size)
			return (int)i;
		cur = mem_load(addr, size);
		if (cur != normalize(mm_final(&wm.s, i), size)) {
			mm_external_write(&wm.s, i, cur);
			note_write(i);
		}
		return (int)i;
	}
	loc = mm_add_loc(&wm.s, size ? mem_load(addr, size) : 0);
	if (loc < 0) {
		wm.overflow = true;
		return -1;
	}
	wm.addr[loc] = addr;
	wm.size[loc] = (u8)size;
	wm.wstep[loc][0] = 0;
	memset(wm.note[loc], 0, sizeof(wm.note[loc]));
	if (!size)
		mm_set_lock(&wm.s, (unsigned int)loc);
	return loc;
}

static void flush_one(unsigned int u)
{
	const struct mm_thread *th = &wm.s.th[u];
	unsigned int loc = th->buf_loc[0];

	mm_tso_flush(&wm.s, u);
	note_write(loc);
	write_back(loc);
	sched_touch(SCHED_FP_WRITE, (u64)wm.addr[loc]);
	sched_touch(SCHED_FP_WRITE, WM_OBJ_BUF(u));
}

static void drain(unsigned int u)
{
	while (wm.s.th[u].nbuf)
		flush_one(u);
}

/*
 * TSO: before an access of t, how many of each other thread's buffered
 * stores reach memory (choice 0: all of them).
 */
static void tso_choices(unsigned int t)
{
	unsigned int u, n, k;

	if (wm.s.mode != MM_TSO)
		return;
	for (u = 0; u < wm.nthreads; u++) {
		n = wm.s.th[u].nbuf;
		if (u == t || !n)
			continue;
		k = sched_choose_value(n + 1);
		while (n-- > k)
			flush_one(u);
	}
}

/* The running thread, if the engine is on and it runs under it. */
static int me(void)
{
	if (!mn_wm_on || wm.s.overflow)
		return -1;
	return sched_current();
}

static void trace_read(unsigned int loc, unsigned int id, unsigned int n,
		       const char *what)
{
	char line[224], dec[32] = "", on[48] = "";
	int w = mm_msg_writer(&wm.s, loc, id);

	/* A choice is the last decision; the schedule names it so. */
	if (n > 1)
		snprintf(dec, sizeof(dec), ", decision %u",
			 sched_decisions() - 1);
	if (what)
		snprintf(on, sizeof(on), "%s: ", what);
	snprintf(line, sizeof(line),
		 "%sreads-from %s's write at step %lu (mo %u of %u, %u allowed%s)",
		 on, w >= 0 ? sched_thread_name(w) : "init", wm.wstep[loc][id],
		 mm_msg_place(&wm.s, loc, id), wm.s.loc[loc].nmsgs - 1u, n,
		 dec);
	sched_trace_text(line);
}

long mn_wm_load(const void *p, unsigned int size, int ord)
{
	struct mm_choices c;
	int t = me(), loc;
	unsigned int k;
	long v;

	if (t < 0 || (loc = loc_of(p, size)) < 0)
		return mem_load((uintptr_t)p, size);
	tso_choices((unsigned int)t);
	mm_read_choices(&wm.s, (unsigned int)t, (unsigned int)loc, NULL, &c);
	if (!c.n)
		return mem_load((uintptr_t)p, size);
	k = c.n - 1 - sched_choose_value(c.n);
	v = mm_read(&wm.s, (unsigned int)t, (unsigned int)loc,
		    (enum mm_order)ord, NULL, k, NULL);
	if (c.id[k] < MM_MAX_MSGS)
		trace_read((unsigned int)loc, c.id[k], c.n, NULL);
	return normalize(v, size);
}

void mn_wm_store(void *p, unsigned int size, long v, int ord)
{
	int t = me(), loc;
	unsigned int n, k;
	char line[96];

	if (t < 0 || (loc = loc_of(p, size)) < 0) {
		mem_store((uintptr_t)p, size, v);
		return;
	}
	tso_choices((unsigned int)t);
	if (wm.s.mode == MM_TSO && ord != MN_WM_ONCE)
		drain((unsigned int)t);
	n = mm_write_choices(&wm.s, (unsigned int)t, (unsigned int)loc,
			     (enum mm_order)ord, NULL);
	k = sched_choose_value(n);
	mm_write(&wm.s, (unsigned int)t, (unsigned int)loc,
		 normalize(v, size), (enum mm_order)ord, NULL, k);
	if (wm.s.mode == MM_TSO) {
		sched_touch(SCHED_FP_WRITE, WM_OBJ_BUF(t));
		return;
	}
	note_write((unsigned int)loc);
	write_back((unsigned int)loc);
	if (n > 1) {
		snprintf(line, sizeof(line),
			 "write placed %u from last in mo (of %u places, decision %u)",
			 k, n, sched_decisions() - 1);
		sched_trace_text(line);
	}
}

long mn_wm_rmw(void *p, unsigned int size, int op, long arg, int ord)
{
	struct mm_choices c;
	int t = me(), loc;
	unsigned int k;
	long old;

	if (t < 0 || (loc = loc_of(p, size)) < 0)
		return mem_rmw((uintptr_t)p, size, op, arg);
	tso_choices((unsigned int)t);
	if (wm.s.mode == MM_TSO)
		drain((unsigned int)t);
	mm_rmw_choices(&wm.s, (unsigned int)t, (unsigned int)loc,
		       (enum mm_rmw_op)op, 0, arg, (enum mm_order)ord, &c);
	if (!c.n)
		return mem_rmw((uintptr_t)p, size, op, arg);
	k = c.n - 1 - sched_choose_value(c.n);
	if (c.id[k] < MM_MAX_MSGS)
		trace_read((unsigned int)loc, c.id[k], c.n, NULL);
	old = mm_rmw(&wm.s, (unsigned int)t, (unsigned int)loc,
		     (enum mm_rmw_op)op, 0, arg, (enum mm_order)ord, k);
	note_write((unsigned int)loc);
	write_back((unsigned int)loc);
	if (ord == MN_WM_FULL)
		sched_touch(SCHED_FP_WRITE, WM_OBJ_FENCE);
	return normalize(old, size);
}

void mn_wm_fence(int f)
{
	int t = me();

	if (t < 0)
		return;
	if (wm.s.mode == MM_TSO && f == MN_WM_MB)
		drain((unsigned int)t);
	mm_fence(&wm.s, (unsigned int)t, (enum mm_fence)f);
	if (f == MN_WM_MB)
		sched_touch(SCHED_FP_WRITE, WM_OBJ_FENCE);
}

void mn_wm_lock(const void *l)
{
	int t = me(), loc;

	if (t < 0 || (loc = loc_of(l, 0)) < 0)
		return;
	if (wm.s.mode == MM_TSO)
		drain((unsigned int)t);
	mm_lock(&wm.s, (unsigned int)t, (unsigned int)loc);
}

void mn_wm_unlock(const void *l)
{
	int t = me(), loc;

	if (t < 0 || (loc = loc_of(l, 0)) < 0)
		return;
	if (wm.s.mode == MM_TSO)
		drain((unsigned int)t);
	mm_unlock(&wm.s, (unsigned int)t, (unsigned int)loc);
	mm_lock_compact(&wm.s, (unsigned int)loc);
}

void mn_wm_rcu(int what)
{
	int t = me();

	if (t < 0)
		return;
	if (wm.s.mode == MM_TSO)
		drain((unsigned int)t);
	switch (what) {
	case MN_WM_RCU_LOCK:
		mm_rcu_read_lock(&wm.s, (unsigned int)t);
		break;
	case MN_WM_RCU_UNLOCK:
		mm_rcu_read_unlock(&wm.s, (unsigned int)t);
		break;
	case MN_WM_SYNC_START:
		mm_sync_start(&wm.s, (unsigned int)t);
		break;
	default:
		mm_sync_end(&wm.s, (unsigned int)t);
	}
	sched_touch(SCHED_FP_WRITE, WM_OBJ_FENCE);
}

/* The mm's ghost state: only lkmm has reads that may return older writes. */
static int mm_me(const void *p, unsigned int size, struct wm_note was)
{
	const struct mm_loc *L;
	int t = me(), loc;
	unsigned int id;

	if (t < 0 || wm.s.mode != MM_LKMM || (loc = loc_of(p, size)) < 0)
		return -1;
	/* A first message (or a plain store taken in): what memory had. */
	L = &wm.s.loc[loc];
	id = L->order[L->nmsgs - 1];
	if (id < MM_MAX_MSGS && !wm.note[loc][id].why)
		wm.note[loc][id] = was;
	return loc;
}

void wm_mm_write(void *p, unsigned int size, long v, struct wm_note now,
		 struct wm_note was)
{
	const struct mm_loc *L;
	int loc = mm_me(p, size, was);

	if (loc < 0) {
		mem_store((uintptr_t)p, size, v);
		return;
	}
	/* Last in the order, as the mm's writes are SC: no decision. */
	mm_write(&wm.s, (unsigned int)sched_current(), (unsigned int)loc,
		 normalize(v, size), MM_ONCE, NULL, 0);
	L = &wm.s.loc[loc];
	if (L->nmsgs <= MM_MAX_MSGS && !wm.s.overflow)
		wm.note[loc][L->order[L->nmsgs - 1]] = now;
	note_write((unsigned int)loc);
	write_back((unsigned int)loc);
}

long wm_mm_read(const void *p, unsigned int size, const char *what,
		struct wm_note was, struct wm_note *note)
{
	struct mm_choices c;
	int loc = mm_me(p, size, was);
	unsigned int k;
	long v;

	*note = was;
	if (loc < 0)
		return mem_load((uintptr_t)p, size);
	mm_read_choices(&wm.s, (unsigned int)sched_current(),
			(unsigned int)loc, NULL, &c);
	if (!c.n)
		return mem_load((uintptr_t)p, size);
	k = c.n - 1 - sched_choose_value(c.n);
	v = mm_read(&wm.s, (unsigned int)sched_current(), (unsigned int)loc,
		    MM_ONCE, NULL, k, NULL);
	if (c.id[k] < MM_MAX_MSGS) {
		*note = wm.note[loc][c.id[k]];
		trace_read((unsigned int)loc, c.id[k], c.n, what);
	}
	return normalize(v, size);
}

bool wm_end(void)
{
	unsigned int u;
	bool over;

	if (!mn_wm_on)
		return false;
	if (wm.s.mode == MM_TSO && !wm.s.overflow)
		for (u = 0; u < wm.nthreads; u++)
			while (wm.s.th[u].nbuf) {
				unsigned int loc = wm.s.th[u].buf_loc[0];

				mm_tso_flush(&wm.s, u);
				write_back(loc);
			}
	over = wm.overflow || wm.s.overflow;
	mn_wm_on = 0;
	return over;
}
#endif /* MN_EXPLORE */
