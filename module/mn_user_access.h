/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's accesses to user memory, included by vq/vq.h: loads and
 * stores on the vmap of the pinned ring pages, and the slow path's
 * copy_*_user from the worker kthread, which runs in the owner's mm
 * (kthread_use_mm). Inline, as vhost's accessors were, so a fixed-size
 * access is one move and the strategies' sections around it are what
 * differs between them.
 */
#ifndef MN_USER_ACCESS_H
#define MN_USER_ACCESS_H

#include <linux/nospec.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "mnbench_uapi.h"

struct mnb_map {
	struct mn_map base;	/* first: the strategies see this */
	void *vaddr;
	unsigned long npages;
	enum mnb_gup gup;	/* what the map holds on its pages */
	bool referenced;	/* pins traded for references, see release */
	struct page *pages[];
};

static inline struct mnb_map *to_mnb_map(struct mn_map *map)
{
	return container_of(map, struct mnb_map, base);
}

/* Offsets come from the strategies' callers; clamp them all the same. */
static __always_inline void *mnb_map_ptr(struct mn_vq *vq,
					 struct mn_map *map,
					 unsigned long uaddr, size_t len)
{
	struct mnb_map *m = to_mnb_map(map);
	unsigned long size = m->npages << PAGE_SHIFT;
	unsigned long off = uaddr - vq->meta_start;

	if (uaddr < vq->meta_start || off >= size || len > size - off)
		return NULL;
	off = array_index_nospec(off, size - len + 1);
	return m->vaddr + off;
}

/*
 * A ring word the guest may store while the worker loads it (avail->idx,
 * used_event): a marked load, so KCSAN, which cannot see the user's
 * store, does not report the change it sees as a data race. Descriptors
 * and ring entries the guest published before its idx store stay plain.
 */
static __always_inline void mnb_map_load(void *dst, const void *p, size_t len)
{
	u16 v16;
	u32 v32;

	if (len == sizeof(u16)) {
		v16 = READ_ONCE(*(const u16 *)p);
		memcpy(dst, &v16, len);
	} else if (len == sizeof(u32)) {
		v32 = READ_ONCE(*(const u32 *)p);
		memcpy(dst, &v32, len);
	} else {
		memcpy(dst, p, len);
	}
}

/*
 * The stale-access check (module parameter check_stale, off by default):
 * a stale access is silent in the kernel, since the mapping's pages stay
 * allocated, so the worker compares what it reads or writes through the
 * mapping with the user memory at the same address (mnbench_backend.c).
 */
extern bool mnb_check_stale;
bool mnb_map_read_check(struct mn_vq *vq, const void *p, unsigned long uaddr,
			void *dst, size_t len);
void mnb_map_write_check(struct mn_vq *vq, unsigned long uaddr,
			 const void *src, size_t len);
void mnb_stale_read_used(struct mn_vq *vq);

/* True when the check found the value stale: mn_map_read_done() follows. */
static __always_inline bool mn_map_read(struct mn_vq *vq, struct mn_map *map,
					unsigned long uaddr, void *dst,
					size_t len)
{
	void *p = mnb_map_ptr(vq, map, uaddr, len);

	if (!p) {
		memset(dst, 0, len);
		return false;
	}
	if (unlikely(mnb_check_stale))
		return mnb_map_read_check(vq, p, uaddr, dst, len);
	mnb_map_load(dst, p, len);
	return false;
}

static __always_inline void mn_map_write(struct mn_vq *vq,
					 struct mn_map *map,
					 unsigned long uaddr, const void *src,
					 size_t len)
{
	void *p = mnb_map_ptr(vq, map, uaddr, len);

	if (!p)
		return;
	memcpy(p, src, len);
	if (unlikely(mnb_check_stale))
		mnb_map_write_check(vq, uaddr, src, len);
}

/* A stale value was read: counted if the strategy's read_end used it. */
static inline void mn_map_read_done(struct mn_vq *vq, bool used)
{
	if (used)
		mnb_stale_read_used(vq);
}

static __always_inline int mn_copy_from_user(struct mn_vq *vq, void *dst,
					     unsigned long uaddr, size_t len)
{
	return copy_from_user(dst, (const void __user *)uaddr, len) ?
	       -EFAULT : 0;
}

static __always_inline int mn_copy_to_user(struct mn_vq *vq,
					   unsigned long uaddr,
					   const void *src, size_t len)
{
	return copy_to_user((void __user *)uaddr, src, len) ? -EFAULT : 0;
}

#endif /* MN_USER_ACCESS_H */
