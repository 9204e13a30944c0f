// SPDX-License-Identifier: GPL-2.0
#include <sched.h>

#include "events.h"
#include "thread.h"

/* One fork in this many COW events; the rest are parent write faults. */
#define COW_FORK_PERIOD	32

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
		    unsigned long npages, u32 window_ns)
{
	memset(g, 0, sizeof(*g));
	g->rng = seed;
	g->load = load;
	g->nvqs = nvqs;
	g->pages_per_vq = pages_per_vq;
	g->npages = npages;
	g->window_ns = window_ns;
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
	default:
		p->type = EV_ZAP;
		break;
	}
	r = rng_next(&g->rng);
	p->page = (r >> 32) % g->nvqs * g->pages_per_vq +
		  (r & 0xffffffff) % g->pages_per_vq;
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
	u64 until;

	if (!ns)
		return;
	until = ktime_get_ns() + ns;
	while (ktime_get_ns() < until)
		sched_yield();
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
	*seq = mm_pte_seq(mm, page);
	spin_unlock(&mm->ptl);
	window(p->window_ns[1]);
	mm_inval_end(mm, &iv, false);
	return true;
}

/* replace_page(), page lock held: map the stable copy in place of old. */
static void ksm_replace_page(struct mm *mm, const struct event_plan *p,
			     u32 old, u32 seq)
{
	unsigned long page = p->page, addr = mm_page_addr(page);
	struct mm_inval iv = { .range = { addr, addr + MM_PAGE_SIZE, true } };
	u32 kpage;

	/* The stable page: identical content, shared with another mm. */
	kpage = frame_alloc(mm);
	if (kpage == NO_FRAME)
		return;
	frame_copy(mm, kpage, old);
	mm->frames[kpage].ksm = true;
	mt_set_activity("ksm: replace_page");
	mm_inval_start(mm, &iv);
	window(p->window_ns[0]);
	spin_lock(&mm->ptl);
	if (mm_pte_seq(mm, page) != seq) {	/* pte_same(), ABA-proof */
		spin_unlock(&mm->ptl);
		mm_inval_end(mm, &iv, false);
		frame_put(mm, kpage);
		return;
	}
	mm_set_pte(mm, page, 0, "ksm: ptep_clear_flush");
	mm->frames[kpage].mapcount = 1;
	mm_set_pte(mm, page, mk_pte(kpage, PTE_PRESENT), "ksm: replace_page");
	mm->frames[old].mapcount--;
	spin_unlock(&mm->ptl);
	frame_put(mm, old);
	stat_inc(&mm->stats.ksm_merged);
	window(p->window_ns[1]);
	mm_inval_end(mm, &iv, false);
}

/* try_to_merge_one_page(): write_protect_page() then replace_page(). */
static void ksm_merge(struct mm *mm, const struct event_plan *p)
{
	u32 old, seq;
	u64 pte;

	spin_lock(&mm->ptl);
	pte = mm_pte(mm, p->page);
	old = pte_frame(pte);
	if (!(pte & PTE_PRESENT) || mm->frames[old].ksm) {
		spin_unlock(&mm->ptl);
		return;
	}
	frame_get(mm, old);	/* get_mergeable_page() */
	spin_unlock(&mm->ptl);
	/* try_to_merge_with_ksm_page(): mmap_lock, then the page lock. */
	mmap_read_lock(&mm->mmap_lock);
	if (mutex_trylock(&mm->frames[old].page_lock)) {
		if (ksm_write_protect_page(mm, p, old, &seq))
			ksm_replace_page(mm, p, old, seq);
		mutex_unlock(&mm->frames[old].page_lock);
	}
	mmap_read_unlock(&mm->mmap_lock);
	frame_put(mm, old);
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
	mm_inval_end(mm, &iv, false);
	/*
	 * tlb_finish_mmu(): the TLB flush calls ->invalidate_range again,
	 * after _end, and only then are the pages freed.
	 */
	mm_notify_invalidate_range(mm, iv.range.start, iv.range.end);
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
	}
	mt_set_activity("idle");
}
