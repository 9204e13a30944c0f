// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel primitives the userspace compat layer promises (locks, RCU,
 * might_sleep, WARN), built so the oracle sees every use of them.
 */
#include <stdio.h>

#include "host_rcu.h"
#include "oracle.h"
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
}

bool mn_lock_try(struct mn_raw_lock *l)
{
	if (!raw_try(l))
		return false;
	lockdep_push(l, true);
	return true;
}

void mn_lock_release(struct mn_raw_lock *l)
{
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

	if (t && t->rcu_depth++ == 0)
		__atomic_exchange_n(&t->rcu_gp,
				    __atomic_load_n(&rcu_gp_seq,
						    __ATOMIC_SEQ_CST),
				    __ATOMIC_SEQ_CST);
}

void mn_rcu_read_unlock(void)
{
	struct model_thread *t = mt_self;

	if (t && --t->rcu_depth == 0)
		__atomic_store_n(&t->rcu_gp, 0, __ATOMIC_RELEASE);
}

void mn_synchronize_rcu(void)
{
	unsigned long target;
	int i;

	mn_might_sleep("synchronize_rcu");
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
}
