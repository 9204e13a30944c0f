/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated address space: a page table of pte words under one
 * page-table lock, a pool of real 4 KiB frames with generations (bumped
 * when a frame is freed, so a stale mapping is told from a reused frame),
 * page locks, pins, faults (COW, swap-in) and the mmu_notifier calls, made
 * in the order the 6.1 kernel makes them.
 */
#ifndef MODEL_MM_H
#define MODEL_MM_H

#include <pthread.h>

#include "mm_interval.h"
#include "mm_page.h"
#include "strategy.h"

#define MM_BASE		0x10000000ul	/* user address of page 0 */

#define PTE_PRESENT	0x1ull
#define PTE_WRITE	0x2ull
#define PTE_SWAP	0x4ull	/* frame holds the swapped-out content */
#define PTE_FRAME_SHIFT	8
#define NO_FRAME	UINT32_MAX

static inline u64 mk_pte(u32 frame, u64 flags)
{
	return ((u64)frame << PTE_FRAME_SHIFT) | flags;
}

static inline u32 pte_frame(u64 pte)
{
	return (u32)(pte >> PTE_FRAME_SHIFT);
}

/*
 * How the worker holds the pages of its mapping: references only while
 * the vmap is built, as the 2019 series ended up doing ("the notifier
 * will tell us"), get_user_pages() references kept until the mapping is
 * released, or FOLL_PIN|FOLL_LONGTERM pins (the module's way).
 */
enum gup_mode { GUP_NONE, GUP_GET, GUP_PIN, GUP_NR };

extern const char *const gup_names[GUP_NR];

struct frame {
	u64 gen;		/* atomic: bumped on free */
	int refcount;		/* atomic: ptes, pins, swap entry, temporary */
	int mapcount;		/* under the PTL: ptes mapping it (with child) */
	int pincount;		/* atomic: FOLL_PIN references */
	bool ksm;		/* a KSM stable page: always copied on write */
	/* PageAnonExclusive: only this mm maps it; a write fault reuses it. */
	bool exclusive;
	bool dirty;		/* atomic */
	struct mutex page_lock;
	u8 *data;
	u32 next_free;
} ____cacheline_aligned;	/* as struct page: 64 bytes */

/*
 * KSM's trees, reduced to what decides a merge: the checksum each page
 * had at its last scan (a page merges only if it did not change since),
 * a page per checksum waiting for an identical twin (the unstable tree)
 * and the KSM pages by checksum (the stable tree).
 */
#define KSM_SLOTS	64

struct ksm {
	struct mutex thread_mutex;	/* ksm_thread_mutex: one scan */
	u32 *checksum;			/* per page; 0: not scanned */
	unsigned long unstable[KSM_SLOTS];	/* page + 1, or 0 */
	u32 stable[KSM_SLOTS];		/* KSM frame, or NO_FRAME */
	u32 stable_sum[KSM_SLOTS];
};

/* Counters, updated with atomics. */
struct mm_stats {
	u64 invalidations;	/* start..end pairs begun */
	u64 start_calls, end_calls, inval_range_calls;
	u64 eagain;		/* non-blockable starts refused */
	u64 cow_copies, cow_reuses, swapins;
	u64 ksm_merged, ksm_skipped;	/* skipped: extra references */
	u64 ksm_unstable;		/* changed since the last scan */
	u64 forks, zaps, oom_reaps;
	u64 no_frame;		/* frame pool empty: event skipped */
	u64 overlapping;	/* invalidations that hit vq metadata */
};

struct mm_inval {
	struct mn_range range;
	u64 t0;
	bool marked;		/* the range is off limits until _end */
	/* Time inside the secondary MMU's callbacks, and waiting there. */
	u64 notifier_ns;
	u64 notifier_wait_ns;
	/* More ->invalidate_range calls follow _end (tlb_finish_mmu). */
	bool record_later;
	/* Whether the range hit any vq's metadata. */
	bool overlaps;
};

/*
 * A device's notifier, as vhost's: one subscription whose callbacks walk
 * the device's vqs, timed as one callback.
 */
#define MM_MAX_DEVICES	8

struct mm_device {
	struct mn_vq **vqs;
	unsigned int nvqs;
};

struct mm {
	unsigned long npages;
	u64 *pte;			/* atomic words */
	u32 *pte_seq;			/* bumped on every pte change */
	/*
	 * Invalidations of this page whose invalidate_range_start returned
	 * and whose _end has not begun: a secondary MMU may neither use nor
	 * establish a mapping of the page meanwhile.
	 */
	u32 *unstable;
	const char **unstable_why;	/* who started the last of them */
	u64 inflight;			/* atomic: such invalidations, mm-wide */
	const char **pte_why;		/* last change of each pte, for traces */
	struct frame *frames;
	u32 nframes;
	u8 *frame_mem;
	/*
	 * The guest takes the PTL on every access: on the line of the
	 * read-mostly fields above, it would make each of the worker's
	 * checked accesses a cache miss (the kernel's split PTLs live in
	 * the page-table pages, away from mm_struct, too).
	 */
	spinlock_t ptl ____cacheline_aligned;
	struct rw_semaphore mmap_lock ____cacheline_aligned;
	pthread_mutex_t free_lock ____cacheline_aligned;
	u32 free_head;
	struct ksm ksm;
	struct mn_vq **vqs;		/* every device's vqs, in order */
	unsigned int nvqs;
	/* The notifiers on the mm: one per device, over its vqs. */
	struct mm_device devices[MM_MAX_DEVICES];
	unsigned int ndevices;
	struct mm_itree itree;		/* interval notifier subscriptions */
	struct mm_stats stats;

	/*
	 * exit_mmap() has begun (mm_exit.c): the notifiers are released,
	 * and every fault fails from here on, as with no VMA left.
	 */
	bool exited;			/* atomic */

	/* At most one forked child holds references at a time. */
	bool forking;			/* atomic */
	u32 *child_frames;
	unsigned long nchild;
};

int mm_init(struct mm *mm, unsigned long npages, u32 nframes);
/*
 * Subscribe vqs[0..nvqs) as ndevices devices: the first ndevices - 1 get
 * per_device vqs each, the last the rest.
 */
void mm_set_devices(struct mm *mm, struct mn_vq **vqs, unsigned int nvqs,
		    unsigned int ndevices, unsigned int per_device);
void mm_destroy(struct mm *mm);
/* Back every page with a zeroed, writable frame (setup, no notifier). */
int mm_populate(struct mm *mm);

static inline unsigned long mm_page_addr(unsigned long page)
{
	return MM_BASE + (page << MM_PAGE_SHIFT);
}

static inline bool mm_range_ok(const struct mm *mm, unsigned long uaddr,
			       size_t len)
{
	unsigned long end = MM_BASE + (mm->npages << MM_PAGE_SHIFT);

	return uaddr >= MM_BASE && len <= end - uaddr && uaddr + len <= end;
}

static inline unsigned long mm_page_of(unsigned long uaddr)
{
	return (uaddr - MM_BASE) >> MM_PAGE_SHIFT;
}

static inline u64 mm_pte(struct mm *mm, unsigned long page)
{
	return __atomic_load_n(&mm->pte[page], __ATOMIC_ACQUIRE);
}

void mm_set_pte(struct mm *mm, unsigned long page, u64 pte, const char *why);

/*
 * The oracle's view at a mapped access (explore_wm.h): the pte, its
 * frame's generation and who set it; under lkmm the write the worker's
 * read of it read, which may be older than the latest.
 */
u64 mm_pte_seen(struct mm *mm, unsigned long page, u64 *gen,
		const char **why);

static inline u32 mm_pte_seq(struct mm *mm, unsigned long page)
{
	return __atomic_load_n(&mm->pte_seq[page], __ATOMIC_ACQUIRE);
}

u32 frame_alloc(struct mm *mm);		/* NO_FRAME if the pool is empty */
void frame_get(struct mm *mm, u32 f);
void frame_put(struct mm *mm, u32 f);
u64 frame_gen(struct mm *mm, u32 f);
void frame_copy(struct mm *mm, u32 dst, u32 src);

/* mm_access(), a user access through the page table: mn_user_access.h */
/* Resolve a fault on page; 0 when the caller should look again. */
int mm_fault(struct mm *mm, unsigned long page, bool write);
/* The same with mmap_lock already held for reading (GUP's faultin). */
int mm_fault_locked(struct mm *mm, unsigned long page, bool write);

static inline bool mm_exited(struct mm *mm)
{
	return __atomic_load_n(&mm->exited, __ATOMIC_ACQUIRE);
}

/* The devices still subscribed: ->release takes them off (mm_exit.c). */
static inline unsigned int mm_ndevices(struct mm *mm)
{
	return __atomic_load_n(&mm->ndevices, __ATOMIC_ACQUIRE);
}

/*
 * The process exits (exit_mmap() of 6.1): every device's ->release, the
 * devices off the list (an end of a start in flight no longer reaches
 * them), then the whole mm unmapped under one invalidation, which only
 * interval notifiers see, and the pages freed. Once per mm.
 */
void mm_exit(struct mm *mm);

/* The notifier calls, timed, with the kernel's context rules. */
int mm_inval_start(struct mm *mm, struct mm_inval *iv);
void mm_inval_end(struct mm *mm, struct mm_inval *iv, bool only_end);

static inline bool mm_unstable(struct mm *mm, unsigned long page)
{
	return __atomic_load_n(&mm->unstable[page], __ATOMIC_ACQUIRE);
}

/* The count above changes by delta (why: who starts an invalidation). */
void mm_mark_unstable(struct mm *mm, unsigned long page, int delta,
		      const char *why);
/* The oracle's read of it at a mapped access, as mm_pte_seen's. */
u32 mm_unstable_seen(struct mm *mm, unsigned long page, const char **why);

/* ->invalidate_range under the PTL (ptep_clear_flush_notify). */
void mm_notify_invalidate_range(struct mm *mm, struct mm_inval *iv);
/* Record iv's notifier time, after its last callback (record_later). */
void mm_inval_record(struct mm *mm, struct mm_inval *iv);

static inline void stat_inc(u64 *counter)
{
	__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
}

static inline u64 stat_read(const u64 *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

#endif /* MODEL_MM_H */
