// SPDX-License-Identifier: GPL-2.0
#include "mutant.h"

const struct mutant *const mutants[] = {
#define MN_MUTANT(name) (&mutant_##name),
#define MN_BARRIER(name) MN_MUTANT(name)
#include "mutant_list.h"
#undef MN_BARRIER
#undef MN_MUTANT
};

const unsigned int nr_mutants = ARRAY_SIZE(mutants);
