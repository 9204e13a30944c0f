/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The strategies' names and flags from strategy_list.h, without their
 * code: what a program that only names strategies needs (mnbench-module
 * checks names and picks its matrix with it; the module runs the code).
 */
#ifndef MN_STRATEGY_NAMES_H
#define MN_STRATEGY_NAMES_H

#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

enum mn_strategy_flag {
	MN_KNOWN_UNSAFE = 1 << 0,
	MN_BREAKS_KERNEL_RULES = 1 << 1,
	MN_REFERENCE = 1 << 2,
	MN_TEST_ONLY = 1 << 3,
};

/* MN_STRATEGY_INDEX_<name>, in list order, and how many there are. */
enum mn_strategy_index {
#define MN_STRATEGY(name, flags) MN_STRATEGY_INDEX_##name,
#include "strategy_list.h"
#undef MN_STRATEGY
	MN_NR_STRATEGIES
};

struct mn_strategy_name {
	const char *name;
	unsigned int flags;
};

static const struct mn_strategy_name mn_strategy_names[] = {
#define MN_STRATEGY(name, flags) { #name, flags },
#include "strategy_list.h"
#undef MN_STRATEGY
};


/* The entry of a strategy name, or NULL. */
static inline const struct mn_strategy_name *
mn_strategy_name_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < MN_NR_STRATEGIES; i++)
		if (!strcmp(mn_strategy_names[i].name, name))
			return &mn_strategy_names[i];
	return NULL;
}

#endif /* MN_STRATEGY_NAMES_H */
