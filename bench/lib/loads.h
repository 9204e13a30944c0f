/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loads, one enum for every program: the model replays all of them;
 * mnbench-module makes the ones a real process can make (load_on_module).
 */
#ifndef MN_LOADS_H
#define MN_LOADS_H

#include <stdbool.h>

enum load {
	LOAD_NONE,
	LOAD_KSM,
	LOAD_COW,
	LOAD_ZAP,
	LOAD_OOM,
	LOAD_MIXED,
	/*
	 * Zaps, then the process exits while they run: exit_mmap, the
	 * notifier's ->release, then the unmapping (the module's tests make
	 * it with processes that die, tests/module_teardown.c).
	 */
	LOAD_EXIT,
	LOAD_NR
};

extern const char *const load_names[LOAD_NR];
/* The load of that name, or -1. */
int load_parse(const char *name);
/* "none, ksm, ...": the names of the loads a program takes, for messages. */
const char *load_name_list(bool module_only);
/* KSM merging, COW after fork, zap, oom, mixed: what mnbench-module makes. */
bool load_on_module(enum load load);

#endif /* MN_LOADS_H */
