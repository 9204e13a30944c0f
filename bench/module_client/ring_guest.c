// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "mnbench_uapi.h"
#include "ring_guest.h"

u64 now_ns(void)
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

static size_t page_align(size_t len)
{
	return (len + PAGE - 1) & ~(PAGE - 1);
}

int ring_init(struct ring *r, unsigned int num)
{
	return ring_init_bait(r, num, BAIT_PAGES);
}

int ring_init_bait(struct ring *r, unsigned int num, unsigned int bait)
{
	size_t off_avail = page_align(mn_vring_desc_size(num));
	size_t off_used = off_avail + page_align(mn_vring_avail_size(num));
	size_t off_bufs = off_used + page_align(mn_vring_used_size(num));
	size_t off_bait = off_bufs + page_align((size_t)MN_BUF_SIZE * num);

	r->num = num;
	r->len = off_bait + (size_t)bait * PAGE;
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
	memset(r->bait, 0x5a, (size_t)bait * PAGE);
	return 0;
}

void ring_free(struct ring *r)
{
	munmap(r->mem, r->len);
}

int ring_setup_vq(int fd, const struct ring *r, const char *strategy,
		  u32 flags)
{
	struct mnb_setup su = { 0 };

	su.desc = (u64)(unsigned long)r->desc;
	su.avail = (u64)(unsigned long)r->avail;
	su.used = (u64)(unsigned long)r->used;
	su.num = r->num;
	su.flags = flags;
	snprintf(su.strategy, sizeof(su.strategy), "%s", strategy);
	return ioctl(fd, MNB_IOC_SETUP, &su) ? errno : 0;
}

/* The guest thread's own view of one ring's descriptors. */
struct guest_state {
	struct guest *g;
	struct ring *r;
	unsigned long posted;	/* on this ring */
	unsigned long since_zap;
	u16 avail_idx, last_used;
	u16 *free_ids;
	unsigned int nfree;
	u64 *seq, *nonce, next_seq;
	bool *busy;
};

static struct mn_request *request(struct ring *r, unsigned int id)
{
	return (void *)(r->bufs + (size_t)id * MN_BUF_SIZE);
}

#define GUEST_ZAP_PERIOD	64

/*
 * Only an idle ring's table is zapped: no descriptor the worker may still
 * read is lost, and a worker that reads one through a mapping of the old
 * page afterwards reads a stale generation (desc.next).
 */
static bool guest_zap(struct guest_state *s)
{
	struct ring *r = s->r;

	if (s->since_zap < GUEST_ZAP_PERIOD)
		return true;
	if (s->nfree != r->num)
		return false;	/* wait until every buffer is back */
	if (!madvise(r->desc, page_align(mn_vring_desc_size(r->num)),
		     MADV_DONTNEED))
		s->g->zaps++;
	s->since_zap = 0;
	return true;
}

/* Post free descriptors until the target is reached; how many posted. */
static unsigned int guest_post(struct guest_state *s)
{
	struct guest *g = s->g;
	struct ring *r = s->r;
	unsigned int work = 0;

	if (g->zap && !guest_zap(s))
		return 0;

	while (s->nfree && g->posted < g->target &&
	       s->posted < g->per_ring) {
		u16 d = s->free_ids[--s->nfree];
		struct mn_request *req = request(r, d);

		s->busy[d] = true;
		s->seq[d] = s->next_seq++;
		s->nonce[d] = rng_next(&g->rng);
		req->seq = s->seq[d];
		req->nonce = s->nonce[d];
		req->answer = 0;
		r->desc[d].addr = (u64)(unsigned long)req;
		r->desc[d].len = MN_BUF_SIZE;
		r->desc[d].flags = MN_VRING_DESC_F_WRITE;
		/* Unused (no F_NEXT): a generation the stale check can see. */
		r->desc[d].next = (u16)s->next_seq;
		r->avail->ring[s->avail_idx & (r->num - 1)] = d;
		s->avail_idx++;
		s->posted++;
		s->since_zap++;
		g->posted++;
		g->outstanding++;
		work++;
	}
	__atomic_store_n(&r->avail->idx, s->avail_idx, __ATOMIC_RELEASE);
	return work;
}

/* Check what the device gave back; how many used entries were read. */
static unsigned int guest_reap(struct guest_state *s)
{
	struct guest *g = s->g;
	struct ring *r = s->r;
	u16 used_idx = __atomic_load_n(&r->used->idx, __ATOMIC_ACQUIRE);
	unsigned int work = 0;

	while (s->last_used != used_idx) {
		struct mn_vring_used_elem e =
			r->used->ring[s->last_used & (r->num - 1)];
		struct mn_request *req;

		s->last_used++;
		work++;
		if (e.id >= r->num || !s->busy[e.id]) {
			g->corrupted++;
			continue;
		}
		req = request(r, e.id);
		s->busy[e.id] = false;
		s->free_ids[s->nfree++] = (u16)e.id;
		g->outstanding--;
		if (req->seq != s->seq[e.id] || e.len != sizeof(*req) ||
		    req->answer != mn_answer(s->seq[e.id], s->nonce[e.id]))
			g->corrupted++;
		else
			g->completed++;
	}
	return work;
}

static void guest_state_free(struct guest_state *s)
{
	free(s->free_ids);
	free(s->seq);
	free(s->nonce);
	free(s->busy);
}

static int guest_state_init(struct guest_state *s, struct guest *g,
			    struct ring *r)
{
	unsigned int i;

	s->g = g;
	s->r = r;
	s->next_seq = 1;
	s->nfree = r->num;
	s->free_ids = calloc(r->num, sizeof(*s->free_ids));
	s->seq = calloc(r->num, sizeof(*s->seq));
	s->nonce = calloc(r->num, sizeof(*s->nonce));
	s->busy = calloc(r->num, sizeof(*s->busy));
	if (!s->free_ids || !s->seq || !s->nonce || !s->busy)
		return -ENOMEM;
	for (i = 0; i < r->num; i++)
		s->free_ids[i] = (u16)(r->num - 1 - i);
	return 0;
}

/* One thread over every ring, as a guest's driver polls its queues. */
static void *guest_thread(void *arg)
{
	struct guest *g = arg;
	struct guest_state *s = calloc(g->nrings, sizeof(*s));
	unsigned int i, work;

	for (i = 0; s && i < g->nrings; i++)
		if (guest_state_init(&s[i], g, g->rings[i]))
			break;
	if (!s || i < g->nrings) {
		__atomic_store_n(&g->failed, true, __ATOMIC_RELEASE);
		goto out;
	}
	while (s && !__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE)) {
		work = 0;
		for (i = 0; i < g->nrings; i++) {
			work += guest_post(&s[i]);
			work += guest_reap(&s[i]);
		}
		if (!work)
			usleep(50);
	}
out:
	/* calloc'ed: a state never initialised frees nothing. */
	for (i = 0; s && i < g->nrings; i++)
		guest_state_free(&s[i]);
	free(s);
	return NULL;
}

int guest_start(struct guest *g, struct ring **rings, unsigned int nrings,
		unsigned long target)
{
	g->rings = rings;
	g->nrings = nrings;
	g->target = target;
	/* An even share each, so every ring carries buffers. */
	g->per_ring = (target + nrings - 1) / nrings;
	g->rng = 1;
	return pthread_create(&g->tid, NULL, guest_thread, g);
}

void guest_stop(struct guest *g)
{
	__atomic_store_n(&g->stop, true, __ATOMIC_RELEASE);
	pthread_join(g->tid, NULL);
}
