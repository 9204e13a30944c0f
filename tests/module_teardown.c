// SPDX-License-Identifier: GPL-2.0
/*
 * mnbench-module-teardown: the teardown races a secondary MMU must
 * survive (those of the kernel's kvm/mmu_stress_test.c), one kselftest
 * case each, for every safe strategy: an owner process whose worker is
 * serving its vq while forks and zaps invalidate its memory is killed,
 * exits on its own, or closes the device mid-run, or dies while a child
 * that inherited the fd keeps the device open. After each, what the
 * module holds (/sys/class/misc/mnbench/: pages, mappings, devices) must
 * be back where it was. It prints KTAP (the kselftest harness,
 * tests/kselftest/). Needs the module: run in the VM tests
 * (tests/vm_module.sh, tests/vm_kcsan.sh), which check the kernel log
 * and the FOLL_PIN balance too.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "module_args.h"
#include "mnbench_uapi.h"
#include "module_client/ring_guest.h"

#include "module_ktap.h"

#define NUM		64
/* Generous: a KASAN kernel under TCG is slow; nothing here is a rate. */
#define WAIT_S		60
#define CASE_TIMEOUT_S	300
/* Buffers the worker answers before the owner's end comes. */
#define ANSWERED	16

static const char usage[] =
"Usage: mnbench-module-teardown [--device PATH]\n"
"Runs the teardown cases against /dev/mnbench (module/): owners killed,\n"
"exiting or closing the device while the worker runs and invalidations\n"
"are in flight, each a kselftest case printing KTAP on stdout; after each,\n"
"the pages, mappings and devices the module holds are back to where they\n"
"were (/sys/class/misc/NAME/, NAME the device's).\n"
"\n"
"  --device PATH       default /dev/mnbench\n"
"  --help              this text\n"
"\n"
"Exit status (kselftest's): 0 every case passed, 1 a case failed (its\n"
"KTAP line says \"not ok\"), 2 bad arguments, 4 skipped: no device (the\n"
"module is not loaded).\n";

static const char *device = "/dev/mnbench";

/* What the module holds, from its sysfs directory. */
struct held {
	long pages, mappings, devices;
};

static long read_long(const char *name)
{
	char path[256], *dev = strdup(device);
	long v = -1;
	FILE *f;

	if (!dev)
		return -1;
	snprintf(path, sizeof(path), "/sys/class/misc/%s/%s", basename(dev),
		 name);
	free(dev);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static void read_held(struct held *h)
{
	h->pages = read_long("pages_held");
	h->mappings = read_long("mappings");
	h->devices = read_long("devices");
}

static bool held_same(const struct held *a, const struct held *b)
{
	return a->pages == b->pages && a->mappings == b->mappings &&
	       a->devices == b->devices;
}

/* Poll until the module holds what it held at *base, or WAIT_S passed. */
static bool back_to(const struct held *base, struct held *now)
{
	u64 end = now_ns() + WAIT_S * 1000000000ull;

	do {
		read_held(now);
		if (held_same(base, now))
			return true;
		usleep(10000);
	} while (now_ns() < end);
	return false;
}

/* An owner: its device, ring, guest and invalidating thread. */
struct owner {
	int fd;
	struct ring r;
	struct guest g;
	pthread_t inval;
	bool stop;		/* atomic */
};

/*
 * Invalidations of the owner's memory, without end: a fork write-protects
 * the rings (copy_page_range() under an invalidation of the whole VMA)
 * and the child exits at once; a zap takes the buffers' pages away.
 */
static void *invalidate(void *arg)
{
	struct owner *o = arg;
	pid_t pid;

	while (!__atomic_load_n(&o->stop, __ATOMIC_ACQUIRE)) {
		pid = fork();
		if (!pid)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		madvise(o->r.bufs, NUM * MN_BUF_SIZE, MADV_DONTNEED);
	}
	return NULL;
}

static int owner_setup(struct owner *o, const char *strategy, u32 gup)
{
	struct mnb_stats st;
	struct ring *rings[1] = { &o->r };
	u64 end;

	o->fd = open(device, O_RDWR);
	if (o->fd < 0 || ring_init(&o->r, NUM))
		return 1;
	if (ring_setup_vq(o->fd, &o->r, strategy, gup) ||
	    ioctl(o->fd, MNB_IOC_START))
		return 2;
	if (guest_start(&o->g, rings, 1, 1ul << 40))
		return 3;
	if (pthread_create(&o->inval, NULL, invalidate, o))
		return 3;
	end = now_ns() + WAIT_S * 1000000000ull;
	do {
		if (ioctl(o->fd, MNB_IOC_STATS, &st))
			return 4;
		if (st.processed >= ANSWERED)
			return 0;
		usleep(2000);
	} while (now_ns() < end);
	return 5;
}

/* How an owner's life ends, once its worker has answered. */
enum owner_end {
	END_KILLED,	/* SIGKILL from the test, threads running */
	END_EXITS,	/* exit_group() while its threads run */
	END_CLOSES,	/* close() of the device, then exit */
	END_HOLDER,	/* killed, a child keeps the fd open */
};

/* The owner process: setup, a status byte to the test, then its end. */
static void owner_main(const char *strategy, u32 gup, enum owner_end how,
		       int wfd, int holder_rfd)
{
	static struct owner o;
	char c = (char)('0' + owner_setup(&o, strategy, gup));

	if (c != '0') {
		if (write(wfd, &c, 1) != 1)
			_exit(1);
		_exit(1);
	}
	if (how == END_HOLDER && !fork()) {
		/* The holder: keeps the fd (and the device) until told. */
		if (read(holder_rfd, &c, 1) < 0)
			_exit(1);
		close(o.fd);
		_exit(0);
	}
	if (how == END_CLOSES) {
		/* The forks and zaps go on while the device is torn down. */
		close(o.fd);
		usleep(50000);
	}
	if (write(wfd, &c, 1) != 1)
		_exit(1);
	if (how == END_EXITS || how == END_CLOSES)
		_exit(0);
	for (;;)
		pause();
}

FIXTURE(teardown) {
	struct held base;
};

FIXTURE_VARIANT(teardown) {
	const char *strategy;
	u32 gup;
};

FIXTURE_VARIANT_ADD(teardown, counter) {
	.strategy = "counter", .gup = MNB_GUP_PIN,
};

FIXTURE_VARIANT_ADD(teardown, counter_get) {
	.strategy = "counter", .gup = MNB_GUP_GET,
};

FIXTURE_VARIANT_ADD(teardown, seqcount) {
	.strategy = "seqcount", .gup = MNB_GUP_PIN,
};

FIXTURE_VARIANT_ADD(teardown, interval) {
	.strategy = "interval", .gup = MNB_GUP_PIN,
};

FIXTURE_VARIANT_ADD(teardown, uaccess) {
	.strategy = "uaccess", .gup = MNB_GUP_PIN,
};

FIXTURE_SETUP(teardown)
{
	read_held(&self->base);
	ASSERT_LE(0, self->base.pages)
		TH_LOG("no /sys/class/misc/<device>/pages_held: an older module?");
	ASSERT_LE(0, self->base.mappings);
	ASSERT_LE(0, self->base.devices);
}

FIXTURE_TEARDOWN(teardown)
{
}

/*
 * Starts an owner that ends as how says, once its worker answered; waits
 * for its status byte. Returns its pid; *holder_wfd (END_HOLDER) tells
 * its holder child to let go.
 */
static pid_t start_owner(struct __test_metadata *_metadata,
			 const FIXTURE_VARIANT(teardown) *variant,
			 enum owner_end how, int *holder_wfd)
{
	int p[2], h[2] = { -1, -1 };
	pid_t pid;
	char c = 'x';

	ASSERT_EQ(0, pipe(p));
	if (how == END_HOLDER)
		ASSERT_EQ(0, pipe(h));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(p[0]);
		/* Only the test may hold the holder's write end: EOF lets go. */
		if (h[1] >= 0)
			close(h[1]);
		owner_main(variant->strategy, variant->gup, how, p[1], h[0]);
	}
	close(p[1]);
	if (h[0] >= 0)
		close(h[0]);
	if (holder_wfd)
		*holder_wfd = h[1];
	EXPECT_EQ(1, read(p[0], &c, 1));
	close(p[0]);
	EXPECT_EQ('0', c)
		TH_LOG("the owner could not run its vq (step %c: 1 open or ring, 2 setup or start, 3 threads, 4 stats, 5 no answer)",
		       c);
	return pid;
}

static void expect_back(struct __test_metadata *_metadata,
			const struct held *base)
{
	struct held now;

	EXPECT_TRUE(back_to(base, &now))
		TH_LOG("held: %ld pages, %ld mappings, %ld devices; before: %ld, %ld, %ld",
		       now.pages, now.mappings, now.devices, base->pages,
		       base->mappings, base->devices);
}

/* SIGKILL with the worker inside the vq and forks and zaps in flight. */
TEST_F_TIMEOUT(teardown, owner_killed, CASE_TIMEOUT_S)
{
	pid_t pid = start_owner(_metadata, variant, END_KILLED, NULL);
	int status;

	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	expect_back(_metadata, &self->base);
}

/* exit_group() with the same threads running: exit_mmap, ->release. */
TEST_F_TIMEOUT(teardown, owner_exits, CASE_TIMEOUT_S)
{
	pid_t pid = start_owner(_metadata, variant, END_EXITS, NULL);
	int status;

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	expect_back(_metadata, &self->base);
}

/*
 * close() while forks and zaps run: the last reference may go with a
 * forked child's exit, in another mm than the device's.
 */
TEST_F_TIMEOUT(teardown, close_in_invalidation, CASE_TIMEOUT_S)
{
	pid_t pid = start_owner(_metadata, variant, END_CLOSES, NULL);
	int status;

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	expect_back(_metadata, &self->base);
}

/*
 * The owner dies while a child that inherited the fd keeps the device:
 * the worker keeps the owner's mm until the last close, then lets go.
 */
TEST_F_TIMEOUT(teardown, fd_outlives_owner, CASE_TIMEOUT_S)
{
	int holder_wfd = -1, status;
	pid_t pid = start_owner(_metadata, variant, END_HOLDER, &holder_wfd);
	struct held now;

	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	read_held(&now);
	EXPECT_EQ(self->base.devices + 1, now.devices)
		TH_LOG("the holder's device went with the owner");
	/* The holder reads EOF, or this byte, and closes the device. */
	close(holder_wfd);
	expect_back(_metadata, &self->base);
}

int main(int argc, char **argv)
{
	int first;

	cli_init("mnbench-module-teardown");
	first = module_args(argc, argv, usage, &device);
	if (first < argc)
		cli_usage_error("unexpected argument '%s'", argv[first]);
	module_device_or_skip(device);
	return test_harness_run(argc, argv);
}
