/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only header a strategy includes. It selects the kernel backend
 * (<linux/...>) inside the module and the userspace backend (pthreads-free
 * locks, C11-style atomics, hooks into the model's oracle) everywhere else,
 * the way tools/include lets kernel code build in userspace.
 */
#ifndef MN_COMPAT_H
#define MN_COMPAT_H

#ifdef __KERNEL__
#include "compat_kernel.h"
#else
#include "compat_user.h"
#endif

#endif /* MN_COMPAT_H */
