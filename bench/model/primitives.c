// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel primitives the userspace compat layer promises (locks, RCU,
 * might_sleep, WARN), built so the oracle sees every use of them.
 */
#include <stdio.h>

#include "explore_wm.h"
#include "host_rcu.h"
#include "oracle.h"
#include "scheduler.h"
#include "thread.h"

void mn_lock_init(struct mn_raw_lock *l, const char *class_name,
		  enum mn_lock_kind kind)
{
	l->next = 0;
	l->serving = 0;
	l->kind = kind;
	l->class_id = lockdep_class(class_name);
}

static bool raw_try(struct mn_raw_lock *l)
{
	/* Acquire: pairs with the previous holder's release of serving. */
	unsigned int serving = __atomic_load_n(&l->serving, __ATOMIC_ACQUIRE);
	unsigned int next = serving;

	return __atomic_compare_exchange_n(&l->next, &next, serving + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void mn_lock_acquire(struct mn_raw_lock *l)
{
	unsigned int ticket, spins = 0;

	SCHED_POINT_FP("lock", lockdep_class_name(l->class_id),
		       SCHED_FP_WRITE, SCHED_OBJ_CLASS(l->class_id));
	lockdep_check_order(l);
	ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != ticket) {
		mt_wait_begin(l->class_id, lockdep_class_name(l->class_id));
		while (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != ticket) {
			/* Next in line: stay awake for the hand-over. */
			if (ticket - __atomic_load_n(&l->serving,
						     __ATOMIC_RELAXED) == 1 &&
			    spins > 256)
				spins = 64;
			mt_wait_step(&spins);
		}
		mt_wait_end();
	}
	lockdep_push(l, false);
	WM_LOCK(l);
}

bool mn_lock_try(struct mn_raw_lock *l)
{
	SCHED_POINT_FP("trylock", lockdep_class_name(l->class_id),
		       SCHED_FP_WRITE, SCHED_OBJ_CLASS(l->class_id));
	if (!raw_try(l))
		return false;
	lockdep_push(l, true);
	WM_LOCK(l);
	return true;
}

/*
 * Releases are not scheduling points: a switch right after one is the
 * same as a switch at the thread's next point, as long as nothing in
 * between changes what others act on. What does (a page's reference
 * dropped, a mapping's release) has a point of its own; a pte change
 * under the lock needs none: nobody acts on a pte without the PTL, and
 * the oracle, which reads ptes without it, judges an access against a
 * pte as of the access's own point.
 */
void mn_lock_release(struct mn_raw_lock *l)
{
	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_CLASS(l->class_id));
	WM_UNLOCK(l);
	lockdep_pop(l);
	__atomic_store_n(&l->serving,
			 __atomic_load_n(&l->serving, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELEASE);
}

bool mn_lock_held_by_me(const struct mn_raw_lock *l)
{
	struct model_thread *t = mt_self;
	int i;

	if (!t)
		return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
		       __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
	for (i = 0; i < t->nheld; i++)
		if (t->held[i] == l)
			return true;
	return false;
}

static const char *innermost_spinlock(const struct model_thread *t)
{
	int i;

	for (i = t->nheld - 1; i >= 0; i--)
		if (t->held[i]->kind == MN_LOCK_SPIN)
			return lockdep_class_name(t->held[i]->class_id);
	return "?";
}

void mn_might_sleep(const char *func)
{
	struct model_thread *t = mt_self;
	char where[128];

	if (!t)
		return;
	if (t->spin_depth)
		oracle_report(V_SLEEP_IN_ATOMIC, "%s: %s may sleep, holding spinlock %s",
			      oracle_where(where, sizeof(where)), func,
			      innermost_spinlock(t));
	else if (t->in_invalidate_range)
		oracle_report(V_SLEEP_IN_ATOMIC, "%s: %s may sleep inside ->invalidate_range",
			      oracle_where(where, sizeof(where)), func);
	else if (t->non_block)
		oracle_report(V_SLEEP_IN_ATOMIC, "%s: %s may sleep in a non-blockable notifier call",
			      oracle_where(where, sizeof(where)), func);
	else if (t->rcu_depth)
		oracle_report(V_SLEEP_IN_ATOMIC, "%s: %s may sleep in an RCU read section",
			      oracle_where(where, sizeof(where)), func);
}

void mn_warn(const char *cond, const char *file, int line)
{
	char where[128];

	oracle_report(V_CONTRACT, "%s: WARN(%s) at %s:%d",
		      oracle_where(where, sizeof(where)), cond, file, line);
}

/*
 * A small RCU for a handful of registered threads: a reader publishes the
 * grace-period number it started in; synchronize_rcu() starts a new one
 * and waits for every reader that started before it.
 */
static unsigned long rcu_gp_seq = 1;

void mn_rcu_read_lock(void)
{
	struct model_thread *t = mt_self;

	SCHED_POINT_FP("rcu_read_lock", "RCU", SCHED_FP_WRITE, SCHED_OBJ_RCU);
	WM_RCU(MN_WM_RCU_LOCK);
	if (t && t->rcu_depth++ == 0)
		__atomic_exchange_n(&t->rcu_gp,
				    __atomic_load_n(&rcu_gp_seq,
						    __ATOMIC_SEQ_CST),
				    __ATOMIC_SEQ_CST);
}

void mn_rcu_read_unlock(void)
{
	struct model_thread *t = mt_self;

	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_RCU);
	WM_RCU(MN_WM_RCU_UNLOCK);
	if (t && --t->rcu_depth == 0)
		__atomic_store_n(&t->rcu_gp, 0, __ATOMIC_RELEASE);
}

void mn_synchronize_rcu(void)
{
	unsigned long target;
	int i;

	mn_might_sleep("synchronize_rcu");
	SCHED_POINT_FP("synchronize_rcu", "RCU", SCHED_FP_WRITE, SCHED_OBJ_RCU);
	WM_RCU(MN_WM_SYNC_START);
	target = __atomic_add_fetch(&rcu_gp_seq, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < MT_MAX_THREADS; i++) {
		struct model_thread *t = &mt_table[i];
		unsigned int spins = 0;
		unsigned long gp;

		if (t == mt_self)
			continue;
		gp = __atomic_load_n(&t->rcu_gp, __ATOMIC_SEQ_CST);
		if (!gp || gp >= target)
			continue;
		SCHED_WAIT_FP(SCHED_FP_WRITE, SCHED_OBJ_RCU);
		mt_wait_begin(-1, "an RCU grace period");
		do {
			mt_wait_step(&spins);
			gp = __atomic_load_n(&t->rcu_gp, __ATOMIC_SEQ_CST);
		} while (gp && gp < target);
		mt_wait_end();
	}
	if (host_rcu_enabled()) {
		mt_wait_begin(-1, "the host's RCU grace period");
		host_rcu_wait();
		mt_wait_end();
	}
	WM_RCU(MN_WM_SYNC_END);
}

void mn_rwsem_init(struct rw_semaphore *s, const char *class_name)
{
	mn_lock_init(&s->raw, class_name, MN_LOCK_SLEEP);
	s->count = 0;
	s->writers_waiting = 0;
}

static bool rwsem_try_read(struct rw_semaphore *s)
{
	int c = __atomic_load_n(&s->count, __ATOMIC_ACQUIRE);

	/* A waiting writer holds new readers back, as in the kernel. */
	if (c < 0 || __atomic_load_n(&s->writers_waiting, __ATOMIC_ACQUIRE))
		return false;
	return __atomic_compare_exchange_n(&s->count, &c, c + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * To the memory model a reader's down_read and up_read are each the
 * rwsem's lock and unlock at once: it acquires what the last writer (or
 * reader) released, and releases what it did, to the next writer.
 */
static void wm_read_side(struct rw_semaphore *s)
{
	WM_LOCK(s);
	WM_UNLOCK(s);
	(void)s;
}

void down_read(struct rw_semaphore *s)
{
	unsigned int spins = 0;

	mn_might_sleep("down_read");
	SCHED_POINT_FP("down_read", lockdep_class_name(s->raw.class_id),
		       SCHED_FP_WRITE, SCHED_OBJ_CLASS(s->raw.class_id));
	lockdep_check_order(&s->raw);
	if (!rwsem_try_read(s)) {
		mt_wait_begin(s->raw.class_id, lockdep_class_name(s->raw.class_id));
		while (!rwsem_try_read(s))
			mt_wait_step(&spins);
		mt_wait_end();
	}
	lockdep_push(&s->raw, false);
	wm_read_side(s);
}

int down_read_trylock(struct rw_semaphore *s)
{
	SCHED_POINT_FP("down_read_trylock", lockdep_class_name(s->raw.class_id),
		       SCHED_FP_WRITE, SCHED_OBJ_CLASS(s->raw.class_id));
	if (!rwsem_try_read(s))
		return 0;
	lockdep_push(&s->raw, true);
	wm_read_side(s);
	return 1;
}

void up_read(struct rw_semaphore *s)
{
	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_CLASS(s->raw.class_id));
	wm_read_side(s);
	lockdep_pop(&s->raw);
	__atomic_sub_fetch(&s->count, 1, __ATOMIC_RELEASE);
}

static bool rwsem_try_write(struct rw_semaphore *s)
{
	int c = 0;

	return __atomic_compare_exchange_n(&s->count, &c, -1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void down_write(struct rw_semaphore *s)
{
	unsigned int spins = 0;

	mn_might_sleep("down_write");
	SCHED_POINT_FP("down_write", lockdep_class_name(s->raw.class_id),
		       SCHED_FP_WRITE, SCHED_OBJ_CLASS(s->raw.class_id));
	lockdep_check_order(&s->raw);
	if (!rwsem_try_write(s)) {
		__atomic_add_fetch(&s->writers_waiting, 1, __ATOMIC_SEQ_CST);
		mt_wait_begin(s->raw.class_id, lockdep_class_name(s->raw.class_id));
		while (!rwsem_try_write(s))
			mt_wait_step(&spins);
		mt_wait_end();
		__atomic_sub_fetch(&s->writers_waiting, 1, __ATOMIC_SEQ_CST);
	}
	lockdep_push(&s->raw, false);
	WM_LOCK(s);
}

void up_write(struct rw_semaphore *s)
{
	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_CLASS(s->raw.class_id));
	WM_UNLOCK(s);
	lockdep_pop(&s->raw);
	__atomic_store_n(&s->count, 0, __ATOMIC_RELEASE);
}

struct lockdep_map mn_fs_reclaim_map;
struct lockdep_map mn_inval_start_map;
static bool maps_ready;		/* atomic */

void lock_map_acquire(struct lockdep_map *m)
{
	lockdep_check_order(&m->raw);
	lockdep_push(&m->raw, false);
}

void lock_map_release(struct lockdep_map *m)
{
	lockdep_pop(&m->raw);
}

void mn_might_lock(struct mn_raw_lock *l)
{
	lockdep_check_order(l);
}

void mn_lockdep_maps_init(void)
{
	mn_lock_init(&mn_fs_reclaim_map.raw, "fs_reclaim", MN_LOCK_SLEEP);
	mn_lock_init(&mn_inval_start_map.raw,
		     "mmu_notifier_invalidate_range_start", MN_LOCK_SLEEP);
	/* __mmu_notifier_register(): reclaim may invalidate. */
	lock_map_acquire(&mn_fs_reclaim_map);
	lock_map_acquire(&mn_inval_start_map);
	lock_map_release(&mn_inval_start_map);
	lock_map_release(&mn_fs_reclaim_map);
	__atomic_store_n(&maps_ready, true, __ATOMIC_RELEASE);
}

void mn_might_alloc(int gfp)
{
	if (gfp != GFP_KERNEL || !mt_self ||
	    !__atomic_load_n(&maps_ready, __ATOMIC_ACQUIRE))
		return;
	mn_might_sleep("a GFP_KERNEL allocation");
	/* fs_reclaim_acquire()/release(): reclaim may run here. */
	lock_map_acquire(&mn_fs_reclaim_map);
	lock_map_release(&mn_fs_reclaim_map);
}

void mn_spin_wait_begin(const char *what)
{
	/* The condition's READ_ONCEs declare what its re-checks read. */
	SCHED_WAIT_FP(0, 0);
	mt_wait_begin(-1, what);
}

void mn_spin_wait_step(unsigned int *spins)
{
	mt_wait_step(spins);
}

void mn_spin_wait_end(void)
{
	mt_wait_end();
}
