/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host kernel's RCU grace period, for the model's synchronize_rcu():
 * membarrier(MEMBARRIER_CMD_GLOBAL) is synchronize_rcu() on a kernel with
 * more than one CPU, so a strategy that waits for readers in the model
 * pays what it would pay in the kernel (milliseconds), not only the wait
 * for the model's own readers.
 */
#ifndef MODEL_HOST_RCU_H
#define MODEL_HOST_RCU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* true if the host can lend its grace period; else why not, in why. */
bool host_rcu_probe(char *why, size_t len);
/* For the next run: wait the host's grace period in synchronize_rcu(). */
void host_rcu_enable(bool on);
bool host_rcu_enabled(void);
/* One grace period of the host kernel, counted. */
void host_rcu_wait(void);
/* Grace periods waited since host_rcu_enable(). */
uint64_t host_rcu_waits(void);

#endif /* MODEL_HOST_RCU_H */
