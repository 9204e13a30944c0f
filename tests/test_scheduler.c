// SPDX-License-Identifier: GPL-2.0
/*
 * The exploration scheduler on its own: two threads that take two locks
 * in opposite orders. Default schedule: one runs to the end, no hang.
 * A switch after the first lock: both block, and the scheduler reports
 * the deadlock with who waits for what, held by whom, and unwinds both.
 * The same decisions give the same steps every time.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "oracle.h"
#include "scheduler.h"
#include "thread.h"

static struct mutex first, second;

static void take_in_order(struct mutex *a, struct mutex *b)
{
	mutex_lock(a);
	mutex_lock(b);
	mutex_unlock(b);
	mutex_unlock(a);
}

static void thread_fn(void *arg)
{
	if (arg)
		take_in_order(&first, &second);
	else
		take_in_order(&second, &first);
}

static void run(const u8 *prefix, unsigned int len, struct sched_result *r)
{
	static const char *const names[] = { "one", "two" };
	void *args[] = { &first, NULL };
	struct sched_policy pol = { .prefix = prefix, .prefix_len = len };

	oracle_reset();
	mutex_init(&first);
	mutex_init(&second);
	sched_run(2, names, thread_fn, args, &pol, r, NULL);
}

int main(void)
{
	static struct sched_result r, again;
	/*
	 * Decision 0 starts "one", 1 lets it take its first lock, 2 switches
	 * to "two" before "one" takes its second.
	 */
	static const u8 deadlock[] = { 0, 0, 1 };

	if (!mt_register("main"))
		return 1;
	run(NULL, 0, &r);
	CHECK(!r.deadlock);
	CHECK(r.steps > 0);

	run(deadlock, 3, &r);
	printf("deadlock: %s\n", r.deadlock_cycle);
	CHECK(r.deadlock);
	CHECK(strstr(r.deadlock_cycle, "one waits for"));
	CHECK(strstr(r.deadlock_cycle, "two waits for"));
	CHECK(strstr(r.deadlock_cycle, "(held by two)"));
	CHECK(strstr(r.deadlock_cycle, "(held by one)"));

	run(deadlock, 3, &again);
	CHECK(again.deadlock);
	CHECK(again.steps == r.steps);
	CHECK(again.ndecisions == r.ndecisions);
	mt_unregister();
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
