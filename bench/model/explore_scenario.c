// SPDX-License-Identifier: GPL-2.0
/*
 * The scenario exploration runs: one active vq with a small ring the
 * guest has filled, and one idle vq whose zeroed rings KSM can merge (the
 * multiqueue pattern). The worker handles half the ring, resets the
 * active ring's mapping (VHOST_SET_VRING_ADDR), handles the rest and
 * tears down; each invalidator runs one or two kernel sequences aimed at
 * the rings (under load exit: the first the process's exit, exit_mmap
 * with the notifier's ->release, the others zaps in flight meanwhile).
 * Then the guest checks every completion. Everything runs under the
 * scheduler, nothing waits on a clock.
 */
#include <stdio.h>

#include "backend.h"
#include "explore.h"
#include "explore_wm.h"
#include "guest.h"
#include "thread.h"
#include "vq/vq_access.h"
#include "worker.h"

#define SCENARIO_RING		4
#define SCENARIO_VQS		2	/* active, and idle where KSM runs */
#define SCENARIO_BAIT		2
#define SCENARIO_MAX_PLANS	2

struct scenario;

struct invalidator {
	struct scenario *sc;
	struct event_plan plan[SCENARIO_MAX_PLANS];
	unsigned int nplans;
};

struct scenario {
	const struct model_config *cfg;
	struct mm mm;
	struct backend backend;
	struct mn_vq vqs[SCENARIO_VQS];
	struct mn_vq *vq_ptrs[SCENARIO_VQS];
	unsigned long buf_base[SCENARIO_VQS];
	unsigned int nvqs_ready;
	unsigned int nvqs;
	struct vq_layout layout;
	struct guest guest;
	struct invalidator inv[EXPLORE_MAX_INVALIDATORS];
	bool guest_ready;
};

static unsigned long ring_page(const struct scenario *sc, unsigned int vq,
			       unsigned int which)
{
	const struct vq_layout *l = &sc->layout;
	unsigned long base = vq * l->pages;

	return which == 0 ? base :
	       which == 1 ? base + l->desc_pages :
			    base + l->desc_pages + l->avail_pages;
}

static void plan(struct event_plan *p, enum event_type type,
		 unsigned long page)
{
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->page = page;
	p->npages = 1;
}

/*
 * Invalidator k's sequences under the load: aimed at the active vq's
 * descriptor, avail and used pages in turn (KSM at the idle vq's, which
 * have twins), so every load reaches the metadata.
 */
static void plan_invalidator(struct scenario *sc, unsigned int k)
{
	struct invalidator *inv = &sc->inv[k];
	enum load load = sc->cfg->load;
	unsigned long page = ring_page(sc, 0, k % 3);

	inv->sc = sc;
	inv->nplans = 1;
	if (load == LOAD_MIXED)
		load = k == 0 ? LOAD_ZAP : k == 1 ? LOAD_KSM : LOAD_COW;
	switch (load) {
	case LOAD_KSM:
		plan(&inv->plan[0], EV_KSM, ring_page(sc, 1, 1 + k % 2));
		break;
	case LOAD_COW:
		/* One sequence each, a fork or a write fault; alone, both. */
		inv->nplans = 0;
		if (k % 2 == 0)
			plan(&inv->plan[inv->nplans++], EV_FORK, 0);
		if (k % 2 == 1 || sc->cfg->invalidators == 1)
			plan(&inv->plan[inv->nplans++], EV_COW_TOUCH, page);
		break;
	case LOAD_OOM:
		plan(&inv->plan[0], EV_OOM, page);
		break;
	case LOAD_EXIT:
		/* The exit, and zaps in flight while it runs. */
		plan(&inv->plan[0], k == 0 ? EV_EXIT : EV_ZAP, page);
		break;
	default:
		plan(&inv->plan[0], EV_ZAP, page);
		break;
	}
}

/* ksmd's earlier scans: the idle rings' checksums are known stable. */
static void ksm_prescan(struct scenario *sc)
{
	struct event_plan p;
	unsigned int which;

	for (which = 0; which < 3; which++) {
		plan(&p, EV_KSM, ring_page(sc, 1, which));
		event_run(&sc->mm, &p);
	}
	plan(&p, EV_KSM, ring_page(sc, 1, 0));
	event_run(&sc->mm, &p);
}

static int setup(struct scenario *sc)
{
	unsigned long npages;
	unsigned int i;
	int ret;

	/* The idle queue only where KSM merges its rings: a shorter search. */
	sc->nvqs = sc->cfg->load == LOAD_KSM || sc->cfg->load == LOAD_MIXED ?
		   2 : 1;
	vq_layout(SCENARIO_RING, &sc->layout);
	npages = sc->layout.pages * sc->nvqs + SCENARIO_BAIT;
	ret = mm_init(&sc->mm, npages, (u32)(npages * 3 + 16));
	if (!ret)
		ret = mm_populate(&sc->mm);
	if (ret)
		return ret;
	backend_init(&sc->backend, &sc->mm, sc->cfg->gup, 1, 0);
	for (i = 0; i < sc->nvqs; i++) {
		ret = vq_setup(&sc->vqs[i], sc->cfg->strategy, SCENARIO_RING,
			       &sc->layout, i * sc->layout.pages,
			       &sc->backend, &sc->buf_base[i]);
		if (ret)
			return ret;
		sc->nvqs_ready++;
		sc->vq_ptrs[i] = &sc->vqs[i];
	}
	mm_set_devices(&sc->mm, sc->vq_ptrs, sc->nvqs, 1, sc->nvqs);
	ret = guest_init(&sc->guest, &sc->mm, sc->vqs, sc->nvqs,
			 sc->buf_base, 1, 1, 0);
	if (ret)
		return ret;
	sc->guest_ready = true;
	guest_post(&sc->guest, 0);
	if (sc->cfg->load == LOAD_KSM || sc->cfg->load == LOAD_MIXED)
		ksm_prescan(sc);
	for (i = 0; i < sc->cfg->invalidators; i++)
		plan_invalidator(sc, i);
	return 0;
}

static void worker_pass(struct scenario *sc, unsigned int budget)
{
	unsigned int i;

	for (i = 0; i < sc->nvqs; i++) {
		struct mn_vq *vq = &sc->vqs[i];

		mutex_lock(&vq->mutex);
		worker_handle_vq(vq, budget);
		mutex_unlock(&vq->mutex);
	}
	mt_set_activity("worker: idle");
	backend_quiescent(&sc->backend);
}

static void worker_main(struct scenario *sc)
{
	struct mn_vq *vq = &sc->vqs[0];
	unsigned int i;

	worker_pass(sc, SCENARIO_RING / 2);
	mutex_lock(&vq->mutex);
	mt_set_activity("worker: ring reset");
	mn_vq_reset_map(vq);
	mutex_unlock(&vq->mutex);
	worker_pass(sc, SCENARIO_RING);
	mt_set_activity("worker: teardown");
	for (i = 0; i < sc->nvqs; i++) {
		mutex_lock(&sc->vqs[i].mutex);
		mn_vq_reset_map(&sc->vqs[i]);
		mutex_unlock(&sc->vqs[i].mutex);
	}
	backend_quiescent(&sc->backend);
}

/* Kernel mm code throughout, callbacks included: all of it touches mm. */
static void invalidator_main(struct invalidator *inv)
{
	unsigned int i;
	SCHED_MODEL_SCOPE();

	for (i = 0; i < inv->nplans; i++)
		event_run(&inv->sc->mm, &inv->plan[i]);
}

/* Who a thread is: the worker, or invalidator inv. */
struct actor {
	struct scenario *sc;
	int inv;	/* -1: the worker */
};

static void actor_main(void *arg)
{
	struct actor *a = arg;

	if (a->inv < 0)
		worker_main(a->sc);
	else
		invalidator_main(&a->sc->inv[a->inv]);
}

static void teardown(struct scenario *sc, bool aborted)
{
	unsigned int i;

	if (sc->mm.pte && !aborted)
		event_child_exit(&sc->mm);
	for (i = 0; i < sc->nvqs_ready; i++)
		mn_vq_destroy(&sc->vqs[i]);
	if (sc->backend.access.mm)
		backend_destroy(&sc->backend);
	if (sc->guest_ready)
		guest_destroy(&sc->guest);
	if (sc->mm.pte)
		mm_destroy(&sc->mm);
}

/* With --find: bad only if the rule asked for broke, and it is the problem. */
static void judge_find(int find, struct explore_execution *ex)
{
	const char *trace;

	if (find == EXPLORE_FIND_STALE_WRITE) {
		trace = oracle_first_stale_write();
		ex->bad = trace[0];
		if (ex->bad)
			snprintf(ex->problem, sizeof(ex->problem),
				 "stale_access (a write): %s", trace);
		return;
	}
	ex->bad = ex->violations[find];
	/* A hang the scheduler saw has its text already, the oracle none. */
	if (ex->bad && find != V_HANG)
		snprintf(ex->problem, sizeof(ex->problem), "%s: %s",
			 violation_names[find], oracle_first_of(find));
}

/*
 * The device's release, as the module's (mnb_release_file): the worker
 * has stopped, and unregistering the notifier waited for the callbacks
 * in flight (here: every invalidator has finished); only then is each
 * vq's mapping reset and what those callbacks retired reaped. A
 * non-blockable invalidation (the OOM reaper's) can retire a mapping,
 * still pinned, after the worker's last reap: the release frees it, and
 * so the pin balance is judged after it. Nothing else runs by then, so
 * this has no scheduling point.
 */
static void device_release(struct scenario *sc)
{
	unsigned int i;

	for (i = 0; i < sc->nvqs; i++) {
		mutex_lock(&sc->vqs[i].mutex);
		mn_vq_reset_map(&sc->vqs[i]);
		mutex_unlock(&sc->vqs[i].mutex);
	}
}

/*
 * The run's liveness and balance: accesses its fast path served, and
 * pins still held once the device released every mapping (a pin it
 * never dropped is a leak, whatever else went right).
 */
static void balance(struct scenario *sc, const struct sched_result *sres,
		    struct explore_execution *ex)
{
	unsigned int i;

	for (i = 0; i < sc->nvqs; i++)
		ex->fast_accesses += sc->vqs[i].stats.map_reads +
				     sc->vqs[i].stats.map_writes;
	if (sres->deadlock || sres->step_limit)
		return;
	for (i = 0; i < sc->mm.nframes; i++)
		ex->pins_held += (u64)__atomic_load_n(&sc->mm.frames[i].pincount,
						      __ATOMIC_RELAXED);
	if (ex->pins_held && !ex->problem[0])
		snprintf(ex->problem, sizeof(ex->problem),
			 "pin_balance: %llu FOLL_PIN pins still held after the device released every mapping",
			 (unsigned long long)ex->pins_held);
}

static void judge(struct scenario *sc, const struct sched_result *sres,
		  struct explore_execution *ex)
{
	unsigned int k;

	memset(ex, 0, sizeof(*ex));
	for (k = 0; k < V_NR; k++)
		ex->violations[k] = oracle_count(k);
	snprintf(ex->first_violation, sizeof(ex->first_violation), "%s",
		 oracle_first());
	/* After an exit the buffers in flight died with the process. */
	if (!sres->deadlock && !sres->step_limit && !mm_exited(&sc->mm)) {
		while (guest_reap(&sc->guest, 0))
			;
		ex->corrupted = sc->guest.buffers.corrupted;
		ex->lost = sc->guest.outstanding;
	}
	/* A hang is a violation of its own, as in a timed run. */
	if (sres->deadlock || sres->step_limit)
		ex->violations[V_HANG]++;
	if (sres->deadlock)
		snprintf(ex->problem, sizeof(ex->problem),
			 "hang: no thread can run: %s", sres->deadlock_cycle);
	else if (sres->step_limit)
		snprintf(ex->problem, sizeof(ex->problem),
			 "hang: no end after %lu steps (a livelock)",
			 sres->steps);
	else if (oracle_total())
		snprintf(ex->problem, sizeof(ex->problem), "%s",
			 ex->first_violation);
	else if (ex->corrupted)
		snprintf(ex->problem, sizeof(ex->problem),
			 "corrupted: %s", sc->guest.first_corruption);
	else if (ex->lost)
		snprintf(ex->problem, sizeof(ex->problem),
			 "lost: %llu buffers never completed",
			 (unsigned long long)ex->lost);
	balance(sc, sres, ex);
	ex->bad = ex->problem[0];
	if (sc->cfg->find != EXPLORE_FIND_ANY)
		judge_find(sc->cfg->find, ex);
}

int explore_execute(const struct model_config *cfg,
		    const struct sched_policy *policy,
		    struct sched_result *sres, struct sched_trace *trace,
		    struct explore_execution *ex)
{
	static const char *const names[] = {
		"worker", "inval-0", "inval-1", "inval-2",
	};
	struct scenario *sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	struct actor actors[1 + EXPLORE_MAX_INVALIDATORS];
	void *args[1 + EXPLORE_MAX_INVALIDATORS];
	unsigned int i, n = 1 + cfg->invalidators;
	int ret;

	memset(sres, 0, sizeof(*sres));
	if (!sc)
		return -ENOMEM;
	sc->cfg = cfg;
	oracle_reset();
	mt_reset();
	mn_lockdep_maps_init();
	ret = setup(sc);
	if (ret)
		goto out;
	for (i = 0; i < n; i++) {
		actors[i].sc = sc;
		actors[i].inv = (int)i - 1;
		args[i] = &actors[i];
	}
	wm_begin(cfg->memory_model, n);
	sched_run(n, names, actor_main, args, policy, sres, trace);
	sres->wm_overflow = wm_end();
	if (!sres->deadlock && !sres->step_limit)
		device_release(sc);
	judge(sc, sres, ex);
out:
	teardown(sc, sres->deadlock || sres->step_limit);
	kfree(sc);
	return ret;
}
