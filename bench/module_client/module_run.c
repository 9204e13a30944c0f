// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "module_run.h"

const char *const mnb_gup_names[MNB_GUP_NR] = {
	[MNB_GUP_PIN] = "pin",
	[MNB_GUP_GET] = "get",
	[MNB_GUP_NONE] = "none",
};

/*
 * Under KSM, more queues of the same device model (one fd each, as one
 * /dev/mnbench holds one vq) stay idle with zeroed rings: their workers
 * poll them and write avail_event, their pages are stable and identical,
 * and ksmd goes for them, as for the idle queues of a multiqueue device.
 */
#define IDLE_VQS	2

struct idle_vq {
	int fd;
	struct ring r;
};

/* What one run holds between its steps. */
struct run {
	const struct opts *o;
	int fd;
	struct ring r;
	struct idle_vq idle[IDLE_VQS];
	unsigned int nidle;
	struct guest g;
	struct cow_load cow;
	unsigned long ksm_pages;
	u64 elapsed_ns;
	bool timed_out;
	/* The kernel threads' CPU time and the worker's hardware counts. */
	pid_t worker_pid, ksmd_pid;
	int64_t worker_cpu0, ksmd_cpu0;		/* when the run began */
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

/* Hand a ring to the module and start its worker; 0, or -errno. */
static int setup_ring(const struct opts *o, int fd, const struct ring *r)
{
	struct mnb_setup su = { 0 };

	su.desc = (u64)(unsigned long)r->desc;
	su.avail = (u64)(unsigned long)r->avail;
	su.used = (u64)(unsigned long)r->used;
	su.num = o->num;
	su.flags = o->gup;
	snprintf(su.strategy, sizeof(su.strategy), "%s", o->strategy);
	if (ioctl(fd, MNB_IOC_SETUP, &su) || ioctl(fd, MNB_IOC_START))
		return -errno;
	return 0;
}

/* The idle queues KSM meets; 0, or -errno (they are stopped by then). */
static int setup_idle(struct run *rn)
{
	struct idle_vq *iv;
	int ret;

	if (!load_uses_ksm(rn->o->load))
		return 0;
	for (; rn->nidle < IDLE_VQS; rn->nidle++) {
		iv = &rn->idle[rn->nidle];
		iv->fd = module_open(rn->o->device);
		if (iv->fd < 0)
			return -ENODEV;
		if (ring_init(&iv->r, rn->o->num)) {
			close(iv->fd);
			return -ENOMEM;
		}
		ret = setup_ring(rn->o, iv->fd, &iv->r);
		if (!ret && madvise(iv->r.mem, iv->r.len, MADV_MERGEABLE))
			ret = -errno;
		if (ret) {
			ring_free(&iv->r);
			close(iv->fd);
			return ret;
		}
	}
	return 0;
}

static void stop_idle(struct run *rn)
{
	unsigned int i;

	for (i = 0; i < rn->nidle; i++) {
		ioctl(rn->idle[i].fd, MNB_IOC_STOP);
		ring_free(&rn->idle[i].r);
		close(rn->idle[i].fd);
	}
	rn->nidle = 0;
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

/* Find the kernel threads to measure; their CPU time comes from schedstat. */
static void find_kthreads(struct run *rn)
{
	struct mnb_stats st;

	if (ioctl(rn->fd, MNB_IOC_STATS, &st))
		st.worker_pid = 0;
	rn->worker_pid = (pid_t)st.worker_pid;
	rn->ksmd_pid = load_uses_ksm(rn->o->load) ? kthread_pid("ksmd") : 0;
	perf_counters_open_hardware(&rn->worker_perf, rn->worker_pid ?
				    rn->worker_pid : -1);
}

/* CPU time since cpu0, or -1 if either reading failed. */
static int64_t cpu_since(pid_t pid, int64_t cpu0)
{
	int64_t now = task_cpu_ns(pid);

	return cpu0 < 0 || now < 0 ? -1 : now - cpu0;
}

static int start_ksm(struct run *rn)
{
	int ret;

	if (!load_uses_ksm(rn->o->load))
		return 0;
	rn->ksmd_cpu0 = task_cpu_ns(rn->ksmd_pid);
	ret = ksm_start(&rn->r);
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
	       __atomic_load_n(&rn->g.corrupted, __ATOMIC_RELAXED) < o->buffers) {
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
	rn->worker_cpu0 = task_cpu_ns(rn->worker_pid);
	perf_counters_start(&rn->worker_perf);
	t0 = now_ns();
	if (guest_start(&rn->g, &rn->r, rn->o->buffers)) {
		fprintf(stderr, "mnbench-module: cannot start the guest thread\n");
		return 1;
	}
	if (load_uses_cow(rn->o->load) && cow_start(&rn->cow, &rn->r, rn->fd)) {
		fprintf(stderr, "mnbench-module: cannot start the COW thread\n");
		guest_stop(&rn->g);
		return 1;
	}
	wait_done(rn, t0);
	rn->elapsed_ns = now_ns() - t0;
	perf_counters_stop(&rn->worker_perf);
	rn->worker_cpu_ns = cpu_since(rn->worker_pid, rn->worker_cpu0);
	rn->ksmd_cpu_ns = cpu_since(rn->ksmd_pid, rn->ksmd_cpu0);
	cow_stop(&rn->cow);
	guest_stop(&rn->g);
	return 0;
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

/* An idle queue's ring accesses, and what its notifier saw of the rings. */
static void add_idle(int fd, struct result *res)
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
	res->st.overlapping_calls += st.overlapping_calls;
	for (i = 0; i < MNB_HIST_NR; i++)
		if (!get_hist(fd, i, &h))
			hist_merge(&res->h[i], &h);
}

/* The module's counters and histograms, and what the guest saw. */
static void collect(const struct run *rn, struct result *res)
{
	unsigned int k;
	int i;

	if (ioctl(rn->fd, MNB_IOC_STATS, &res->st))
		perror("mnbench-module: stats");
	for (i = 0; i < MNB_HIST_NR; i++)
		get_hist(rn->fd, i, &res->h[i]);
	/* Every device sees every invalidation: count them once. */
	for (k = 0; k < rn->nidle; k++)
		add_idle(rn->idle[k].fd, res);
	res->idle_vqs = rn->nidle;
	res->posted = rn->g.posted;
	res->completed = rn->g.completed;
	res->lost = rn->g.outstanding;
	res->corrupted = rn->g.corrupted;
	res->forks = rn->cow.forks;
	res->ksm_pages = rn->ksm_pages;
	res->elapsed_s = rn->elapsed_ns / 1e9;
	res->timed_out = rn->timed_out;
	res->worker_cpu_ns = rn->worker_cpu_ns;
	res->ksmd_cpu_ns = rn->ksmd_cpu_ns;
	res->cow_cpu_ns = rn->cow.cpu_ns;
	res->worker_perf = rn->worker_perf;
}

int module_run(const struct opts *o, struct result *res)
{
	struct run rn = { .o = o };
	unsigned int k;
	int ret = 1;

	rn.fd = module_open(o->device);
	if (rn.fd < 0)
		return EXIT_NO_DEVICE;
	if (ring_init(&rn.r, o->num)) {
		perror("mnbench-module: mmap");
		goto close_fd;
	}
	res->setup_errno = -setup_ring(o, rn.fd, &rn.r);
	if (!res->setup_errno)
		res->setup_errno = -setup_idle(&rn);
	if (res->setup_errno)
		goto stop;
	find_kthreads(&rn);
	ret = drive(&rn);
	perf_counters_close(&rn.worker_perf);
	ioctl(rn.fd, MNB_IOC_STOP);
	for (k = 0; k < rn.nidle; k++)
		ioctl(rn.idle[k].fd, MNB_IOC_STOP);
	ksm_restore();
	if (!ret)
		collect(&rn, res);
stop:
	stop_idle(&rn);
	ring_free(&rn.r);
close_fd:
	close(rn.fd);
	return ret;
}
