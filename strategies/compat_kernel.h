/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel backend of the compat layer: strategies use the kernel's own API
 * names, so this is mostly includes.
 */
#ifndef MN_COMPAT_KERNEL_H
#define MN_COMPAT_KERNEL_H

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

#endif /* MN_COMPAT_KERNEL_H */
