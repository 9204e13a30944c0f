// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "module_run.h"

const char *const mnb_gup_names[MNB_GUP_NR] = {
	[MNB_GUP_PIN] = "pin",
	[MNB_GUP_GET] = "get",
	[MNB_GUP_NONE] = "none",
};

/*
 * Under KSM, the first device gets more queues that stay idle with zeroed
 * rings: its worker polls them and writes avail_event, their pages are
 * stable and identical, and ksmd goes for them, as for the idle queues of
 * a multiqueue device.
 */
#define IDLE_VQS	2

/* A device: an open /dev/mnbench with its vqs' rings. */
struct device_run {
	int fd;
	struct ring *rings;
	unsigned int nrings;	/* set up so far */
	unsigned int nidle;	/* the last ones */
	pid_t worker_pid;
	int64_t worker_cpu0;
};

/* The OOM load's owner child and what it tells this process. */
struct oom_shared {
	int setup_errno;
	bool ready;		/* set up, buffers flowing: growing now */
	u64 posted, completed, corrupted, outstanding;
	unsigned long grown_mb;
};

/* What one run holds between its steps. */
struct run {
	const struct opts *o;
	struct device_run dev[MODULE_MAX_DEVICES];
	unsigned int ndev;	/* opened */
	struct ring **active;	/* the rings the guest posts on */
	unsigned int nactive;
	struct guest g;
	struct cow_load cow;
	int keep_fd;		/* the OOM load: device 0, opened here */
	unsigned long ksm_pages;
	u64 elapsed_ns;
	bool timed_out;
	/* The kernel threads' CPU time and the worker's hardware counts. */
	pid_t ksmd_pid;
	int64_t ksmd_cpu0;			/* when the run began */
	int64_t worker_cpu_ns, ksmd_cpu_ns;	/* over it; -1: unknown */
	struct perf_counters worker_perf;
};

int module_open(const char *device)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "mnbench-module: cannot open %s: %s; is the module loaded (insmod module/mnbench.ko)?\n",
			device, strerror(errno));
	return fd;
}

/*
 * Device d with its vqs and, on the first under KSM, the idle ones; its
 * worker started. Only the first ring and the idle ones carry bait
 * pages, so 1024 queues fit a small guest. 0, or -errno.
 */
static int setup_device(struct run *rn, unsigned int d)
{
	const struct opts *o = rn->o;
	struct device_run *dv = &rn->dev[d];
	unsigned int n, i;
	int ret;

	dv->nidle = !d && load_uses_ksm(o->load) ? IDLE_VQS : 0;
	n = o->vqs + dv->nidle;
	dv->rings = calloc(n, sizeof(*dv->rings));
	if (!dv->rings)
		return -ENOMEM;
	dv->fd = !d && rn->keep_fd >= 0 ? rn->keep_fd
				       : module_open(o->device);
	if (dv->fd < 0)
		return -ENODEV;
	rn->ndev++;
	for (; dv->nrings < n; dv->nrings++) {
		i = dv->nrings;
		if (ring_init_bait(&dv->rings[i], o->num,
				   (!d && !i) || i >= o->vqs ? BAIT_PAGES : 0))
			return -ENOMEM;
		ret = -ring_setup_vq(dv->fd, &dv->rings[i], o->strategy,
				     o->gup);
		if (ret) {
			ring_free(&dv->rings[i]);
			return ret;
		}
		if (i < o->vqs)
			rn->active[rn->nactive++] = &dv->rings[i];
	}
	if (ioctl(dv->fd, MNB_IOC_START))
		return -errno;
	for (i = o->vqs; i < n; i++)
		if (madvise(dv->rings[i].mem, dv->rings[i].len,
			    MADV_MERGEABLE))
			return -errno;
	return 0;
}

static int setup_devices(struct run *rn)
{
	unsigned int d;
	int ret;

	rn->active = calloc((size_t)rn->o->vqs * rn->o->devices,
			    sizeof(*rn->active));
	if (!rn->active)
		return -ENOMEM;
	for (d = 0; d < rn->o->devices; d++) {
		ret = setup_device(rn, d);
		if (ret)
			return ret;
	}
	return 0;
}

static void stop_devices(struct run *rn)
{
	unsigned int d;

	for (d = 0; d < rn->ndev; d++)
		ioctl(rn->dev[d].fd, MNB_IOC_STOP);
}

static void free_devices(struct run *rn)
{
	unsigned int d, i;

	for (d = 0; d < rn->o->devices; d++) {
		struct device_run *dv = &rn->dev[d];

		if (d < rn->ndev)
			close(dv->fd);
		for (i = 0; i < dv->nrings; i++)
			ring_free(&dv->rings[i]);
		free(dv->rings);
	}
	free(rn->active);
}

/* A kernel thread's pid by its name, or 0. */
static pid_t kthread_pid(const char *comm)
{
	char path[64], name[32];
	struct dirent *d;
	pid_t pid = 0;
	DIR *dir;
	FILE *f;

	dir = opendir("/proc");
	if (!dir)
		return 0;
	while (!pid && (d = readdir(dir))) {
		long n = strtol(d->d_name, NULL, 10);

		if (n <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/comm", n);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f) &&
		    !strncmp(name, comm, strlen(comm)) &&
		    name[strlen(comm)] == '\n')
			pid = (pid_t)n;
		fclose(f);
	}
	closedir(dir);
	return pid;
}

/*
 * Find the kernel threads to measure; their CPU time comes from
 * schedstat. Hardware counts only for a single device's one worker.
 */
static void find_kthreads(struct run *rn)
{
	struct mnb_stats st;
	unsigned int d;

	for (d = 0; d < rn->ndev; d++) {
		if (ioctl(rn->dev[d].fd, MNB_IOC_STATS, &st))
			st.worker_pid = 0;
		rn->dev[d].worker_pid = (pid_t)st.worker_pid;
	}
	rn->ksmd_pid = load_uses_ksm(rn->o->load) ? kthread_pid("ksmd") : 0;
	perf_counters_open_hardware(&rn->worker_perf,
				    rn->ndev == 1 && rn->dev[0].worker_pid ?
				    rn->dev[0].worker_pid : -1);
}

/* CPU time since cpu0, or -1 if either reading failed. */
static int64_t cpu_since(pid_t pid, int64_t cpu0)
{
	int64_t now = task_cpu_ns(pid);

	return cpu0 < 0 || now < 0 ? -1 : now - cpu0;
}

static void workers_cpu_begin(struct run *rn)
{
	unsigned int d;

	for (d = 0; d < rn->ndev; d++)
		rn->dev[d].worker_cpu0 = task_cpu_ns(rn->dev[d].worker_pid);
}

/* Every device's worker, summed; -1 if any is unknown. */
static int64_t workers_cpu_since(const struct run *rn)
{
	int64_t sum = 0, ns;
	unsigned int d;

	for (d = 0; d < rn->ndev; d++) {
		ns = cpu_since(rn->dev[d].worker_pid, rn->dev[d].worker_cpu0);
		if (ns < 0)
			return -1;
		sum += ns;
	}
	return sum;
}

static int start_ksm(struct run *rn)
{
	int ret;

	if (!load_uses_ksm(rn->o->load))
		return 0;
	rn->ksmd_cpu0 = task_cpu_ns(rn->ksmd_pid);
	ret = ksm_start(rn->active[0]);
	if (ret) {
		fprintf(stderr, "mnbench-module: cannot drive KSM: %s\n",
			strerror(-ret));
		return 1;
	}
	rn->ksm_pages = ksm_wait_merging(rn->o->timeout_s / 2);
	return 0;
}

/* Until every buffer came back or the timeout. */
static void wait_done(struct run *rn, u64 t0)
{
	const struct opts *o = rn->o;

	while (__atomic_load_n(&rn->g.completed, __ATOMIC_RELAXED) +
	       __atomic_load_n(&rn->g.corrupted, __ATOMIC_RELAXED) < o->buffers &&
	       !__atomic_load_n(&rn->g.failed, __ATOMIC_ACQUIRE)) {
		if (now_ns() - t0 > (u64)(o->timeout_s * 1e9)) {
			rn->timed_out = true;
			break;
		}
		usleep(1000);
	}
}

/* The guest and the load, while the worker runs; 0, or 1 after saying why. */
static int drive(struct run *rn)
{
	u64 t0;

	if (start_ksm(rn))
		return 1;
	workers_cpu_begin(rn);
	perf_counters_start(&rn->worker_perf);
	t0 = now_ns();
	rn->g.zap = rn->o->load == LOAD_ZAP;
	if (guest_start(&rn->g, rn->active, rn->nactive, rn->o->buffers)) {
		fprintf(stderr, "mnbench-module: cannot start the guest thread\n");
		return 1;
	}
	if (load_uses_cow(rn->o->load) &&
	    cow_start(&rn->cow, rn->active[0], rn->dev[0].fd)) {
		fprintf(stderr, "mnbench-module: cannot start the COW thread\n");
		guest_stop(&rn->g);
		return 1;
	}
	wait_done(rn, t0);
	rn->elapsed_ns = now_ns() - t0;
	perf_counters_stop(&rn->worker_perf);
	rn->worker_cpu_ns = workers_cpu_since(rn);
	rn->ksmd_cpu_ns = cpu_since(rn->ksmd_pid, rn->ksmd_cpu0);
	cow_stop(&rn->cow);
	guest_stop(&rn->g);
	if (rn->g.failed) {
		fprintf(stderr, "mnbench-module: the guest thread has no memory for its rings\n");
		return 1;
	}
	return 0;
}

static u64 max_u64(u64 a, u64 b)
{
	return a > b ? a : b;
}

static int get_hist(int fd, enum mnb_hist which, struct histogram *h)
{
	static u64 buckets[HIST_NR_BUCKETS];
	struct mnb_hist_req req = {
		.which = which,
		.nbuckets = HIST_NR_BUCKETS,
		.buckets = (u64)(unsigned long)buckets,
	};
	unsigned int i;

	if (ioctl(fd, MNB_IOC_HIST, &req))
		return -errno;
	hist_init(h);
	/* Bucket bounds stand in for values; min and max stay coarse. */
	for (i = 0; i < req.nbuckets; i++)
		hist_record_n(h, hist_bucket_upper(i) == ~0ull ?
			      hist_bucket_lower(i) : hist_bucket_upper(i),
			      buckets[i]);
	return 0;
}

/*
 * Another device's ring accesses, and what its notifier saw: every
 * device sees every invalidation, so those are counted once, and of the
 * ones that hit a ring, the most any one device saw (which ones hit two
 * devices' rings no device knows).
 */
static void add_device(int fd, struct result *res)
{
	struct histogram h;
	struct mnb_stats st;
	int i;

	if (ioctl(fd, MNB_IOC_STATS, &st))
		return;
	res->st.map_reads += st.map_reads;
	res->st.map_writes += st.map_writes;
	res->st.fallbacks += st.fallbacks;
	res->st.retries += st.retries;
	res->st.remaps += st.remaps;
	res->st.overlapping_calls = max_u64(res->st.overlapping_calls,
					    st.overlapping_calls);
	res->st.bad_heads += st.bad_heads;
	res->st.worker_errors += st.worker_errors;
	res->st.pin_failures += st.pin_failures;
	res->st.stopped_vqs += st.stopped_vqs;
	res->st.stale_compared += st.stale_compared;
	res->st.stale_reads += st.stale_reads;
	res->st.stale_writes += st.stale_writes;
	res->st.nonblock_starts += st.nonblock_starts;
	res->st.refused_starts += st.refused_starts;
	if (!res->st.stop_reason)
		res->st.stop_reason = st.stop_reason;
	for (i = 0; i < MNB_HIST_NR; i++)
		if (!get_hist(fd, i, &h))
			hist_merge(&res->h[i], &h);
}

/* The module's counters and histograms, and what the guest saw. */
static void collect(const struct run *rn, struct result *res)
{
	unsigned int d;
	int i;

	if (ioctl(rn->dev[0].fd, MNB_IOC_STATS, &res->st))
		perror("mnbench-module: stats");
	for (i = 0; i < MNB_HIST_NR; i++)
		get_hist(rn->dev[0].fd, i, &res->h[i]);
	for (d = 1; d < rn->ndev; d++)
		add_device(rn->dev[d].fd, res);
	res->idle_vqs = rn->dev[0].nidle;
	res->vqs = rn->o->vqs;		/* per device, as named */
	res->devices = rn->ndev;
	res->posted = rn->g.posted;
	res->completed = rn->g.completed;
	res->lost = rn->g.outstanding;
	res->corrupted = rn->g.corrupted;
	res->forks = rn->cow.forks;
	res->zaps = rn->g.zaps;
	res->ksm_pages = rn->ksm_pages;
	res->elapsed_s = rn->elapsed_ns / 1e9;
	res->timed_out = rn->timed_out;
	res->worker_cpu_ns = rn->worker_cpu_ns;
	res->ksmd_cpu_ns = rn->ksmd_cpu_ns;
	res->cow_cpu_ns = rn->cow.cpu_ns;
	res->worker_perf = rn->worker_perf;
}

/*
 * The OOM load. The owner of the device is a child that set it up on a
 * file this process opened and keeps: the child posts buffers, then grows
 * its memory until the global OOM killer picks it (its oom_score_adj is
 * 1000, this process's -1000). It dies with the worker still holding its
 * mm (the worker stops only when the file is released), so the reaper,
 * which 6.1 queues 2 s after the kill (OOM_REAPER_DELAY), finds a live mm
 * and runs __oom_reap_task_mm over it: non-blockable ranges, the rings
 * among them. This process then reads STATS and HIST, as any holder of
 * the file may. Every wait is bounded by --timeout.
 */
#define OOM_CHUNK	(4ul << 20)
#define OOM_BALLOON	(32ul << 20)
/* After the kill: the reaper's delay and its retries, with room on TCG. */
#define OOM_REAP_WAIT_S	15
/* Once the reaper reached the notifier: its retries (10 x 100 ms). */
#define OOM_RETRY_WAIT_S	3

static int oom_score_adj(const char *v)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, v, strlen(v)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static void oom_publish(struct oom_shared *sh, const struct guest *g)
{
	__atomic_store_n(&sh->posted, g->posted, __ATOMIC_RELAXED);
	__atomic_store_n(&sh->completed, g->completed, __ATOMIC_RELAXED);
	__atomic_store_n(&sh->corrupted, g->corrupted, __ATOMIC_RELAXED);
	__atomic_store_n(&sh->outstanding, g->outstanding, __ATOMIC_RELAXED);
}

/* Allocate and touch memory until killed; exit 3 at the deadline. */
static void oom_grow(struct run *rn, struct oom_shared *sh, u64 until)
{
	__atomic_store_n(&sh->ready, true, __ATOMIC_RELEASE);
	for (;;) {
		void *p = mmap(NULL, OOM_CHUNK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
			       -1, 0);

		if (p == MAP_FAILED)
			usleep(10000);
		else
			sh->grown_mb += OOM_CHUNK >> 20;
		oom_publish(sh, &rn->g);
		if (now_ns() > until)
			_exit(3);
	}
}

/* The owner: set up, post buffers, grow; never returns. */
static void oom_child(struct run *rn, struct oom_shared *sh)
{
	const struct opts *o = rn->o;
	u64 t0 = now_ns(), until = t0 + (u64)(o->timeout_s * 1e9);
	int ret;

	ret = oom_score_adj("1000");
	if (!ret)
		ret = setup_devices(rn);
	if (ret) {
		sh->setup_errno = -ret;
		_exit(1);
	}
	/* Buffers flow until the kill: the worker is inside its accesses. */
	if (guest_start(&rn->g, rn->active, rn->nactive, ~0ul >> 1))
		_exit(1);
	while (__atomic_load_n(&rn->g.completed, __ATOMIC_RELAXED) <
	       o->buffers && !__atomic_load_n(&rn->g.failed, __ATOMIC_ACQUIRE)
	       && now_ns() < until) {
		oom_publish(sh, &rn->g);
		usleep(1000);
	}
	if (rn->g.failed)
		_exit(1);
	oom_grow(rn, sh, until);
}

/*
 * The child's death, by the deadline; whether the OOM killer ended it.
 * It stays a zombie (WNOWAIT) until the reaper ran: while the victim is
 * there, the OOM killer waits for it instead of killing another task
 * (its memory stays held until the reaper or the file's release frees
 * it). The balloon, freed at the death, is room for everything else.
 */
static bool oom_wait_child(struct run *rn, pid_t pid, u64 until,
			   void *balloon)
{
	siginfo_t si;
	int r;

	for (;;) {
		memset(&si, 0, sizeof(si));
		r = waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT);
		if (r || si.si_pid == pid || now_ns() > until)
			break;
		usleep(10000);
	}
	munmap(balloon, OOM_BALLOON);
	if (!r && si.si_pid == pid)
		return si.si_code == CLD_KILLED && si.si_status == SIGKILL;
	rn->timed_out = true;
	kill(pid, SIGKILL);
	return false;
}

/* Until the reaper reached the notifier and finished, or the deadline. */
static void oom_wait_reaper(int fd)
{
	u64 until = now_ns() + OOM_REAP_WAIT_S * 1000000000ull;
	struct mnb_stats st;

	while (now_ns() < until) {
		if (ioctl(fd, MNB_IOC_STATS, &st))
			return;
		if (st.nonblock_starts) {
			sleep(OOM_RETRY_WAIT_S);
			return;
		}
		usleep(100000);
	}
}

/* What the parent reports: the module's counts, the child's buffers. */
static void oom_collect(struct run *rn, const struct oom_shared *sh,
			bool killed, struct result *res)
{
	unsigned int i;

	for (i = 0; i < PC_NR; i++)
		rn->worker_perf.open_errno[i] = ENOENT;
	rn->worker_cpu_ns = rn->ksmd_cpu_ns = rn->cow.cpu_ns = -1;
	collect(rn, res);
	res->vqs = rn->o->vqs;
	res->posted = sh->posted;
	res->completed = sh->completed;
	res->corrupted = sh->corrupted;
	res->lost = 0;		/* the owner died with them: not lost */
	res->oom_kills = killed;
	res->oom_grown_mb = sh->grown_mb;
}

/* The OOM load's run: 0 with res filled, 1 if it failed. */
static int oom_run(struct run *rn, struct result *res)
{
	struct oom_shared *sh;
	void *balloon;
	bool killed;
	u64 t0;
	pid_t pid;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	balloon = mmap(NULL, OOM_BALLOON, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	/* The child must not hold the balloon's pages too. */
	if (sh == MAP_FAILED || balloon == MAP_FAILED ||
	    madvise(balloon, OOM_BALLOON, MADV_DONTFORK) ||
	    oom_score_adj("-1000")) {
		fprintf(stderr, "mnbench-module: the oom load needs shared memory and /proc/self/oom_score_adj (root)\n");
		return 1;
	}
	rn->keep_fd = rn->dev[0].fd = module_open(rn->o->device);
	if (rn->keep_fd < 0)
		return 1;
	t0 = now_ns();
	pid = fork();
	if (pid == 0)
		oom_child(rn, sh);
	if (pid < 0) {
		close(rn->keep_fd);
		return 1;
	}
	killed = oom_wait_child(rn, pid,
				t0 + (u64)((rn->o->timeout_s + 5) * 1e9),
				balloon);
	rn->elapsed_ns = now_ns() - t0;
	res->setup_errno = sh->setup_errno;
	if (!res->setup_errno && killed)
		oom_wait_reaper(rn->keep_fd);
	if (!res->setup_errno)
		oom_collect(rn, sh, killed, res);
	res->elapsed_s = rn->elapsed_ns / 1e9;
	close(rn->keep_fd);
	waitpid(pid, NULL, 0);
	munmap(sh, sizeof(*sh));
	return 0;
}

int module_run(const struct opts *o, struct result *res)
{
	struct run rn = { .o = o, .keep_fd = -1 };
	int ret = 1, fd;

	if (o->load == LOAD_OOM)
		return oom_run(&rn, res);

	/* A missing device is said once, apart from a refused vq. */
	fd = module_open(o->device);
	if (fd < 0)
		return EXIT_NO_DEVICE;
	close(fd);
	res->setup_errno = -setup_devices(&rn);
	if (res->setup_errno)
		goto stop;
	find_kthreads(&rn);
	ret = drive(&rn);
	perf_counters_close(&rn.worker_perf);
	stop_devices(&rn);
	ksm_restore();
	if (!ret)
		collect(&rn, res);
stop:
	stop_devices(&rn);
	free_devices(&rn);
	return ret;
}
