/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's pages: their size, and the copy of their contents that
 * racing threads share (the worker's mapping, the guest, the mm).
 */
#ifndef MODEL_MM_PAGE_H
#define MODEL_MM_PAGE_H

#include <mn_compat.h>

#define MM_PAGE_SHIFT	12
#define MM_PAGE_SIZE	(1ul << MM_PAGE_SHIFT)

/*
 * Relaxed atomic copies: frames are shared with racing threads. Inline,
 * so the ring accesses of constant size compile to single moves.
 */
#define MM_COPY_UNIT(type)						\
	do {								\
		__atomic_store_n((type *)d,				\
				 __atomic_load_n((const type *)s,	\
						 __ATOMIC_RELAXED),	\
				 __ATOMIC_RELAXED);			\
		n = sizeof(type);					\
	} while (0)

static __always_inline void mem_copy_atomic(void *dst, const void *src,
					    size_t len)
{
	u8 *d = dst;
	const u8 *s = src;
	unsigned long align = (unsigned long)d | (unsigned long)s;
	size_t n;

	/* The ring's own sizes, aligned: one move each, no loop. */
	if (len == 2 && !(align & 1)) {
		MM_COPY_UNIT(u16);
		return;
	}
	if (len == 8 && !(align & 7)) {
		MM_COPY_UNIT(u64);
		return;
	}
	while (len) {
		align = (unsigned long)d | (unsigned long)s;

		if (len >= 8 && !(align & 7))
			MM_COPY_UNIT(u64);
		else if (len >= 4 && !(align & 3))
			MM_COPY_UNIT(u32);
		else if (len >= 2 && !(align & 1))
			MM_COPY_UNIT(u16);
		else
			MM_COPY_UNIT(u8);
		d += n;
		s += n;
		len -= n;
	}
}
#undef MM_COPY_UNIT

#endif /* MODEL_MM_PAGE_H */
