// SPDX-License-Identifier: GPL-2.0
/*
 * mnbench-module-hostile: a guest and a process that break the rules, one
 * case each, with the outcome each must have: SETUP refuses rings it
 * cannot use, the worker stops a vq whose guest broke the ring (as
 * vhost's vq_err() does) and says why in STATS while the device's other
 * vqs run on, backs off a ring it cannot reach, a device takes vqs only
 * before it starts, at most 1024, of one strategy, sharing no page, and
 * a forked child cannot drive its parent's vq. Needs the module: run in
 * the VM test (tests/vm_module.sh), where the kernel log and the pin
 * balance are checked too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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

#define EXIT_NO_DEVICE	3
#define NUM		64
/* Generous: a KASAN kernel under TCG is slow; nothing here is a rate. */
#define WAIT_S		60

static const char usage[] =
"Usage: mnbench-module-hostile [--device PATH]\n"
"Runs the hostile cases against /dev/mnbench (module/), printing one line\n"
"per case; each asserts the outcome the module must give.\n"
"\n"
"  --device PATH       default /dev/mnbench\n"
"  --help              this text\n"
"\n"
"Exit status: 0 every case as expected, 1 a case failed, 2 bad\n"
"arguments, 3 no device (module not loaded).\n";

static const char *device = "/dev/mnbench";
static int failed;

static void verdict(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void verdict(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	printf("hostile: %-22s %s: ", name, ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failed++;
}

static int open_dev(void)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", cli_prog(), device,
			strerror(errno));
		exit(EXIT_NO_DEVICE);
	}
	return fd;
}

/* SETUP on r's rings with a strategy; 0 or the errno. */
static int setup(int fd, const struct ring *r, const char *strategy)
{
	struct mnb_setup su = { 0 };

	su.desc = (u64)(unsigned long)r->desc;
	su.avail = (u64)(unsigned long)r->avail;
	su.used = (u64)(unsigned long)r->used;
	su.num = r->num;
	snprintf(su.strategy, sizeof(su.strategy), "%s", strategy);
	return ioctl(fd, MNB_IOC_SETUP, &su) ? errno : 0;
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

/* A running vq on a fresh ring that has answered one buffer. */
static int running_vq(struct ring *r, const char *name)
{
	struct mnb_stats st;
	int fd = open_dev(), err;

	if (ring_init(r, NUM)) {
		verdict(name, 0, "no memory for a ring");
		close(fd);
		return -1;
	}
	err = setup(fd, r, "counter");
	if (err || ioctl(fd, MNB_IOC_START)) {
		verdict(name, 0, "setup of a good ring failed: %s",
			strerror(err ? err : errno));
		goto fail;
	}
	post(r, (u64)(unsigned long)r->bufs);
	if (!wait_for(fd, &st, processed_at_least, 1)) {
		verdict(name, 0, "the worker never answered a good buffer");
		goto fail;
	}
	return fd;
fail:
	close(fd);
	ring_free(r);
	return -1;
}

static void setup_refused(const char *name, struct ring *r,
			  const char *strategy, int want)
{
	int fd = open_dev();
	int err = setup(fd, r, strategy);

	verdict(name, err == want, "SETUP gave %s, wanted %s",
		err ? strerror(err) : "success", strerror(want));
	close(fd);
}

static void case_setup(void)
{
	struct ring r;

	if (ring_init(&r, NUM)) {
		verdict("setup", 0, "no memory for a ring");
		return;
	}
	mprotect(r.mem, PAGE, PROT_READ);
	setup_refused("setup-read-only", &r, "counter", EFAULT);
	munmap(r.mem, PAGE);
	setup_refused("setup-unmapped", &r, "counter", EFAULT);
	ring_free(&r);
	ring_init(&r, NUM);
	r.avail = (void *)r.desc;
	setup_refused("setup-overlapping", &r, "counter", EINVAL);
	ring_free(&r);
	ring_init(&r, NUM);
	setup_refused("setup-test-only", &r, "valid_flag", EINVAL);
	ring_free(&r);
}

/*
 * A device's vqs: one strategy, up to MNB_MAX_VQS of them, no page shared
 * between two of them, none added after START.
 */
static void case_device_vqs(void)
{
	int fd = open_dev(), err = 0, n;
	struct ring *r = calloc(MNB_MAX_VQS + 1, sizeof(*r));

	for (n = 0; r && n <= MNB_MAX_VQS; n++)
		if (ring_init_bait(&r[n], NUM, 0))
			break;
	if (!r || n <= MNB_MAX_VQS) {
		verdict("device-vqs", 0, "no memory for the rings");
		goto out;
	}
	for (n = 0; n < MNB_MAX_VQS && !err; n++)
		err = setup(fd, &r[n], "counter");
	verdict("setup-1024-vqs", !err, "vq %d: %s", n,
		err ? strerror(err) : "all set up");
	err = setup(fd, &r[MNB_MAX_VQS], "counter");
	verdict("setup-vq-1025", err == ENOSPC, "SETUP gave %s, wanted %s",
		err ? strerror(err) : "success", strerror(ENOSPC));
	close(fd);
	fd = open_dev();
	err = setup(fd, &r[0], "counter");
	if (!err)
		err = setup(fd, &r[0], "counter");
	verdict("setup-shared-rings", err == EINVAL,
		"a second vq on the first one's rings: %s, wanted %s",
		err ? strerror(err) : "success", strerror(EINVAL));
	err = setup(fd, &r[1], "seqcount");
	verdict("setup-mixed-strategies", err == EINVAL,
		"a seqcount vq beside a counter one: %s, wanted %s",
		err ? strerror(err) : "success", strerror(EINVAL));
	err = ioctl(fd, MNB_IOC_START) ? errno : setup(fd, &r[2], "counter");
	verdict("setup-after-start", err == EBUSY,
		"SETUP of a started device gave %s, wanted %s",
		err ? strerror(err) : "success", strerror(EBUSY));
out:
	close(fd);
	for (n = 0; r && n <= MNB_MAX_VQS && r[n].mem; n++)
		ring_free(&r[n]);
	free(r);
}

static void case_avail_jump(void)
{
	struct mnb_stats st;
	struct ring r;
	u64 before;
	int fd = running_vq(&r, "avail-idx-jump");

	if (fd < 0)
		return;
	stats(fd, &st);
	before = st.processed;
	__atomic_store_n(&r.avail->idx, (u16)(r.avail->idx + 40000),
			 __ATOMIC_RELEASE);
	if (!wait_for(fd, &st, stopped_for, MNB_STOP_AVAIL_IDX))
		verdict("avail-idx-jump", 0, "vq not stopped (reason %u)",
			st.stop_reason);
	else
		verdict("avail-idx-jump", st.processed == before,
			"stopped at avail.idx %llu; %llu stale buffers processed",
			(unsigned long long)st.stop_detail,
			(unsigned long long)(st.processed - before));
	close(fd);
	ring_free(&r);
}

/* A stopped vq stops alone: the device's other vq runs on. */
static void case_stop_isolated(void)
{
	struct ring bad = { 0 }, good = { 0 };
	struct mnb_stats st;
	int fd = open_dev(), ok;

	if (ring_init_bait(&bad, NUM, 0) || ring_init_bait(&good, NUM, 0) ||
	    setup(fd, &bad, "counter") || setup(fd, &good, "counter") ||
	    ioctl(fd, MNB_IOC_START)) {
		verdict("vq-stop-isolated", 0, "setup of two good rings failed");
		goto out;
	}
	__atomic_store_n(&bad.avail->idx, (u16)40000, __ATOMIC_RELEASE);
	ok = wait_for(fd, &st, stopped_for, MNB_STOP_AVAIL_IDX);
	post(&good, (u64)(unsigned long)good.bufs);
	ok = ok && wait_for(fd, &st, processed_at_least, 1);
	verdict("vq-stop-isolated", ok && st.stopped_vqs == 1 && st.vqs == 2,
		"%u of %u vqs stopped (reason %u); the other answered %llu",
		st.stopped_vqs, st.vqs, st.stop_reason,
		(unsigned long long)st.processed);
out:
	close(fd);
	if (bad.mem)
		ring_free(&bad);
	if (good.mem)
		ring_free(&good);
}

static void case_bad_desc(const char *name, u64 addr)
{
	struct mnb_stats st;
	struct ring r;
	int fd = running_vq(&r, name), ok;

	if (fd < 0)
		return;
	post(&r, addr);
	ok = wait_for(fd, &st, stopped_for, MNB_STOP_DESC_FAULT) &&
	     st.stop_detail == 0;
	verdict(name, ok, "a buffer at %#llx: stop reason %u, head %llu",
		(unsigned long long)addr, st.stop_reason,
		(unsigned long long)st.stop_detail);
	close(fd);
	ring_free(&r);
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
static void case_ring_gone(void)
{
	struct mnb_stats st;
	struct ring r;
	int fd = running_vq(&r, "ring-unmapped-running"), ok;

	if (fd < 0)
		return;
	munmap(r.used, PAGE);
	post(&r, (u64)(unsigned long)r.bufs);
	ok = wait_for(fd, &st, backed_off, 0);
	verdict("ring-unmapped-running", ok,
		"after %llu faulting passes and %llu failed pins: waits %u us and %u ms before the next",
		(unsigned long long)st.worker_errors,
		(unsigned long long)st.pin_failures, st.fault_backoff_us,
		st.pin_backoff_ms);
	close(fd);
	munmap(r.mem, r.len);
}

/* A child that inherited the fd may close it, not drive the vq. */
static void case_fork(void)
{
	struct mnb_stats st;
	struct ring r;
	int fd = running_vq(&r, "fork-inherited-fd"), status, refused, runs;
	pid_t pid;

	if (fd < 0)
		return;
	pid = fork();
	if (!pid) {
		int e1 = ioctl(fd, MNB_IOC_STOP) ? errno : 0;
		int e2 = setup(fd, &r, "counter");
		int e3 = stats(fd, &st);

		_exit(e1 == EPERM && e2 == EPERM && e3 == EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	refused = WIFEXITED(status) && !WEXITSTATUS(status);
	post(&r, (u64)(unsigned long)r.bufs);
	runs = wait_for(fd, &st, processed_at_least, 2);
	verdict("fork-inherited-fd", refused && runs,
		"the child's STOP, SETUP and STATS %s; the parent's vq %s",
		refused ? "refused" : "NOT all refused",
		runs ? "runs on" : "stopped");
	close(fd);
	ring_free(&r);
}

int main(int argc, char **argv)
{
	int first;

	cli_init("mnbench-module-hostile");
	first = module_args(argc, argv, usage, &device);
	if (first < argc)
		cli_usage_error("unexpected argument '%s'", argv[first]);
	close(open_dev());
	case_setup();
	case_device_vqs();
	case_avail_jump();
	case_stop_isolated();
	case_bad_desc("desc-unmapped", 0x10000);
	case_bad_desc("desc-kernel-address", 0xffff888000000000ull);
	case_bad_desc("desc-end-of-user", 0x7ffffffff000ull - 8);
	case_ring_gone();
	case_fork();
	printf("hostile: %s\n", failed ? "FAILED" : "all cases as expected");
	return failed ? 1 : 0;
}
