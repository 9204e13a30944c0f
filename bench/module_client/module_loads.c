// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "module_loads.h"

/* KSM settings we change, restored at exit. */
static const char *const ksm_knobs[] = { "run", "pages_to_scan",
					 "sleep_millisecs" };
static char ksm_saved[3][32];
static bool ksm_changed;

static int sysfs_rw(const char *knob, char *buf, size_t len, bool write)
{
	char path[128];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/kernel/mm/ksm/%s", knob);
	fd = open(path, write ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		return -errno;
	n = write ? (int)pwrite(fd, buf, strlen(buf), 0)
		  : (int)pread(fd, buf, len - 1, 0);
	close(fd);
	if (n < 0)
		return -errno;
	if (!write)
		buf[n] = 0;
	return 0;
}

int ksm_start(struct ring *r)
{
	char v[3][32] = { "1", "16384", "20" };
	int i, ret;

	for (i = 0; i < 3; i++) {
		ret = sysfs_rw(ksm_knobs[i], ksm_saved[i],
			       sizeof(ksm_saved[i]), false);
		if (ret)
			return ret;
	}
	if (madvise(r->mem, r->len, MADV_MERGEABLE))
		return -errno;
	ksm_changed = true;
	for (i = 2; i >= 0; i--) {
		ret = sysfs_rw(ksm_knobs[i], v[i], 0, true);
		if (ret)
			return ret;
	}
	return 0;
}

/* KSM caps sharers per page: count shared and sharing pages together. */
static unsigned long ksm_merged_pages(void)
{
	char a[32], b[32];

	if (sysfs_rw("pages_shared", a, sizeof(a), false) ||
	    sysfs_rw("pages_sharing", b, sizeof(b), false))
		return 0;
	return strtoul(a, NULL, 10) + strtoul(b, NULL, 10);
}

/* Start the guest only once KSM is merging, so its load overlaps. */
unsigned long ksm_wait_merging(double timeout_s)
{
	u64 until = now_ns() + (u64)(timeout_s * 1e9);
	unsigned long n;

	while (!(n = ksm_merged_pages()) && now_ns() < until)
		usleep(10000);
	return n;
}

void ksm_restore(void)
{
	int i;

	if (!ksm_changed)
		return;
	for (i = 0; i < 3; i++)
		sysfs_rw(ksm_knobs[i], ksm_saved[i], 0, true);
	ksm_changed = false;
}

/* Fork; the child holds the pages a moment; the parent writes them. */
static void *cow_thread(void *arg)
{
	struct cow_load *c = arg;
	int64_t cpu0 = thread_cpu_ns();
	size_t i;

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		pid_t pid = fork();

		if (pid == 0) {
			close(c->dev_fd);
			usleep(2000);
			_exit(0);
		}
		if (pid < 0)
			break;
		c->forks++;
		for (i = 0; i < BAIT_PAGES; i += 8)
			__atomic_store_n(&c->r->bait[i * PAGE], 0x5a,
					 __ATOMIC_RELAXED);
		waitpid(pid, NULL, 0);
	}
	c->cpu_ns = cpu0 < 0 ? -1 : thread_cpu_ns() - cpu0;
	return NULL;
}

int cow_start(struct cow_load *c, struct ring *r, int dev_fd)
{
	int ret;

	c->r = r;
	c->dev_fd = dev_fd;
	c->cpu_ns = -1;
	ret = pthread_create(&c->tid, NULL, cow_thread, c);
	c->running = !ret;
	return ret;
}

void cow_stop(struct cow_load *c)
{
	__atomic_store_n(&c->stop, true, __ATOMIC_RELEASE);
	if (c->running)
		pthread_join(c->tid, NULL);
	c->running = false;
}
