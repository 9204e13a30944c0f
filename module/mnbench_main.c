// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/mnbench: runs a vhost-like worker over a virtqueue in the caller's
 * memory, keeping its cached mapping coherent with one of the strategies
 * in strategies/, under whatever the mm does (KSM, COW, migration...).
 */
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
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

static int mnb_invalidate_range_start(struct mmu_notifier *mn,
				      const struct mmu_notifier_range *r)
{
	struct mnb_dev *dev = container_of(mn, struct mnb_dev, mn);
	const struct mn_strategy *s = dev->vq.strategy;
	struct mn_range range = mnb_range(r);
	u64 t0 = ktime_get_ns(), ns;
	bool hit = mn_range_overlaps_vq(&dev->vq, &range);
	int ret = 0;

	atomic64_inc(&dev->start_calls);
	if (hit)
		atomic64_inc(&dev->overlapping_calls);
	if (s->invalidate_range_start)
		ret = s->invalidate_range_start(&dev->vq, &range);
	ns = ktime_get_ns() - t0;
	/* An interval notifier's callback is the start sample (below). */
	if (!s->interval_invalidate)
		mnb_hist_add(dev, MNB_HIST_START, ns);
	if (!ret)
		mnb_timing_begin(dev, r, t0, ns, hit);
	return ret;
}

static void mnb_invalidate_range_end(struct mmu_notifier *mn,
				     const struct mmu_notifier_range *r)
{
	struct mnb_dev *dev = container_of(mn, struct mnb_dev, mn);
	const struct mn_strategy *s = dev->vq.strategy;
	struct mn_range range = mnb_range(r);
	u64 t0 = ktime_get_ns(), t1;

	atomic64_inc(&dev->end_calls);
	if (s->invalidate_range_end)
		s->invalidate_range_end(&dev->vq, &range);
	t1 = ktime_get_ns();
	mnb_hist_add(dev, MNB_HIST_END, t1 - t0);
	mnb_timing_end(dev, r, t1, t1 - t0);
}

/* The core calls it only for ranges that hit the vq's metadata. */
static bool mnb_interval_invalidate(struct mmu_interval_notifier *sub,
				    const struct mmu_notifier_range *r,
				    unsigned long cur_seq)
{
	struct mnb_dev *dev = container_of(sub, struct mnb_dev, isub);
	struct mn_range range = mnb_range(r);
	u64 t0 = ktime_get_ns(), ns;
	bool ok;

	ok = dev->vq.strategy->interval_invalidate(&dev->vq, &range, cur_seq);
	ns = ktime_get_ns() - t0;
	mnb_hist_add(dev, MNB_HIST_START, ns);
	/* Refused: the core calls neither start nor end after it. */
	if (ok)
		mnb_timing_begin(dev, r, t0, ns, true);
	return ok;
}

static const struct mmu_interval_notifier_ops mnb_interval_ops = {
	.invalidate = mnb_interval_invalidate,
};

static void mnb_invalidate_secondary(struct mnb_dev *dev, unsigned long start,
				     unsigned long end)
{
	const struct mn_strategy *s = dev->vq.strategy;
	u64 t0 = ktime_get_ns();

	atomic64_inc(&dev->inval_range_calls);
	if (s->invalidate_range)
		s->invalidate_range(&dev->vq, start, end);
	mnb_hist_add(dev, MNB_HIST_INVAL_RANGE, ktime_get_ns() - t0);
}

/* The worker holds mm_users while it runs, so this comes after it. */
static void mnb_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct mnb_dev *dev = container_of(mn, struct mnb_dev, mn);

	atomic64_inc(&dev->release_calls);
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

static int mnb_worker(void *arg)
{
	struct mnb_dev *dev = arg;
	struct mn_vq *vq = &dev->vq;
	unsigned int backoff_us;
	bool stopped;
	int n;

	kthread_use_mm(dev->mm);
	while (!kthread_should_stop()) {
		mutex_lock(&vq->mutex);
		mn_vq_reap(vq);
		if (!vq->stopped)
			mn_vq_establish_map(vq);
		n = mn_vq_process(vq, MNB_BUDGET);
		stopped = vq->stopped;
		mutex_unlock(&vq->mutex);
		mnb_free_dead_maps(dev);
		if (n > 0) {
			atomic64_add(n, &dev->processed);
			WRITE_ONCE(dev->fault_backoff_us, 0);
			cond_resched();
			continue;
		}
		if (stopped) {
			/* Nothing to do until STOP or close. */
			schedule_timeout_interruptible(HZ / 10);
			continue;
		}
		if (!n) {
			usleep_range(20, 100);	/* idle */
			continue;
		}
		atomic64_inc(&dev->worker_errors);
		backoff_us = clamp(dev->fault_backoff_us * 2, 100U,
				   (unsigned int)MNB_FAULT_BACKOFF_MAX_US);
		WRITE_ONCE(dev->fault_backoff_us, backoff_us);
		usleep_range(backoff_us, backoff_us * 2);
	}
	mutex_lock(&vq->mutex);
	mn_vq_reset_map(vq);
	mutex_unlock(&vq->mutex);
	mnb_free_dead_maps(dev);
	kthread_unuse_mm(dev->mm);
	mmput(dev->mm);
	return 0;
}

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

static int mnb_release_file(struct inode *inode, struct file *file)
{
	struct mnb_dev *dev = file->private_data;

	mutex_lock(&dev->lock);
	mnb_stop_worker(dev);
	if (dev->isub_inserted)
		mmu_interval_notifier_remove(&dev->isub);
	if (dev->mn_registered) {
		mmu_notifier_unregister(&dev->mn, dev->mm);
#if MNB_SECONDARY_TLBS_HOOK
		mmu_notifier_unregister(&dev->mn_tlb, dev->mm);
#endif
	}
	if (dev->setup) {
		mutex_lock(&dev->vq.mutex);
		mn_vq_reset_map(&dev->vq);
		mutex_unlock(&dev->vq.mutex);
		mnb_free_dead_maps(dev);
		mn_vq_destroy(&dev->vq);
		mmdrop(dev->mm);
	}
	mutex_unlock(&dev->lock);
	kvfree(dev->hist);
	kfree(dev);
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


static int mnb_setup(struct mnb_dev *dev, struct mnb_setup __user *arg)
{
	const struct mn_strategy *s;
	struct mnb_setup su;
	int ret;

	if (copy_from_user(&su, arg, sizeof(su)))
		return -EFAULT;
	if (dev->setup)
		return -EBUSY;
	if ((su.flags & ~MNB_SETUP_GUP_MASK) ||
	    (su.flags & MNB_SETUP_GUP_MASK) >= MNB_GUP_NR ||
	    strnlen(su.strategy, sizeof(su.strategy)) ==
	    sizeof(su.strategy))
		return -EINVAL;
	s = mn_strategy_find(su.strategy);
	if (!s || mn_strategy_is(s, MN_TEST_ONLY) ||
	    !mn_vring_num_valid(su.num))
		return -EINVAL;
	if ((mn_strategy_is(s, MN_BREAKS_KERNEL_RULES) ||
	     (su.flags & MNB_SETUP_GUP_MASK) == MNB_GUP_NONE) &&
	    !allow_dangerous)
		return -EPERM;
	if ((su.desc & 15) || (su.avail & 1) || (su.used & 3))
		return -EINVAL;
	if (!mnb_user_range_ok(su.desc, mn_vring_desc_size(su.num)) ||
	    !mnb_user_range_ok(su.avail, mn_vring_avail_size(su.num)) ||
	    !mnb_user_range_ok(su.used, mn_vring_used_size(su.num)))
		return -EFAULT;
	if (mnb_rings_overlap(&su))
		return -EINVAL;
	if (!current->mm)
		return -EINVAL;
	ret = mn_vq_init(&dev->vq, s, su.num, su.desc, su.avail, su.used,
			 PAGE_SIZE);
	if (ret)
		return ret;
	/* Rings spread far apart would pin without bound: refuse. */
	if ((dev->vq.meta_end - dev->vq.meta_start) >> PAGE_SHIFT >
	    MNB_MAX_META_PAGES) {
		mn_vq_destroy(&dev->vq);
		return -EINVAL;
	}
	dev->gup = su.flags & MNB_SETUP_GUP_MASK;
	ret = mnb_probe_rings(dev, s, dev->gup);
	if (ret) {
		mn_vq_destroy(&dev->vq);
		return ret;
	}
	dev->vq.backend = dev;
	mmgrab(current->mm);
	dev->mm = current->mm;
	dev->mn.ops = &mnb_mn_ops;
	ret = mmu_notifier_register(&dev->mn, dev->mm);
#if MNB_SECONDARY_TLBS_HOOK
	if (!ret) {
		dev->mn_tlb.ops = &mnb_tlb_ops;
		ret = mmu_notifier_register(&dev->mn_tlb, dev->mm);
		if (ret)
			mmu_notifier_unregister(&dev->mn, dev->mm);
	}
#endif
	if (!ret && s->interval_invalidate) {
		ret = mmu_interval_notifier_insert(&dev->isub, dev->mm,
						   dev->vq.meta_start,
						   dev->vq.meta_end -
						   dev->vq.meta_start,
						   &mnb_interval_ops);
		if (ret) {
			mmu_notifier_unregister(&dev->mn, dev->mm);
#if MNB_SECONDARY_TLBS_HOOK
			mmu_notifier_unregister(&dev->mn_tlb, dev->mm);
#endif
		}
		dev->isub_inserted = !ret;
	}
	if (ret) {
		mn_vq_destroy(&dev->vq);
		mmdrop(dev->mm);
		dev->mm = NULL;
		return ret;
	}
	dev->mn_registered = true;
	dev->setup = true;
	return 0;
}

static int mnb_start(struct mnb_dev *dev)
{
	struct task_struct *t;

	if (!dev->setup)
		return -EINVAL;
	if (dev->worker)
		return -EBUSY;
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

static int mnb_stats(struct mnb_dev *dev, struct mnb_stats __user *arg)
{
	struct mnb_stats st;

	memset(&st, 0, sizeof(st));
	if (dev->setup) {
		mutex_lock(&dev->vq.mutex);
		st.map_reads = dev->vq.stats.map_reads;
		st.map_writes = dev->vq.stats.map_writes;
		st.fallbacks = dev->vq.stats.fallbacks;
		st.retries = dev->vq.stats.retries;
		st.remaps = dev->vq.stats.remaps;
		st.bad_heads = dev->vq.stats.bad_heads;
		st.stop_reason = dev->vq.stopped;
		st.stop_detail = dev->vq.stop_detail;
		mutex_unlock(&dev->vq.mutex);
	}
	st.processed = atomic64_read(&dev->processed);
	st.start_calls = atomic64_read(&dev->start_calls);
	st.end_calls = atomic64_read(&dev->end_calls);
	st.invalidate_range_calls = atomic64_read(&dev->inval_range_calls);
	st.release_calls = atomic64_read(&dev->release_calls);
	st.worker_errors = atomic64_read(&dev->worker_errors);
	st.overlapping_calls = atomic64_read(&dev->overlapping_calls);
	st.pin_failures = atomic64_read(&dev->pin_failures);
	st.fault_backoff_us = READ_ONCE(dev->fault_backoff_us);
	st.pin_backoff_ms = READ_ONCE(dev->pin_backoff_ms);
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
	 * The vq belongs to the process that set it up: a child that
	 * inherited the fd may only close it.
	 */
	if (dev->mm && current->mm != dev->mm) {
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

static struct miscdevice mnb_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mnbench",
	.fops = &mnb_fops,
	.mode = 0600,
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
