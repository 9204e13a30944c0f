// SPDX-License-Identifier: GPL-2.0
/*
 * The model's side of the strategy backend hooks: "pin + vmap" is a record
 * of which frame (and generation) each metadata page had when it was
 * pinned, and every access through it is checked against the page table
 * by the oracle. Frames are never returned to the system, so even the
 * unsafe strategy's late accesses stay memory-safe; map records are freed
 * only at the worker's quiescent points for the same reason.
 */
#include <sched.h>
#include <stdio.h>

#include "backend.h"
#include "events.h"
#include "explore_wm.h"
#include "oracle.h"
#include "scheduler.h"
#include "thread.h"

static struct backend *vq_backend(struct mn_vq *vq)
{
	return vq->backend;
}

void backend_init(struct backend *b, struct mm *mm, enum gup_mode gup,
		  u64 seed, u64 pause_max_ns)
{
	memset(b, 0, sizeof(*b));
	b->access.mm = mm;
	b->gup = gup;
	b->access.check = true;
	b->pause_max_ns = pause_max_ns;
	b->rng = seed * 0x2545f4914f6cdd1dull + 0x9e37;
	pthread_mutex_init(&b->lock, NULL);
}

/*
 * Where a race would open, the worker stops for a seeded while, as an
 * interrupted or preempted kthread does: one in odds tries, for up to
 * scale times the configured pause.
 */
static void worker_pause(struct backend *b, unsigned int odds,
			 unsigned int scale)
{
	u64 r, until;

	if (!b->pause_max_ns)
		return;
	r = rng_next(&b->rng);
	if (r % odds)
		return;
	until = ktime_get_ns() + (r >> 20) % (b->pause_max_ns * scale);
	while (ktime_get_ns() < until)
		sched_yield();
}

/* Inside a mapped section: short and frequent, or rare and long. */
static void section_pause(struct backend *b)
{
	worker_pause(b, 64, 1);
	worker_pause(b, 8192, 50);
}

static void unlink_map(struct backend *b, struct model_map *m)
{
	if (m->prev)
		m->prev->next = m->next;
	else
		b->maps = m->next;
	if (m->next)
		m->next->prev = m->prev;
}

void backend_quiescent(struct backend *b)
{
	struct model_map *m, *next;
	SCHED_MODEL_SCOPE();

	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_MAPS);
	pthread_mutex_lock(&b->lock);
	for (m = b->maps; m; m = next) {
		next = m->next;
		if (m->dead) {
			unlink_map(b, m);
			kfree(m);
		}
	}
	pthread_mutex_unlock(&b->lock);
}

void backend_destroy(struct backend *b)
{
	struct model_map *m, *next;

	for (m = b->maps; m; m = next) {
		next = m->next;
		kfree(m);
	}
	b->maps = NULL;
	pthread_mutex_destroy(&b->lock);
}

/* unpin_user_pages() or put_page(): what the mapping still holds. */
static void drop_pages(struct backend *b, struct model_map *m)
{
	unsigned long i;

	for (i = 0; i < m->npages; i++) {
		u32 f = m->page[i].frame;

		if (b->gup == GUP_PIN)
			__atomic_sub_fetch(&b->access.mm->frames[f].pincount, 1,
					   __ATOMIC_RELEASE);
		frame_put(b->access.mm, f);
		SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_MAPS);
	}
}

/*
 * pin_user_pages(FOLL_WRITE) of one page, faulting it in writable; false
 * once the mm has exited (no VMA left).
 */
static bool map_pin_page(struct backend *b, struct model_map *m,
			 unsigned long i)
{
	struct mm *mm = b->access.mm;
	unsigned long page = m->first_page + i;
	u64 pte;

	for (;;) {
		spin_lock(&mm->ptl);
		pte = mm_pte(mm, page);
		if ((pte & PTE_PRESENT) && (pte & PTE_WRITE))
			break;
		spin_unlock(&mm->ptl);
		if (mm_exited(mm))
			return false;
		mm_fault_locked(mm, page, true);	/* FOLL_WRITE */
	}
	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_MAPS);
	m->page[i].frame = pte_frame(pte);
	m->page[i].data = mm->frames[pte_frame(pte)].data;
	m->page[i].gen = frame_gen(mm, pte_frame(pte));
	m->page[i].unstable_at_pin = mm_unstable(mm, page);
	if (b->gup == GUP_PIN)
		__atomic_add_fetch(&mm->frames[pte_frame(pte)].pincount, 1,
				   __ATOMIC_ACQUIRE);
	frame_get(mm, pte_frame(pte));
	m->npages = i + 1;
	spin_unlock(&mm->ptl);
	return true;
}

struct mn_map *mn_map_create(struct mn_vq *vq)
{
	struct backend *b = vq_backend(vq);
	struct mm *mm = b->access.mm;
	unsigned long n = (vq->meta_end - vq->meta_start) >> MM_PAGE_SHIFT;
	struct model_map *m;
	unsigned long i;
	SCHED_MODEL_SCOPE();

	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_MAPS);
	might_sleep();	/* get_user_pages() */
	m = kzalloc(sizeof(*m) + n * sizeof(m->page[0]), GFP_KERNEL);
	if (!m)
		return NULL;
	m->checked = b->access.check;
	m->first_page = mm_page_of(vq->meta_start);
	/* Listed before pinning, so an aborted run still frees it. */
	pthread_mutex_lock(&b->lock);
	m->next = b->maps;
	if (b->maps)
		b->maps->prev = m;
	b->maps = m;
	pthread_mutex_unlock(&b->lock);
	mmap_read_lock(&mm->mmap_lock);
	for (i = 0; i < n; i++) {
		if (!map_pin_page(b, m, i))
			break;
		/* Long enough for a whole invalidation to pass by. */
		worker_pause(b, 2, 10);
	}
	mmap_read_unlock(&mm->mmap_lock);
	if (i < n) {
		/* GUP failed: give back what it took, no mapping. */
		drop_pages(b, m);
		SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_MAPS);
		pthread_mutex_lock(&b->lock);
		m->dead = true;
		pthread_mutex_unlock(&b->lock);
		return NULL;
	}
	might_sleep();	/* vmap() */
	/* The 2019 way: the vmap keeps no reference on its pages. */
	if (b->gup == GUP_NONE) {
		drop_pages(b, m);
		SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_MAPS);
		m->npages = n;
	}
	return &m->base;
}

void mn_map_release(struct mn_vq *vq, struct mn_map *map,
		    enum mn_release_ctx ctx)
{
	struct backend *b = vq_backend(vq);
	struct mm *mm = b->access.mm;
	struct model_map *m = to_model_map(map);
	unsigned long i;
	SCHED_MODEL_SCOPE();

	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_MAPS);
	/* With none, the pages are not ours to dirty: they may be gone. */
	for (i = 0; b->gup != GUP_NONE && i < m->npages; i++) {
		struct frame *f = &mm->frames[m->page[i].frame];

		if (ctx == MN_RELEASE_WORKER) {
			mutex_lock(&f->page_lock);	/* set_page_dirty_lock */
			__atomic_store_n(&f->dirty, true, __ATOMIC_RELAXED);
			mutex_unlock(&f->page_lock);
		} else {
			__atomic_store_n(&f->dirty, true, __ATOMIC_RELAXED);
		}
	}
	might_sleep();	/* vunmap() */
	SCHED_POINT_ON("vunmap", "the mapping");
	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_MAPS);
	__atomic_store_n(&m->released, true, __ATOMIC_SEQ_CST);
	if (b->gup != GUP_NONE)
		drop_pages(b, m);
	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_MAPS);
	/* Only now may the worker's next quiescent point free the record. */
	pthread_mutex_lock(&b->lock);
	m->dead = true;
	pthread_mutex_unlock(&b->lock);
}

/*
 * What the access sees of the page: its pte, and whether an invalidation
 * of it is between start and end. Under lkmm (explore_wm.h) both are
 * reads through the engine, so the access is judged by the writes they
 * read, which may be older than the latest.
 */
struct map_seen {
	u64 pte;
	u64 gen;		/* of the pte's frame, when it was set */
	const char *pte_why;	/* who set it */
	const char *off_why;	/* who started the invalidation, if one */
};

/* Is the pte still what the mapping was built from? */
static bool map_current(struct mm *mm, struct model_map *m, unsigned long idx,
			bool write, struct map_seen *s)
{
	u32 f = m->page[idx].frame;
	u64 pte = mm_pte_seen(mm, m->first_page + idx, &s->gen, &s->pte_why);

	s->pte = pte;
	return (pte & PTE_PRESENT) && pte_frame(pte) == f &&
	       s->gen == m->page[idx].gen && (!write || (pte & PTE_WRITE));
}

static void describe_stale(struct mm *mm, struct model_map *m,
			   unsigned long idx, const struct map_seen *s,
			   bool write, char *buf, size_t len)
{
	char where[128], state[120];
	unsigned long page = m->first_page + idx;
	u64 pte = s->pte;

	SCHED_TOUCH(SCHED_FP_READ, SCHED_OBJ_FRAME(pte_frame(pte)));

	if (!(pte & PTE_PRESENT))
		snprintf(state, sizeof(state), "is not present");
	else if (!(pte & PTE_WRITE) && write)
		snprintf(state, sizeof(state), "is write-protected");
	else if (pte_frame(pte) != m->page[idx].frame)
		snprintf(state, sizeof(state), "maps another frame");
	else
		snprintf(state, sizeof(state),
			 "is off limits: %s is between invalidate_range_start and _end",
			 s->off_why ? s->off_why :
			 __atomic_load_n(&mm->unstable_why[page],
					 __ATOMIC_RELAXED));
	snprintf(buf, len,
		 "%s: %s page %lu through the mapping of frame %u (gen %llu), but the pte %s (frame %u, gen %llu), last changed by %s",
		 oracle_where(where, sizeof(where)), write ? "wrote" : "read",
		 page, m->page[idx].frame,
		 (unsigned long long)m->page[idx].gen, state, pte_frame(pte),
		 (unsigned long long)s->gen, s->pte_why);
}

/*
 * Rules that hold whatever the access is for: no access through a
 * mapping after its release (vunmap: the kernel would fault, discarded
 * read or not), and no mapping of a page established between an
 * invalidation's start and its end.
 */
static void check_lifetime(struct model_map *m, unsigned long page,
			   bool write)
{
	unsigned long idx = page - m->first_page;
	char where[128];

	if (__atomic_load_n(&m->released, __ATOMIC_SEQ_CST))
		oracle_report(V_USE_AFTER_RELEASE,
			      "%s: %s page %lu through a mapping already released (vunmapped, its pages unpinned)",
			      oracle_where(where, sizeof(where)),
			      write ? "wrote" : "read", page);
	if (m->page[idx].unstable_at_pin && !m->contract_reported) {
		SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_MAPS);
		m->contract_reported = true;
		oracle_report(V_CONTRACT,
			      "%s: used a mapping of page %lu established while an invalidation of it was in flight (between invalidate_range_start and _end)",
			      oracle_where(where, sizeof(where)), page);
	}
}

/*
 * Check the pte before the access and its change count after it: a pte
 * that changed while the worker used the mapping is as stale as one that
 * had changed before (the check-then-use race would hide it otherwise).
 */
static bool map_access(struct mn_vq *vq, struct model_map *m,
		       unsigned long uaddr, void *buf, size_t len, bool write,
		       char *trace, size_t trace_len)
{
	struct mm *mm = vq_backend(vq)->access.mm;
	unsigned long idx;
	u8 *mem = model_map_locate(vq, m, uaddr, len, &idx);
	unsigned long page = m->first_page + idx;
	struct map_seen s = { .off_why = NULL };
	bool ok;
	u32 seq;

	if (!mem) {
		if (!write)
			memset(buf, 0, len);
		return true;
	}
	/*
	 * Precise: the mapping record, the page's pte state and the frame's
	 * generation and contents, as every writer of them declares too.
	 */
	SCHED_POINT_FP(write ? "mapped write" : "mapped read", "vq metadata",
		       SCHED_FP_READ, SCHED_OBJ_MAPS);
	SCHED_TOUCH(SCHED_FP_READ, SCHED_OBJ_PAGE(page));
	SCHED_TOUCH(write ? SCHED_FP_WRITE : SCHED_FP_READ,
		    SCHED_OBJ_FRAME(m->page[idx].frame));
	section_pause(vq_backend(vq));
	check_lifetime(m, page, write);
	seq = mm_pte_seq(mm, page);
	ok = map_current(mm, m, idx, write, &s) &&
	     !mm_unstable_seen(mm, page, &s.off_why);
	if (write)
		mem_copy_atomic(mem, buf, len);
	else
		mem_copy_atomic(buf, mem, len);
	/*
	 * The access completes before the pte's change count is re-read.
	 * Not under a weak model: there the check is a read through the
	 * engine, no step runs between it and the access, and the oracle's
	 * smp_mb() would be a full fence in the worker's program.
	 */
	if (!MN_WM_ON()) {
		smp_mb();
		if (ok && (mm_pte_seq(mm, page) != seq ||
			   mm_unstable_seen(mm, page, &s.off_why))) {
			ok = false;
			map_current(mm, m, idx, write, &s);
			s.off_why = NULL;
		}
	}
	if (!ok)
		describe_stale(mm, m, idx, &s, write, trace, trace_len);
	return ok;
}

/* Reported only if the strategy uses what was read. */
void model_map_read_checked(struct mn_vq *vq, struct model_map *m,
			    unsigned long uaddr, void *dst, size_t len)
{
	struct model_thread *t = mt_self;
	char trace[512];
	SCHED_MODEL_SCOPE_PRECISE(SCHED_FP_READ, SCHED_OBJ_MAPS);

	if (!map_access(vq, m, uaddr, dst, len, false, trace,
			sizeof(trace)) && t && !t->stale_pending++)
		memcpy(t->stale_trace, trace, sizeof(trace));
}

void model_map_stale_read_done(struct model_thread *t, bool used)
{
	SCHED_MODEL_SCOPE_PRECISE(SCHED_FP_READ, SCHED_OBJ_MAPS);

	if (used)
		oracle_report(V_STALE_ACCESS, "%s", t->stale_trace);
	t->stale_pending = 0;
}

void model_map_write_checked(struct mn_vq *vq, struct model_map *m,
			     unsigned long uaddr, const void *src, size_t len)
{
	char trace[512];
	SCHED_MODEL_SCOPE_PRECISE(SCHED_FP_READ, SCHED_OBJ_MAPS);

	if (!map_access(vq, m, uaddr, (void *)src, len, true, trace,
			sizeof(trace)))
		oracle_stale_write(trace);
}

void model_might_fault(struct model_vq_access *a)
{
	might_sleep();
	mn_might_lock(&a->mm->mmap_lock.raw);
}
