// SPDX-License-Identifier: GPL-2.0
/*
 * mnbench-module-fuzz: hostile and random ioctls at /dev/mnbench. Every
 * one must fail cleanly or succeed: a kselftest case (KTAP on stdout)
 * that fails if the process does not survive them. The kernel log is the
 * rest of the verdict, so it needs the module and runs in the VM test
 * (tests/vm_module.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "module_args.h"
#include "mnbench_uapi.h"

#include "module_ktap.h"

#define PAGE		4096ul
/* The harness's guard against a hung kernel; no rate is asserted. */
#define CASE_TIMEOUT_S	600

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;

static const char usage[] =
"Usage: mnbench-module-fuzz [--device PATH] N\n"
"Throws N random and hostile ioctls at /dev/mnbench (module/): each must\n"
"fail cleanly or succeed, and the kernel log must stay clean. A kselftest\n"
"case: KTAP on stdout.\n"
"\n"
"  --device PATH       default /dev/mnbench\n"
"  --help              this text\n"
"\n"
"Exit status (kselftest's): 0 the process survived every ioctl, 1 it did\n"
"not (\"not ok\"), 2 bad arguments, 4 skipped: no device (the module is\n"
"not loaded).\n";

static const char *device = "/dev/mnbench";
static unsigned long ioctls;

/* splitmix64: fixed seed, so a run that hurts the kernel can be redone. */
static u64 rng_next(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * What ioctl() gets for a command that takes a struct: room for the
 * largest one the module reads or writes (STATS grows with its counters;
 * a union too small for it is this process's stack overwritten by the
 * kernel's copy_to_user(), not the module's fault).
 */
#define FUZZ_ARG_SIZE	256

union fuzz_arg {
	struct mnb_setup su;
	struct mnb_stats st;
	struct mnb_hist_req hr;
	u8 raw[FUZZ_ARG_SIZE];
};

_Static_assert(_IOC_SIZE(MNB_IOC_SETUP) <= sizeof(union fuzz_arg),
	       "fuzz_arg cannot hold SETUP's argument");
_Static_assert(_IOC_SIZE(MNB_IOC_STATS) <= sizeof(union fuzz_arg),
	       "fuzz_arg cannot hold STATS's argument");
_Static_assert(_IOC_SIZE(MNB_IOC_HIST) <= sizeof(union fuzz_arg),
	       "fuzz_arg cannot hold HIST's argument");

static unsigned int random_cmd(u64 *rng)
{
	static const unsigned int cmds[] = { MNB_IOC_SETUP, MNB_IOC_START,
					     MNB_IOC_STOP, MNB_IOC_STATS,
					     MNB_IOC_HIST };

	return cmds[rng_next(rng) % 5];
}

/*
 * A random argument for cmd, or another command that fits the argument;
 * the command to issue is returned, *p is what ioctl() gets.
 */
static unsigned int fill_arg(u64 *rng, unsigned int cmd, union fuzz_arg *arg,
			     void **p, u8 *page)
{
	unsigned int j;

	*p = arg;
	for (j = 0; j < sizeof(arg->raw); j++)
		arg->raw[j] = (u8)rng_next(rng);
	switch (rng_next(rng) % 6) {
	case 0:		/* a plausible setup on real memory */
		memset(&arg->su, 0, sizeof(arg->su));
		arg->su.desc = (u64)(unsigned long)page;
		arg->su.avail = (u64)(unsigned long)(page + PAGE);
		arg->su.used = (u64)(unsigned long)(page + 2 * PAGE);
		arg->su.num = 1u << (rng_next(rng) % 14);
		snprintf(arg->su.strategy, sizeof(arg->su.strategy), "%s",
			 rng_next(rng) % 2 ? "counter" : "bogus");
		return MNB_IOC_SETUP;
	case 1:		/* kernel, unmapped or unaligned pointers */
		*p = (void *)(unsigned long)(rng_next(rng) % 3 ?
			0xffff888000000000ull : rng_next(rng));
		return cmd;
	case 2:
		return (unsigned int)rng_next(rng);
	case 3:		/* histogram pointing at junk */
		arg->hr.which = (u32)rng_next(rng) % 6;
		arg->hr.nbuckets = (u32)rng_next(rng);
		arg->hr.buckets = rng_next(rng);
		return MNB_IOC_HIST;
	default:
		return cmd;
	}
}

/* Real memory for the plausible SETUPs to point at. */
FIXTURE(fuzz) {
	u8 *page;
};

FIXTURE_SETUP(fuzz)
{
	self->page = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->page);
}

FIXTURE_TEARDOWN(fuzz)
{
	munmap(self->page, 4 * PAGE);
}

/*
 * A kernel oops kills this process: the harness then reports the case
 * "not ok", and the VM's kernel log check names the oops.
 */
TEST_F_TIMEOUT(fuzz, random_ioctls, CASE_TIMEOUT_S)
{
	unsigned long i, ok = 0;
	u64 rng = 42;
	int fd = -1;

	for (i = 0; i < ioctls; i++) {
		/* Drawn first, as ever: the seed still gives the same run. */
		unsigned int cmd = random_cmd(&rng);
		union fuzz_arg arg;
		void *p;

		if (fd < 0 || !(rng_next(&rng) % 64)) {
			if (fd >= 0)
				close(fd);	/* sometimes with a worker running */
			fd = open(device, O_RDWR | O_CLOEXEC);
			ASSERT_LE(0, fd) TH_LOG("cannot open %s: %s", device,
						strerror(errno));
		}
		cmd = fill_arg(&rng, cmd, &arg, &p, self->page);
		if (!ioctl(fd, cmd, p))
			ok++;
	}
	close(fd);
	TH_LOG("%lu ioctls, %lu succeeded, the rest refused cleanly", ioctls,
	       ok);
}

int main(int argc, char **argv)
{
	int first;

	cli_init("mnbench-module-fuzz");
	first = module_args(argc, argv, usage, &device);
	if (first == argc)
		cli_usage_error("N, the number of ioctls, is missing");
	if (first < argc - 1)
		cli_usage_error("one N only, not also '%s'", argv[first + 1]);
	ioctls = cli_ulong("N", argv[first], 1, 100000000);
	module_device_or_skip(device);
	return test_harness_run(argc, argv);
}
