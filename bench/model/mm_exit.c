// SPDX-License-Identifier: GPL-2.0
/*
 * The process exits while the worker runs: exit_mmap() of 6.1, the case
 * tools/testing/selftests/kvm/mmu_stress_test.c puts a secondary MMU
 * through. mmu_notifier_release() calls every subscription's ->release
 * and takes it off the list, so an invalidation in flight calls no end
 * on it, and exit_mmap()'s own unmapping reaches only interval
 * notifiers; then every page is unmapped and freed. From ->release on,
 * a device that has one may not use its mappings: every page is off
 * limits for good, so the oracle's stale_access rule judges any access
 * after it, before the unmapping too.
 */
/* Its own READ_ONCEs are bookkeeping; its locks are points. */
#define MN_NO_SCHED_POINTS
#include "mm.h"
#include "scheduler.h"
#include "thread.h"
#include "vq/vq_access.h"

/*
 * mn_hlist_release(): each device's ->release, then off the list. True if
 * one had a release to call: an interval notifier has none, and learns of
 * the exit from the unmapping's invalidation alone.
 */
static bool release_devices(struct mm *mm)
{
	unsigned int d, i, n = mm_ndevices(mm);
	bool released = false;

	mt_set_activity("exit: mmu_notifier_release");
	might_sleep();
	for (d = 0; d < n; d++) {
		const struct mm_device *dev = &mm->devices[d];

		for (i = 0; i < dev->nvqs; i++) {
			if (dev->vqs[i]->strategy->interval_invalidate)
				continue;
			SCHED_POINT_ON("notifier call", "->release");
			mn_vq_release(dev->vqs[i]);
			released = true;
		}
	}
	/* hlist_del_init_rcu() of each, then synchronize_srcu(). */
	__atomic_store_n(&mm->ndevices, 0, __ATOMIC_RELEASE);
	SCHED_POINT_ON("notifier list", "released");
	return released;
}

/* Off limits from ->release on, never to be mapped again. */
static void forbid_all(struct mm *mm)
{
	unsigned long page;

	__atomic_add_fetch(&mm->inflight, 1, __ATOMIC_SEQ_CST);
	for (page = 0; page < mm->npages; page++) {
		SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_PAGE(page));
		mm_mark_unstable(mm, page, 1, "exit_mmap: after ->release");
	}
}

/* unmap_vmas() and tlb_finish_mmu(): every pte cleared, pages freed. */
static void unmap_all(struct mm *mm)
{
	struct mm_inval iv = {
		.range = { MM_BASE, MM_BASE + (mm->npages << MM_PAGE_SHIFT),
			   true },
	};
	unsigned long page;
	u32 *freed = kcalloc(mm->npages, sizeof(*freed), GFP_KERNEL);
	unsigned long n = 0, i;

	mt_set_activity("exit: unmap_vmas");
	mmap_read_lock(&mm->mmap_lock);
	/* Only an interval notifier is left to refuse: none may, blockable. */
	mm_inval_start(mm, &iv);
	spin_lock(&mm->ptl);
	for (page = 0; page < mm->npages; page++) {
		u64 pte = mm_pte(mm, page);
		u32 f = pte_frame(pte);

		if (!(pte & (PTE_PRESENT | PTE_SWAP)))
			continue;
		if (pte & PTE_PRESENT)
			mm->frames[f].mapcount--;
		mm_set_pte(mm, page, 0, "exit_mmap");
		if (freed)
			freed[n++] = f;
	}
	spin_unlock(&mm->ptl);
	mm_inval_end(mm, &iv, false);
	mmap_read_unlock(&mm->mmap_lock);
	for (i = 0; i < n; i++)
		frame_put(mm, freed[i]);
	kfree(freed);
}

void mm_exit(struct mm *mm)
{
	bool was = false;

	if (!__atomic_compare_exchange_n(&mm->exited, &was, true, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	if (release_devices(mm))
		forbid_all(mm);
	unmap_all(mm);
	mt_set_activity("idle");
}
