/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace backend of the compat layer: the kernel primitives a strategy
 * may use, built on GCC atomics. Every lock, sleep and RCU call goes through
 * the model's oracle (bench/model/), which is how the model catches a
 * strategy sleeping in atomic context or taking locks in an order that can
 * deadlock, exactly where the kernel's might_sleep() and lockdep would.
 */
#ifndef MN_COMPAT_H
#define MN_COMPAT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define __stringify_1(x)	#x
#define __stringify(x)	__stringify_1(x)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __aligned(x)	__attribute__((aligned(x)))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define L1_CACHE_BYTES	64
#define ____cacheline_aligned	__aligned(L1_CACHE_BYTES)
/* sparse's lock annotations: documentation only, as without __CHECKER__. */
#define __acquires(x)
#define __releases(x)
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define noinline	__attribute__((noinline))

/*
 * The exploration build (MN_EXPLORE, mnbench-model --explore) makes every
 * access to shared state below a scheduling point (scheduler.h); the model's
 * own bookkeeping files opt out with MN_NO_SCHED_POINTS. Elsewhere the
 * points compile to nothing, so the measured builds pay nothing.
 */
#define MN_FP_READ	1	/* what a point's access does to its address */
#define MN_FP_WRITE	2	/* a write or a read-modify-write */
#if defined(MN_EXPLORE) && !defined(MN_NO_SCHED_POINTS)
void sched_point_at(const char *op, const char *func, int line, int kind,
		    uint64_t obj);
#define MN_SCHED_AT(op, kind, addr)	\
	sched_point_at(op, __func__, __LINE__, kind, (uintptr_t)(addr))
#else
#define MN_SCHED_AT(op, kind, addr)	((void)0)
#endif
#define MN_SCHED_R(op, addr)	MN_SCHED_AT(op, MN_FP_READ, addr)
#define MN_SCHED_W(op, addr)	MN_SCHED_AT(op, MN_FP_WRITE, addr)

/*
 * Relaxed atomics: plain accesses would be data races under C11 and TSan.
 * The barriers map one to one onto the kernel's (x86: compiler barriers
 * but for smp_mb), so the strategies' pairing comments apply unchanged.
 */
/*
 * Under a weak memory model (--memory-model tso|lkmm, explore_wm.c) the
 * marked accesses and fences go through its engine while mn_wm_on; the
 * orders, fences and RMWs are memory_model.h's.
 */
#define MN_WM_ONCE	0
#define MN_WM_ACQUIRE	1
#define MN_WM_RELEASE	2
#define MN_WM_FULL	3
#define MN_WM_MB	0
#define MN_WM_RMB	1
#define MN_WM_WMB	2
#define MN_WM_ADD	0
#define MN_WM_XCHG	1
#define MN_WM_RCU_LOCK		0
#define MN_WM_RCU_UNLOCK	1
#define MN_WM_SYNC_START	2
#define MN_WM_SYNC_END		3
#if defined(MN_EXPLORE) && !defined(MN_NO_SCHED_POINTS)
extern int mn_wm_on;
long mn_wm_load(const void *p, unsigned int size, int ord);
void mn_wm_store(void *p, unsigned int size, long v, int ord);
long mn_wm_rmw(void *p, unsigned int size, int op, long arg, int ord);
void mn_wm_fence(int f);
#define MN_WM_ON()	unlikely(mn_wm_on)
#else
#define MN_WM_ON()	0
#define mn_wm_load(p, size, ord)	0L
#define mn_wm_store(p, size, v, ord)	((void)(v))
#define mn_wm_rmw(p, size, op, arg, ord)	0L
#define mn_wm_fence(f)	((void)0)
#endif

/* A load of *(p), through the engine or straight (C11 order mo). */
#define MN_LOAD(p, ord, mo)						\
	(MN_WM_ON() ? ({							\
		_Static_assert(sizeof(*(p)) <= sizeof(long), "too wide"); \
		union { long __l; __typeof__(*(p)) __v; } __u = {	\
			.__l = mn_wm_load((p), sizeof(*(p)), ord) };	\
		__u.__v; })						\
	 : __atomic_load_n((p), mo))
#define MN_STORE(p, v, ord, mo) ({					\
	__typeof__(*(p)) __nv = (v);					\
	if (MN_WM_ON()) {						\
		long __l = 0;						\
		memcpy(&__l, &__nv, sizeof(__nv));			\
		mn_wm_store((p), sizeof(*(p)), __l, ord);		\
	} else {							\
		__atomic_store_n((p), __nv, mo);			\
	}								\
	(void)0; })
#define MN_XCHG(p, v) ({						\
	__typeof__(*(p)) __xv = (v), __xr;				\
	if (MN_WM_ON()) {						\
		long __l = 0;						\
		union { long __l; __typeof__(*(p)) __v; } __u;		\
		memcpy(&__l, &__xv, sizeof(__xv));			\
		__u.__l = mn_wm_rmw((p), sizeof(*(p)), MN_WM_XCHG, __l, \
				    MN_WM_FULL);			\
		__xr = __u.__v;						\
	} else {							\
		__xr = __atomic_exchange_n((p), __xv, __ATOMIC_SEQ_CST); \
	}								\
	__xr; })
#define MN_FENCE(f, mo)	({ if (MN_WM_ON()) mn_wm_fence(f);		\
			   __atomic_thread_fence(mo); })

/*
 * The barrier mutants' hook (tests/mutants): a file that defines
 * MN_BARRIER_OFF(prim) before it includes a strategy turns that one
 * ordering primitive off where the expression is true: a fence removed,
 * an acquire or release made READ_ONCE/WRITE_ONCE. MN_BARRIER_AT(prim,
 * name, func) is true for the primitive name in the function func only
 * (the expansion's __func__: the primitives below are macros so that it
 * is the caller's). Undefined, as everywhere else, nothing is changed.
 */
#ifndef MN_BARRIER_OFF
#define MN_BARRIER_OFF(prim)	0
#endif
#define MN_BARRIER_AT(prim, name, func)				\
	(!__builtin_strcmp(prim, name) && !__builtin_strcmp(__func__, func))
#define MN_ORD(prim, ord)	(MN_BARRIER_OFF(prim) ? MN_WM_ONCE : (ord))
#define MN_KEEP(prim)		(!MN_BARRIER_OFF(prim))

/*
 * Relaxed atomics: plain accesses would be data races under C11 and TSan.
 * The barriers map one to one onto the kernel's (x86: compiler barriers
 * but for smp_mb), so the strategies' pairing comments apply unchanged.
 */
#define READ_ONCE(x)		({ MN_SCHED_R("READ_ONCE", &(x));	\
				   MN_LOAD(&(x), MN_WM_ONCE,		\
					   __ATOMIC_RELAXED); })
#define WRITE_ONCE(x, v)	({ MN_SCHED_W("WRITE_ONCE", &(x));	\
				   MN_STORE(&(x), (v), MN_WM_ONCE,	\
					    __ATOMIC_RELAXED); })
#define smp_load_acquire(p)	({ MN_SCHED_R("smp_load_acquire", (p));	\
				   MN_LOAD((p), MN_ORD("smp_load_acquire", \
						       MN_WM_ACQUIRE),	\
					   __ATOMIC_ACQUIRE); })
#define smp_store_release(p, v)	({ MN_SCHED_W("smp_store_release", (p)); \
				   MN_STORE((p), (v),			\
					    MN_ORD("smp_store_release",	\
						   MN_WM_RELEASE),	\
					    __ATOMIC_RELEASE); })
#define xchg(p, v)		({ MN_SCHED_W("xchg", (p));		\
				   MN_XCHG((p), (v)); })
#define smp_mb()	({ if (MN_KEEP("smp_mb"))			\
				MN_FENCE(MN_WM_MB, __ATOMIC_SEQ_CST); })
#define smp_rmb()	({ if (MN_KEEP("smp_rmb"))			\
				MN_FENCE(MN_WM_RMB, __ATOMIC_ACQUIRE); })
#define smp_wmb()	({ if (MN_KEEP("smp_wmb"))			\
				MN_FENCE(MN_WM_WMB, __ATOMIC_RELEASE); })
#define cpu_relax()		__builtin_ia32_pause()

#define GFP_KERNEL	0
#define GFP_ATOMIC	1

/* might_alloc(): a GFP_KERNEL allocation may sleep and enter reclaim. */
void mn_might_alloc(int gfp);

/*
 * Whole cache lines, as kmalloc's size classes give: one thread's hot
 * fields never share a line with another's, which would distort the
 * model's timings (false sharing decided by where malloc put a chunk).
 */
static inline void *kcalloc(size_t n, size_t size, int gfp)
{
	size_t bytes;
	void *p;

	mn_might_alloc(gfp);
	if (size && n > (SIZE_MAX - L1_CACHE_BYTES) / size)
		return NULL;
	bytes = (n * size + L1_CACHE_BYTES - 1) & ~(size_t)(L1_CACHE_BYTES - 1);
	p = aligned_alloc(L1_CACHE_BYTES, bytes ? bytes : L1_CACHE_BYTES);
	if (p)
		memset(p, 0, bytes);
	return p;
}

static inline void *kzalloc(size_t size, int gfp)
{
	return kcalloc(1, size, gfp);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

static inline u64 ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/* No speculation to fence off in the model; keep the clamp semantics. */
static inline unsigned long array_index_nospec(unsigned long index,
					       unsigned long size)
{
	return index < size ? index : 0;
}

typedef struct {
	int counter;
} atomic_t;

#define ATOMIC_INIT(i)	{ (i) }

static inline int atomic_read(const atomic_t *v)
{
	MN_SCHED_R("atomic_read", &v->counter);
	return MN_LOAD(&v->counter, MN_WM_ONCE, __ATOMIC_RELAXED);
}

static inline void atomic_set(atomic_t *v, int i)
{
	MN_SCHED_W("atomic_set", &v->counter);
	MN_STORE(&v->counter, i, MN_WM_ONCE, __ATOMIC_RELAXED);
}

static inline int atomic_inc_return(atomic_t *v)
{
	MN_SCHED_W("atomic_inc", &v->counter);
	if (MN_WM_ON())
		return (int)mn_wm_rmw(&v->counter, sizeof(int), MN_WM_ADD, 1,
				      MN_WM_FULL) + 1;
	return __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST);
}

static inline int atomic_dec_return(atomic_t *v)
{
	MN_SCHED_W("atomic_dec", &v->counter);
	if (MN_WM_ON())
		return (int)mn_wm_rmw(&v->counter, sizeof(int), MN_WM_ADD, -1,
				      MN_WM_FULL) - 1;
	return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST);
}

static inline void atomic_inc(atomic_t *v)
{
	atomic_inc_return(v);
}

static inline void atomic_dec(atomic_t *v)
{
	atomic_dec_return(v);
}

/* ---- hooks implemented by the model (bench/model/) ---- */

enum mn_lock_kind {
	MN_LOCK_SPIN,	/* spinning: sleeping while held is a bug */
	MN_LOCK_SLEEP,	/* mutex or page lock: acquiring may sleep */
};

/*
 * A ticket lock (FIFO, like the kernel's qspinlock, so no waiter starves)
 * plus the lockdep class it belongs to (named at init).
 */
struct mn_raw_lock {
	unsigned int next;
	unsigned int serving;
	int class_id;
	enum mn_lock_kind kind;
};

void mn_lock_init(struct mn_raw_lock *l, const char *class_name,
		  enum mn_lock_kind kind);
void mn_lock_acquire(struct mn_raw_lock *l);
bool mn_lock_try(struct mn_raw_lock *l);
void mn_lock_release(struct mn_raw_lock *l);
bool mn_lock_held_by_me(const struct mn_raw_lock *l);
void mn_might_sleep(const char *func);
void mn_rcu_read_lock(void);
void mn_rcu_read_unlock(void);
void mn_synchronize_rcu(void);
void mn_warn(const char *cond, const char *file, int line);
void mn_spin_wait_begin(const char *what);
void mn_spin_wait_step(unsigned int *spins);
void mn_spin_wait_end(void);

typedef struct {
	struct mn_raw_lock raw;
} spinlock_t;

struct mutex {
	struct mn_raw_lock raw;
};

/* Like lockdep, the class is named after the lock expression. */
#define spin_lock_init(l)	mn_lock_init(&(l)->raw, #l, MN_LOCK_SPIN)
#define mutex_init(m)		mn_lock_init(&(m)->raw, #m, MN_LOCK_SLEEP)

static inline void spin_lock(spinlock_t *l)
{
	mn_lock_acquire(&l->raw);
}

static inline void spin_unlock(spinlock_t *l)
{
	mn_lock_release(&l->raw);
}

static inline int spin_trylock(spinlock_t *l)
{
	return mn_lock_try(&l->raw);
}

static inline void mutex_lock(struct mutex *m)
{
	mn_might_sleep("mutex_lock");
	mn_lock_acquire(&m->raw);
}

static inline int mutex_trylock(struct mutex *m)
{
	return mn_lock_try(&m->raw);
}

static inline void mutex_unlock(struct mutex *m)
{
	mn_lock_release(&m->raw);
}

static inline void mutex_destroy(struct mutex *m)
{
	(void)m;
}

/*
 * A reader-writer semaphore that, like the kernel's, makes new readers
 * wait behind a waiting writer: a read lock taken in the wrong order can
 * deadlock, and lockdep reports it as it reports a mutex.
 */
struct rw_semaphore {
	struct mn_raw_lock raw;		/* lockdep class and held lists */
	int count;			/* readers, or -1 with a writer */
	int writers_waiting;
};

void mn_rwsem_init(struct rw_semaphore *s, const char *class_name);
void down_read(struct rw_semaphore *s);
int down_read_trylock(struct rw_semaphore *s);
void up_read(struct rw_semaphore *s);
void down_write(struct rw_semaphore *s);
void up_write(struct rw_semaphore *s);

#define mmap_read_lock(l)	down_read(l)
#define mmap_read_trylock(l)	down_read_trylock(l)
#define mmap_read_unlock(l)	up_read(l)
#define mmap_write_lock(l)	down_write(l)
#define mmap_write_unlock(l)	up_write(l)

/*
 * lockdep's maps: no lock, only an order to respect (reclaim, and the
 * mmu_notifier's invalidate_range_start, as 6.1 annotates them).
 */
struct lockdep_map {
	struct mn_raw_lock raw;
};

void lock_map_acquire(struct lockdep_map *m);
void lock_map_release(struct lockdep_map *m);
/* might_lock_read(): the order of taking l now, without taking it. */
void mn_might_lock(struct mn_raw_lock *l);

extern struct lockdep_map mn_fs_reclaim_map;
extern struct lockdep_map mn_inval_start_map;
/* Once per run, as mmu_notifier_register() primes reclaim -> start. */
void mn_lockdep_maps_init(void);

#define lockdep_assert_held(l)	\
	((void)(mn_lock_held_by_me(&(l)->raw) ||	\
		(mn_warn("lockdep_assert_held(" #l ")", __FILE__, __LINE__), 0)))

#define might_sleep()	mn_might_sleep(__func__)

#define WARN_ON_ONCE(cond) ({					\
	bool __c = !!(cond);					\
	if (unlikely(__c))					\
		mn_warn(#cond, __FILE__, __LINE__);		\
	__c;							\
})

/*
 * As the module's: spin until cond holds, accounted as a wait (the
 * explorer blocks the spinner until another thread moves; a wait that
 * never ends is a hang).
 */
#define mn_spin_until(cond, what)			\
	do {						\
		unsigned int __spins = 0;		\
							\
		if (!(cond)) {				\
			mn_spin_wait_begin(what);	\
			while (!(cond))			\
				mn_spin_wait_step(&__spins); \
			mn_spin_wait_end();		\
		}					\
	} while (0)

#define rcu_read_lock()		mn_rcu_read_lock()
#define rcu_read_unlock()	mn_rcu_read_unlock()
#define synchronize_rcu()	mn_synchronize_rcu()

/*
 * As the kernel's seqcount_t: write_seqcount_begin/end are a lock to
 * lockdep (seqcount_acquire/release), held by the task that began the
 * section; the raw_ variants are not tracked.
 */
typedef struct {
	unsigned int sequence;
	struct lockdep_map dep_map;
} seqcount_t;

#define seqcount_init(s)	mn_seqcount_init(s, #s)

static inline void mn_seqcount_init(seqcount_t *s, const char *name)
{
	s->sequence = 0;
	mn_lock_init(&s->dep_map.raw, name, MN_LOCK_SLEEP);
}

/* Does not wait for an even count: the caller decides what odd means. */
static inline unsigned int mn_raw_read_seqcount(const seqcount_t *s, int ord)
{
	(void)ord;	/* the weak model's only */
	MN_SCHED_R("read_seqcount", &s->sequence);
	return MN_LOAD(&s->sequence, ord, __ATOMIC_ACQUIRE);
}
#define raw_read_seqcount(s)						\
	mn_raw_read_seqcount(s, MN_ORD("raw_read_seqcount", MN_WM_ACQUIRE))

/* rmb: read_seqcount_retry()'s smp_rmb(), but in a barrier mutant. */
static inline int mn_read_seqcount_retry(const seqcount_t *s,
					 unsigned int start, bool rmb)
{
	MN_SCHED_R("read_seqcount_retry", &s->sequence);
	if (rmb)
		MN_FENCE(MN_WM_RMB, __ATOMIC_ACQUIRE);
	return MN_LOAD(&s->sequence, MN_WM_ONCE, __ATOMIC_RELAXED) != start;
}
#define read_seqcount_retry(s, start)					\
	mn_read_seqcount_retry(s, start, MN_KEEP("read_seqcount_retry"))

/* The increment; wmb before it (end) or after it (begin), when kept. */
static inline void mn_write_seqcount(seqcount_t *s, const char *op,
				     bool wmb_before, bool wmb_after)
{
	(void)op;	/* the explorer's only */
	MN_SCHED_W(op, &s->sequence);
	if (wmb_before)
		MN_FENCE(MN_WM_WMB, __ATOMIC_RELEASE);
	MN_STORE(&s->sequence, MN_LOAD(&s->sequence, MN_WM_ONCE,
				       __ATOMIC_RELAXED) + 1,
		 MN_WM_ONCE, __ATOMIC_RELAXED);
	if (wmb_after)
		MN_FENCE(MN_WM_WMB, __ATOMIC_RELEASE);
}
#define raw_write_seqcount_begin(s)					\
	mn_write_seqcount(s, "write_seqcount_begin", false,		\
			  MN_KEEP("raw_write_seqcount_begin"))
#define raw_write_seqcount_end(s)					\
	mn_write_seqcount(s, "write_seqcount_end",			\
			  MN_KEEP("raw_write_seqcount_end"), false)

/* KCSAN's per-task atomic regions: the model has no KCSAN to tell. */
static inline void kcsan_nestable_atomic_begin(void)
{
}

static inline void kcsan_nestable_atomic_end(void)
{
}

static inline void write_seqcount_begin(seqcount_t *s)
{
	lock_map_acquire(&s->dep_map);
	raw_write_seqcount_begin(s);
}

static inline void write_seqcount_end(seqcount_t *s)
{
	raw_write_seqcount_end(s);
	lock_map_release(&s->dep_map);
}

#endif /* MN_COMPAT_H */
