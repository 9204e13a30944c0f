/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the worker, the guest and the invalidators run: one CPU set per
 * role, computed with hwloc from a placement name.
 */
#ifndef MN_PLACEMENT_H
#define MN_PLACEMENT_H

#include <sched.h>	/* cpu_set_t: the build defines _GNU_SOURCE */
#include <stdbool.h>
#include <stddef.h>

enum placement_kind {
	PLACEMENT_NONE,		/* threads float */
	PLACEMENT_SAME_CORE,	/* everything on one hardware thread */
	PLACEMENT_SMT,		/* worker and guest on SMT siblings */
	PLACEMENT_CORES,	/* worker and guest on different cores */
	PLACEMENT_PACKAGES,	/* ... on different packages or NUMA nodes */
	PLACEMENT_NR
};

struct placement {
	enum placement_kind kind;
	bool pin;
	cpu_set_t worker;
	cpu_set_t guest;
	cpu_set_t invalidators;
	char description[256];
};

/* 0, or -1 with a message naming the bad input and the valid names. */
int placement_parse(const char *name, enum placement_kind *kind, char *err,
		    size_t errlen);
const char *placement_name(enum placement_kind kind);
/* 0, or -1 with why this machine cannot provide it. */
int placement_resolve(enum placement_kind kind, struct placement *p,
		      char *reason, size_t reasonlen);
/* Pin the calling thread (nothing to do without pinning); 0 or -errno. */
int placement_pin_self(const struct placement *p, const cpu_set_t *set);
/* e.g. "1 package, 1 NUMA node, 2 cores, 2 PUs (no SMT)". */
const char *placement_topology_summary(char *buf, size_t len);

#endif /* MN_PLACEMENT_H */
