/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A weak-memory engine for a deterministic explorer: an operational,
 * view-based model of the Linux-kernel memory model (LKMM), plus SC and
 * x86-TSO. It owns the shared memory of an execution; the explorer asks
 * it, before each shared access, which behaviours the model allows
 * (mm_read_choices: which write a read may read from; mm_write_choices:
 * where in its location's modification order a write may go) and then
 * applies the one it picked, by index. An execution is thus a list of
 * small integers and replays exactly.
 *
 * The state is one plain struct with no pointers: a depth-first explorer
 * can copy it (memcpy) at a choice point instead of replaying.
 *
 * What the lkmm mode is (see memory_model.c for the rules, and
 * docs/explore.md "Memory models and reduction" for the soundness
 * limits): each location has a modification order of messages (writes);
 * each thread has per-location views (the oldest message it may still
 * read); a read returns any message not older than the view; fences,
 * acquire/release, dependencies, locks and RCU move views. Threads
 * execute in program order, so no read ever returns a write that is
 * not yet executed: load buffering (LB) is never observed, although
 * LKMM allows plain LB.
 */
#ifndef MODEL_MEMORY_MODEL_H
#define MODEL_MEMORY_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define MM_MAX_THREADS	8
#define MM_MAX_LOCS	64
#define MM_MAX_MSGS	48	/* messages per location, the initial one too */
#define MM_MAX_EPOCHS	8	/* grace periods per execution */
#define MM_TSO_BUF	16	/* store-buffer entries per thread */

enum mm_mode {
	MM_SC,		/* every read returns the latest write */
	MM_TSO,		/* x86: FIFO store buffers, store->load reordering */
	MM_LKMM,	/* the view-based LKMM approximation */
};

/* How an access is ordered (plain and READ_ONCE/WRITE_ONCE: MM_ONCE). */
enum mm_order {
	MM_ONCE,	/* READ_ONCE, WRITE_ONCE, relaxed atomics */
	MM_ACQUIRE,	/* smp_load_acquire, *_acquire RMWs */
	MM_RELEASE,	/* smp_store_release, rcu_assign_pointer */
	MM_FULL,	/* value-returning atomics, xchg, cmpxchg (success) */
};

enum mm_fence {
	MM_MB,		/* smp_mb, smp_mb__after_spinlock, __after_atomic, ... */
	MM_RMB,		/* smp_rmb */
	MM_WMB,		/* smp_wmb */
};

enum mm_rmw_op {
	MM_RMW_ADD,		/* atomic_add_return(arg) and friends */
	MM_RMW_XCHG,		/* xchg(arg) */
	MM_RMW_CMPXCHG,		/* cmpxchg(expect, arg): fails unless old == expect */
	MM_RMW_ADD_UNLESS,	/* atomic_add_unless(arg, expect): fails if old == expect */
};

/*
 * A view: for each location, the oldest message (by id) a thread may
 * still read there. Message ids are creation indexes; their order in
 * the location's modification order is kept apart (positions change as
 * writes are inserted). Id 0 is the initial value.
 */
struct mm_view {
	uint8_t m[MM_MAX_LOCS];
};

struct mm_msg {
	long val;
	int8_t writer;		/* the thread that wrote it, -1: initial */
	struct mm_view view;	/* what a reader acquiring this message learns */
	bool rmw;		/* an RMW read its mo-predecessor: glued to it */
	bool rmw_read;		/* an RMW read this message (one only) */
};

struct mm_loc {
	struct mm_msg msg[MM_MAX_MSGS];
	uint8_t nmsgs;
	uint8_t order[MM_MAX_MSGS];	/* modification order: message ids */
	uint8_t pos[MM_MAX_MSGS];	/* inverse of order */
};

struct mm_thread {
	struct mm_view cur;	/* coherence: what this thread has seen */
	struct mm_view acq;	/* cur plus what read messages carry (rmb) */
	struct mm_view rel;	/* what its later writes carry */
	struct mm_view own;	/* its own latest writes (wmb releases them) */
	struct mm_view unlocked;	/* released by its last unlock */
	unsigned int rcu_depth;
	uint8_t rcu_epoch;	/* grace periods started when it entered */
	bool in_gp;		/* between sync start and sync end */
	uint8_t gp_epoch;	/* the epoch its grace period started */
	uint32_t gp_waits;	/* readers its grace period waits for */
	/* TSO: the store buffer, oldest first. */
	uint8_t nbuf;
	uint8_t buf_loc[MM_TSO_BUF];
	long buf_val[MM_TSO_BUF];
};

struct mm_state {
	enum mm_mode mode;
	unsigned int nthreads;
	unsigned int nlocs;
	bool overflow;		/* a location ran out of messages */
	uint64_t lock_locs;	/* locations that are locks */
	struct mm_view sc_view;	/* smp_mb's global synchronisation point */
	uint8_t epochs;		/* grace periods started so far */
	struct mm_view gp_view;	/* joined at every grace-period start */
	/* What RCU readers that entered in epoch e released at their exit. */
	struct mm_view rcu_done[MM_MAX_EPOCHS + 1];
	struct mm_loc loc[MM_MAX_LOCS];
	struct mm_thread th[MM_MAX_THREADS];
};

/* Message ids a choice list names, oldest first. */
struct mm_choices {
	unsigned int n;
	uint8_t id[MM_MAX_MSGS + 1];
};

const char *mm_mode_name(enum mm_mode mode);
/* 0 and the mode, or -1 for an unknown name. */
int mm_mode_parse(const char *name, enum mm_mode *mode);

/* Every location holds init[loc] (NULL: 0) as its initial message. */
void mm_state_init(struct mm_state *s, enum mm_mode mode, unsigned int nthreads,
	     unsigned int nlocs, const long *init);
/* Marks loc as a lock (0 free, 1 held): its order is the lock's order. */
void mm_set_lock(struct mm_state *s, unsigned int loc);
/*
 * For an explorer that meets its locations as it goes: a new location
 * holding init, its index, or -1 when MM_MAX_LOCS are in use.
 */
int mm_add_loc(struct mm_state *s, long init);
/*
 * A lock's location keeps only its latest message (a lock only ever
 * reads the latest): called after an unlock, so a lock taken again and
 * again never runs out of messages. Every view's entry for it is reset.
 */
void mm_lock_compact(struct mm_state *s, unsigned int lock);
/*
 * A write the engine did not see (a plain store by code outside it):
 * appended last in loc's order and made visible to every thread at
 * once, as under SC.
 */
void mm_external_write(struct mm_state *s, unsigned int loc, long val);

/*
 * A read of loc by thread t. dep, if not NULL, is the view an address
 * dependency brings (what mm_read returned for the read the address
 * came from). The choices are the messages it may return.
 */
void mm_read_choices(const struct mm_state *s, unsigned int t,
		     unsigned int loc, const struct mm_view *dep,
		     struct mm_choices *c);
/*
 * Performs the read with choice index k of mm_read_choices and returns
 * the value; *dep_out (if not NULL) is the dependency view the value
 * carries, for accesses whose address or value it feeds.
 */
long mm_read(struct mm_state *s, unsigned int t, unsigned int loc,
	     enum mm_order ord, const struct mm_view *dep, unsigned int k,
	     struct mm_view *dep_out);

/*
 * A write: the number of places its location's order allows it (1
 * under sc and tso: last). Choice k = 0 is the latest place.
 */
unsigned int mm_write_choices(const struct mm_state *s, unsigned int t,
			      unsigned int loc, enum mm_order ord,
			      const struct mm_view *dep);
void mm_write(struct mm_state *s, unsigned int t, unsigned int loc, long val,
	      enum mm_order ord, const struct mm_view *dep, unsigned int k);

/*
 * A read-modify-write: the messages it may read (each then gets its
 * write glued right after it in the order). mm_rmw returns the old
 * value; a failed cmpxchg/add_unless is only a read (and unordered).
 */
void mm_rmw_choices(const struct mm_state *s, unsigned int t,
		    unsigned int loc, enum mm_rmw_op op, long expect, long arg,
		    enum mm_order ord, struct mm_choices *c);
long mm_rmw(struct mm_state *s, unsigned int t, unsigned int loc,
	    enum mm_rmw_op op, long expect, long arg, enum mm_order ord,
	    unsigned int k);

void mm_fence(struct mm_state *s, unsigned int t, enum mm_fence f);

/* Locks (spinlocks, mutexes): lock only when mm_lock_free. */
bool mm_lock_free(const struct mm_state *s, unsigned int lock);
void mm_lock(struct mm_state *s, unsigned int t, unsigned int lock);
void mm_unlock(struct mm_state *s, unsigned int t, unsigned int lock);

/* RCU: synchronize_rcu is start, then end once mm_sync_can_end. */
void mm_rcu_read_lock(struct mm_state *s, unsigned int t);
void mm_rcu_read_unlock(struct mm_state *s, unsigned int t);
void mm_sync_start(struct mm_state *s, unsigned int t);
bool mm_sync_can_end(const struct mm_state *s, unsigned int t);
void mm_sync_end(struct mm_state *s, unsigned int t);

/* TSO: a buffered store of t may reach memory (a step of its own). */
bool mm_tso_can_flush(const struct mm_state *s, unsigned int t);
void mm_tso_flush(struct mm_state *s, unsigned int t);

/*
 * For a counterexample's trace: the thread that wrote message id of loc
 * (-1: the initial value) and its place in loc's order (0: initial).
 * A read's message is the id its choice list named.
 */
int mm_msg_writer(const struct mm_state *s, unsigned int loc, unsigned int id);
unsigned int mm_msg_place(const struct mm_state *s, unsigned int loc,
			  unsigned int id);

/* The value last in loc's modification order (the final value). */
long mm_final(const struct mm_state *s, unsigned int loc);

#endif /* MODEL_MEMORY_MODEL_H */
