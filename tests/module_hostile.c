// SPDX-License-Identifier: GPL-2.0
/*
 * mnbench-module-hostile: a guest and a process that break the rules, one
 * kselftest case each, with the outcome each must have: SETUP refuses
 * rings it cannot use, the worker stops a vq whose guest broke the ring
 * (as vhost's vq_err() does) and says why in STATS while the device's
 * other vqs run on, backs off a ring it cannot reach, a device takes vqs
 * only before it starts, at most 1024, of one strategy, sharing no page,
 * and a forked child cannot drive its parent's vq (it may read STATS and
 * HIST). It prints KTAP (the kselftest harness, tests/kselftest/). Needs
 * the module: run in the VM test (tests/vm_module.sh), where the kernel
 * log and the pin balance are checked too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "module_args.h"
#include "mnbench_uapi.h"
#include "module_client/ring_guest.h"

#include "module_ktap.h"

#define NUM		64
/* Generous: a KASAN kernel under TCG is slow; nothing here is a rate. */
#define WAIT_S		60
/* The harness's guard against a hung case, far beyond any WAIT_S. */
#define CASE_TIMEOUT_S	300

static const char usage[] =
"Usage: mnbench-module-hostile [--device PATH]\n"
"Runs the hostile cases against /dev/mnbench (module/), a kselftest case\n"
"each, printing KTAP on stdout; each asserts the outcome the module must\n"
"give.\n"
"\n"
"  --device PATH       default /dev/mnbench\n"
"  --help              this text\n"
"\n"
"Exit status (kselftest's): 0 every case passed, 1 a case failed (its\n"
"KTAP line says \"not ok\"), 2 bad arguments, 4 skipped: no device (the\n"
"module is not loaded).\n";

static const char *device = "/dev/mnbench";

/* SETUP on r's rings with a strategy, pinned; 0 or the errno. */
static int setup(int fd, const struct ring *r, const char *strategy)
{
	return ring_setup_vq(fd, r, strategy, MNB_GUP_PIN);
}

static int start(int fd)
{
	return ioctl(fd, MNB_IOC_START) ? errno : 0;
}

static int stats(int fd, struct mnb_stats *st)
{
	return ioctl(fd, MNB_IOC_STATS, st) ? errno : 0;
}

/* Post one buffer at descriptor 0 pointing at addr. */
static void post(struct ring *r, u64 addr)
{
	u16 idx = r->avail->idx;

	r->desc[0].addr = addr;
	r->desc[0].len = MN_BUF_SIZE;
	r->desc[0].flags = MN_VRING_DESC_F_WRITE;
	r->avail->ring[idx & (r->num - 1)] = 0;
	__atomic_store_n(&r->avail->idx, (u16)(idx + 1), __ATOMIC_RELEASE);
}

/* Poll STATS until pred holds or WAIT_S passed; the last stats in *st. */
static int wait_for(int fd, struct mnb_stats *st,
		    int (*pred)(const struct mnb_stats *, u64), u64 arg)
{
	u64 end = now_ns() + WAIT_S * 1000000000ull;

	memset(st, 0, sizeof(*st));
	do {
		if (stats(fd, st))
			return 0;
		if (pred(st, arg))
			return 1;
		usleep(2000);
	} while (now_ns() < end);
	return 0;
}

static int processed_at_least(const struct mnb_stats *st, u64 n)
{
	return st->processed >= n;
}

static int stopped_for(const struct mnb_stats *st, u64 why)
{
	return st->stop_reason == why;
}

static int open_device(struct __test_metadata *_metadata)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd) TH_LOG("cannot open %s: %s", device, strerror(errno));
	return fd;
}

/* fd: a device with one counter vq on a fresh ring r, answering. */
static void start_answering_vq(struct __test_metadata *_metadata, int fd,
			       struct ring *r)
{
	struct mnb_stats st;

	ASSERT_EQ(0, ring_init(r, NUM));
	ASSERT_EQ(0, setup(fd, r, "counter"));
	ASSERT_EQ(0, start(fd));
	post(r, (u64)(unsigned long)r->bufs);
	ASSERT_TRUE(wait_for(fd, &st, processed_at_least, 1))
		TH_LOG("the worker never answered a good buffer");
}

/* A device and a fresh ring, not yet set up: SETUP's refusals. */
FIXTURE(ring) {
	int fd;
	struct ring r;
};

FIXTURE_SETUP(ring)
{
	self->fd = open_device(_metadata);
	ASSERT_EQ(0, ring_init(&self->r, NUM));
}

FIXTURE_TEARDOWN(ring)
{
	close(self->fd);
	ring_free(&self->r);
}

TEST_F_TIMEOUT(ring, setup_read_only, CASE_TIMEOUT_S)
{
	ASSERT_EQ(0, mprotect(self->r.mem, PAGE, PROT_READ));
	EXPECT_EQ(EFAULT, setup(self->fd, &self->r, "counter"));
}

TEST_F_TIMEOUT(ring, setup_unmapped, CASE_TIMEOUT_S)
{
	ASSERT_EQ(0, munmap(self->r.mem, PAGE));
	EXPECT_EQ(EFAULT, setup(self->fd, &self->r, "counter"));
}

TEST_F_TIMEOUT(ring, setup_overlapping, CASE_TIMEOUT_S)
{
	self->r.avail = (void *)self->r.desc;
	EXPECT_EQ(EINVAL, setup(self->fd, &self->r, "counter"));
}

TEST_F_TIMEOUT(ring, setup_test_only, CASE_TIMEOUT_S)
{
	EXPECT_EQ(EINVAL, setup(self->fd, &self->r, "valid_flag"));
}

/*
 * A device and three small rings: a device's vqs have one strategy, no
 * page shared between two of them, none added after START, and one that
 * stops stops alone.
 */
FIXTURE(vqs) {
	int fd;
	struct ring r[3];
};

FIXTURE_SETUP(vqs)
{
	unsigned int i;

	self->fd = open_device(_metadata);
	/* Braces: an ASSERT is two statements (the harness's TH_LOG hook). */
	for (i = 0; i < ARRAY_SIZE(self->r); i++) {
		ASSERT_EQ(0, ring_init_bait(&self->r[i], NUM, 0));
	}
}

FIXTURE_TEARDOWN(vqs)
{
	unsigned int i;

	close(self->fd);
	for (i = 0; i < ARRAY_SIZE(self->r); i++)
		if (self->r[i].mem)
			ring_free(&self->r[i]);
}

TEST_F_TIMEOUT(vqs, setup_shared_rings, CASE_TIMEOUT_S)
{
	ASSERT_EQ(0, setup(self->fd, &self->r[0], "counter"));
	EXPECT_EQ(EINVAL, setup(self->fd, &self->r[0], "counter"))
		TH_LOG("a second vq on the first one's rings");
}

TEST_F_TIMEOUT(vqs, setup_mixed_strategies, CASE_TIMEOUT_S)
{
	ASSERT_EQ(0, setup(self->fd, &self->r[0], "counter"));
	EXPECT_EQ(EINVAL, setup(self->fd, &self->r[1], "seqcount"))
		TH_LOG("a seqcount vq beside a counter one");
}

TEST_F_TIMEOUT(vqs, setup_after_start, CASE_TIMEOUT_S)
{
	ASSERT_EQ(0, setup(self->fd, &self->r[0], "counter"));
	ASSERT_EQ(0, start(self->fd));
	EXPECT_EQ(EBUSY, setup(self->fd, &self->r[1], "counter"));
}

TEST_F_TIMEOUT(vqs, stop_isolated, CASE_TIMEOUT_S)
{
	struct ring *bad = &self->r[0], *good = &self->r[1];
	struct mnb_stats st;

	ASSERT_EQ(0, setup(self->fd, bad, "counter"));
	ASSERT_EQ(0, setup(self->fd, good, "counter"));
	ASSERT_EQ(0, start(self->fd));
	__atomic_store_n(&bad->avail->idx, (u16)40000, __ATOMIC_RELEASE);
	ASSERT_TRUE(wait_for(self->fd, &st, stopped_for, MNB_STOP_AVAIL_IDX))
		TH_LOG("the broken vq was not stopped (reason %u)",
		       st.stop_reason);
	post(good, (u64)(unsigned long)good->bufs);
	EXPECT_TRUE(wait_for(self->fd, &st, processed_at_least, 1))
		TH_LOG("the other vq answered nothing");
	EXPECT_EQ(1u, st.stopped_vqs);
	EXPECT_EQ(2u, st.vqs);
}

/* 1024 vqs on a device, and not one more. */
TEST_F_TIMEOUT(vqs, setup_max_vqs, CASE_TIMEOUT_S)
{
	struct ring *r = calloc(MNB_MAX_VQS + 1, sizeof(*r));
	int n;

	ASSERT_NE(NULL, r);
	for (n = 0; n <= MNB_MAX_VQS; n++) {
		ASSERT_EQ(0, ring_init_bait(&r[n], NUM, 0));
	}
	for (n = 0; n < MNB_MAX_VQS; n++) {
		ASSERT_EQ(0, setup(self->fd, &r[n], "counter"))
			TH_LOG("vq %d of %d", n + 1, MNB_MAX_VQS);
	}
	EXPECT_EQ(ENOSPC, setup(self->fd, &r[MNB_MAX_VQS], "counter"));
	for (n = 0; n <= MNB_MAX_VQS; n++)
		ring_free(&r[n]);
	free(r);
}

/* A device whose one vq has answered a good buffer. */
FIXTURE(running) {
	int fd;
	struct ring r;
};

FIXTURE_SETUP(running)
{
	self->fd = open_device(_metadata);
	start_answering_vq(_metadata, self->fd, &self->r);
}

FIXTURE_TEARDOWN(running)
{
	close(self->fd);
	ring_free(&self->r);
}

/* No stale descriptor is processed again: the vq stops. */
TEST_F_TIMEOUT(running, avail_idx_jump, CASE_TIMEOUT_S)
{
	struct mnb_stats st;
	u64 before;

	ASSERT_EQ(0, stats(self->fd, &st));
	before = st.processed;
	__atomic_store_n(&self->r.avail->idx, (u16)(self->r.avail->idx + 40000),
			 __ATOMIC_RELEASE);
	ASSERT_TRUE(wait_for(self->fd, &st, stopped_for, MNB_STOP_AVAIL_IDX))
		TH_LOG("vq not stopped (reason %u)", st.stop_reason);
	EXPECT_EQ(before, st.processed)
		TH_LOG("stale buffers processed");
}

static int backed_off(const struct mnb_stats *st, u64 unused)
{
	(void)unused;
	/* Two failures in a row at least: each doubles the wait. */
	return st->fault_backoff_us >= 200 && st->pin_backoff_ms >= 2;
}

/*
 * The used ring goes away under a running worker: it backs off, its
 * waits doubling with each failure, instead of retrying hot.
 */
TEST_F_TIMEOUT(running, ring_unmapped_running, CASE_TIMEOUT_S)
{
	struct mnb_stats st;

	ASSERT_EQ(0, munmap(self->r.used, PAGE));
	post(&self->r, (u64)(unsigned long)self->r.bufs);
	EXPECT_TRUE(wait_for(self->fd, &st, backed_off, 0))
		TH_LOG("after %llu faulting passes and %llu failed pins: waits %u us and %u ms",
		       (unsigned long long)st.worker_errors,
		       (unsigned long long)st.pin_failures,
		       st.fault_backoff_us, st.pin_backoff_ms);
}

/*
 * A child that inherited the fd may close it and read the counters
 * (STATS, HIST: they touch none of the owner's memory; under the OOM load
 * the reader is a parent whose child owned the vq), never drive the vq.
 */
TEST_F_TIMEOUT(running, fork_inherited_fd, CASE_TIMEOUT_S)
{
	struct mnb_stats st;
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		u64 buckets[4];
		struct mnb_hist_req hr = {
			.which = MNB_HIST_START,
			.nbuckets = 4,
			.buckets = (u64)(unsigned long)buckets,
		};
		int e1 = ioctl(self->fd, MNB_IOC_STOP) ? errno : 0;
		int e2 = setup(self->fd, &self->r, "counter");
		int e3 = start(self->fd);
		int e4 = stats(self->fd, &st);
		int e5 = ioctl(self->fd, MNB_IOC_HIST, &hr) ? errno : 0;

		/* The parent's vq, as the parent sees it. */
		_exit(e1 == EPERM && e2 == EPERM && e3 == EPERM && !e4 &&
		      !e5 && st.vqs == 1 && st.processed >= 1 &&
		      hr.nbuckets == 4 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the child's STOP, SETUP and START were not all EPERM, "
		       "or its STATS and HIST did not read the parent's vq");
	post(&self->r, (u64)(unsigned long)self->r.bufs);
	EXPECT_TRUE(wait_for(self->fd, &st, processed_at_least, 2))
		TH_LOG("the parent's vq stopped");
}

/* A buffer outside the user's memory stops the vq at its head. */
FIXTURE(bad_desc) {
	int fd;
	struct ring r;
};

FIXTURE_VARIANT(bad_desc) {
	u64 addr;
};

FIXTURE_VARIANT_ADD(bad_desc, unmapped) {
	.addr = 0x10000,
};

FIXTURE_VARIANT_ADD(bad_desc, kernel_address) {
	.addr = 0xffff888000000000ull,
};

FIXTURE_VARIANT_ADD(bad_desc, end_of_user) {
	.addr = 0x7ffffffff000ull - 8,
};

FIXTURE_SETUP(bad_desc)
{
	self->fd = open_device(_metadata);
	start_answering_vq(_metadata, self->fd, &self->r);
}

FIXTURE_TEARDOWN(bad_desc)
{
	close(self->fd);
	ring_free(&self->r);
}

TEST_F_TIMEOUT(bad_desc, stops_vq, CASE_TIMEOUT_S)
{
	struct mnb_stats st;

	post(&self->r, variant->addr);
	ASSERT_TRUE(wait_for(self->fd, &st, stopped_for, MNB_STOP_DESC_FAULT))
		TH_LOG("a buffer at %#llx: stop reason %u",
		       (unsigned long long)variant->addr, st.stop_reason);
	EXPECT_EQ(0ull, st.stop_detail) TH_LOG("the head of the bad buffer");
}

int main(int argc, char **argv)
{
	int first;

	cli_init("mnbench-module-hostile");
	first = module_args(argc, argv, usage, &device);
	if (first < argc)
		cli_usage_error("unexpected argument '%s'", argv[first]);
	module_device_or_skip(device);
	return test_harness_run(argc, argv);
}
