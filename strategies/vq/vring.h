/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueue layout (virtio 1.x, section 2.7), little-endian as on
 * x86. Named mn_* so the module can include <linux/virtio_ring.h> too.
 * Only <linux/types.h>: the module, the model and the module's userspace
 * client all include it as it is.
 */
#ifndef MN_VRING_H
#define MN_VRING_H

#include <linux/types.h>

/* Ring sizes every part accepts: a power of two in this range. */
#define MN_VRING_MIN_NUM	2
#define MN_VRING_MAX_NUM	4096

static inline int mn_vring_num_valid(unsigned long num)
{
	return num >= MN_VRING_MIN_NUM && num <= MN_VRING_MAX_NUM &&
	       !(num & (num - 1));
}

#define MN_VRING_DESC_F_NEXT	1
#define MN_VRING_DESC_F_WRITE	2

struct mn_vring_desc {
	__u64 addr;
	__u32 len;
	__u16 flags;
	__u16 next;
};

struct mn_vring_avail {
	__u16 flags;
	__u16 idx;
	__u16 ring[];	/* then __u16 used_event */
};

struct mn_vring_used_elem {
	__u32 id;
	__u32 len;
};

struct mn_vring_used {
	__u16 flags;
	__u16 idx;
	struct mn_vring_used_elem ring[];	/* then __u16 avail_event */
};

static inline unsigned long mn_vring_desc_size(unsigned int num)
{
	return sizeof(struct mn_vring_desc) * num;
}

static inline unsigned long mn_vring_avail_size(unsigned int num)
{
	return sizeof(struct mn_vring_avail) + sizeof(__u16) * (num + 1);
}

static inline unsigned long mn_vring_used_size(unsigned int num)
{
	return sizeof(struct mn_vring_used) +
	       sizeof(struct mn_vring_used_elem) * num + sizeof(__u16);
}

/*
 * The device mnbench emulates: each buffer starts with a request the guest
 * wrote; the worker answers in the same buffer, so the guest can check that
 * every buffer was consumed exactly once and with the right contents.
 */
struct mn_request {
	__u64 seq;	/* per-vq sequence number of the buffer */
	__u64 nonce;	/* guest-chosen random value */
	__u64 answer;	/* written by the device: mn_answer(seq, nonce) */
};

#define MN_BUF_SIZE	64

static inline __u64 mn_answer(__u64 seq, __u64 nonce)
{
	return (nonce ^ (seq * 0x9e3779b97f4a7c15ull)) + 1;
}

#endif /* MN_VRING_H */
