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

static __always_inline bool mn_map_read(struct mn_vq *vq, struct mn_map *map,
					unsigned long uaddr, void *dst,
					size_t len)
{
	void *p = mnb_map_ptr(vq, map, uaddr, len);

	if (p)
		memcpy(dst, p, len);
	else
		memset(dst, 0, len);
	return false;	/* no oracle to tell */
}

static __always_inline void mn_map_write(struct mn_vq *vq,
					 struct mn_map *map,
					 unsigned long uaddr, const void *src,
					 size_t len)
{
	void *p = mnb_map_ptr(vq, map, uaddr, len);

	if (p)
		memcpy(p, src, len);
}

/* Never called: mn_map_read() never asks for it. */
static inline void mn_map_read_done(struct mn_vq *vq, bool used)
{
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
