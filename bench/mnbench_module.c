// SPDX-License-Identifier: GPL-2.0
/*
 * mnbench-module: the userspace side of a module run. It lays a virtqueue
 * out in its own memory, has /dev/mnbench's worker consume it through a
 * strategy, posts and checks buffers from a guest thread, and makes real
 * load: KSM merging of identical pages and COW after fork. --fuzz throws
 * hostile ioctls at the device instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "histogram.h"
#include "json_writer.h"
#include "mnbench_uapi.h"
#include "vring.h"

#define EXIT_USAGE	2
#define EXIT_NO_DEVICE	3
#define PAGE		4096ul
#define BAIT_PAGES	256	/* identical pages for KSM to merge */

enum load { LOAD_NONE, LOAD_KSM, LOAD_COW, LOAD_MIXED };
static const char *const load_names[] = { "none", "ksm", "cow", "mixed" };

struct opts {
	const char *device;
	const char *strategy;
	enum load load;
	unsigned int num;
	unsigned long buffers;
	double timeout_s;
	unsigned long fuzz;
	bool json;
};

struct ring {
	u8 *mem;
	size_t len;
	struct mn_vring_desc *desc;
	struct mn_vring_avail *avail;
	struct mn_vring_used *used;
	u8 *bufs;
	u8 *bait;
	unsigned int num;
};

struct guest {
	struct ring *r;
	unsigned long target;
	bool stop;			/* atomic */
	u64 posted, completed, corrupted, outstanding;
	u64 rng;
};

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static u64 rng_next(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int ring_init(struct ring *r, unsigned int num)
{
	size_t desc = mn_vring_desc_size(num), avail = mn_vring_avail_size(num);
	size_t used = mn_vring_used_size(num);
	size_t off_avail = (desc + PAGE - 1) & ~(PAGE - 1);
	size_t off_used = off_avail + ((avail + PAGE - 1) & ~(PAGE - 1));
	size_t off_bufs = off_used + ((used + PAGE - 1) & ~(PAGE - 1));
	size_t off_bait = off_bufs + (((size_t)MN_BUF_SIZE * num + PAGE - 1) &
				      ~(PAGE - 1));

	r->num = num;
	r->len = off_bait + BAIT_PAGES * PAGE;
	r->mem = mmap(NULL, r->len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->mem == MAP_FAILED)
		return -errno;
	/* Predictable 4 KiB pages: KSM and COW work page by page. */
	madvise(r->mem, r->len, MADV_NOHUGEPAGE);
	memset(r->mem, 0, r->len);
	r->desc = (void *)r->mem;
	r->avail = (void *)(r->mem + off_avail);
	r->used = (void *)(r->mem + off_used);
	r->bufs = r->mem + off_bufs;
	r->bait = r->mem + off_bait;
	memset(r->bait, 0x5a, BAIT_PAGES * PAGE);
	return 0;
}

static void *guest_thread(void *arg)
{
	struct guest *g = arg;
	struct ring *r = g->r;
	u16 avail_idx = 0, last_used = 0, *free_ids;
	u64 *seq, *nonce, next_seq = 1;
	unsigned int nfree = r->num, i;
	bool *busy;

	free_ids = calloc(r->num, sizeof(*free_ids));
	seq = calloc(r->num, sizeof(*seq));
	nonce = calloc(r->num, sizeof(*nonce));
	busy = calloc(r->num, sizeof(*busy));
	if (!free_ids || !seq || !nonce || !busy)
		goto out;
	for (i = 0; i < r->num; i++)
		free_ids[i] = (u16)(r->num - 1 - i);
	while (!__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE)) {
		unsigned int work = 0;
		u16 used_idx;

		while (nfree && g->posted < g->target) {
			u16 d = free_ids[--nfree];
			struct mn_request *req = (void *)(r->bufs +
							  (size_t)d * MN_BUF_SIZE);

			busy[d] = true;
			seq[d] = next_seq++;
			nonce[d] = rng_next(&g->rng);
			req->seq = seq[d];
			req->nonce = nonce[d];
			req->answer = 0;
			r->desc[d].addr = (u64)(unsigned long)req;
			r->desc[d].len = MN_BUF_SIZE;
			r->desc[d].flags = MN_VRING_DESC_F_WRITE;
			r->desc[d].next = 0;
			r->avail->ring[avail_idx & (r->num - 1)] = d;
			avail_idx++;
			g->posted++;
			g->outstanding++;
			work++;
		}
		__atomic_store_n(&r->avail->idx, avail_idx, __ATOMIC_RELEASE);
		used_idx = __atomic_load_n(&r->used->idx, __ATOMIC_ACQUIRE);
		while (last_used != used_idx) {
			struct mn_vring_used_elem e =
				r->used->ring[last_used & (r->num - 1)];
			struct mn_request *req;

			last_used++;
			work++;
			if (e.id >= r->num || !busy[e.id]) {
				g->corrupted++;
				continue;
			}
			req = (void *)(r->bufs + (size_t)e.id * MN_BUF_SIZE);
			busy[e.id] = false;
			free_ids[nfree++] = (u16)e.id;
			g->outstanding--;
			if (req->seq != seq[e.id] || e.len != sizeof(*req) ||
			    req->answer != mn_answer(seq[e.id], nonce[e.id]))
				g->corrupted++;
			else
				g->completed++;
		}
		if (!work)
			usleep(50);
	}
out:
	free(free_ids);
	free(seq);
	free(nonce);
	free(busy);
	return NULL;
}

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

static int ksm_start(struct ring *r)
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
static unsigned long ksm_wait_merging(double timeout_s)
{
	u64 until = now_ns() + (u64)(timeout_s * 1e9);
	unsigned long n;

	while (!(n = ksm_merged_pages()) && now_ns() < until)
		usleep(10000);
	return n;
}

static void ksm_restore(void)
{
	int i;

	if (!ksm_changed)
		return;
	for (i = 0; i < 3; i++)
		sysfs_rw(ksm_knobs[i], ksm_saved[i], 0, true);
	ksm_changed = false;
}

struct cow_load {
	struct ring *r;
	int dev_fd;		/* the child must not keep the device open */
	bool stop;
	u64 forks;
};

/* Fork; the child holds the pages a moment; the parent writes them. */
static void *cow_thread(void *arg)
{
	struct cow_load *c = arg;
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
	return NULL;
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

static void json_hist(struct json_writer *w, const char *key,
		      const struct histogram *h)
{
	json_object_begin(w, key);
	json_uint(w, "count", h->count);
	json_uint(w, "p50", hist_percentile(h, 50));
	json_uint(w, "p99", hist_percentile(h, 99));
	json_uint(w, "p999", hist_percentile(h, 99.9));
	json_uint(w, "max", h->max);
	json_object_end(w);
}

static int run(const struct opts *o)
{
	struct histogram h[MNB_HIST_NR];
	struct cow_load cow = { 0 };
	struct mnb_setup su = { 0 };
	struct mnb_stats st;
	struct guest g = { 0 };
	pthread_t guest_tid, cow_tid;
	struct json_writer w;
	struct ring r;
	u64 t0, elapsed;
	unsigned long ksm_pages = 0;
	int fd, ret = 1, i;
	bool timed_out = false;

	fd = open(o->device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "mnbench-module: cannot open %s: %s; is the module loaded (insmod module/mnbench.ko)?\n",
			o->device, strerror(errno));
		return EXIT_NO_DEVICE;
	}
	if (ring_init(&r, o->num)) {
		perror("mnbench-module: mmap");
		goto close_fd;
	}
	su.desc = (u64)(unsigned long)r.desc;
	su.avail = (u64)(unsigned long)r.avail;
	su.used = (u64)(unsigned long)r.used;
	su.num = o->num;
	snprintf(su.strategy, sizeof(su.strategy), "%s", o->strategy);
	if (ioctl(fd, MNB_IOC_SETUP, &su) || ioctl(fd, MNB_IOC_START)) {
		fprintf(stderr, "mnbench-module: setting up the vq: %s%s\n",
			strerror(errno), errno == EPERM ?
			" (this strategy BUGs or deadlocks a kernel: load the module with allow_dangerous=1 on a disposable machine)" :
			"");
		goto unmap;
	}
	if ((o->load == LOAD_KSM || o->load == LOAD_MIXED) &&
	    (ret = ksm_start(&r))) {
		fprintf(stderr, "mnbench-module: cannot drive KSM: %s\n",
			strerror(-ret));
		ret = 1;
		goto stop;
	}
	if (o->load == LOAD_KSM || o->load == LOAD_MIXED)
		ksm_pages = ksm_wait_merging(o->timeout_s / 2);
	g.r = &r;
	g.target = o->buffers;
	g.rng = 1;
	cow.r = &r;
	cow.dev_fd = fd;
	t0 = now_ns();
	pthread_create(&guest_tid, NULL, guest_thread, &g);
	if (o->load == LOAD_COW || o->load == LOAD_MIXED)
		pthread_create(&cow_tid, NULL, cow_thread, &cow);
	while (__atomic_load_n(&g.completed, __ATOMIC_RELAXED) +
	       __atomic_load_n(&g.corrupted, __ATOMIC_RELAXED) < o->buffers) {
		if (now_ns() - t0 > (u64)(o->timeout_s * 1e9)) {
			timed_out = true;
			break;
		}
		usleep(1000);
	}
	elapsed = now_ns() - t0;
	__atomic_store_n(&cow.stop, true, __ATOMIC_RELEASE);
	if (o->load == LOAD_COW || o->load == LOAD_MIXED)
		pthread_join(cow_tid, NULL);
	__atomic_store_n(&g.stop, true, __ATOMIC_RELEASE);
	pthread_join(guest_tid, NULL);
	ret = 0;
stop:
	ioctl(fd, MNB_IOC_STOP);
	ksm_restore();
	if (ret)
		goto unmap;
	memset(&st, 0, sizeof(st));
	if (ioctl(fd, MNB_IOC_STATS, &st))
		perror("mnbench-module: stats");
	for (i = 0; i < MNB_HIST_NR; i++)
		get_hist(fd, i, &h[i]);
	json_init(&w, stdout);
	json_object_begin(&w, NULL);
	json_string(&w, "strategy", o->strategy);
	json_string(&w, "load", load_names[o->load]);
	json_string(&w, "source", "module");
	json_object_begin(&w, "buffers");
	json_uint(&w, "posted", g.posted);
	json_uint(&w, "completed", g.completed);
	json_uint(&w, "lost", g.outstanding);
	json_uint(&w, "corrupted", g.corrupted);
	json_object_end(&w);
	json_bool(&w, "timed_out", timed_out);
	json_double(&w, "elapsed_s", elapsed / 1e9);
	json_double(&w, "ops_per_sec", g.completed / (elapsed / 1e9));
	json_uint(&w, "fallbacks", st.fallbacks);
	json_uint(&w, "retries", st.retries);
	json_uint(&w, "remaps", st.remaps);
	json_uint(&w, "map_accesses", st.map_reads + st.map_writes);
	json_uint(&w, "bad_heads", st.bad_heads);
	json_uint(&w, "worker_errors", st.worker_errors);
	json_object_begin(&w, "callbacks");
	json_uint(&w, "invalidate_range_start", st.start_calls);
	json_uint(&w, "invalidate_range_end", st.end_calls);
	json_uint(&w, "invalidate_range", st.invalidate_range_calls);
	json_uint(&w, "release", st.release_calls);
	json_object_end(&w);
	json_uint(&w, "forks", cow.forks);
	json_uint(&w, "ksm_merged_pages", ksm_pages);
	json_hist(&w, "inval_latency_ns", &h[MNB_HIST_TOTAL]);
	json_object_begin(&w, "callback_latency_ns");
	json_hist(&w, "invalidate_range_start", &h[MNB_HIST_START]);
	json_hist(&w, "invalidate_range_end", &h[MNB_HIST_END]);
	json_hist(&w, "invalidate_range", &h[MNB_HIST_INVAL_RANGE]);
	json_object_end(&w);
	json_object_end(&w);
	ret = json_finish(&w) ? 1 : 0;
unmap:
	munmap(r.mem, r.len);
close_fd:
	close(fd);
	return ret;
}

/* Hostile and random ioctls: every one must fail cleanly or succeed. */
static int fuzz(const struct opts *o)
{
	static const unsigned int cmds[] = { MNB_IOC_SETUP, MNB_IOC_START,
					     MNB_IOC_STOP, MNB_IOC_STATS,
					     MNB_IOC_HIST };
	unsigned long i, ok = 0;
	u64 rng = 42;
	u8 *page = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = -1;

	if (page == MAP_FAILED)
		return 1;
	for (i = 0; i < o->fuzz; i++) {
		union {
			struct mnb_setup su;
			struct mnb_hist_req hr;
			u8 raw[128];
		} arg;
		unsigned int j, cmd = cmds[rng_next(&rng) % 5];
		void *p = &arg;

		if (fd < 0 || !(rng_next(&rng) % 64)) {
			if (fd >= 0)
				close(fd);	/* sometimes with a worker running */
			fd = open(o->device, O_RDWR | O_CLOEXEC);
			if (fd < 0) {
				perror(o->device);
				return EXIT_NO_DEVICE;
			}
		}
		for (j = 0; j < sizeof(arg.raw); j++)
			arg.raw[j] = (u8)rng_next(&rng);
		switch (rng_next(&rng) % 6) {
		case 0:		/* a plausible setup on real memory */
			memset(&arg.su, 0, sizeof(arg.su));
			arg.su.desc = (u64)(unsigned long)page;
			arg.su.avail = (u64)(unsigned long)(page + PAGE);
			arg.su.used = (u64)(unsigned long)(page + 2 * PAGE);
			arg.su.num = 1u << (rng_next(&rng) % 14);
			snprintf(arg.su.strategy, sizeof(arg.su.strategy),
				 "%s", rng_next(&rng) % 2 ? "counter" : "bogus");
			cmd = MNB_IOC_SETUP;
			break;
		case 1:		/* kernel, unmapped or unaligned pointers */
			p = (void *)(unsigned long)(rng_next(&rng) % 3 ?
				0xffff888000000000ull : rng_next(&rng));
			break;
		case 2:
			cmd = (unsigned int)rng_next(&rng);
			break;
		case 3:		/* histogram pointing at junk */
			arg.hr.which = (u32)rng_next(&rng) % 6;
			arg.hr.nbuckets = (u32)rng_next(&rng);
			arg.hr.buckets = rng_next(&rng);
			cmd = MNB_IOC_HIST;
			break;
		default:
			break;
		}
		if (!ioctl(fd, cmd, p))
			ok++;
	}
	if (fd >= 0)
		close(fd);
	munmap(page, 4 * PAGE);
	printf("fuzz: %lu ioctls, %lu succeeded, the rest refused cleanly\n",
	       o->fuzz, ok);
	return 0;
}

static const char usage[] =
"Usage: mnbench-module [options]\n"
"Drive /dev/mnbench (module/): a worker in the kernel consumes a virtqueue\n"
"in this process's memory through the chosen strategy while this process\n"
"posts and checks buffers and makes KSM or COW load. Prints JSON.\n"
"\n"
"  --strategy NAME     invalidation strategy (default counter)\n"
"  --load LOAD         none|ksm|cow|mixed (default none)\n"
"  --buffers N         buffers to complete (default 20000)\n"
"  --timeout S         give up after S seconds (default 60)\n"
"  --ring-size N       power of two, 2..4096 (default 256)\n"
"  --device PATH       default /dev/mnbench\n"
"  --fuzz N            instead: N random and hostile ioctls\n"
"  --help              this text\n"
"\n"
"Exit status: 0 done, 1 failure, 2 bad arguments, 3 no device (module\n"
"not loaded). KSM load changes /sys/kernel/mm/ksm and restores it.\n";

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "strategy", required_argument, NULL, 's' },
		{ "load", required_argument, NULL, 'l' },
		{ "buffers", required_argument, NULL, 'b' },
		{ "timeout", required_argument, NULL, 't' },
		{ "ring-size", required_argument, NULL, 'r' },
		{ "device", required_argument, NULL, 'd' },
		{ "fuzz", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = {
		.device = "/dev/mnbench", .strategy = "counter",
		.load = LOAD_NONE, .num = 256, .buffers = 20000,
		.timeout_s = 60,
	};
	char *end;
	int c, i;

	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		errno = 0;
		switch (c) {
		case 's':
			o.strategy = optarg;
			break;
		case 'l':
			for (i = 0; i < 4 && strcmp(optarg, load_names[i]); i++)
				;
			if (i == 4) {
				fprintf(stderr, "mnbench-module: unknown load '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			o.load = i;
			break;
		case 'b':
			o.buffers = strtoul(optarg, &end, 10);
			if (errno || *end || !o.buffers)
				goto bad;
			break;
		case 't':
			o.timeout_s = strtod(optarg, &end);
			if (errno || *end || !(o.timeout_s > 0))
				goto bad;
			break;
		case 'r':
			o.num = strtoul(optarg, &end, 10);
			if (errno || *end || o.num < 2 || o.num > MNB_MAX_RING ||
			    (o.num & (o.num - 1)))
				goto bad;
			break;
		case 'd':
			o.device = optarg;
			break;
		case 'f':
			o.fuzz = strtoul(optarg, &end, 10);
			if (errno || *end || !o.fuzz)
				goto bad;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'mnbench-module --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mnbench-module: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_IGN);
	return o.fuzz ? fuzz(&o) : run(&o);
bad:
	fprintf(stderr, "mnbench-module: bad value '%s'\nTry 'mnbench-module --help'.\n",
		optarg);
	return EXIT_USAGE;
}
