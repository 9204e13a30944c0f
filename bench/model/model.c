// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>

#include "backend.h"
#include "host_rcu.h"
#include "vq/vring.h"
#include "guest.h"
#include "model.h"
#include "thread.h"
#include "vq/vq_access.h"
#include "worker.h"

enum role { ROLE_WORKER, ROLE_GUEST, ROLE_INVALIDATOR };

struct run;

struct run_thread {
	struct run *run;
	enum role role;
	char name[24];
	struct event_gen gen;	/* invalidators */
	pthread_t tid;
	bool started;
	bool exited;		/* atomic */
};

struct run {
	const struct model_config *cfg;
	struct mm mm;
	struct backend backend;
	struct mn_vq *vqs;
	struct mn_vq **vq_ptrs;
	unsigned long *buf_base;
	unsigned int nvqs_ready;
	unsigned int nvqs;		/* active and idle */
	struct guest guest;
	struct worker worker;
	struct run_thread *threads;	/* worker, guest, invalidators */
	unsigned int nthreads;
	bool stop_load;			/* atomic */
	bool aborted;
	u64 worker_stall_ns;
	u64 worker_life_ns;
	int64_t worker_cpu_ns;
	struct perf_counters worker_perf;
	pthread_mutex_t lat_lock;
	struct mt_latency lat;
};

static unsigned long pages_for(unsigned long bytes)
{
	return (bytes + MM_PAGE_SIZE - 1) >> MM_PAGE_SHIFT;
}

void vq_layout(unsigned int num, struct vq_layout *l)
{
	l->desc_pages = pages_for(mn_vring_desc_size(num));
	l->avail_pages = pages_for(mn_vring_avail_size(num));
	l->used_pages = pages_for(mn_vring_used_size(num));
	l->buf_pages = pages_for((unsigned long)MN_BUF_SIZE * num);
	l->pages = l->desc_pages + l->avail_pages + l->used_pages +
		   l->buf_pages;
}

int vq_setup(struct mn_vq *vq, const struct mn_strategy *s, unsigned int num,
	     const struct vq_layout *l, unsigned long base, void *backend,
	     unsigned long *buf_base)
{
	unsigned long avail = base + l->desc_pages;
	unsigned long used = avail + l->avail_pages;
	int ret;

	ret = mn_vq_init(vq, s, num, mm_page_addr(base), mm_page_addr(avail),
			 mm_page_addr(used), MM_PAGE_SIZE);
	vq->backend = backend;
	*buf_base = mm_page_addr(used + l->used_pages);
	/* Its notifier, in the mm's tree, which frees it with the mm. */
	if (!ret && s->interval_invalidate)
		ret = mm_itree_insert(&vq_access_of(vq)->mm->itree, vq);
	return ret;
}

static void latency_init(struct mt_latency *lat)
{
	hist_init(&lat->start_ns);
	hist_init(&lat->end_ns);
	hist_init(&lat->inval_range_ns);
	hist_init(&lat->total_ns);
	hist_init(&lat->notifier_ns);
	hist_init(&lat->notifier_hit_ns);
	hist_init(&lat->notifier_wait_ns);
}

static void latency_merge(struct mt_latency *dst, const struct mt_latency *src)
{
	hist_merge(&dst->start_ns, &src->start_ns);
	hist_merge(&dst->end_ns, &src->end_ns);
	hist_merge(&dst->inval_range_ns, &src->inval_range_ns);
	hist_merge(&dst->total_ns, &src->total_ns);
	hist_merge(&dst->notifier_ns, &src->notifier_ns);
	hist_merge(&dst->notifier_hit_ns, &src->notifier_hit_ns);
	hist_merge(&dst->notifier_wait_ns, &src->notifier_wait_ns);
}

static void sleep_ns(u64 ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };

	nanosleep(&ts, NULL);
}

static void invalidator_run(struct run_thread *rt)
{
	struct run *run = rt->run;
	u64 period = run->cfg->rate ? 1000000000ull / run->cfg->rate : 0;
	u64 next = ktime_get_ns(), now;
	struct event_plan plan;

	/* Pauses of microseconds, not the default 50 us of timer slack. */
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);

	while (!__atomic_load_n(&run->stop_load, __ATOMIC_ACQUIRE)) {
		event_plan_next(&rt->gen, &plan);
		event_run(&run->mm, &plan);
		if (!period)
			continue;
		next += period;
		now = ktime_get_ns();
		if (next > now)
			sleep_ns(next - now < 1000000 ? next - now : 1000000);
		else if (now - next > 100 * period)
			next = now;	/* no burst after a long stall */
	}
}

static void pin_role(const struct placement *p, enum role role)
{
	if (!p)
		return;
	placement_pin_self(p, role == ROLE_WORKER ? &p->worker :
			      role == ROLE_GUEST ? &p->guest : &p->invalidators);
}

static void *thread_main(void *arg)
{
	struct run_thread *rt = arg;
	struct run *run = rt->run;
	struct mt_latency *lat = kzalloc(sizeof(*lat), GFP_KERNEL);
	struct model_thread *t = mt_register(rt->name);
	u64 t0 = ktime_get_ns();
	int64_t cpu0 = -1;

	if (!t || !lat)
		goto out;
	latency_init(lat);
	t->lat = lat;
	pin_role(run->cfg->placement, rt->role);
	/* Outside the abort jump: a hung run must not leak the counters. */
	if (rt->role == ROLE_WORKER) {
		cpu0 = thread_cpu_ns();
		perf_counters_open_hardware(&run->worker_perf, 0);
		perf_counters_start(&run->worker_perf);
	}
	t->abort_armed = true;
	if (!setjmp(t->abort_jmp)) {
		switch (rt->role) {
		case ROLE_WORKER:
			worker_run(&run->worker);
			worker_teardown(&run->worker);
			break;
		case ROLE_GUEST:
			guest_run(&run->guest);
			break;
		case ROLE_INVALIDATOR:
			invalidator_run(rt);
			break;
		}
	}
	t->lat = NULL;
	if (rt->role == ROLE_WORKER) {
		perf_counters_stop(&run->worker_perf);
		perf_counters_close(&run->worker_perf);
		run->worker_cpu_ns = cpu0 < 0 ? -1 : thread_cpu_ns() - cpu0;
	}
	pthread_mutex_lock(&run->lat_lock);
	latency_merge(&run->lat, lat);
	if (rt->role == ROLE_WORKER) {
		/* Both over the worker's whole life: the share stays in [0, 1]. */
		run->worker_stall_ns = t->wait_ns;
		run->worker_life_ns = ktime_get_ns() - t0;
	}
	pthread_mutex_unlock(&run->lat_lock);
out:
	kfree(lat);
	mt_unregister();
	__atomic_store_n(&rt->exited, true, __ATOMIC_RELEASE);
	return NULL;
}

static void stop_everything(struct run *run)
{
	__atomic_store_n(&run->stop_load, true, __ATOMIC_RELEASE);
	__atomic_store_n(&run->guest.stop, true, __ATOMIC_RELEASE);
	__atomic_store_n(&run->worker.stop, true, __ATOMIC_RELEASE);
}

/* Sleep a tick and let the watchdog look; false once the run is aborted. */
/*
 * How long a wait or a stalled drain may last: --hang-ms, or 100 ms once
 * the oracle has found the run unsafe (a lock order broken first is the
 * deadlock that follows; lost buffers only confirm it): waiting longer
 * would change no verdict, and cost the suite seconds per case.
 */
static u64 stall_limit_ns(unsigned int ms)
{
	return (u64)(oracle_total() && ms > 100 ? 100 : ms) * 1000000;
}

static bool tick(struct run *run)
{
	sleep_ns(5000000);
	if (!run->aborted &&
	    oracle_watchdog(stall_limit_ns(run->cfg->hang_ms))) {
		run->aborted = true;
		mt_abort_all();
		stop_everything(run);
	}
	return !run->aborted;
}

static void wait_exited(struct run *run, unsigned int from, unsigned int to)
{
	unsigned int i;

	for (i = from; i < to; i++)
		while (run->threads[i].started &&
		       !__atomic_load_n(&run->threads[i].exited,
					__ATOMIC_ACQUIRE))
			tick(run);
}

/* Worker, guest, then the invalidators, each with its own event stream. */
static int setup_threads(struct run *run, const struct model_config *cfg,
			 unsigned long pages_per_vq)
{
	unsigned int i;

	run->nthreads = 2 + cfg->invalidators;
	run->threads = kcalloc(run->nthreads, sizeof(*run->threads),
			       GFP_KERNEL);
	if (!run->threads)
		return -ENOMEM;
	for (i = 0; i < run->nthreads; i++) {
		struct run_thread *rt = &run->threads[i];

		rt->run = run;
		rt->role = i == 0 ? ROLE_WORKER : i == 1 ? ROLE_GUEST
							 : ROLE_INVALIDATOR;
		if (rt->role == ROLE_INVALIDATOR) {
			snprintf(rt->name, sizeof(rt->name), "inval-%u", i - 2);
			event_gen_init(&rt->gen, cfg->seed * 0x100000001b3ull + i,
				       cfg->load, model_active_vqs(cfg),
				       pages_per_vq,
				       cfg->pages, cfg->window_us * 1000,
				       run->mm.npages);
		} else {
			snprintf(rt->name, sizeof(rt->name), "%s",
				 i == 0 ? "worker" : "guest");
		}
	}
	return 0;
}

/* The address space: every vq's rings and buffers, then the bait. */
static int setup_mm(struct run *run, const struct vq_layout *l)
{
	unsigned long npages = l->pages * run->nvqs + MODEL_BAIT_PAGES, p;
	int ret;

	ret = mm_init(&run->mm, npages, (u32)(npages * 4 + 1024));
	if (!ret)
		ret = mm_populate(&run->mm);
	for (p = npages - MODEL_BAIT_PAGES; !ret && p < npages; p++)
		memset(run->mm.frames[pte_frame(mm_pte(&run->mm, p))].data,
		       0x5a, MM_PAGE_SIZE);
	return ret;
}

static int setup(struct run *run, const struct model_config *cfg)
{
	unsigned int num = cfg->ring_size, i, idle;
	struct vq_layout l;
	unsigned long ppv;
	int ret;

	idle = cfg->idle_vqs >= 0 ? (unsigned int)cfg->idle_vqs :
	       cfg->load == LOAD_KSM || cfg->load == LOAD_MIXED ? 2 : 0;
	run->nvqs = model_active_vqs(cfg) + idle;
	vq_layout(num, &l);
	ppv = l.pages;
	ret = setup_mm(run, &l);
	if (ret)
		return ret;
	backend_init(&run->backend, &run->mm, cfg->gup, cfg->seed,
		     cfg->worker_window_us * 1000);
	run->vqs = kcalloc(run->nvqs, sizeof(*run->vqs), GFP_KERNEL);
	run->vq_ptrs = kcalloc(run->nvqs, sizeof(*run->vq_ptrs), GFP_KERNEL);
	run->buf_base = kcalloc(run->nvqs, sizeof(*run->buf_base), GFP_KERNEL);
	run->worker.next_reset = kcalloc(run->nvqs, sizeof(u64), GFP_KERNEL);
	if (!run->vqs || !run->vq_ptrs || !run->buf_base ||
	    !run->worker.next_reset)
		return -ENOMEM;
	for (i = 0; i < run->nvqs; i++) {
		ret = vq_setup(&run->vqs[i], cfg->strategy, num, &l, i * ppv,
			       &run->backend, &run->buf_base[i]);
		if (ret)
			return ret;
		run->nvqs_ready++;
		run->vq_ptrs[i] = &run->vqs[i];
	}
	/* The idle queues belong to the last device. */
	mm_set_devices(&run->mm, run->vq_ptrs, run->nvqs, cfg->devices,
		       cfg->vqs);
	/* The idle queues wake one by one over the measured period. */
	ret = guest_init(&run->guest, &run->mm, run->vqs, run->nvqs,
			 run->buf_base, cfg->seed, model_active_vqs(cfg),
			 (u64)(cfg->seconds * 1e9) / (idle + 1));
	if (ret)
		return ret;
	run->worker.vqs = run->vqs;
	run->worker.nvqs = run->nvqs;
	run->worker.backend = &run->backend;
	run->worker.remap_ms = cfg->remap_ms;
	return setup_threads(run, cfg, ppv);
}

static void teardown(struct run *run)
{
	unsigned int i;

	/* After an abort, locks may be held by threads that unwound. */
	if (run->mm.pte && !run->aborted)
		event_child_exit(&run->mm);
	for (i = 0; i < run->nvqs_ready; i++)
		mn_vq_destroy(&run->vqs[i]);
	if (run->backend.access.mm)
		backend_destroy(&run->backend);
	guest_destroy(&run->guest);
	if (run->mm.pte)
		mm_destroy(&run->mm);
	kfree(run->vqs);
	kfree(run->vq_ptrs);
	kfree(run->buf_base);
	kfree(run->worker.next_reset);
	kfree(run->threads);
	pthread_mutex_destroy(&run->lat_lock);
}

static void collect(struct run *run, struct model_result *res, u64 outstanding)
{
	unsigned int i, k;

	for (k = 0; k < V_NR; k++) {
		res->violations[k] = oracle_count(k);
		snprintf(res->first_of[k], sizeof(res->first_of[k]), "%s",
			 oracle_first_of(k));
	}
	for (k = 0; k < ORACLE_CYCLES; k++)
		snprintf(res->lock_cycles[k], sizeof(res->lock_cycles[k]),
			 "%s", oracle_cycle(k));
	snprintf(res->first_stale_write, sizeof(res->first_stale_write), "%s",
		 oracle_first_stale_write());
	snprintf(res->first_violation, sizeof(res->first_violation), "%s",
		 oracle_first());
	res->buffers = run->guest.buffers;
	/* Buffers in flight when the process exited died with it. */
	if (run->aborted || mm_exited(&run->mm))
		res->buffers.in_flight = outstanding;
	else
		res->buffers.lost = outstanding;
	snprintf(res->first_corruption, sizeof(res->first_corruption), "%s",
		 run->guest.first_corruption);
	res->aborted = run->aborted;
	res->worker_stall_ns = run->worker_stall_ns;
	res->worker_life_ns = run->worker_life_ns;
	res->worker_cpu_ns = run->worker_cpu_ns;
	res->worker_perf = run->worker_perf;
	res->mm = run->mm.stats;
	for (i = 0; i < run->nvqs; i++) {
		const struct mn_vq_stats *s = &run->vqs[i].stats;

		res->vq.map_reads += s->map_reads;
		res->vq.map_writes += s->map_writes;
		res->vq.fallbacks += s->fallbacks;
		res->vq.retries += s->retries;
		res->vq.remaps += s->remaps;
		res->vq.bad_heads += s->bad_heads;
	}
	res->start_ns = run->lat.start_ns;
	res->end_ns = run->lat.end_ns;
	res->inval_range_ns = run->lat.inval_range_ns;
	res->total_ns = run->lat.total_ns;
	res->notifier_ns = run->lat.notifier_ns;
	res->notifier_hit_ns = run->lat.notifier_hit_ns;
	res->notifier_wait_ns = run->lat.notifier_wait_ns;
	res->schedule_digest = 0xcbf29ce484222325ull;
	res->schedule_digest_valid = run->cfg->invalidators > 0;
	for (i = 2; i < run->nthreads; i++) {
		const struct event_gen *g = &run->threads[i].gen;

		res->events += g->index;
		if (g->index < EVENT_DIGEST_PLANS)
			res->schedule_digest_valid = false;
		res->schedule_digest = (res->schedule_digest ^ g->digest) *
				       0x100000001b3ull;
	}
	res->safe = !oracle_total() && !res->buffers.lost &&
		    !res->buffers.corrupted;
}

/* Where the first vq with lost buffers stands: who did not see what. */
static void describe_lost(struct run *run, struct model_result *res)
{
	unsigned int i;
	u16 avail, used;

	for (i = 0; i < run->nvqs; i++) {
		const struct mn_vq *vq = &run->vqs[i];

		if (mm_access(&run->mm, vq->avail +
			      offsetof(struct mn_vring_avail, idx), &avail,
			      sizeof(avail), false) ||
		    mm_access(&run->mm, vq->used +
			      offsetof(struct mn_vring_used, idx), &used,
			      sizeof(used), false))
			continue;
		if (avail == vq->last_avail_idx && used == vq->last_used_idx)
			continue;
		snprintf(res->lost_detail, sizeof(res->lost_detail),
			 "vq %u: avail idx %u, worker consumed up to %u; worker published %u, used idx in memory %u",
			 i, avail, vq->last_avail_idx, vq->last_used_idx, used);
		return;
	}
	snprintf(res->lost_detail, sizeof(res->lost_detail),
		 "every ring is consumed and published: the guest did not reap in time");
}

/* The kernel's grace period where the host can lend it (see host_rcu.h). */
bool model_rcu_grace_period(const struct model_config *cfg, char *buf,
			    size_t len)
{
	char why[96] = "not asked for";
	bool on = cfg->rcu_host_gp && host_rcu_probe(why, sizeof(why));

	if (on)
		snprintf(buf, len,
			 "model readers, then the host kernel's (membarrier)");
	else
		snprintf(buf, len, "model readers only (host grace period: %s)",
			 why);
	return on;
}

static void use_host_rcu(const struct model_config *cfg,
			 struct model_result *res)
{
	host_rcu_enable(model_rcu_grace_period(cfg, res->rcu_grace_period,
					       sizeof(res->rcu_grace_period)));
}

/* Start the threads; the load only once the device is set up. */
static int start_threads(struct run *run)
{
	unsigned int i;

	for (i = 0; i < run->nthreads; i++) {
		/* Load starts once the device is set up, as on a real host. */
		while (i == 2 && !__atomic_load_n(&run->worker.ready,
						  __ATOMIC_ACQUIRE) &&
		       !__atomic_load_n(&run->threads[0].exited,
					__ATOMIC_ACQUIRE) && tick(run))
			;
		if (pthread_create(&run->threads[i].tid, NULL, thread_main,
				   &run->threads[i])) {
			stop_everything(run);
			return -EAGAIN;
		}
		run->threads[i].started = true;
	}
	return 0;
}

/*
 * Drain: no new buffers, wait while completions keep coming. A stall
 * shorter than the watchdog's limit must not pass for lost buffers.
 */
static void drain(struct run *run, const struct model_config *cfg)
{
	u64 last = ~0ull, last_change, limit_ns;

	limit_ns = stall_limit_ns(cfg->drain_ms > cfg->hang_ms + 500 ?
					cfg->drain_ms : cfg->hang_ms + 500);
	__atomic_store_n(&run->guest.stop_posting, true, __ATOMIC_RELEASE);
	/* A batch posted after a zero count was read would pass for lost. */
	while (!__atomic_load_n(&run->guest.posting_stopped,
				__ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&run->threads[1].exited, __ATOMIC_ACQUIRE) &&
	       tick(run))
		;
	last_change = ktime_get_ns();
	while (__atomic_load_n(&run->guest.outstanding, __ATOMIC_RELAXED) &&
	       tick(run)) {
		u64 p = __atomic_load_n(&run->guest.progress, __ATOMIC_RELAXED);

		if (p != last) {
			last = p;
			last_change = ktime_get_ns();
		} else if (ktime_get_ns() - last_change > limit_ns) {
			break;
		}
	}
}

/* The measured part: start, run for cfg->seconds, stop the load, drain. */
static int measure(struct run *run, const struct model_config *cfg,
		   struct model_result *res)
{
	u64 t0, t_stop, done_at_start, done_at_stop;
	unsigned int i;
	int ret;

	/*
	 * The clock starts with the load: the worker's first mapping of
	 * every vq (a third of a second at 1024 vqs) is set-up, not the run.
	 */
	ret = start_threads(run);
	t0 = ktime_get_ns();
	done_at_start = __atomic_load_n(&run->guest.progress, __ATOMIC_RELAXED);
	while (!ret && ktime_get_ns() - t0 < (u64)(cfg->seconds * 1e9) &&
	       !(cfg->stop_on_violation && oracle_total()) && tick(run))
		;
	t_stop = ktime_get_ns();
	done_at_stop = __atomic_load_n(&run->guest.progress, __ATOMIC_RELAXED);
	__atomic_store_n(&run->stop_load, true, __ATOMIC_RELEASE);
	wait_exited(run, 2, run->nthreads);
	/*
	 * A run stopped at its first violation has nothing to wait for, nor
	 * has a process that exited.
	 */
	if (!(cfg->stop_on_violation && oracle_total()) &&
	    !mm_exited(&run->mm))
		drain(run, cfg);
	stop_everything(run);
	wait_exited(run, 0, run->nthreads);
	for (i = 0; i < run->nthreads; i++)
		if (run->threads[i].started)
			pthread_join(run->threads[i].tid, NULL);

	res->elapsed_s = (double)(t_stop - t0) / 1e9;
	res->ops_per_sec = res->elapsed_s > 0 ?
			   (done_at_stop - done_at_start) / res->elapsed_s : 0;
	collect(run, res, run->guest.outstanding);
	res->host_grace_periods = host_rcu_waits();
	if (res->buffers.lost)
		describe_lost(run, res);
	return ret;
}

int model_run(const struct model_config *cfg_in, struct model_result *res)
{
	struct model_config cfg = *cfg_in;
	struct run *run;
	bool registered = false;
	int ret;

	model_config_settle(&cfg);
	if (cfg.explore || model_config_check(&cfg))
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	res->cfg = cfg;
	/* struct mm keeps its PTL on a cache line of its own. */
	run = aligned_alloc(_Alignof(struct run), sizeof(*run));
	if (!run)
		return -ENOMEM;
	memset(run, 0, sizeof(*run));
	run->cfg = &res->cfg;
	pthread_mutex_init(&run->lat_lock, NULL);
	latency_init(&run->lat);
	oracle_reset();
	mt_reset();
	if (!mt_self) {
		if (!mt_register("main")) {
			ret = -EBUSY;
			goto out;
		}
		registered = true;
	}
	mn_lockdep_maps_init();
	ret = setup(run, &res->cfg);
	if (ret)
		goto out;
	use_host_rcu(&res->cfg, res);
	res->cfg.idle_vqs = run->nvqs - model_active_vqs(&res->cfg);
	ret = measure(run, &res->cfg, res);
out:
	host_rcu_enable(false);
	teardown(run);
	if (registered)
		mt_unregister();
	free(run);
	return ret;
}
