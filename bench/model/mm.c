// SPDX-License-Identifier: GPL-2.0
/* Its own READ_ONCEs are bookkeeping; its locks are points. */
#define MN_NO_SCHED_POINTS
#include <stdio.h>

#include "explore_wm.h"
#include "mm.h"
#include "oracle.h"
#include "scheduler.h"
#include "thread.h"

const char *const gup_names[GUP_NR] = {
	[GUP_NONE] = "none",
	[GUP_GET] = "get",
	[GUP_PIN] = "pin",
};

int mm_init(struct mm *mm, unsigned long npages, u32 nframes)
{
	u32 i;

	memset(mm, 0, sizeof(*mm));
	mm->npages = npages;
	mm->nframes = nframes;
	/* Whole cache lines: the arrays are shared, their neighbours not. */
	mm->pte = kcalloc(npages, sizeof(*mm->pte), GFP_KERNEL);
	mm->pte_why = kcalloc(npages, sizeof(*mm->pte_why), GFP_KERNEL);
	mm->pte_seq = kcalloc(npages, sizeof(*mm->pte_seq), GFP_KERNEL);
	mm->unstable = kcalloc(npages, sizeof(*mm->unstable), GFP_KERNEL);
	mm->unstable_why = kcalloc(npages, sizeof(*mm->unstable_why),
				   GFP_KERNEL);
	mm->child_frames = kcalloc(npages, sizeof(*mm->child_frames),
				   GFP_KERNEL);
	mm->ksm.checksum = kcalloc(npages, sizeof(*mm->ksm.checksum),
				   GFP_KERNEL);
	mm->frames = kcalloc(nframes, sizeof(*mm->frames), GFP_KERNEL);
	mm->frame_mem = aligned_alloc(MM_PAGE_SIZE,
				      (size_t)nframes * MM_PAGE_SIZE);
	if (!mm->pte || !mm->pte_why || !mm->pte_seq || !mm->unstable ||
	    !mm->unstable_why || !mm->ksm.checksum ||
	    !mm->child_frames || !mm->frames || !mm->frame_mem) {
		mm_destroy(mm);
		return -ENOMEM;
	}
	memset(mm->frame_mem, 0, (size_t)nframes * MM_PAGE_SIZE);
	mn_lock_init(&mm->ptl.raw, "ptl", MN_LOCK_SPIN);
	mm_itree_init(&mm->itree);
	mn_rwsem_init(&mm->mmap_lock, "mmap_lock");
	mn_lock_init(&mm->ksm.thread_mutex.raw, "ksm_thread_mutex",
		     MN_LOCK_SLEEP);
	for (i = 0; i < KSM_SLOTS; i++)
		mm->ksm.stable[i] = NO_FRAME;
	pthread_mutex_init(&mm->free_lock, NULL);
	for (i = 0; i < nframes; i++) {
		struct frame *f = &mm->frames[i];

		f->data = mm->frame_mem + (size_t)i * MM_PAGE_SIZE;
		mn_lock_init(&f->page_lock.raw, "page lock", MN_LOCK_SLEEP);
		f->next_free = i + 1 < nframes ? i + 1 : NO_FRAME;
	}
	mm->free_head = nframes ? 0 : NO_FRAME;
	return 0;
}

void mm_destroy(struct mm *mm)
{
	mm_itree_destroy(&mm->itree);
	kfree(mm->pte);
	kfree(mm->pte_why);
	kfree(mm->pte_seq);
	kfree(mm->unstable);
	kfree(mm->unstable_why);
	kfree(mm->child_frames);
	kfree(mm->ksm.checksum);
	kfree(mm->frames);
	free(mm->frame_mem);
	pthread_mutex_destroy(&mm->free_lock);
	memset(mm, 0, sizeof(*mm));
}

int mm_populate(struct mm *mm)
{
	unsigned long p;

	for (p = 0; p < mm->npages; p++) {
		u32 f = frame_alloc(mm);

		if (f == NO_FRAME)
			return -ENOMEM;
		mm->frames[f].mapcount = 1;
		mm->frames[f].exclusive = true;
		mm_set_pte(mm, p, mk_pte(f, PTE_PRESENT | PTE_WRITE),
			   "populate");
	}
	return 0;
}

/*
 * Not a scheduling point: ptes change under the PTL, whose lock and unlock
 * are points, and nothing acts on a pte without the PTL, so a switch
 * between two changes of one critical section shows nothing new (the
 * oracle judges each access against one page's pte: before the section
 * or after it).
 */
/* What the oracle needs of a pte write: who made it, its frame's gen. */
static struct wm_note pte_note(struct mm *mm, u64 pte, const char *why)
{
	u32 f = pte_frame(pte);

	return (struct wm_note){ why, f < mm->nframes ? frame_gen(mm, f) : 0 };
}

/*
 * Under lkmm the pte is also a location of the weak-memory engine
 * (explore_wm.h), so the oracle's check at a mapped access may read an
 * older write of it; the explorer runs one thread at a time there, so
 * the plain reads of the old state race with nothing.
 */
void mm_set_pte(struct mm *mm, unsigned long page, u64 pte, const char *why)
{
	SCHED_NOTE("set pte", why);
	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_PAGE(page));
	if (WM_MM_ON())
		wm_mm_write(&mm->pte[page], sizeof(mm->pte[page]), (long)pte,
			    pte_note(mm, pte, why),
			    pte_note(mm, mm->pte[page], mm->pte_why[page]));
	__atomic_store_n(&mm->pte_why[page], why, __ATOMIC_RELAXED);
	__atomic_add_fetch(&mm->pte_seq[page], 1, __ATOMIC_SEQ_CST);
	if (!WM_MM_ON())
		__atomic_store_n(&mm->pte[page], pte, __ATOMIC_SEQ_CST);
}

u64 mm_pte_seen(struct mm *mm, unsigned long page, u64 *gen,
		const char **why)
{
	char what[40];
	struct wm_note n;
	u64 pte;

	if (!WM_MM_ON()) {
		pte = mm_pte(mm, page);
		n = pte_note(mm, pte, __atomic_load_n(&mm->pte_why[page],
						      __ATOMIC_RELAXED));
		*gen = n.aux;
		*why = n.why;
		return pte;
	}
	snprintf(what, sizeof(what), "pte of page %lu", page);
	pte = (u64)wm_mm_read(&mm->pte[page], sizeof(mm->pte[page]), what,
			      pte_note(mm, mm->pte[page], mm->pte_why[page]),
			      &n);
	*gen = n.aux;
	*why = n.why;
	return pte;
}

void mm_mark_unstable(struct mm *mm, unsigned long page, int delta,
		      const char *why)
{
	const char *was;

	if (WM_MM_ON()) {
		was = mm->unstable_why[page];
		wm_mm_write(&mm->unstable[page], sizeof(mm->unstable[page]),
			    (long)(mm->unstable[page] + (u32)delta),
			    (struct wm_note){ delta > 0 ? why : was, 0 },
			    (struct wm_note){ was, 0 });
	}
	if (delta > 0)
		__atomic_store_n(&mm->unstable_why[page], why,
				 __ATOMIC_RELAXED);
	if (!WM_MM_ON())
		__atomic_add_fetch(&mm->unstable[page], delta,
				   __ATOMIC_SEQ_CST);
}

u32 mm_unstable_seen(struct mm *mm, unsigned long page, const char **why)
{
	char what[40];
	struct wm_note n;
	u32 v;

	if (!WM_MM_ON()) {
		*why = __atomic_load_n(&mm->unstable_why[page],
				       __ATOMIC_RELAXED);
		return mm_unstable(mm, page);
	}
	snprintf(what, sizeof(what), "invalidations of page %lu", page);
	v = (u32)wm_mm_read(&mm->unstable[page], sizeof(mm->unstable[page]),
			    what, (struct wm_note){ mm->unstable_why[page], 0 },
			    &n);
	*why = n.why;
	return v;
}

u32 frame_alloc(struct mm *mm)
{
	struct frame *f;
	u32 i;

	pthread_mutex_lock(&mm->free_lock);
	i = mm->free_head;
	if (i != NO_FRAME)
		mm->free_head = mm->frames[i].next_free;
	pthread_mutex_unlock(&mm->free_lock);
	if (i == NO_FRAME) {
		stat_inc(&mm->stats.no_frame);
		return NO_FRAME;
	}
	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_FRAME(i));
	f = &mm->frames[i];
	f->mapcount = 0;
	f->ksm = false;
	f->exclusive = false;
	__atomic_store_n(&f->pincount, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&f->dirty, false, __ATOMIC_RELAXED);
	__atomic_store_n(&f->refcount, 1, __ATOMIC_RELEASE);
	return i;
}

void frame_get(struct mm *mm, u32 f)
{
	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_FRAME(f));
	__atomic_add_fetch(&mm->frames[f].refcount, 1, __ATOMIC_RELAXED);
}

/*
 * A point: dropping a reference is visible (KSM and COW look at counts)
 * and often follows a release, which is not one.
 */
void frame_put(struct mm *mm, u32 i)
{
	struct frame *f = &mm->frames[i];

	SCHED_POINT_ON("put page", "frame refcount");
	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_FRAME(i));
	if (__atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	__atomic_add_fetch(&f->gen, 1, __ATOMIC_RELEASE);
	pthread_mutex_lock(&mm->free_lock);
	f->next_free = mm->free_head;
	mm->free_head = i;
	pthread_mutex_unlock(&mm->free_lock);
}

u64 frame_gen(struct mm *mm, u32 f)
{
	return __atomic_load_n(&mm->frames[f].gen, __ATOMIC_ACQUIRE);
}

/*
 * Naturally aligned units as single atomic accesses, as the hardware does
 * for aligned ring fields: a u16 index read byte by byte could tear.
 */
void frame_copy(struct mm *mm, u32 dst, u32 src)
{
	SCHED_TOUCH(SCHED_FP_READ, SCHED_OBJ_FRAME(src));
	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_FRAME(dst));
	mem_copy_atomic(mm->frames[dst].data, mm->frames[src].data,
			MM_PAGE_SIZE);
}

/* Wait for a free frame: a fault cannot be skipped the way an event can. */
static u32 frame_alloc_wait(struct mm *mm)
{
	unsigned int spins = 0;
	u32 f;

	/* A point before a possible wait, as every other wait has. */
	SCHED_POINT_ON("alloc page", "free frames");
	f = frame_alloc(mm);
	if (f != NO_FRAME)
		return f;
	/* One wait from its start: worker_stall_ns must not count twice. */
	mt_wait_begin(-1, "a free frame");
	while ((f = frame_alloc(mm)) == NO_FRAME)
		mt_wait_step(&spins);
	mt_wait_end();
	return f;
}

static const char *swap_activity(const char *what)
{
	const char *old = mt_self ? READ_ONCE(mt_self->activity) : NULL;

	mt_set_activity(what);
	return old;
}

/*
 * do_wp_page -> wp_page_copy (mm/memory.c), old frame referenced. The
 * kernel's pte_same() check compares the pte's value; the model compares
 * its change count (seq), which also rules out an ABA change in between
 * (a zap or KSM run does not need mmap_lock for writing).
 */
static int wp_page_copy(struct mm *mm, unsigned long page, u32 seq, u32 old)
{
	const char *prev = swap_activity("cow: wp_page_copy");
	unsigned long addr = mm_page_addr(page);
	struct mm_inval iv = {
		.range = { addr, addr + MM_PAGE_SIZE, true },
	};
	u32 new = frame_alloc_wait(mm);

	frame_copy(mm, new, old);
	mm_inval_start(mm, &iv);
	spin_lock(&mm->ptl);
	if (mm_pte_seq(mm, page) == seq) {
		/* ptep_clear_flush_notify: ->invalidate_range under the PTL */
		mm_set_pte(mm, page, 0, "cow: ptep_clear_flush_notify");
		mm_notify_invalidate_range(mm, &iv);
		mm->frames[new].mapcount = 1;
		mm->frames[new].exclusive = true;
		mm_set_pte(mm, page, mk_pte(new, PTE_PRESENT | PTE_WRITE),
			   "cow: set_pte_at_notify");
		mm->frames[old].mapcount--;
		spin_unlock(&mm->ptl);
		frame_put(mm, old);
		stat_inc(&mm->stats.cow_copies);
	} else {
		spin_unlock(&mm->ptl);
		frame_put(mm, new);
	}
	mm_inval_end(mm, &iv, true);	/* invalidate_range_only_end */
	frame_put(mm, old);
	mt_set_activity(prev);
	return 0;
}

/* do_swap_page: a new frame with the saved content, no notifier. */
static int swap_in(struct mm *mm, unsigned long page, u32 seq, u32 slot)
{
	u32 new = frame_alloc_wait(mm);

	frame_copy(mm, new, slot);
	spin_lock(&mm->ptl);
	if (mm_pte_seq(mm, page) == seq) {
		mm->frames[new].mapcount = 1;
		mm->frames[new].exclusive = true;
		mm_set_pte(mm, page, mk_pte(new, PTE_PRESENT | PTE_WRITE),
			   "swap-in");
		spin_unlock(&mm->ptl);
		frame_put(mm, slot);	/* the swap entry's reference */
		stat_inc(&mm->stats.swapins);
	} else {
		spin_unlock(&mm->ptl);
		frame_put(mm, new);
	}
	frame_put(mm, slot);
	return 0;
}

/* The page fault handler: under mmap_lock, which fork holds to write. */
int mm_fault(struct mm *mm, unsigned long page, bool write)
{
	int ret;

	mmap_read_lock(&mm->mmap_lock);
	ret = mm_fault_locked(mm, page, write);
	mmap_read_unlock(&mm->mmap_lock);
	return ret;
}

int mm_fault_locked(struct mm *mm, unsigned long page, bool write)
{
	struct frame *f;
	u32 i, seq;
	u64 pte;

	spin_lock(&mm->ptl);
	pte = mm_pte(mm, page);
	seq = mm_pte_seq(mm, page);
	i = pte_frame(pte);
	if (pte & PTE_SWAP) {
		frame_get(mm, i);
		spin_unlock(&mm->ptl);
		return swap_in(mm, page, seq, i);
	}
	if (!(pte & PTE_PRESENT) || !write || (pte & PTE_WRITE)) {
		spin_unlock(&mm->ptl);
		return 0;
	}
	f = &mm->frames[i];
	/*
	 * do_wp_page() (6.1): an exclusive anonymous page is reused; a
	 * shared one only if ours is its single reference (no other
	 * mapping, no GUP reference or pin), and never a KSM page.
	 */
	if (f->exclusive || (!f->ksm &&
			     __atomic_load_n(&f->refcount, __ATOMIC_ACQUIRE) == 1)) {
		f->exclusive = true;
		mm_set_pte(mm, page, pte | PTE_WRITE, "wp_page_reuse");
		spin_unlock(&mm->ptl);
		stat_inc(&mm->stats.cow_reuses);
		return 0;
	}
	frame_get(mm, i);
	spin_unlock(&mm->ptl);
	return wp_page_copy(mm, page, seq, i);
}

int mm_access(struct mm *mm, unsigned long uaddr, void *buf, size_t len,
	      bool write)
{
	u8 *p = buf;

	if (!mm_range_ok(mm, uaddr, len))
		return -EFAULT;
	while (len) {
		unsigned long page = mm_page_of(uaddr);
		size_t off = uaddr & (MM_PAGE_SIZE - 1);
		size_t chunk = MM_PAGE_SIZE - off < len ? MM_PAGE_SIZE - off
							: len;
		struct frame *f;
		u64 pte;

		for (;;) {
			spin_lock(&mm->ptl);
			pte = mm_pte(mm, page);
			if ((pte & PTE_PRESENT) && (!write || (pte & PTE_WRITE)))
				break;
			spin_unlock(&mm->ptl);
			/* No VMA left after exit_mmap: -EFAULT. */
			if (mm_exited(mm))
				return -EFAULT;
			mm_fault(mm, page, write);
		}
		f = &mm->frames[pte_frame(pte)];
		SCHED_TOUCH(write ? SCHED_FP_WRITE : SCHED_FP_READ,
			    SCHED_OBJ_FRAME(pte_frame(pte)));
		if (write) {
			mem_copy_atomic(f->data + off, p, chunk);
			/* As set_page_dirty(): no store, no line bounce. */
			if (!__atomic_load_n(&f->dirty, __ATOMIC_RELAXED))
				__atomic_store_n(&f->dirty, true,
						 __ATOMIC_RELAXED);
		} else {
			mem_copy_atomic(p, f->data + off, chunk);
		}
		spin_unlock(&mm->ptl);
		uaddr += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

static void set_callback(const char *cb)
{
	if (mt_self)
		WRITE_ONCE(mt_self->callback, cb);
}

static void record(struct histogram *h, u64 ns)
{
	if (mt_self && mt_self->lat)
		hist_record(h, ns);
}

#define LAT(field)	(&mt_self->lat->field)

static void mark_range(struct mm *mm, const struct mn_range *r, int delta)
{
	unsigned long page;

	const char *why = mt_self ? READ_ONCE(mt_self->activity) : "?";

	__atomic_add_fetch(&mm->inflight, delta, __ATOMIC_SEQ_CST);
	for (page = mm_page_of(r->start); page < mm_page_of(r->end); page++) {
		SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_PAGE(page));
		mm_mark_unstable(mm, page, delta, why);
	}
}

/* The time a notifier callback takes, and how much of it is waiting. */
struct cb_clock {
	u64 t0;
	u64 wait0;
};

/* Before each vq's part of a callback, as before every callback. */
static void cb_point(void)
{
	SCHED_POINT_ON("notifier call", mt_self ? mt_self->callback : "?");
}

/* One clock per device callback, however many vqs it walks. */
static void cb_enter(struct cb_clock *c)
{
	c->t0 = ktime_get_ns();
	c->wait0 = mt_self ? mt_self->wait_ns : 0;
	SCHED_MODEL_SUSPEND();	/* the strategy's own steps, precisely */
}

static void cb_leave(struct mm_inval *iv, const struct cb_clock *c)
{
	SCHED_MODEL_RESUME();
	iv->notifier_ns += ktime_get_ns() - c->t0;
	if (mt_self)
		iv->notifier_wait_ns += mt_self->wait_ns - c->wait0;
}

void mm_inval_record(struct mm *mm, struct mm_inval *iv)
{
	(void)mm;
	if (mt_self && mt_self->lat) {
		record(LAT(notifier_ns), iv->notifier_ns);
		if (iv->overlaps)
			record(LAT(notifier_hit_ns), iv->notifier_ns);
		record(LAT(notifier_wait_ns), iv->notifier_wait_ns);
	}
}

void mm_set_devices(struct mm *mm, struct mn_vq **vqs, unsigned int nvqs,
		    unsigned int ndevices, unsigned int per_device)
{
	unsigned int d;

	mm->vqs = vqs;
	mm->nvqs = nvqs;
	if (ndevices > MM_MAX_DEVICES)
		ndevices = MM_MAX_DEVICES;
	mm->ndevices = nvqs ? (ndevices ? ndevices : 1) : 0;
	for (d = 0; d < mm->ndevices; d++) {
		mm->devices[d].vqs = vqs + d * per_device;
		mm->devices[d].nvqs = d + 1 < mm->ndevices ? per_device :
				      nvqs - d * per_device;
	}
}

static bool overlaps_any_vq(struct mm *mm, const struct mn_range *r)
{
	unsigned int i;

	for (i = 0; i < mm->nvqs; i++)
		if (mn_range_overlaps_vq(mm->vqs[i], r))
			return true;
	return false;
}

/*
 * mn_itree_invalidate() of mm/mmu_notifier.c (6.1): the interval
 * notifiers the range hits, each timed as a callback; 0 or -EAGAIN (the
 * tree's invalidation is then over, as the core ends it).
 */
static int itree_invalidate(struct mm *mm, struct mm_inval *iv)
{
	struct model_thread *t = mt_self;
	bool blockable = iv->range.blockable;
	unsigned long cur_seq;
	unsigned int i, lo, hi;
	struct cb_clock c;
	char where[128];
	bool ok;

	cur_seq = mm_itree_inv_begin(&mm->itree, &iv->range, &lo, &hi);
	for (i = lo; i < hi; i++) {
		struct mm_interval_sub *sub = mm->itree.subs[i];

		if (!mm_itree_hits(sub, &iv->range))
			continue;
		stat_inc(&mm->stats.start_calls);
		set_callback("interval invalidate");
		if (t && !blockable)
			t->non_block++;
		cb_point();
		cb_enter(&c);
		ok = sub->vq->strategy->interval_invalidate(sub->vq,
							    &iv->range,
							    cur_seq);
		cb_leave(iv, &c);
		if (t && !blockable)
			t->non_block--;
		if (ok)
			continue;
		/* The core WARNs and goes on: a blockable range cannot fail. */
		if (blockable) {
			oracle_report(V_CONTRACT, "%s: an interval notifier refused a blockable invalidation",
				      oracle_where(where, sizeof(where)));
			continue;
		}
		set_callback(NULL);
		mm_itree_inv_end(&mm->itree);
		return -EAGAIN;
	}
	set_callback(NULL);
	return 0;
}

/* Every vq of a device has one strategy: does its notifier have op? */
#define device_has(dev, op)	((dev)->nvqs && (dev)->vqs[0]->strategy->op)

/*
 * One device's invalidate_range_start: every vq's, the last error if
 * any (what a failed vq's start did stays done, as in vhost).
 */
static int device_start(struct mm *mm, const struct mm_device *dev,
			struct mm_inval *iv)
{
	struct model_thread *t = mt_self;
	bool blockable = iv->range.blockable;
	const struct mn_strategy *s;
	struct cb_clock c;
	char where[128];
	unsigned int i;
	int ret = 0;

	if (!device_has(dev, invalidate_range_start))
		return 0;
	s = dev->vqs[0]->strategy;
	stat_inc(&mm->stats.start_calls);
	set_callback("invalidate_range_start");
	if (t && !blockable)
		t->non_block++;
	cb_enter(&c);
	for (i = 0; i < dev->nvqs; i++) {
		int r;

		cb_point();
		r = s->invalidate_range_start(dev->vqs[i], &iv->range);
		if (!r)
			continue;
		if (blockable || r != -EAGAIN)
			oracle_report(V_CONTRACT, "%s: invalidate_range_start returned %d in %sblockable context",
				      oracle_where(where, sizeof(where)), r,
				      blockable ? "" : "non-");
		if (s->invalidate_range_end)
			oracle_report(V_CONTRACT, "%s: invalidate_range_start failed but the notifier has invalidate_range_end, which the core calls anyway",
				      oracle_where(where, sizeof(where)));
		ret = r;
	}
	cb_leave(iv, &c);
	if (t && !blockable)
		t->non_block--;
	return ret;
}

/* One device's invalidate_range_end: every vq's, non_block as the caller's. */
static void device_end(const struct mm_device *dev, struct mm_inval *iv,
		       bool non_block)
{
	struct model_thread *t = mt_self;
	struct cb_clock c;
	unsigned int i;

	if (!device_has(dev, invalidate_range_end))
		return;
	set_callback("invalidate_range_end");
	if (t && non_block)
		t->non_block++;
	cb_enter(&c);
	for (i = 0; i < dev->nvqs; i++) {
		cb_point();
		dev->vqs[i]->strategy->invalidate_range_end(dev->vqs[i],
							    &iv->range);
	}
	cb_leave(iv, &c);
	if (t && non_block)
		t->non_block--;
}

/* One device's ->invalidate_range, every vq's; where: which caller's. */
static void device_invalidate_range(struct mm *mm, const struct mm_device *dev,
				    struct mm_inval *iv, const char *where)
{
	struct model_thread *t = mt_self;
	struct cb_clock c;
	unsigned int i;

	stat_inc(&mm->stats.inval_range_calls);
	set_callback(where);
	if (t)
		t->in_invalidate_range++;
	cb_enter(&c);
	for (i = 0; i < dev->nvqs; i++) {
		cb_point();
		dev->vqs[i]->strategy->invalidate_range(dev->vqs[i],
							iv->range.start,
							iv->range.end);
	}
	cb_leave(iv, &c);
	if (t)
		t->in_invalidate_range--;
}

/* mn_hlist_invalidate_range_start() of mm/mmu_notifier.c (6.1). */
int mm_inval_start(struct mm *mm, struct mm_inval *iv)
{
	struct model_thread *t = mt_self;
	bool blockable = iv->range.blockable;
	bool itree_failed;
	int ret = 0;
	unsigned int d;
	u64 t1;

	stat_inc(&mm->stats.invalidations);
	iv->overlaps = overlaps_any_vq(mm, &iv->range);
	if (iv->overlaps)
		stat_inc(&mm->stats.overlapping);
	if (blockable)
		might_sleep();
	iv->t0 = ktime_get_ns();
	/* 6.1's lockdep: what start takes is ordered after reclaim. */
	lock_map_acquire(&mn_inval_start_map);
	ret = itree_invalidate(mm, iv);
	itree_failed = ret;
	/* After a failed start the core still calls every other start. */
	for (d = 0; !itree_failed && d < mm_ndevices(mm); d++) {
		int r = device_start(mm, &mm->devices[d], iv);

		if (r)
			ret = r;
	}
	set_callback(NULL);
	lock_map_release(&mn_inval_start_map);
	t1 = ktime_get_ns();
	if (t && t->lat)
		record(LAT(start_ns), t1 - iv->t0);
	if (!ret) {
		/* From here until _end the range is off limits. */
		iv->marked = true;
		mark_range(mm, &iv->range, 1);
		return 0;
	}
	/*
	 * Every notifier with an end gets it, as the core does, unless the
	 * interval tree refused (the core returns before the others). 6.1
	 * leaves the tree's count raised when a later start fails; the model
	 * never mixes the two kinds in one mm, and balances it.
	 */
	stat_inc(&mm->stats.eagain);
	if (!itree_failed)
		mm_itree_inv_end(&mm->itree);
	for (d = 0; !itree_failed && d < mm_ndevices(mm); d++)
		device_end(&mm->devices[d], iv, true);
	set_callback(NULL);
	mm_inval_record(mm, iv);
	return ret;
}


/* mn_hlist_invalidate_end(): ->invalidate_range unless only_end, then end. */
void mm_inval_end(struct mm *mm, struct mm_inval *iv, bool only_end)
{
	struct model_thread *t = mt_self;
	bool blockable = iv->range.blockable;
	unsigned int d;
	u64 t0 = ktime_get_ns(), t1;

	/* The ptes are final: from here a strategy may map them again. */
	if (iv->marked)
		mark_range(mm, &iv->range, -1);
	iv->marked = false;

	/* 6.1's __mmu_notifier_invalidate_range_end() takes it too. */
	lock_map_acquire(&mn_inval_start_map);
	mm_itree_inv_end(&mm->itree);	/* the interval tree's first */
	for (d = 0; d < mm_ndevices(mm); d++) {
		const struct mm_device *dev = &mm->devices[d];

		if (!only_end && device_has(dev, invalidate_range))
			device_invalidate_range(mm, dev, iv,
						"->invalidate_range (from _end)");
		if (device_has(dev, invalidate_range_end))
			stat_inc(&mm->stats.end_calls);
		device_end(dev, iv, !blockable);
	}
	lock_map_release(&mn_inval_start_map);
	set_callback(NULL);
	t1 = ktime_get_ns();
	if (t && t->lat) {
		record(LAT(end_ns), t1 - t0);
		record(LAT(total_ns), t1 - iv->t0);
	}
	if (!iv->record_later)
		mm_inval_record(mm, iv);
}

void mm_notify_invalidate_range(struct mm *mm, struct mm_inval *iv)
{
	struct model_thread *t = mt_self;
	unsigned int d, calls = 0;
	u64 t0 = ktime_get_ns();

	for (d = 0; d < mm_ndevices(mm); d++) {
		const struct mm_device *dev = &mm->devices[d];

		if (!device_has(dev, invalidate_range))
			continue;
		calls++;
		device_invalidate_range(mm, dev, iv,
					"->invalidate_range (under the PTL)");
	}
	set_callback(NULL);
	/* Only the notifiers' time: a strategy without the op costs none. */
	if (t && t->lat && calls)
		record(LAT(inval_range_ns), ktime_get_ns() - t0);
}
