// SPDX-License-Identifier: GPL-2.0
#include <sched.h>

#include "events.h"
#include "scheduler.h"
#include "thread.h"

/* One fork in this many COW events; the rest are parent write faults. */
#define COW_FORK_PERIOD	32
/* Under LOAD_EXIT, each invalidator's event that is the exit (once). */
#define EXIT_AT_EVENT	64

/* splitmix64: tiny, seedable, good enough to pick targets. */
u64 rng_next(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void event_gen_init(struct event_gen *g, u64 seed, enum load load,
		    unsigned int nvqs, unsigned long pages_per_vq,
		    unsigned long npages, u32 window_ns,
		    unsigned long mm_pages)
{
	memset(g, 0, sizeof(*g));
	g->rng = seed;
	g->load = load;
	g->nvqs = nvqs;
	g->pages_per_vq = pages_per_vq;
	g->npages = npages;
	g->window_ns = window_ns;
	g->mm_pages = mm_pages;
	g->digest = 0xcbf29ce484222325ull;
}

static void digest_add(u64 *h, u64 v)
{
	*h = (*h ^ v) * 0x100000001b3ull;
}

void event_plan_next(struct event_gen *g, struct event_plan *p)
{
	unsigned long total = g->pages_per_vq * g->nvqs;
	enum load load = g->load;
	u64 r = rng_next(&g->rng);

	if (load == LOAD_MIXED)
		load = LOAD_KSM + r % 4;
	switch (load) {
	case LOAD_KSM:
		p->type = EV_KSM;
		break;
	case LOAD_COW:
		p->type = g->index % COW_FORK_PERIOD ? EV_COW_TOUCH : EV_FORK;
		break;
	case LOAD_OOM:
		p->type = EV_OOM;
		break;
	case LOAD_EXIT:
		p->type = g->index == EXIT_AT_EVENT ? EV_EXIT : EV_ZAP;
		break;
	default:
		p->type = EV_ZAP;
		break;
	}
	r = rng_next(&g->rng);
	p->page = (r >> 32) % g->nvqs * g->pages_per_vq +
		  (r & 0xffffffff) % g->pages_per_vq;
	/* ksmd scans the whole mm: idle queues and bait as well. */
	if (p->type == EV_KSM)
		p->page = (r >> 16) % g->mm_pages;
	p->npages = g->npages < total - p->page ? g->npages : total - p->page;
	r = rng_next(&g->rng);
	p->window_ns[0] = g->window_ns ? (u32)(r % g->window_ns) : 0;
	p->window_ns[1] = g->window_ns ? (u32)((r >> 32) % g->window_ns) : 0;
	if (g->index < EVENT_DIGEST_PLANS) {
		digest_add(&g->digest, p->type);
		digest_add(&g->digest, p->page);
		digest_add(&g->digest, p->npages);
		digest_add(&g->digest, p->window_ns[0]);
		digest_add(&g->digest, p->window_ns[1]);
	}
	g->index++;
}

/* A pause inside a sequence, where the kernel flushes TLBs or is preempted. */
static void window(u32 ns)
{
	struct timespec ts = { 0, (long)ns };

	/*
	 * Sleep, not yield: on a core shared with a busy guest, every
	 * sched_yield() could hand the guest a whole time slice, and the
	 * load would run at a fraction of the rate it asks for.
	 */
	if (ns)
		nanosleep(&ts, NULL);
}

/*
 * write_protect_page(), page lock held: true with the pte write-protected
 * and *seq its sequence, false if the page changed or is referenced.
 */
static bool ksm_write_protect_page(struct mm *mm, const struct event_plan *p,
				   u32 old, u32 *seq)
{
	unsigned long page = p->page, addr = mm_page_addr(page);
	struct mm_inval iv = { .range = { addr, addr + MM_PAGE_SIZE, true } };
	struct frame *f = &mm->frames[old];
	u64 pte;

	mt_set_activity("ksm: write_protect_page");
	mm_inval_start(mm, &iv);
	window(p->window_ns[0]);
	spin_lock(&mm->ptl);
	pte = mm_pte(mm, page);
	if (pte_frame(pte) != old || !(pte & PTE_PRESENT)) {
		spin_unlock(&mm->ptl);
		mm_inval_end(mm, &iv, false);
		return false;
	}
	mm_set_pte(mm, page, 0, "ksm: ptep_clear_flush");
	if (__atomic_load_n(&f->refcount, __ATOMIC_ACQUIRE) != f->mapcount + 1) {
		/* page_count != mapcount + 1: a GUP reference or pin. */
		mm_set_pte(mm, page, pte, "ksm: referenced, pte restored");
		spin_unlock(&mm->ptl);
		mm_inval_end(mm, &iv, false);
		stat_inc(&mm->stats.ksm_skipped);
		return false;
	}
	mm_set_pte(mm, page, mk_pte(old, PTE_PRESENT),
		   "ksm: write_protect_page");
	mm->frames[old].exclusive = false;	/* page_try_share_anon_rmap() */
	*seq = mm_pte_seq(mm, page);
	spin_unlock(&mm->ptl);
	window(p->window_ns[1]);
	mm_inval_end(mm, &iv, false);
	return true;
}

/* replace_page(), page lock held: map the KSM page in place of old. */
static void ksm_replace_page(struct mm *mm, const struct event_plan *p,
			     u32 old, u32 seq, u32 kpage)
{
	unsigned long page = p->page, addr = mm_page_addr(page);
	struct mm_inval iv = { .range = { addr, addr + MM_PAGE_SIZE, true } };

	mt_set_activity("ksm: replace_page");
	mm_inval_start(mm, &iv);
	window(p->window_ns[0]);
	spin_lock(&mm->ptl);
	if (mm_pte_seq(mm, page) != seq) {	/* pte_same(), ABA-proof */
		spin_unlock(&mm->ptl);
		mm_inval_end(mm, &iv, false);
		return;
	}
	mm_set_pte(mm, page, 0, "ksm: ptep_clear_flush");
	frame_get(mm, kpage);
	mm->frames[kpage].mapcount++;
	mm_set_pte(mm, page, mk_pte(kpage, PTE_PRESENT), "ksm: replace_page");
	mm->frames[old].mapcount--;
	spin_unlock(&mm->ptl);
	frame_put(mm, old);
	stat_inc(&mm->stats.ksm_merged);
	window(p->window_ns[1]);
	mm_inval_end(mm, &iv, false);
}

/* Relaxed word loads: other threads write the frames meanwhile. */
static u32 frame_checksum(struct mm *mm, u32 f)
{
	const u64 *w = (const u64 *)mm->frames[f].data;
	u64 h = 0xcbf29ce484222325ull;
	unsigned int i;

	SCHED_TOUCH(SCHED_FP_READ, SCHED_OBJ_FRAME(f));

	for (i = 0; i < MM_PAGE_SIZE / 8; i++)
		h = (h ^ __atomic_load_n(&w[i], __ATOMIC_RELAXED)) *
		    0x100000001b3ull;
	return (u32)(h ^ (h >> 32)) | 1;
}

static bool frames_equal(struct mm *mm, u32 a, u32 b)
{
	const u64 *x = (const u64 *)mm->frames[a].data;
	const u64 *y = (const u64 *)mm->frames[b].data;
	unsigned int i;

	SCHED_TOUCH(SCHED_FP_READ, SCHED_OBJ_FRAME(a));
	SCHED_TOUCH(SCHED_FP_READ, SCHED_OBJ_FRAME(b));

	for (i = 0; i < MM_PAGE_SIZE / 8; i++)
		if (__atomic_load_n(&x[i], __ATOMIC_RELAXED) !=
		    __atomic_load_n(&y[i], __ATOMIC_RELAXED))
			return false;
	return true;
}

/* The frame page maps now, with a reference, or NO_FRAME. */
static u32 get_mapped_frame(struct mm *mm, unsigned long page)
{
	u32 f = NO_FRAME;
	u64 pte;

	spin_lock(&mm->ptl);
	pte = mm_pte(mm, page);
	if (pte & PTE_PRESENT) {
		f = pte_frame(pte);
		frame_get(mm, f);
	}
	spin_unlock(&mm->ptl);
	return f;
}

/*
 * cmp_and_merge_page(), ksm_thread_mutex held: the KSM page old should
 * become, or NO_FRAME. A page is a candidate only if its checksum held
 * since its last scan; it merges into an identical KSM page, or with an
 * identical twin from the unstable tree into a new one.
 */
static u32 ksm_find_kpage(struct mm *mm, unsigned long page, u32 old)
{
	struct ksm *k = &mm->ksm;
	u32 sum = frame_checksum(mm, old), slot = sum % KSM_SLOTS, twin;
	u32 kpage = NO_FRAME;
	bool same;

	if (sum != k->checksum[page]) {
		k->checksum[page] = sum;
		stat_inc(&mm->stats.ksm_unstable);
		return NO_FRAME;
	}
	if (k->stable[slot] != NO_FRAME && k->stable_sum[slot] == sum &&
	    frames_equal(mm, k->stable[slot], old))
		return k->stable[slot];
	if (!k->unstable[slot] || k->unstable[slot] - 1 == page) {
		k->unstable[slot] = page + 1;
		return NO_FRAME;
	}
	twin = get_mapped_frame(mm, k->unstable[slot] - 1);
	same = twin != NO_FRAME && twin != old && frames_equal(mm, twin, old);
	if (twin != NO_FRAME)
		frame_put(mm, twin);
	if (!same) {
		k->unstable[slot] = page + 1;
		return NO_FRAME;
	}
	kpage = frame_alloc(mm);
	if (kpage == NO_FRAME)
		return NO_FRAME;
	frame_copy(mm, kpage, old);
	mm->frames[kpage].ksm = true;
	/* The stable tree keeps its reference for the run. */
	if (k->stable[slot] != NO_FRAME)
		frame_put(mm, k->stable[slot]);
	k->stable[slot] = kpage;
	k->stable_sum[slot] = sum;
	k->unstable[slot] = 0;
	return kpage;
}

/* ksmd's scan of one page: try_to_merge_one_page() if it qualifies. */
static void ksm_merge(struct mm *mm, const struct event_plan *p)
{
	u32 old, seq, kpage;

	mutex_lock(&mm->ksm.thread_mutex);
	old = get_mapped_frame(mm, p->page);	/* get_mergeable_page() */
	if (old == NO_FRAME || mm->frames[old].ksm)
		goto put;
	kpage = ksm_find_kpage(mm, p->page, old);
	if (kpage == NO_FRAME)
		goto put;
	/* try_to_merge_with_ksm_page(): mmap_lock, then the page lock. */
	mmap_read_lock(&mm->mmap_lock);
	if (mutex_trylock(&mm->frames[old].page_lock)) {
		/* pages_identical() once the page cannot change any more. */
		if (ksm_write_protect_page(mm, p, old, &seq) &&
		    frames_equal(mm, old, kpage))
			ksm_replace_page(mm, p, old, seq, kpage);
		mutex_unlock(&mm->frames[old].page_lock);
	}
	mmap_read_unlock(&mm->mmap_lock);
put:
	if (old != NO_FRAME)
		frame_put(mm, old);
	mutex_unlock(&mm->ksm.thread_mutex);
}

void event_child_exit(struct mm *mm)
{
	unsigned long i;

	spin_lock(&mm->ptl);
	for (i = 0; i < mm->nchild; i++)
		mm->frames[mm->child_frames[i]].mapcount--;
	spin_unlock(&mm->ptl);
	for (i = 0; i < mm->nchild; i++)
		frame_put(mm, mm->child_frames[i]);
	mm->nchild = 0;
}

/* dup_mmap -> copy_page_range() on a private writable mapping. */
static void fork_mm(struct mm *mm, const struct event_plan *p)
{
	struct mm_inval iv = {
		.range = { MM_BASE, mm_page_addr(mm->npages), true },
	};
	bool expected = false;
	unsigned long page;

	if (!__atomic_compare_exchange_n(&mm->forking, &expected, true, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;	/* mmap_lock: another fork is running */
	mt_set_activity("fork: copy_page_range");
	event_child_exit(mm);
	mmap_write_lock(&mm->mmap_lock);	/* dup_mmap() */
	mm_inval_start(mm, &iv);
	window(p->window_ns[0]);
	spin_lock(&mm->ptl);
	for (page = 0; page < mm->npages; page++) {
		u64 pte = mm_pte(mm, page);
		u32 f = pte_frame(pte);

		if (!(pte & PTE_PRESENT))
			continue;
		/* page_needs_cow_for_dma(): the child gets a copy instead. */
		if (__atomic_load_n(&mm->frames[f].pincount, __ATOMIC_ACQUIRE))
			continue;
		/* page_try_dup_anon_rmap(): shared now, so no longer exclusive. */
		mm->frames[f].exclusive = false;
		if (pte & PTE_WRITE)
			mm_set_pte(mm, page, pte & ~PTE_WRITE,
				   "fork: write-protect for COW");
		mm->frames[f].mapcount++;
		frame_get(mm, f);
		mm->child_frames[mm->nchild++] = f;
	}
	spin_unlock(&mm->ptl);
	window(p->window_ns[1]);
	mm_inval_end(mm, &iv, false);
	mmap_write_unlock(&mm->mmap_lock);
	stat_inc(&mm->stats.forks);
	__atomic_store_n(&mm->forking, false, __ATOMIC_RELEASE);
}

/*
 * zap_page_range_single(), or the OOM reaper's non-blockable variant. The
 * model keeps the content in a swap slot that the next fault restores, so
 * the rings survive; the notifier sequence is the zap's.
 */
static void zap(struct mm *mm, const struct event_plan *p, bool blockable)
{
	unsigned long addr = mm_page_addr(p->page), i;
	struct mm_inval iv = {
		.range = { addr, addr + (p->npages << MM_PAGE_SHIFT), blockable },
	};
	u32 zapped[64];
	unsigned long n = 0;

	mt_set_activity(blockable ? "zap: zap_page_range_single"
				  : "oom: __oom_reap_task_mm");
	/* madvise(MADV_DONTNEED) reads; the reaper only tries. */
	if (blockable)
		mmap_read_lock(&mm->mmap_lock);
	else if (!mmap_read_trylock(&mm->mmap_lock))
		return;
	if (mm_inval_start(mm, &iv)) {
		/* the reaper skips the range and retries later */
		mmap_read_unlock(&mm->mmap_lock);
		return;
	}
	window(p->window_ns[0]);
	spin_lock(&mm->ptl);
	for (i = 0; i < p->npages && n < 64; i++) {
		unsigned long page = p->page + i;
		u64 pte = mm_pte(mm, page);
		u32 old = pte_frame(pte), slot;

		if (!(pte & PTE_PRESENT))
			continue;
		slot = frame_alloc(mm);
		if (slot == NO_FRAME)
			break;
		frame_copy(mm, slot, old);
		mm_set_pte(mm, page, mk_pte(slot, PTE_SWAP),
			   blockable ? "zap" : "oom reaper");
		mm->frames[old].mapcount--;
		zapped[n++] = old;
	}
	spin_unlock(&mm->ptl);
	window(p->window_ns[1]);
	iv.record_later = true;
	mm_inval_end(mm, &iv, false);
	/*
	 * tlb_finish_mmu(): the TLB flush calls ->invalidate_range again,
	 * after _end, and only then are the pages freed.
	 */
	mm_notify_invalidate_range(mm, &iv);
	mm_inval_record(mm, &iv);
	for (i = 0; i < n; i++)
		frame_put(mm, zapped[i]);
	mmap_read_unlock(&mm->mmap_lock);
	stat_inc(blockable ? &mm->stats.zaps : &mm->stats.oom_reaps);
}

void event_run(struct mm *mm, const struct event_plan *p)
{
	switch (p->type) {
	case EV_KSM:
		ksm_merge(mm, p);
		break;
	case EV_FORK:
		fork_mm(mm, p);
		break;
	case EV_COW_TOUCH:
		mt_set_activity("cow: parent write fault");
		mm_fault(mm, p->page, true);
		break;
	case EV_ZAP:
		zap(mm, p, true);
		break;
	case EV_OOM:
		zap(mm, p, false);
		break;
	case EV_EXIT:
		mm_exit(mm);
		break;
	}
	mt_set_activity("idle");
}
