/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API the shared strategies and vq core use, in the module:
 * they use the kernel's own names, so this is only includes. The model
 * has its own mn_compat.h (bench/model/) with instrumented versions.
 */
#ifndef MN_COMPAT_H
#define MN_COMPAT_H

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * Spin until cond holds, giving the CPU up when the scheduler asks: a
 * wait for another task that holds nothing the waiter needs (the model's
 * version accounts it as a wait, and reports one that never ends).
 */
#define mn_spin_until(cond, what)			\
	do {						\
		while (!(cond)) {			\
			if (need_resched())		\
				schedule();		\
			else				\
				cpu_relax();		\
		}					\
	} while (0)

#endif /* MN_COMPAT_H */
