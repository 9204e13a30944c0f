// SPDX-License-Identifier: GPL-2.0
#define MN_NO_SCHED_POINTS	/* bookkeeping, not the code under test */
#include <sched.h>
#include <stdio.h>

#include "thread.h"

__thread struct model_thread *mt_self;
struct model_thread mt_table[MT_MAX_THREADS];
static bool mt_abort_flag;
static bool (*wait_hook)(void);	/* mt_set_wait_hook() */

struct model_thread *mt_register(const char *name)
{
	int i;

	for (i = 0; i < MT_MAX_THREADS; i++) {
		struct model_thread *t = &mt_table[i];
		bool expected = false;

		if (!__atomic_compare_exchange_n(&t->claimed, &expected, true,
						 false, __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED))
			continue;
		snprintf(t->name, sizeof(t->name), "%s", name);
		t->nheld = 0;
		t->spin_depth = 0;
		t->rcu_depth = 0;
		t->in_invalidate_range = 0;
		t->non_block = 0;
		t->stale_pending = 0;
		t->lat = NULL;
		t->wait_ns = 0;
		t->abort_armed = false;
		WRITE_ONCE(t->activity, "running");
		WRITE_ONCE(t->callback, NULL);
		WRITE_ONCE(t->blocked_what, NULL);
		WRITE_ONCE(t->blocked_class, -1);
		WRITE_ONCE(t->nheld_pub, 0);
		WRITE_ONCE(t->rcu_gp, 0);
		__atomic_store_n(&t->live, true, __ATOMIC_RELEASE);
		mt_self = t;
		return t;
	}
	return NULL;
}

void mt_unregister(void)
{
	if (!mt_self)
		return;
	/* A thread unwound inside a read section must not hold up a GP. */
	__atomic_store_n(&mt_self->rcu_gp, 0, __ATOMIC_RELEASE);
	mt_self->rcu_depth = 0;
	__atomic_store_n(&mt_self->live, false, __ATOMIC_RELEASE);
	__atomic_store_n(&mt_self->claimed, false, __ATOMIC_RELEASE);
	mt_self = NULL;
}

void mt_set_activity(const char *what)
{
	if (mt_self)
		WRITE_ONCE(mt_self->activity, what);
}

void mt_wait_begin(int class_id, const char *what)
{
	if (!mt_self)
		return;
	WRITE_ONCE(mt_self->blocked_class, class_id);
	WRITE_ONCE(mt_self->blocked_since_ns, ktime_get_ns());
	__atomic_store_n(&mt_self->blocked_what, what, __ATOMIC_RELEASE);
}

void mt_wait_end(void)
{
	/* Only a wait that began: the time since an old one is not a wait. */
	if (!mt_self || !mt_self->blocked_what)
		return;
	mt_self->wait_ns += ktime_get_ns() - READ_ONCE(mt_self->blocked_since_ns);
	__atomic_store_n(&mt_self->blocked_what, NULL, __ATOMIC_RELEASE);
}

/* Spin a little, then yield, then sleep: waits here can last long. */
void mt_set_wait_hook(bool (*hook)(void))
{
	__atomic_store_n(&wait_hook, hook, __ATOMIC_RELEASE);
}

void mt_wait_step(unsigned int *spins)
{
	bool (*hook)(void);

	if (mt_self && mt_self->abort_armed && mt_aborting())
		longjmp(mt_self->abort_jmp, 1);
	/* Exploring: blocked until another thread makes progress. */
	hook = __atomic_load_n(&wait_hook, __ATOMIC_ACQUIRE);
	if (hook && hook())
		return;
	if (++*spins < 64) {
		cpu_relax();
	} else if (*spins < 256) {
		sched_yield();
	} else {
		struct timespec ts = { 0, 20000 };

		nanosleep(&ts, NULL);
	}
}

void mt_abort_all(void)
{
	__atomic_store_n(&mt_abort_flag, true, __ATOMIC_RELEASE);
}

bool mt_aborting(void)
{
	return __atomic_load_n(&mt_abort_flag, __ATOMIC_ACQUIRE);
}

void mt_reset(void)
{
	__atomic_store_n(&mt_abort_flag, false, __ATOMIC_RELEASE);
}
