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

#endif /* MN_COMPAT_H */
