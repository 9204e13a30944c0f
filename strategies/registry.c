// SPDX-License-Identifier: GPL-2.0
/* The strategies mnbench knows, selected by name. */
#include "strategy.h"

/* The benchmark matrix; valid_flag is test-only and comes last. */
const struct mn_strategy *const mn_strategies[] = {
	&mn_strategy_invalidate_range,
	&mn_strategy_mutex,
	&mn_strategy_counter,
	&mn_strategy_seqcount,
	&mn_strategy_uaccess,
	&mn_strategy_unsafe,
	&mn_strategy_valid_flag,
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
