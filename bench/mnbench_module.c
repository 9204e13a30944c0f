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

#include "atomic_file.h"
#include "name_list.h"
#include "gbench.h"
#include "host_context.h"
#include "histogram.h"
#include "latency_counters.h"
#include "mnbench_uapi.h"
#include "strategy_names.h"
#include "vq/vring.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

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
};

/* One module run, reported with the harness's counter names. */
struct result {
	struct mnb_stats st;
	struct histogram h[MNB_HIST_NR];
	u64 posted, completed, lost, corrupted, forks;
	unsigned long ksm_pages;
	double elapsed_s;
	bool timed_out;
	int setup_errno;	/* the module refused the vq */
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

static int run(const struct opts *o, struct result *res)
{
	struct cow_load cow = { 0 };
	struct mnb_setup su = { 0 };
	struct guest g = { 0 };
	pthread_t guest_tid, cow_tid;
	struct ring r;
	u64 t0, elapsed;
	unsigned long ksm_pages = 0;
	int fd, ret = 1, i;
	bool timed_out = false, cow_running;

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
		res->setup_errno = errno;
		goto unmap;
	}
	ret = o->load == LOAD_KSM || o->load == LOAD_MIXED ? ksm_start(&r) : 0;
	if (ret) {
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
	ret = 1;
	if (pthread_create(&guest_tid, NULL, guest_thread, &g)) {
		fprintf(stderr, "mnbench-module: cannot start the guest thread\n");
		goto stop;
	}
	cow_running = (o->load == LOAD_COW || o->load == LOAD_MIXED) &&
		      !pthread_create(&cow_tid, NULL, cow_thread, &cow);
	if (!cow_running && (o->load == LOAD_COW || o->load == LOAD_MIXED)) {
		fprintf(stderr, "mnbench-module: cannot start the COW thread\n");
		__atomic_store_n(&g.stop, true, __ATOMIC_RELEASE);
		pthread_join(guest_tid, NULL);
		goto stop;
	}
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
	if (cow_running)
		pthread_join(cow_tid, NULL);
	__atomic_store_n(&g.stop, true, __ATOMIC_RELEASE);
	pthread_join(guest_tid, NULL);
	ret = 0;
stop:
	ioctl(fd, MNB_IOC_STOP);
	ksm_restore();
	if (ret)
		goto unmap;
	if (ioctl(fd, MNB_IOC_STATS, &res->st))
		perror("mnbench-module: stats");
	for (i = 0; i < MNB_HIST_NR; i++)
		get_hist(fd, i, &res->h[i]);
	res->posted = g.posted;
	res->completed = g.completed;
	res->lost = g.outstanding;
	res->corrupted = g.corrupted;
	res->forks = cow.forks;
	res->ksm_pages = ksm_pages;
	res->elapsed_s = elapsed / 1e9;
	res->timed_out = timed_out;
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

struct module_case {
	char name[96];
	struct opts o;
};

static void count(struct gb_state *st, const char *name, double v)
{
	gb_counter(st, name, v, GB_COUNTER_PLAIN);
}

/* One module run per repetition, reported as mnbench reports the model. */
static void module_case(struct gb_state *st, void *arg)
{
	struct module_case *c = arg;
	struct result *res = calloc(1, sizeof(*res));
	const struct histogram *h;
	char why[160];
	u64 accesses;

	if (!res) {
		gb_skip(st, "out of memory");
		return;
	}
	fprintf(stderr, "mnbench-module: %s\n", c->name);
	while (gb_keep_running(st)) {
		int ret;

		memset(res, 0, sizeof(*res));
		ret = run(&c->o, res);
		if (res->setup_errno) {
			snprintf(why, sizeof(why), "the module refused it: %s%s",
				 strerror(res->setup_errno),
				 res->setup_errno == EPERM ?
				 " (breaks kernel rules; allow_dangerous=1 on a disposable machine)" :
				 "");
			gb_skip(st, why);
			break;
		}
		if (ret) {
			gb_skip(st, "the run failed");
			break;
		}
		gb_set_iteration_time(st, res->elapsed_s);
	}
	if (!res->setup_errno && res->elapsed_s > 0) {
		h = &res->h[MNB_HIST_TOTAL];
		accesses = res->st.map_reads + res->st.map_writes +
			   res->st.fallbacks;
		gb_set_items_processed(st, (int64_t)res->completed);
		gb_latency_counters(st, h);
		count(st, "start_p99_ns",
		      hist_percentile(&res->h[MNB_HIST_START], 99));
		count(st, "end_p99_ns", hist_percentile(&res->h[MNB_HIST_END], 99));
		count(st, "invalidate_range_p99_ns",
		      hist_percentile(&res->h[MNB_HIST_INVAL_RANGE], 99));
		gb_counter(st, "invalidations", res->st.start_calls,
			   GB_COUNTER_RATE);
		count(st, "fallback_rate",
		      accesses ? (double)res->st.fallbacks / accesses : 0);
		count(st, "retry_rate",
		      accesses ? (double)res->st.retries / accesses : 0);
		count(st, "lost", res->lost);
		count(st, "corrupted", res->corrupted);
		count(st, "completed", res->completed);
		count(st, "start_calls", res->st.start_calls);
		count(st, "end_calls", res->st.end_calls);
		count(st, "invalidate_range_calls",
		      res->st.invalidate_range_calls);
		count(st, "timed_out", res->timed_out);
		count(st, "forks", res->forks);
		count(st, "ksm_merged_pages", res->ksm_pages);
		count(st, "bad_heads", res->st.bad_heads);
		count(st, "worker_errors", res->st.worker_errors);
		gb_set_label(st, "module");
	}
	free(res);
}

static const char usage[] =
"Usage: mnbench-module [options] [--benchmark_* flags]\n"
"Drive /dev/mnbench (module/): a worker in the kernel consumes a virtqueue\n"
"in this process's memory through each strategy while this process posts\n"
"and checks buffers and makes KSM or COW load. Reports like mnbench\n"
"(Google Benchmark JSON, cases throughput/<strategy>/<load>/vqs:1), so\n"
"model and module runs compare case by case.\n"
"\n"
"  --strategies LIST   comma-separated (default: all but test-only ones;\n"
"                      the module refuses rule-breaking ones unless loaded\n"
"                      with allow_dangerous=1, and the case says so)\n"
"  --loads LIST        from none,ksm,cow,mixed (default none,ksm,cow,mixed)\n"
"  --buffers N         buffers each run completes (default 20000)\n"
"  --timeout S         a run gives up after S seconds (default 60)\n"
"  --ring-size N       power of two, 2..4096 (default 256)\n"
"  --repetitions N     runs per case (default 1)\n"
"  --device PATH       default /dev/mnbench\n"
"  --out FILE          also write the JSON report there, atomically\n"
"  --fuzz N            instead: N random and hostile ioctls\n"
"  --help              this text\n"
"\n"
"Exit status: 0 done, 1 failure, 2 bad arguments, 3 no device (module\n"
"not loaded). KSM load changes /sys/kernel/mm/ksm and restores it.\n";

static char **gb_argv;	/* global: exits anywhere leak nothing */

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "strategies", required_argument, NULL, 's' },
		{ "loads", required_argument, NULL, 'l' },
		{ "buffers", required_argument, NULL, 'b' },
		{ "timeout", required_argument, NULL, 't' },
		{ "ring-size", required_argument, NULL, 'r' },
		{ "repetitions", required_argument, NULL, 'n' },
		{ "device", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "fuzz", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = {
		.device = "/dev/mnbench", .num = 256, .buffers = 20000,
		.timeout_s = 60,
	};
	static struct module_case cases[64];
	const char *strategies = NULL, *loads = "none,ksm,cow,mixed";
	const char *out = NULL;
	char reps[48] = "--benchmark_repetitions=1", *json = NULL, *end;
	unsigned int ncases = 0, k, l;
	int c, gb_argc = 2, fd;
	struct gb_options gopts = { .iterations = 1, .manual_time = true };

	gb_argv = calloc(argc + 2, sizeof(*gb_argv));
	if (!gb_argv)
		return 1;
	gb_argv[0] = argv[0];
	gb_argv[1] = reps;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "-", lopts, NULL)) != -1) {
		errno = 0;
		switch (c) {
		case 1:
		case '?':
			if (!strncmp(argv[optind - 1], "--benchmark_", 12) &&
			    strncmp(argv[optind - 1], "--benchmark_out", 15)) {
				gb_argv[gb_argc++] = argv[optind - 1];
				break;
			}
			fprintf(stderr, "mnbench-module: unknown or refused argument '%s' (use --out for files)\n",
				argv[optind - 1]);
			return EXIT_USAGE;
		case 's':
			strategies = optarg;
			break;
		case 'l':
			loads = optarg;
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
			if (errno || *end || !mn_vring_num_valid(o.num))
				goto bad;
			break;
		case 'n':
			k = strtoul(optarg, &end, 10);
			if (errno || *end || !k || k > 100)
				goto bad;
			snprintf(reps, sizeof(reps),
				 "--benchmark_repetitions=%u", k);
			break;
		case 'd':
			o.device = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'f':
			o.fuzz = strtoul(optarg, &end, 10);
			if (errno || *end || !o.fuzz)
				goto bad;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if (o.fuzz)
		return fuzz(&o);
	/* Names first, so a typo is refused before anything runs. */
	if (strategies) {
		char buf[256], *tok, *save;

		snprintf(buf, sizeof(buf), "%s", strategies);
		for (tok = strtok_r(buf, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			if (!mn_strategy_name_find(tok)) {
				fprintf(stderr, "mnbench-module: unknown strategy '%s'\n",
					tok);
				return EXIT_USAGE;
			}
	}
	for (l = 0; l < 4; l++)
		if (name_in_list(loads, load_names[l]))
			break;
	if (l == 4 || strspn(loads, "abcdefghijklmnopqrstuvwxyz,") !=
	    strlen(loads)) {
		fprintf(stderr, "mnbench-module: bad --loads '%s' (none, ksm, cow, mixed)\n",
			loads);
		return EXIT_USAGE;
	}
	fd = open(o.device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "mnbench-module: cannot open %s: %s; is the module loaded (insmod module/mnbench.ko)?\n",
			o.device, strerror(errno));
		return EXIT_NO_DEVICE;
	}
	close(fd);
	for (k = 0; k < MN_NR_STRATEGIES; k++) {
		const struct mn_strategy_name *s = &mn_strategy_names[k];

		if (strategies ? !name_in_list(strategies, s->name) :
		    (s->flags & MN_TEST_ONLY))
			continue;
		for (l = 0; l < 4 && ncases < 64; l++) {
			struct module_case *mc = &cases[ncases];

			if (!name_in_list(loads, load_names[l]))
				continue;
			mc->o = o;
			mc->o.strategy = s->name;
			mc->o.load = l;
			snprintf(mc->name, sizeof(mc->name),
				 "throughput/%s/%s/vqs:1", s->name, load_names[l]);
			gb_register(mc->name, module_case, mc, &gopts);
			ncases++;
		}
	}
	if (gb_initialize(gb_argc, gb_argv, out != NULL))
		return EXIT_USAGE;
	gb_add_context("source", "module");
	gb_add_context("device", o.device);
	host_context_add();
	gb_add_context("build_type", MNBENCH_BUILD_TYPE);
	gb_run(out ? &json : NULL);
	gb_shutdown();
	if (out && (!json || atomic_write_file(out, json, strlen(json)))) {
		fprintf(stderr, "mnbench-module: cannot write %s: %s\n", out,
			strerror(errno));
		return 1;
	}
	free(json);
	return 0;
bad:
	fprintf(stderr, "mnbench-module: bad value '%s'\nTry 'mnbench-module --help'.\n",
		optarg);
	return EXIT_USAGE;
}
