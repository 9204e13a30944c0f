/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueue layout (virtio 1.x, section 2.7), little-endian as on
 * x86. Named mn_* so the module can include <linux/virtio_ring.h> too.
 */
#ifndef MN_VRING_H
#define MN_VRING_H

#include "compat.h"

#define MN_VRING_DESC_F_NEXT	1
#define MN_VRING_DESC_F_WRITE	2

struct mn_vring_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct mn_vring_avail {
	u16 flags;
	u16 idx;
	u16 ring[];	/* then u16 used_event */
};

struct mn_vring_used_elem {
	u32 id;
	u32 len;
};

struct mn_vring_used {
	u16 flags;
	u16 idx;
	struct mn_vring_used_elem ring[];	/* then u16 avail_event */
};

static inline unsigned long mn_vring_desc_size(unsigned int num)
{
	return sizeof(struct mn_vring_desc) * num;
}

static inline unsigned long mn_vring_avail_size(unsigned int num)
{
	return sizeof(struct mn_vring_avail) + sizeof(u16) * (num + 1);
}

static inline unsigned long mn_vring_used_size(unsigned int num)
{
	return sizeof(struct mn_vring_used) +
	       sizeof(struct mn_vring_used_elem) * num + sizeof(u16);
}

/*
 * The device mnbench emulates: each buffer starts with a request the guest
 * wrote; the worker answers in the same buffer, so the guest can check that
 * every buffer was consumed exactly once and with the right contents.
 */
struct mn_request {
	u64 seq;	/* per-vq sequence number of the buffer */
	u64 nonce;	/* guest-chosen random value */
	u64 answer;	/* written by the device: mn_answer(seq, nonce) */
};

#define MN_BUF_SIZE	64

static inline u64 mn_answer(u64 seq, u64 nonce)
{
	return (nonce ^ (seq * 0x9e3779b97f4a7c15ull)) + 1;
}

#endif /* MN_VRING_H */
