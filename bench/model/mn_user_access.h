/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's accesses to user memory, included by vq/vq.h: through a
 * mapping, and the slow path's copy_*_user. Unchecked (the fastpath
 * cases, oracle off) they are inline, and a mapped access copies from
 * the pinned frames as the module's loads from its vmap do, so the
 * strategies' sections are what differs between them. Checked, every
 * access goes through the oracle in backend.c.
 */
#ifndef MODEL_MN_USER_ACCESS_H
#define MODEL_MN_USER_ACCESS_H

#include "mm_page.h"
#include "scheduler.h"
#include "thread.h"

struct mm;
/* A user access through the page table, faulting as needed (mm.c). */
int mm_access(struct mm *mm, unsigned long uaddr, void *buf, size_t len,
	      bool write);

/* What the inline accesses read of a vq's backend (backend.h). */
struct model_vq_access {
	struct mm *mm;
	/* Oracle checks on accesses (off to time the fast path). */
	bool check;
};

static inline struct model_vq_access *vq_access_of(struct mn_vq *vq)
{
	return vq->backend;	/* struct backend starts with it */
}

/* might_fault(): it may sleep and take mmap_lock, fault or not. */
void model_might_fault(struct model_vq_access *a);

static __always_inline int mn_copy_from_user(struct mn_vq *vq, void *dst,
					     unsigned long uaddr, size_t len)
{
	struct model_vq_access *a = vq_access_of(vq);
	SCHED_MODEL_SCOPE();

	if (unlikely(a->check))
		model_might_fault(a);
	return mm_access(a->mm, uaddr, dst, len, false);
}

static __always_inline int mn_copy_to_user(struct mn_vq *vq,
					   unsigned long uaddr,
					   const void *src, size_t len)
{
	struct model_vq_access *a = vq_access_of(vq);
	SCHED_MODEL_SCOPE();

	if (unlikely(a->check))
		model_might_fault(a);
	return mm_access(a->mm, uaddr, (void *)src, len, true);
}

struct model_map {
	struct mn_map base;		/* first: the strategies see this */
	struct model_map *prev, *next;	/* every map not yet freed */
	bool checked;			/* the oracle sees its accesses */
	bool released;			/* atomic: vunmapped, for the oracle */
	bool dead;			/* under backend.lock: free it */
	bool contract_reported;
	unsigned long first_page;
	unsigned long npages;
	struct {
		u8 *data;	/* the vmap's view of the pinned frame */
		u32 frame;
		u64 gen;
		/* Pinned between an invalidation's start and its _end. */
		bool unstable_at_pin;
	} page[];
};

static inline struct model_map *to_model_map(struct mn_map *map)
{
	return (struct model_map *)map;	/* base is first */
}

/* The access's bytes in the mapping, or NULL (warned) if out of it. */
static __always_inline u8 *model_map_locate(struct mn_vq *vq,
					    struct model_map *m,
					    unsigned long uaddr, size_t len,
					    unsigned long *idx)
{
	unsigned long off = uaddr - vq->meta_start;

	if (uaddr < vq->meta_start || len > vq->meta_end - uaddr ||
	    (off & (MM_PAGE_SIZE - 1)) + len > MM_PAGE_SIZE) {
		mn_warn("access outside the mapping or across a page",
			__FILE__, __LINE__);
		return NULL;
	}
	*idx = off >> MM_PAGE_SHIFT;
	return m->page[*idx].data + (off & (MM_PAGE_SIZE - 1));
}

void model_map_read_checked(struct mn_vq *vq, struct model_map *m,
			    unsigned long uaddr, void *dst, size_t len);
void model_map_write_checked(struct mn_vq *vq, struct model_map *m,
			     unsigned long uaddr, const void *src, size_t len);
void model_map_stale_read_done(struct model_thread *t, bool used);

static __always_inline bool mn_map_read(struct mn_vq *vq, struct mn_map *map,
					unsigned long uaddr, void *dst,
					size_t len)
{
	struct model_map *m = to_model_map(map);
	unsigned long idx;
	u8 *mem;
	SCHED_MODEL_SCOPE_PRECISE(SCHED_FP_READ, SCHED_OBJ_MAPS);

	if (unlikely(m->checked)) {
		model_map_read_checked(vq, m, uaddr, dst, len);
		return true;
	}
	mem = model_map_locate(vq, m, uaddr, len, &idx);
	if (mem)
		SCHED_TOUCH(SCHED_FP_READ,
			    SCHED_OBJ_FRAME(m->page[idx].frame));
	if (mem)
		mem_copy_atomic(dst, mem, len);
	else
		memset(dst, 0, len);
	return false;
}

static __always_inline void mn_map_write(struct mn_vq *vq,
					 struct mn_map *map,
					 unsigned long uaddr, const void *src,
					 size_t len)
{
	struct model_map *m = to_model_map(map);
	unsigned long idx;
	u8 *mem;
	SCHED_MODEL_SCOPE_PRECISE(SCHED_FP_READ, SCHED_OBJ_MAPS);

	if (unlikely(m->checked)) {
		model_map_write_checked(vq, m, uaddr, src, len);
		return;
	}
	mem = model_map_locate(vq, m, uaddr, len, &idx);
	if (mem)
		SCHED_TOUCH(SCHED_FP_WRITE,
			    SCHED_OBJ_FRAME(m->page[idx].frame));
	if (mem)
		mem_copy_atomic(mem, src, len);
}

/* A stale read found by the checks is reported only if it was used. */
static inline void mn_map_read_done(struct mn_vq *vq, bool used)
{
	struct model_thread *t = mt_self;
	SCHED_MODEL_SCOPE_PRECISE(SCHED_FP_READ, SCHED_OBJ_MAPS);

	(void)vq;
	if (t && t->stale_pending)
		model_map_stale_read_done(t, used);
}

#endif /* MODEL_MN_USER_ACCESS_H */
