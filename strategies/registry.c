// SPDX-License-Identifier: GPL-2.0
/* The strategies mnbench knows, from strategy_list.h, selected by name. */
#include "strategy.h"

/* Declares every mn_strategy_NAME of the list, in one declaration. */
#define MN_STRATEGY(name, flags) mn_strategy_##name,
extern const struct mn_strategy
#include "strategy_list.h"
	mn_strategy_list_end;
#undef MN_STRATEGY

const struct mn_strategy *const mn_strategies[] = {
#define MN_STRATEGY(name, flags) (&mn_strategy_##name),
#include "strategy_list.h"
#undef MN_STRATEGY
};

const unsigned int mn_nr_strategies = ARRAY_SIZE(mn_strategies);

const struct mn_strategy *mn_strategy_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < mn_nr_strategies; i++)
		if (!strcmp(mn_strategies[i]->name, name))
			return mn_strategies[i];
	return NULL;
}

unsigned int mn_strategy_flags(const struct mn_strategy *s)
{
	unsigned int i;

	for (i = 0; i < mn_nr_strategies; i++)
		if (mn_strategies[i] == s)
			return mn_strategy_names[i].flags;
	return 0;
}
