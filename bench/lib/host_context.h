/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a result needs to say about the machine it came from, in the same
 * context keys for model and module runs: kernel release, CPU model,
 * online CPUs, and whether it is a virtual machine.
 */
#ifndef MN_HOST_CONTEXT_H
#define MN_HOST_CONTEXT_H

/* Adds kernel, cpu_model, cpus_online and hypervisor to the JSON context. */
void host_context_add(void);

#endif /* MN_HOST_CONTEXT_H */
