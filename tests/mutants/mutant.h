/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Broken variants of the correct strategies, each with one bug of a kind
 * the oracle must report. A mutant file includes the strategy it breaks
 * (renaming its ops table), replaces one or two ops, and says which rule
 * should catch it and under which load. Only the tests build them.
 */
#ifndef MN_MUTANT_H
#define MN_MUTANT_H

#include "model.h"

struct mutant {
	const char *name;
	const char *bug;		/* what is broken, in a sentence */
	enum violation_kind rule;	/* the rule that should catch it */
	enum load load;
	unsigned int invalidators;
	/* Fills in the broken ops table from the correct one. */
	void (*make)(struct mn_strategy *s);
	/*
	 * A barrier mutant (MN_BARRIER in mutant_list.h): one ordering
	 * primitive removed or weakened. Only a weak memory model can
	 * kill it; docs/strategies.md "Barriers, each justified" says
	 * which one does, or why the primitive is redundant.
	 */
	bool barrier;
	const char *primitive;		/* file:function: what was changed */
};

#define MN_MUTANT(name) extern const struct mutant mutant_##name;
#define MN_BARRIER(name) MN_MUTANT(name)
#include "mutant_list.h"
#undef MN_BARRIER
#undef MN_MUTANT

extern const struct mutant *const mutants[];
extern const unsigned int nr_mutants;

#endif /* MN_MUTANT_H */
