// SPDX-License-Identifier: GPL-2.0
/*
 * A real data race from a module, for the test that a KCSAN kernel
 * reports it and scripts/vm-run fails on the report (tests/vm_kcsan.sh):
 * two kthreads, one per CPU, increment one counter for about two seconds.
 * With marked=0 the increments are plain accesses, a data race; with
 * marked=1 they are READ_ONCE/WRITE_ONCE, still a lost-update race but
 * not a data race, so KCSAN stays silent and the run passes (the control
 * that the failure comes from the race alone).
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>

static bool marked;
module_param(marked, bool, 0444);
MODULE_PARM_DESC(marked, "READ_ONCE/WRITE_ONCE instead of plain accesses");

static unsigned long mnbench_race_counter;
static atomic_t mnbench_race_started = ATOMIC_INIT(0);
static bool mnbench_race_stop;

static int mnbench_race_thread(void *unused)
{
	/* Both threads run at once, so the race window is always open. */
	atomic_inc(&mnbench_race_started);
	while (atomic_read(&mnbench_race_started) < 2)
		cond_resched();
	while (!READ_ONCE(mnbench_race_stop)) {
		if (marked)
			WRITE_ONCE(mnbench_race_counter,
				   READ_ONCE(mnbench_race_counter) + 1);
		else
			mnbench_race_counter++;
		/* A load and a store each time, never a register. */
		barrier();
		/* Lets insmod, sleeping until it stops us, run here. */
		cond_resched();
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static int __init mnbench_race_init(void)
{
	struct task_struct *t[2];
	int i;

	if (num_online_cpus() < 2) {
		pr_err("mnbench_race: needs two online CPUs\n");
		return -ENODEV;
	}
	for (i = 0; i < 2; i++) {
		t[i] = kthread_create(mnbench_race_thread, NULL,
				      "mnbench_race/%d", i);
		if (IS_ERR(t[i])) {
			int err = PTR_ERR(t[i]);

			/* Never woken: kthread_stop() ends it unrun. */
			while (i--)
				kthread_stop(t[i]);
			return err;
		}
		kthread_bind(t[i], cpumask_nth(i, cpu_online_mask));
	}
	for (i = 0; i < 2; i++)
		wake_up_process(t[i]);
	msleep(2000);
	WRITE_ONCE(mnbench_race_stop, true);
	for (i = 0; i < 2; i++)
		kthread_stop(t[i]);
	pr_info("mnbench_race: %s increments, counter %lu\n",
		marked ? "marked" : "plain", READ_ONCE(mnbench_race_counter));
	return 0;
}

static void __exit mnbench_race_exit(void)
{
}

module_init(mnbench_race_init);
module_exit(mnbench_race_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mnbench test: a data race between two kthreads at load");
