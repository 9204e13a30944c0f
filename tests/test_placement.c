// SPDX-License-Identifier: GPL-2.0
/*
 * Placement names: valid ones round-trip, bad ones are refused with a
 * message; resolving agrees with the topology hwloc reports.
 */
#include <hwloc.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "placement.h"

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FAIL: %s: ", #cond);			\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
		failures++;						\
	}								\
} while (0)

static int count(hwloc_obj_type_t type)
{
	hwloc_topology_t topo;
	int n;

	hwloc_topology_init(&topo);
	hwloc_topology_load(topo);
	n = hwloc_get_nbobjs_by_type(topo, type);
	hwloc_topology_destroy(topo);
	return n;
}

static bool disjoint(const cpu_set_t *a, const cpu_set_t *b)
{
	cpu_set_t both;

	CPU_AND(&both, a, b);
	return !CPU_COUNT(&both);
}

/* Names parse to their kind; anything else is refused, naming the choices. */
static void check_parse(void)
{
	static const char *const bad[] = { "", "core", "SMT", "cores ",
					   "same_core", "package" };
	enum placement_kind kind;
	char msg[256];
	unsigned int i;

	for (i = 0; i < PLACEMENT_NR; i++) {
		const char *name = placement_name(i);

		CHECK(!placement_parse(name, &kind, msg, sizeof(msg)) &&
		      kind == i, "%s", name);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = 0;
		CHECK(placement_parse(bad[i], &kind, msg, sizeof(msg)),
		      "'%s' accepted", bad[i]);
		CHECK(strstr(msg, bad[i]) && strstr(msg, "same-core") &&
		      strstr(msg, "packages"), "message '%s'", msg);
	}
}

int main(void)
{
	enum placement_kind kind;
	struct placement p;
	char msg[256], topo[256];
	cpu_set_t now;
	int cores = count(HWLOC_OBJ_CORE), pus = count(HWLOC_OBJ_PU);
	int pkgs = count(HWLOC_OBJ_PACKAGE), numa = count(HWLOC_OBJ_NUMANODE);

	check_parse();
	CHECK(!placement_resolve(PLACEMENT_NONE, &p, msg, sizeof(msg)) &&
	      !p.pin, "none");
	CHECK(!placement_resolve(PLACEMENT_SAME_CORE, &p, msg, sizeof(msg)),
	      "same-core: %s", msg);
	CHECK(CPU_COUNT(&p.worker) == 1 && CPU_EQUAL(&p.worker, &p.guest) &&
	      CPU_EQUAL(&p.worker, &p.invalidators), "same-core sets");
	CHECK(!placement_pin_self(&p, &p.worker), "pin");
	CHECK(!pthread_getaffinity_np(pthread_self(), sizeof(now), &now) &&
	      CPU_EQUAL(&now, &p.worker), "affinity after pinning");

	/* The others depend on the machine: they must agree with hwloc. */
	for (kind = PLACEMENT_SMT; kind <= PLACEMENT_PACKAGES; kind++) {
		bool possible = kind == PLACEMENT_SMT ? pus > cores :
				kind == PLACEMENT_CORES ? cores >= 2 :
				pkgs >= 2 || numa >= 2;
		int ret;

		msg[0] = 0;
		ret = placement_resolve(kind, &p, msg, sizeof(msg));
		if (possible) {
			CHECK(!ret, "%s should work here: %s",
			      placement_name(kind), msg);
			CHECK(CPU_COUNT(&p.worker) && CPU_COUNT(&p.guest) &&
			      disjoint(&p.worker, &p.guest), "%s sets",
			      placement_name(kind));
		} else {
			CHECK(ret && strstr(msg, placement_name(kind)),
			      "%s: '%s'", placement_name(kind), msg);
		}
	}
	placement_topology_summary(topo, sizeof(topo));
	CHECK(strstr(topo, "core"), "summary '%s'", topo);
	printf("topology: %s\n", topo);
	if (failures)
		return 1;
	printf("placement: all checks passed\n");
	return 0;
}
