/* SPDX-License-Identifier: GPL-2.0 */
/*
 * strategy_list.h as JSON, for what is not C: the C preprocessor alone
 * expands this file (cc -E -P, never compiled), so the list is read by the
 * same rules as in registry.c, whatever its layout. CMake turns the lines
 * into build/strategies.json (docs/layout.md); an expansion it does not
 * recognize, such as a flag missing below, stops the configuration.
 */
#define MN_FLAG_NAME(flag)	#flag
/* Each flag of strategy_names.h expands to its own name, quoted. */
#define MN_KNOWN_UNSAFE		MN_FLAG_NAME(MN_KNOWN_UNSAFE)
#define MN_BREAKS_KERNEL_RULES	MN_FLAG_NAME(MN_BREAKS_KERNEL_RULES)
#define MN_REFERENCE		MN_FLAG_NAME(MN_REFERENCE)
#define MN_TEST_ONLY		MN_FLAG_NAME(MN_TEST_ONLY)

/* One line each: {"name":"NAME","flags":[FLAG | FLAG]} or [0]. */
#define MN_STRATEGY(name, flags) {"name":#name,"flags":[flags]}
#include "strategy_list.h"
