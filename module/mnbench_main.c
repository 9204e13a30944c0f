// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/mnbench: each open file is a vhost-like device whose worker serves
 * virtqueues in the caller's memory, keeping its cached mappings coherent
 * with one of the strategies in strategies/, under whatever the mm does
 * (KSM, COW, migration...).
 */
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "mnbench.h"
#include "vq/vq_access.h"

#define MNB_BUDGET	64

static bool allow_dangerous;
module_param(allow_dangerous, bool, 0400);
MODULE_PARM_DESC(allow_dangerous,
		 "run strategies that sleep in atomic context or deadlock (disposable test machines only)");

static_assert(MNB_STOP_AVAIL_IDX == (int)MN_VQ_STOP_AVAIL_IDX &&
	      MNB_STOP_DESC_FAULT == (int)MN_VQ_STOP_DESC_FAULT);

static void mnb_hist_add(struct mnb_dev *dev, enum mnb_hist which, u64 ns)
{
	atomic64_inc(&dev->hist[which * HIST_NR_BUCKETS +
				hist_bucket_index(ns)]);
}

/*
 * An invalidation's callbacks before its end: the interval notifier's,
 * then start's, add up in one slot.
 */
static void mnb_timing_begin(struct mnb_dev *dev, const void *range, u64 t0,
			      u64 start_ns, bool hit)
{
	int i;

	for (i = 0; i < MNB_TIMING_SLOTS; i++) {
		if (READ_ONCE(dev->timing[i].range) == range) {
			dev->timing[i].start_ns += start_ns;
			dev->timing[i].hit |= hit;
			return;
		}
	}
	for (i = 0; i < MNB_TIMING_SLOTS; i++) {
		if (!cmpxchg(&dev->timing[i].range, NULL, range)) {
			dev->timing[i].t0 = t0;
			dev->timing[i].start_ns = start_ns;
			dev->timing[i].hit = hit;
			return;
		}
	}
}

static void mnb_timing_end(struct mnb_dev *dev, const void *range, u64 now,
			   u64 end_ns)
{
	int i;

	for (i = 0; i < MNB_TIMING_SLOTS; i++) {
		if (READ_ONCE(dev->timing[i].range) == range) {
			mnb_hist_add(dev, MNB_HIST_TOTAL,
				     now - dev->timing[i].t0);
			/* The interval callbacks this invalidation made. */
			if (dev->strategy->interval_invalidate)
				mnb_hist_add(dev, MNB_HIST_START,
					     dev->timing[i].start_ns);
			mnb_hist_add(dev, MNB_HIST_NOTIFIER,
				     dev->timing[i].start_ns + end_ns);
			if (dev->timing[i].hit)
				mnb_hist_add(dev, MNB_HIST_NOTIFIER_HIT,
					     dev->timing[i].start_ns + end_ns);
			/* t0 is read before the slot can be reused. */
			smp_store_release(&dev->timing[i].range, NULL);
			return;
		}
	}
}

static struct mn_range mnb_range(const struct mmu_notifier_range *r)
{
	struct mn_range range = {
		.start = r->start,
		.end = r->end,
		.blockable = mmu_notifier_range_blockable(r),
	};

	return range;
}

/* The harness's own walk, outside the callback's timed part. */
static bool mnb_range_hits_device(struct mnb_dev *dev,
				  const struct mn_range *range)
{
	unsigned int i;

	for (i = 0; i < dev->nvqs; i++)
		if (mn_range_overlaps_vq(&dev->vqs[i]->vq, range))
			return true;
	return false;
}

/* Like vhost's: every vq's start, the last error if any. */
static int mnb_invalidate_range_start(struct mmu_notifier *mn,
				      const struct mmu_notifier_range *r)
{
	struct mnb_dev *dev = container_of(mn, struct mnb_dev, mn);
	const struct mn_strategy *s = dev->strategy;
	struct mn_range range = mnb_range(r);
	bool hit = mnb_range_hits_device(dev, &range);
	unsigned int i;
	int ret = 0, err;
	u64 t0, ns;

	atomic64_inc(&dev->start_calls);
	if (hit)
		atomic64_inc(&dev->overlapping_calls);
	if (!range.blockable)
		atomic64_inc(&dev->nonblock_starts);
	t0 = ktime_get_ns();
	for (i = 0; s->invalidate_range_start && i < dev->nvqs; i++) {
		err = s->invalidate_range_start(&dev->vqs[i]->vq, &range);
		if (err)
			ret = err;
	}
	ns = ktime_get_ns() - t0;
	/* With interval notifiers, their callbacks' sum is the sample (end). */
	if (!s->interval_invalidate)
		mnb_hist_add(dev, MNB_HIST_START, ns);
	if (!ret)
		mnb_timing_begin(dev, r, t0, ns, hit);
	else
		atomic64_inc(&dev->refused_starts);
	return ret;
}

static void mnb_invalidate_range_end(struct mmu_notifier *mn,
				     const struct mmu_notifier_range *r)
{
	struct mnb_dev *dev = container_of(mn, struct mnb_dev, mn);
	const struct mn_strategy *s = dev->strategy;
	struct mn_range range = mnb_range(r);
	u64 t0 = ktime_get_ns(), t1;
	unsigned int i;

	atomic64_inc(&dev->end_calls);
	for (i = 0; s->invalidate_range_end && i < dev->nvqs; i++)
		s->invalidate_range_end(&dev->vqs[i]->vq, &range);
	t1 = ktime_get_ns();
	mnb_hist_add(dev, MNB_HIST_END, t1 - t0);
	mnb_timing_end(dev, r, t1, t1 - t0);
}

/* The core calls it only for ranges that hit the vq's metadata. */
static bool mnb_interval_invalidate(struct mmu_interval_notifier *sub,
				    const struct mmu_notifier_range *r,
				    unsigned long cur_seq)
{
	struct mnb_vq *mvq = container_of(sub, struct mnb_vq, isub);
	struct mnb_dev *dev = mvq->dev;
	struct mn_range range = mnb_range(r);
	u64 t0 = ktime_get_ns(), ns;
	bool ok;

	ok = dev->strategy->interval_invalidate(&mvq->vq, &range, cur_seq);
	ns = ktime_get_ns() - t0;
	/* Refused: the core calls neither start nor end after it. */
	if (ok) {
		mnb_timing_begin(dev, r, t0, ns, true);
	} else {
		mnb_hist_add(dev, MNB_HIST_START, ns);
		atomic64_inc(&dev->refused_starts);
	}
	return ok;
}

static const struct mmu_interval_notifier_ops mnb_interval_ops = {
	.invalidate = mnb_interval_invalidate,
};

static void mnb_invalidate_secondary(struct mnb_dev *dev, unsigned long start,
				     unsigned long end)
{
	const struct mn_strategy *s = dev->strategy;
	u64 t0 = ktime_get_ns();
	unsigned int i;

	atomic64_inc(&dev->inval_range_calls);
	for (i = 0; s->invalidate_range && i < dev->nvqs; i++)
		s->invalidate_range(&dev->vqs[i]->vq, start, end);
	mnb_hist_add(dev, MNB_HIST_INVAL_RANGE, ktime_get_ns() - t0);
}

/*
 * exit_mmap(), or mmu_notifier_unregister() while the mm lives. The worker
 * holds mm_users while it runs, so this comes after it has stopped and
 * reset its mappings; all the same, each vq gives up its mapping for good
 * here (mn_vq_release(): start with no end), as ->release's contract asks
 * of any secondary MMU, so nothing maps the rings after it whatever runs.
 */
static void mnb_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct mnb_dev *dev = container_of(mn, struct mnb_dev, mn);
	unsigned int i;

	atomic64_inc(&dev->release_calls);
	for (i = 0; i < dev->nvqs; i++)
		mn_vq_release(&dev->vqs[i]->vq);
}

#if MNB_SECONDARY_TLBS_HOOK
static void mnb_arch_invalidate_secondary_tlbs(struct mmu_notifier *mn,
					       struct mm_struct *mm,
					       unsigned long start,
					       unsigned long end)
{
	mnb_invalidate_secondary(container_of(mn, struct mnb_dev, mn_tlb),
				 start, end);
}

static const struct mmu_notifier_ops mnb_tlb_ops = {
	.arch_invalidate_secondary_tlbs = mnb_arch_invalidate_secondary_tlbs,
};
#else
static void mnb_invalidate_range(struct mmu_notifier *mn,
				 struct mm_struct *mm, unsigned long start,
				 unsigned long end)
{
	mnb_invalidate_secondary(container_of(mn, struct mnb_dev, mn), start,
				 end);
}
#endif

static const struct mmu_notifier_ops mnb_mn_ops = {
	.release = mnb_release,
	.invalidate_range_start = mnb_invalidate_range_start,
	.invalidate_range_end = mnb_invalidate_range_end,
#if !MNB_SECONDARY_TLBS_HOOK
	.invalidate_range = mnb_invalidate_range,
#endif
};

/* A ring that faults is retried, ever less often, up to this. */
#define MNB_FAULT_BACKOFF_MAX_US	100000

/* One pass over the device's vqs, as vhost's worker polls its queues. */
struct mnb_pass {
	int processed;
	bool faulted;		/* a ring faulted */
	bool all_stopped;
};

static void mnb_worker_pass(struct mnb_dev *dev, struct mnb_pass *p)
{
	unsigned int i;
	int n;

	memset(p, 0, sizeof(*p));
	p->all_stopped = true;
	for (i = 0; i < dev->nvqs; i++) {
		struct mn_vq *vq = &dev->vqs[i]->vq;

		mutex_lock(&vq->mutex);
		mn_vq_reap(vq);
		if (!vq->stopped)
			mn_vq_establish_map(vq);
		n = mn_vq_process(vq, MNB_BUDGET);
		p->all_stopped &= !!vq->stopped;
		mutex_unlock(&vq->mutex);
		if (n > 0)
			p->processed += n;
		else if (n < 0 && !vq->stopped)
			p->faulted = true;
		cond_resched();
	}
	mnb_free_dead_maps(dev);
}

static void mnb_reset_maps(struct mnb_dev *dev)
{
	unsigned int i;

	for (i = 0; i < dev->nvqs; i++) {
		mutex_lock(&dev->vqs[i]->vq.mutex);
		mn_vq_reset_map(&dev->vqs[i]->vq);
		mutex_unlock(&dev->vqs[i]->vq.mutex);
	}
	mnb_free_dead_maps(dev);
}

static int mnb_worker(void *arg)
{
	struct mnb_dev *dev = arg;
	unsigned int backoff_us;
	struct mnb_pass pass;

	kthread_use_mm(dev->mm);
	while (!kthread_should_stop()) {
		mnb_worker_pass(dev, &pass);
		if (pass.processed) {
			atomic64_add(pass.processed, &dev->processed);
			WRITE_ONCE(dev->fault_backoff_us, 0);
			continue;
		}
		if (pass.all_stopped) {
			/* Nothing to do until STOP or close. */
			schedule_timeout_interruptible(HZ / 10);
			continue;
		}
		if (!pass.faulted) {
			usleep_range(20, 100);	/* idle */
			continue;
		}
		atomic64_inc(&dev->worker_errors);
		backoff_us = clamp(dev->fault_backoff_us * 2, 100U,
				   (unsigned int)MNB_FAULT_BACKOFF_MAX_US);
		WRITE_ONCE(dev->fault_backoff_us, backoff_us);
		usleep_range(backoff_us, backoff_us * 2);
	}
	mnb_reset_maps(dev);
	kthread_unuse_mm(dev->mm);
	mmput(dev->mm);
	return 0;
}

static atomic_long_t mnb_devices = ATOMIC_LONG_INIT(0);

static int mnb_open(struct inode *inode, struct file *file)
{
	struct mnb_dev *dev;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->hist = kvcalloc(MNB_HIST_NR * HIST_NR_BUCKETS, sizeof(*dev->hist),
			     GFP_KERNEL);
	if (!dev->hist) {
		kfree(dev);
		return -ENOMEM;
	}
	mutex_init(&dev->lock);
	spin_lock_init(&dev->dead_lock);
	file->private_data = dev;
	atomic_long_inc(&mnb_devices);
	return 0;
}

static void mnb_stop_worker(struct mnb_dev *dev)
{
	if (!dev->worker)
		return;
	kthread_stop(dev->worker);
	put_task_struct(dev->worker);
	dev->worker = NULL;
}

static void mnb_unregister(struct mnb_dev *dev)
{
	unsigned int i;

	for (i = 0; i < dev->nvqs; i++) {
		if (dev->vqs[i]->isub_inserted)
			mmu_interval_notifier_remove(&dev->vqs[i]->isub);
		dev->vqs[i]->isub_inserted = false;
	}
	if (!dev->mn_registered)
		return;
	mmu_notifier_unregister(&dev->mn, dev->mm);
#if MNB_SECONDARY_TLBS_HOOK
	mmu_notifier_unregister(&dev->mn_tlb, dev->mm);
#endif
	dev->mn_registered = false;
}

static int mnb_release_file(struct inode *inode, struct file *file)
{
	struct mnb_dev *dev = file->private_data;
	unsigned int i;

	mutex_lock(&dev->lock);
	mnb_stop_worker(dev);
	mnb_unregister(dev);
	mnb_reset_maps(dev);
	for (i = 0; i < dev->nvqs; i++) {
		mn_vq_destroy(&dev->vqs[i]->vq);
		kfree(dev->vqs[i]);
	}
	kvfree(dev->vqs);
	if (dev->mm)
		mmdrop(dev->mm);
	mutex_unlock(&dev->lock);
	kvfree(dev->hist);
	kfree(dev);
	atomic_long_dec(&mnb_devices);
	return 0;
}

static bool mnb_user_range_ok(u64 addr, u64 len)
{
	return addr && len && addr + len > addr &&
	       access_ok((void __user *)(unsigned long)addr, len);
}

static bool mnb_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

static bool mnb_rings_overlap(const struct mnb_setup *su)
{
	u64 d = mn_vring_desc_size(su->num), a = mn_vring_avail_size(su->num);
	u64 u = mn_vring_used_size(su->num);

	return mnb_overlap(su->desc, d, su->avail, a) ||
	       mnb_overlap(su->desc, d, su->used, u) ||
	       mnb_overlap(su->avail, a, su->used, u);
}


/* The checks of a SETUP that need no state; the strategy, or NULL. */
static const struct mn_strategy *mnb_setup_valid(const struct mnb_setup *su,
						 int *err)
{
	const struct mn_strategy *s;

	*err = -EINVAL;
	if ((su->flags & ~MNB_SETUP_GUP_MASK) ||
	    (su->flags & MNB_SETUP_GUP_MASK) >= MNB_GUP_NR ||
	    strnlen(su->strategy, sizeof(su->strategy)) ==
	    sizeof(su->strategy))
		return NULL;
	s = mn_strategy_find(su->strategy);
	if (!s || mn_strategy_is(s, MN_TEST_ONLY) ||
	    !mn_vring_num_valid(su->num))
		return NULL;
	if ((mn_strategy_is(s, MN_BREAKS_KERNEL_RULES) ||
	     (su->flags & MNB_SETUP_GUP_MASK) == MNB_GUP_NONE) &&
	    !allow_dangerous) {
		*err = -EPERM;
		return NULL;
	}
	if ((su->desc & 15) || (su->avail & 1) || (su->used & 3))
		return NULL;
	*err = -EFAULT;
	if (!mnb_user_range_ok(su->desc, mn_vring_desc_size(su->num)) ||
	    !mnb_user_range_ok(su->avail, mn_vring_avail_size(su->num)) ||
	    !mnb_user_range_ok(su->used, mn_vring_used_size(su->num)))
		return NULL;
	*err = -EINVAL;
	if (mnb_rings_overlap(su))
		return NULL;
	return s;
}

static bool mnb_meta_shared(const struct mnb_dev *dev, const struct mn_vq *vq)
{
	unsigned int i;

	for (i = 0; i < dev->nvqs; i++)
		if (vq->meta_start < dev->vqs[i]->vq.meta_end &&
		    dev->vqs[i]->vq.meta_start < vq->meta_end)
			return true;
	return false;
}

/*
 * A vq on the rings su describes, checked against the device's other
 * vqs and probed as its mappings will hold them; 0 or -errno.
 */
static int mnb_vq_create(struct mnb_dev *dev, const struct mn_strategy *s,
			 const struct mnb_setup *su, enum mnb_gup gup,
			 struct mnb_vq **out)
{
	struct mnb_vq *mvq;
	int ret;

	mvq = kzalloc(sizeof(*mvq), GFP_KERNEL);
	if (!mvq)
		return -ENOMEM;
	ret = mn_vq_init(&mvq->vq, s, su->num, su->desc, su->avail, su->used,
			 PAGE_SIZE);
	if (ret)
		goto free;
	/* Rings spread far apart would pin without bound: refuse. */
	ret = -EINVAL;
	if ((mvq->vq.meta_end - mvq->vq.meta_start) >> PAGE_SHIFT >
	    MNB_MAX_META_PAGES)
		goto destroy;
	/* Shared pages would be pinned once per vq: up to 1024 times. */
	ret = -EINVAL;
	if (mnb_meta_shared(dev, &mvq->vq))
		goto destroy;
	ret = mnb_probe_rings(&mvq->vq, s, gup);
	if (ret)
		goto destroy;
	mvq->vq.backend = dev;
	mvq->dev = dev;
	*out = mvq;
	return 0;
destroy:
	mn_vq_destroy(&mvq->vq);
free:
	kfree(mvq);
	return ret;
}

/*
 * Add a vq to the device. Every vq of a device has the first one's
 * strategy and way of holding pages; none can be added once started.
 */
static int mnb_setup(struct mnb_dev *dev, struct mnb_setup __user *arg)
{
	const struct mn_strategy *s;
	enum mnb_gup gup;
	struct mnb_setup su;
	struct mnb_vq *mvq;
	int ret;

	if (copy_from_user(&su, arg, sizeof(su)))
		return -EFAULT;
	if (dev->mn_registered)
		return -EBUSY;
	if (dev->nvqs == MNB_MAX_VQS)
		return -ENOSPC;
	s = mnb_setup_valid(&su, &ret);
	if (!s)
		return ret;
	gup = su.flags & MNB_SETUP_GUP_MASK;
	if (dev->nvqs && (s != dev->strategy || gup != dev->gup))
		return -EINVAL;
	if (!current->mm)
		return -EINVAL;
	if (!dev->vqs) {
		dev->vqs = kvcalloc(MNB_MAX_VQS, sizeof(*dev->vqs),
				    GFP_KERNEL);
		if (!dev->vqs)
			return -ENOMEM;
	}
	ret = mnb_vq_create(dev, s, &su, gup, &mvq);
	if (ret)
		return ret;
	if (!dev->nvqs) {
		mmgrab(current->mm);
		dev->mm = current->mm;
		dev->strategy = s;
		dev->gup = gup;
	}
	dev->vqs[dev->nvqs++] = mvq;
	return 0;
}

/* The device's notifiers, once all its vqs are there. */
static int mnb_register(struct mnb_dev *dev)
{
	unsigned int i;
	int ret;

	dev->mn.ops = &mnb_mn_ops;
	ret = mmu_notifier_register(&dev->mn, dev->mm);
	if (ret)
		return ret;
	dev->mn_registered = true;
#if MNB_SECONDARY_TLBS_HOOK
	dev->mn_tlb.ops = &mnb_tlb_ops;
	ret = mmu_notifier_register(&dev->mn_tlb, dev->mm);
	if (ret) {
		mmu_notifier_unregister(&dev->mn, dev->mm);
		dev->mn_registered = false;
		return ret;
	}
#endif
	for (i = 0; dev->strategy->interval_invalidate && i < dev->nvqs; i++) {
		struct mnb_vq *mvq = dev->vqs[i];

		ret = mmu_interval_notifier_insert(&mvq->isub, dev->mm,
						   mvq->vq.meta_start,
						   mvq->vq.meta_end -
						   mvq->vq.meta_start,
						   &mnb_interval_ops);
		if (ret) {
			mnb_unregister(dev);
			return ret;
		}
		mvq->isub_inserted = true;
	}
	return 0;
}

static int mnb_start(struct mnb_dev *dev)
{
	struct task_struct *t;
	int ret;

	if (!dev->nvqs)
		return -EINVAL;
	if (dev->worker)
		return -EBUSY;
	if (!dev->mn_registered) {
		ret = mnb_register(dev);
		if (ret)
			return ret;
	}
	if (!mmget_not_zero(dev->mm))
		return -ESRCH;
	t = kthread_create(mnb_worker, dev, "mnbench-worker");
	if (IS_ERR(t)) {
		mmput(dev->mm);
		return PTR_ERR(t);
	}
	get_task_struct(t);
	dev->worker = t;
	wake_up_process(t);
	return 0;
}

/* The vqs' counters summed; the first stopped vq says why it stopped. */
static void mnb_vq_stats(struct mnb_dev *dev, struct mnb_stats *st)
{
	unsigned int i;

	st->vqs = dev->nvqs;
	for (i = 0; i < dev->nvqs; i++) {
		struct mn_vq *vq = &dev->vqs[i]->vq;

		mutex_lock(&vq->mutex);
		st->map_reads += vq->stats.map_reads;
		st->map_writes += vq->stats.map_writes;
		st->fallbacks += vq->stats.fallbacks;
		st->retries += vq->stats.retries;
		st->remaps += vq->stats.remaps;
		st->bad_heads += vq->stats.bad_heads;
		st->stale_compared += dev->vqs[i]->stale_compared;
		st->stale_reads += dev->vqs[i]->stale_reads;
		st->stale_writes += dev->vqs[i]->stale_writes;
		if (vq->stopped && !st->stop_reason) {
			st->stop_reason = vq->stopped;
			st->stop_detail = vq->stop_detail;
		}
		st->stopped_vqs += !!vq->stopped;
		st->pin_backoff_ms = max(st->pin_backoff_ms,
					 READ_ONCE(dev->vqs[i]->pin_backoff_ms));
		mutex_unlock(&vq->mutex);
	}
}

static int mnb_stats(struct mnb_dev *dev, struct mnb_stats __user *arg)
{
	struct mnb_stats st;

	memset(&st, 0, sizeof(st));
	mnb_vq_stats(dev, &st);
	st.processed = atomic64_read(&dev->processed);
	st.start_calls = atomic64_read(&dev->start_calls);
	st.end_calls = atomic64_read(&dev->end_calls);
	st.invalidate_range_calls = atomic64_read(&dev->inval_range_calls);
	st.release_calls = atomic64_read(&dev->release_calls);
	st.worker_errors = atomic64_read(&dev->worker_errors);
	st.overlapping_calls = atomic64_read(&dev->overlapping_calls);
	st.pin_failures = atomic64_read(&dev->pin_failures);
	st.nonblock_starts = atomic64_read(&dev->nonblock_starts);
	st.refused_starts = atomic64_read(&dev->refused_starts);
	st.fault_backoff_us = READ_ONCE(dev->fault_backoff_us);
	/* dev->lock keeps the worker, so that perf can count it by pid. */
	st.worker_pid = dev->worker ? task_pid_vnr(dev->worker) : 0;
	return copy_to_user(arg, &st, sizeof(st)) ? -EFAULT : 0;
}

static int mnb_hist(struct mnb_dev *dev, struct mnb_hist_req __user *arg)
{
	struct mnb_hist_req req;
	u64 *buf;
	u32 i, n;
	int ret = 0;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.which >= MNB_HIST_NR)
		return -EINVAL;
	n = min_t(u32, req.nbuckets, HIST_NR_BUCKETS);
	buf = kvcalloc(HIST_NR_BUCKETS, sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		buf[i] = atomic64_read(&dev->hist[req.which * HIST_NR_BUCKETS +
						  i]);
	req.nbuckets = n;
	if (copy_to_user(u64_to_user_ptr(req.buckets), buf,
			 (size_t)n * sizeof(*buf)) ||
	    copy_to_user(arg, &req, sizeof(req)))
		ret = -EFAULT;
	kvfree(buf);
	return ret;
}

static long mnb_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct mnb_dev *dev = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	mutex_lock(&dev->lock);
	/*
	 * The vq belongs to the process that set it up: another that holds
	 * the fd (a parent whose child set it up and died, as under the OOM
	 * load) may read the counters, which touch no user memory of the
	 * owner, or close it.
	 */
	if (dev->mm && current->mm != dev->mm && cmd != MNB_IOC_STATS &&
	    cmd != MNB_IOC_HIST) {
		mutex_unlock(&dev->lock);
		return -EPERM;
	}
	switch (cmd) {
	case MNB_IOC_SETUP:
		ret = mnb_setup(dev, uarg);
		break;
	case MNB_IOC_START:
		ret = mnb_start(dev);
		break;
	case MNB_IOC_STOP:
		ret = dev->worker ? 0 : -EINVAL;
		mnb_stop_worker(dev);
		break;
	case MNB_IOC_STATS:
		ret = mnb_stats(dev, uarg);
		break;
	case MNB_IOC_HIST:
		ret = mnb_hist(dev, uarg);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&dev->lock);
	return ret;
}

static const struct file_operations mnb_fops = {
	.owner = THIS_MODULE,
	.open = mnb_open,
	.release = mnb_release_file,
	.unlocked_ioctl = mnb_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static ssize_t pages_held_show(struct device *d, struct device_attribute *a,
			       char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&mnb_pages_held));
}
static DEVICE_ATTR_RO(pages_held);

static ssize_t mappings_show(struct device *d, struct device_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&mnb_maps_live));
}
static DEVICE_ATTR_RO(mappings);

static ssize_t devices_show(struct device *d, struct device_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&mnb_devices));
}
static DEVICE_ATTR_RO(devices);

/* /sys/class/misc/mnbench/: what is held now, module-wide (mnbench.h). */
static struct attribute *mnb_attrs[] = {
	&dev_attr_pages_held.attr,
	&dev_attr_mappings.attr,
	&dev_attr_devices.attr,
	NULL,
};
ATTRIBUTE_GROUPS(mnb);

static struct miscdevice mnb_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mnbench",
	.fops = &mnb_fops,
	.mode = 0600,
	.groups = mnb_groups,
};

static int __init mnb_init(void)
{
	return misc_register(&mnb_misc);
}

static void __exit mnb_exit(void)
{
	misc_deregister(&mnb_misc);
	/* Notifiers freed through SRCU must be done before the text goes. */
	mmu_notifier_synchronize();
}

module_init(mnb_init);
module_exit(mnb_exit);
MODULE_DESCRIPTION("mnbench: MMU-notifier invalidation strategies for a vhost-like secondary MMU");
MODULE_LICENSE("GPL");
