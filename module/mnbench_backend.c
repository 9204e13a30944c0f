// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel backend of the strategies: a mapping is the vq metadata
 * pinned (FOLL_LONGTERM), referenced or merely looked up (dev->gup) and
 * vmapped; the slow path is copy_*_user from the worker kthread, which
 * runs in the owner's mm (kthread_use_mm).
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "mnbench.h"
#include "vq/vq_access.h"

atomic_long_t mnb_pages_held = ATOMIC_LONG_INIT(0);
atomic_long_t mnb_maps_live = ATOMIC_LONG_INIT(0);

static long mnb_get_pages(struct mnb_map *m, unsigned long start,
			  unsigned long n)
{
	long got;

	if (m->gup == MNB_GUP_PIN)
		got = pin_user_pages_fast(start, n, FOLL_WRITE | FOLL_LONGTERM,
					  m->pages);
	else
		got = get_user_pages_fast(start, n, FOLL_WRITE, m->pages);
	if (got > 0)
		atomic_long_add(got, &mnb_pages_held);
	return got;
}

/* Give back what mnb_get_pages() took, marking the pages dirty. */
static void mnb_put_pages(struct mnb_map *m, unsigned long n, bool lock)
{
	unsigned long i;

	atomic_long_sub(n, &mnb_pages_held);
	if (m->gup == MNB_GUP_PIN) {
		if (lock)
			unpin_user_pages_dirty_lock(m->pages, n, true);
		else
			unpin_user_pages(m->pages, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (lock)
			set_page_dirty_lock(m->pages[i]);
		put_page(m->pages[i]);
	}
}

#define MNB_PIN_BACKOFF_MAX_MS	1000

static struct mnb_vq *to_mnb_vq(struct mn_vq *vq)
{
	return container_of(vq, struct mnb_vq, vq);
}

bool mnb_check_stale;
module_param_named(check_stale, mnb_check_stale, bool, 0400);
MODULE_PARM_DESC(check_stale,
		 "compare every access through a mapping with the user memory it maps, counting stale ones (slow; for the verdict matrix)");

/* The largest access the vq core makes: a descriptor. */
#define MNB_CHECK_MAX	16

/*
 * The worker, vq mutex held, maybe in the strategy's atomic read section:
 * read the user memory at uaddr without faulting, before and after the
 * read through the mapping at p. Only if both user reads succeeded and
 * agree (the page is mapped, the guest did not write it meanwhile: the
 * rings' words the worker reads are stable or only grow) is the mapping's
 * value judged: stale if it differs. A zapped or reaped page, or a guest
 * store in between, leaves the access unjudged.
 */
bool mnb_map_read_check(struct mn_vq *vq, const void *p, unsigned long uaddr,
			void *dst, size_t len)
{
	const void __user *u = (const void __user *)uaddr;
	struct mnb_vq *mvq = to_mnb_vq(vq);
	u8 before[MNB_CHECK_MAX], after[MNB_CHECK_MAX];

	if (len > MNB_CHECK_MAX || copy_from_user_nofault(before, u, len)) {
		mnb_map_load(dst, p, len);
		return false;
	}
	mnb_map_load(dst, p, len);
	if (copy_from_user_nofault(after, u, len) || memcmp(before, after, len))
		return false;
	mvq->stale_compared++;
	return memcmp(dst, before, len) != 0;
}

/* After a write through the mapping: does the user memory show it? */
void mnb_map_write_check(struct mn_vq *vq, unsigned long uaddr,
			 const void *src, size_t len)
{
	struct mnb_vq *mvq = to_mnb_vq(vq);
	u8 now[MNB_CHECK_MAX];

	if (len > MNB_CHECK_MAX ||
	    copy_from_user_nofault(now, (const void __user *)uaddr, len))
		return;
	mvq->stale_compared++;
	if (memcmp(now, src, len))
		mvq->stale_writes++;
}

void mnb_stale_read_used(struct mn_vq *vq)
{
	to_mnb_vq(vq)->stale_reads++;
}

/*
 * The worker uses the slow path meanwhile; pinning is not retried hot,
 * and a vq that cannot be pinned holds back no other.
 */
static void mnb_pin_failed(struct mnb_vq *mvq)
{
	atomic64_inc(&mvq->dev->pin_failures);
	WRITE_ONCE(mvq->pin_backoff_ms,
		   clamp(mvq->pin_backoff_ms * 2, 1U,
			 (unsigned int)MNB_PIN_BACKOFF_MAX_MS));
	mvq->pin_retry_at = jiffies + msecs_to_jiffies(mvq->pin_backoff_ms);
}

struct mn_map *mn_map_create(struct mn_vq *vq)
{
	struct mnb_vq *mvq = to_mnb_vq(vq);
	struct mnb_dev *dev = vq->backend;
	unsigned long n = (vq->meta_end - vq->meta_start) >> PAGE_SHIFT;
	struct mnb_map *m;
	long got;

	might_sleep();
	if (!n || n > MNB_MAX_META_PAGES)
		return NULL;
	if (mvq->pin_backoff_ms && time_before(jiffies, mvq->pin_retry_at))
		return NULL;
	m = kzalloc(struct_size(m, pages, n), GFP_KERNEL);
	if (!m)
		return NULL;
	m->gup = dev->gup;
	got = mnb_get_pages(m, vq->meta_start, n);
	if (got != n) {
		if (got > 0)
			mnb_put_pages(m, got, false);
		kfree(m);
		mnb_pin_failed(mvq);
		return NULL;
	}
	WRITE_ONCE(mvq->pin_backoff_ms, 0);
	m->npages = n;
	m->vaddr = vmap(m->pages, n, VM_MAP, PAGE_KERNEL);
	if (!m->vaddr) {
		mnb_put_pages(m, n, false);
		kfree(m);
		return NULL;
	}
	/* The 2019 way: "the notifier will tell us", so hold nothing. */
	if (m->gup == MNB_GUP_NONE)
		mnb_put_pages(m, n, false);
	atomic_long_inc(&mnb_maps_live);
	return &m->base;
}

static void mnb_map_free(struct mnb_map *m)
{
	unsigned long i;

	vunmap(m->vaddr);
	if (m->referenced) {
		for (i = 0; i < m->npages; i++)
			put_page(m->pages[i]);
		atomic_long_sub(m->npages, &mnb_pages_held);
	}
	kfree(m);
	atomic_long_dec(&mnb_maps_live);
}

void mn_map_release(struct mn_vq *vq, struct mn_map *map,
		    enum mn_release_ctx ctx)
{
	struct mnb_dev *dev = vq->backend;
	struct mnb_map *m = to_mnb_map(map);
	unsigned long i;

	might_sleep();
	if (m->gup == MNB_GUP_NONE) {
		/* Nothing held: the pages may be gone, only unmap. */
		vunmap(m->vaddr);
		kfree(m);
		atomic_long_dec(&mnb_maps_live);
		return;
	}
	if (ctx == MN_RELEASE_WORKER) {
		/* set_page_dirty_lock: page lock under the vq mutex. */
		mnb_put_pages(m, m->npages, true);
		vunmap(m->vaddr);
		kfree(m);
		atomic_long_dec(&mnb_maps_live);
		return;
	}
	/* The caller may hold a page lock: no set_page_dirty_lock here. */
	for (i = 0; i < m->npages; i++)
		set_page_dirty(m->pages[i]);
	if (!mn_strategy_is(vq->strategy, MN_KNOWN_UNSAFE)) {
		mnb_put_pages(m, m->npages, false);
		vunmap(m->vaddr);
		kfree(m);
		atomic_long_dec(&mnb_maps_live);
		return;
	}
	/*
	 * A known-unsafe strategy may still be using this mapping. Drop the
	 * pins or references (what KSM, fork and migration look at) but keep
	 * a reference and the vmap until the worker's next quiescent point,
	 * so a stale access lands in a page that is still allocated, never
	 * in memory the kernel reused.
	 */
	for (i = 0; i < m->npages; i++)
		get_page(m->pages[i]);
	atomic_long_add(m->npages, &mnb_pages_held);
	mnb_put_pages(m, m->npages, false);
	m->referenced = true;
	mn_map_list_push(&dev->dead_lock, &dev->dead_maps, &m->base);
}

static void free_dead_map(struct mn_map *map, void *unused)
{
	mnb_map_free(to_mnb_map(map));
}

void mnb_free_dead_maps(struct mnb_dev *dev)
{
	mn_map_list_drain(&dev->dead_lock, &dev->dead_maps, free_dead_map,
			  NULL);
}

/*
 * The rings must be mapped and writable now (-EFAULT), and, for a
 * strategy that maps them, pinnable as its mappings will pin them
 * (-EOPNOTSUPP: e.g. a file mapping FOLL_LONGTERM refuses), so a run
 * never measures the slow path while it believes it measures a mapping.
 */
int mnb_probe_rings(const struct mn_vq *vq, const struct mn_strategy *s,
		    enum mnb_gup gup)
{
	unsigned long start = vq->meta_start;
	unsigned long n = (vq->meta_end - start) >> PAGE_SHIFT;
	struct page **pages;
	long got;
	int ret = 0;

	pages = kcalloc(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	got = get_user_pages_fast(start, n, FOLL_WRITE, pages);
	if (got != n)
		ret = -EFAULT;
	while (got > 0)
		put_page(pages[--got]);
	if (!ret && s->establish_map && gup == MNB_GUP_PIN) {
		got = pin_user_pages_fast(start, n, FOLL_WRITE | FOLL_LONGTERM,
					  pages);
		if (got != n)
			ret = -EOPNOTSUPP;
		if (got > 0)
			unpin_user_pages(pages, got);
	}
	kfree(pages);
	return ret;
}

/* The mmu_interval_notifier protocol on the vq's notifier (vq.h). */
unsigned long mn_interval_read_begin(struct mn_vq *vq)
{
	struct mnb_vq *mvq = to_mnb_vq(vq);

	return mvq->isub_inserted ? mmu_interval_read_begin(&mvq->isub) : 0;
}

bool mn_interval_read_retry(struct mn_vq *vq, unsigned long seq)
{
	struct mnb_vq *mvq = to_mnb_vq(vq);

	return !mvq->isub_inserted ||
	       mmu_interval_read_retry(&mvq->isub, seq);
}

void mn_interval_set_seq(struct mn_vq *vq, unsigned long cur_seq)
{
	mmu_interval_set_seq(&to_mnb_vq(vq)->isub, cur_seq);
}
