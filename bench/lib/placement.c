// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <hwloc.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "placement.h"

static const char *const names[PLACEMENT_NR] = {
	[PLACEMENT_NONE] = "none",
	[PLACEMENT_SAME_CORE] = "same-core",
	[PLACEMENT_SMT] = "smt",
	[PLACEMENT_CORES] = "cores",
	[PLACEMENT_PACKAGES] = "packages",
};

int placement_parse(const char *name, enum placement_kind *kind, char *err,
		    size_t errlen)
{
	int i;

	for (i = 0; i < PLACEMENT_NR; i++) {
		if (!strcmp(name, names[i])) {
			*kind = i;
			return 0;
		}
	}
	snprintf(err, errlen,
		 "unknown placement '%s' (none, same-core, smt, cores, packages)",
		 name);
	return -1;
}

const char *placement_name(enum placement_kind kind)
{
	return kind < PLACEMENT_NR ? names[kind] : "?";
}

static void add_pu(cpu_set_t *set, hwloc_obj_t pu)
{
	CPU_SET(pu->os_index, set);
}

static hwloc_obj_t first_pu(hwloc_topology_t topo, hwloc_obj_t obj)
{
	return hwloc_get_obj_inside_cpuset_by_type(topo, obj->cpuset,
						   HWLOC_OBJ_PU, 0);
}

/* The first PU of the idx-th object of type, or NULL. */
static hwloc_obj_t pu_of(hwloc_topology_t topo, hwloc_obj_type_t type,
			 unsigned int idx)
{
	hwloc_obj_t obj = hwloc_get_obj_by_type(topo, type, idx);

	return obj ? first_pu(topo, obj) : NULL;
}

static void describe(struct placement *p, hwloc_obj_t w, hwloc_obj_t g,
		     hwloc_obj_t inv)
{
	snprintf(p->description, sizeof(p->description),
		 "worker PU#%u, guest PU#%u, invalidators PU#%u", w->os_index,
		 g->os_index, inv->os_index);
}

/* The PUs of a placement: worker, guest and invalidators. */
struct pus {
	hwloc_obj_t w, g, inv;
};

/* Worker and guest on the two hardware threads of one core. */
static void pick_smt(hwloc_topology_t topo, struct pus *pu, char *reason,
		     size_t reasonlen)
{
	int ncores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	hwloc_obj_t core;

	for (core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, 0); core;
	     core = core->next_cousin) {
		if (hwloc_get_nbobjs_inside_cpuset_by_type(topo, core->cpuset,
							   HWLOC_OBJ_PU) >= 2)
			break;
	}
	if (!core) {
		snprintf(reason, reasonlen,
			 "smt needs a core with 2 hardware threads; this machine has none");
		return;
	}
	pu->w = first_pu(topo, core);
	pu->g = hwloc_get_obj_inside_cpuset_by_type(topo, core->cpuset,
						    HWLOC_OBJ_PU, 1);
	pu->inv = ncores >= 2 ? pu_of(topo, HWLOC_OBJ_CORE,
				      core->logical_index ? 0 : 1) : pu->g;
}

static void pick_cores(hwloc_topology_t topo, struct pus *pu, char *reason,
		       size_t reasonlen)
{
	int ncores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);

	if (ncores < 2) {
		snprintf(reason, reasonlen,
			 "cores needs 2 cores; this machine has %d", ncores);
		return;
	}
	pu->w = pu_of(topo, HWLOC_OBJ_CORE, 0);
	pu->g = pu_of(topo, HWLOC_OBJ_CORE, 1);
	pu->inv = ncores >= 3 ? pu_of(topo, HWLOC_OBJ_CORE, 2) : pu->g;
}

static void pick_packages(hwloc_topology_t topo, struct pus *pu,
			  char *reason, size_t reasonlen)
{
	int npkgs = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
	int nnuma = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
	hwloc_obj_type_t type = npkgs >= 2 ? HWLOC_OBJ_PACKAGE
					   : HWLOC_OBJ_NUMANODE;

	if (npkgs < 2 && nnuma < 2) {
		snprintf(reason, reasonlen,
			 "packages needs 2 packages or NUMA nodes; this machine has %d and %d",
			 npkgs, nnuma);
		return;
	}
	pu->w = pu_of(topo, type, 0);
	pu->g = pu->inv = pu_of(topo, type, 1);
}

static void pick(hwloc_topology_t topo, enum placement_kind kind,
		 struct pus *pu, char *reason, size_t reasonlen)
{
	switch (kind) {
	case PLACEMENT_SAME_CORE:
		pu->w = pu->g = pu->inv = pu_of(topo, HWLOC_OBJ_CORE, 0);
		break;
	case PLACEMENT_SMT:
		pick_smt(topo, pu, reason, reasonlen);
		break;
	case PLACEMENT_CORES:
		pick_cores(topo, pu, reason, reasonlen);
		break;
	case PLACEMENT_PACKAGES:
		pick_packages(topo, pu, reason, reasonlen);
		break;
	default:
		snprintf(reason, reasonlen, "unknown placement");
		break;
	}
}

int placement_resolve(enum placement_kind kind, struct placement *p,
		      char *reason, size_t reasonlen)
{
	struct pus pu = { NULL, NULL, NULL };
	hwloc_topology_t topo;
	int ret = -1;

	if (reasonlen)
		reason[0] = 0;
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	CPU_ZERO(&p->worker);
	CPU_ZERO(&p->guest);
	CPU_ZERO(&p->invalidators);
	if (kind == PLACEMENT_NONE) {
		snprintf(p->description, sizeof(p->description),
			 "not pinned");
		return 0;
	}
	if (hwloc_topology_init(&topo) || hwloc_topology_load(topo)) {
		snprintf(reason, reasonlen, "hwloc cannot read the topology");
		return -1;
	}
	pick(topo, kind, &pu, reason, reasonlen);
	if (pu.w && pu.g && pu.inv) {
		add_pu(&p->worker, pu.w);
		add_pu(&p->guest, pu.g);
		add_pu(&p->invalidators, pu.inv);
		p->pin = true;
		describe(p, pu.w, pu.g, pu.inv);
		ret = 0;
	} else if (!reason[0]) {
		snprintf(reason, reasonlen, "hwloc found no processing unit");
	}
	hwloc_topology_destroy(topo);
	return ret;
}

int placement_pin_self(const struct placement *p, const cpu_set_t *set)
{
	if (!p || !p->pin || !CPU_COUNT(set))
		return 0;
	return -pthread_setaffinity_np(pthread_self(), sizeof(*set), set);
}

const char *placement_topology_summary(char *buf, size_t len)
{
	hwloc_topology_t topo;
	int pkgs, numa, cores, pus;

	if (hwloc_topology_init(&topo) || hwloc_topology_load(topo)) {
		snprintf(buf, len, "unknown topology");
		return buf;
	}
	pkgs = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
	numa = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
	cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	snprintf(buf, len, "%d package%s, %d NUMA node%s, %d core%s, %d PU%s (%s)",
		 pkgs, pkgs == 1 ? "" : "s", numa, numa == 1 ? "" : "s",
		 cores, cores == 1 ? "" : "s", pus, pus == 1 ? "" : "s",
		 pus > cores ? "SMT" : "no SMT");
	hwloc_topology_destroy(topo);
	return buf;
}
