// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "module_run.h"

const char *const mnb_gup_names[MNB_GUP_NR] = {
	[MNB_GUP_PIN] = "pin",
	[MNB_GUP_GET] = "get",
	[MNB_GUP_NONE] = "none",
};

/* What one run holds between its steps. */
struct run {
	const struct opts *o;
	int fd;
	struct ring r;
	struct guest g;
	struct cow_load cow;
	unsigned long ksm_pages;
	u64 elapsed_ns;
	bool timed_out;
};

int module_open(const char *device)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "mnbench-module: cannot open %s: %s; is the module loaded (insmod module/mnbench.ko)?\n",
			device, strerror(errno));
	return fd;
}

/* Hand the ring to the module and start its worker; 0, or -errno. */
static int setup_vq(struct run *rn)
{
	struct mnb_setup su = { 0 };

	su.desc = (u64)(unsigned long)rn->r.desc;
	su.avail = (u64)(unsigned long)rn->r.avail;
	su.used = (u64)(unsigned long)rn->r.used;
	su.num = rn->o->num;
	su.flags = rn->o->gup;
	snprintf(su.strategy, sizeof(su.strategy), "%s", rn->o->strategy);
	if (ioctl(rn->fd, MNB_IOC_SETUP, &su) || ioctl(rn->fd, MNB_IOC_START))
		return -errno;
	return 0;
}

static int start_ksm(struct run *rn)
{
	int ret;

	if (!load_uses_ksm(rn->o->load))
		return 0;
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

/* The module's counters and histograms, and what the guest saw. */
static void collect(const struct run *rn, struct result *res)
{
	int i;

	if (ioctl(rn->fd, MNB_IOC_STATS, &res->st))
		perror("mnbench-module: stats");
	for (i = 0; i < MNB_HIST_NR; i++)
		get_hist(rn->fd, i, &res->h[i]);
	res->posted = rn->g.posted;
	res->completed = rn->g.completed;
	res->lost = rn->g.outstanding;
	res->corrupted = rn->g.corrupted;
	res->forks = rn->cow.forks;
	res->ksm_pages = rn->ksm_pages;
	res->elapsed_s = rn->elapsed_ns / 1e9;
	res->timed_out = rn->timed_out;
}

int module_run(const struct opts *o, struct result *res)
{
	struct run rn = { .o = o };
	int ret = 1;

	rn.fd = module_open(o->device);
	if (rn.fd < 0)
		return EXIT_NO_DEVICE;
	if (ring_init(&rn.r, o->num)) {
		perror("mnbench-module: mmap");
		goto close_fd;
	}
	res->setup_errno = -setup_vq(&rn);
	if (res->setup_errno)
		goto unmap;
	ret = drive(&rn);
	ioctl(rn.fd, MNB_IOC_STOP);
	ksm_restore();
	if (!ret)
		collect(&rn, res);
unmap:
	ring_free(&rn.r);
close_fd:
	close(rn.fd);
	return ret;
}
