/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtqueue in this process's memory, laid out as vq/vring.h says, and
 * the guest thread that posts buffers on it and checks every answer.
 */
#ifndef MN_CLIENT_RING_GUEST_H
#define MN_CLIENT_RING_GUEST_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vq/vring.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define PAGE		4096ul
#define BAIT_PAGES	256	/* identical pages for KSM to merge */

struct ring {
	u8 *mem;
	size_t len;
	struct mn_vring_desc *desc;
	struct mn_vring_avail *avail;
	struct mn_vring_used *used;
	u8 *bufs;
	u8 *bait;
	unsigned int num;
};

struct guest {
	struct ring **rings;
	unsigned int nrings;
	unsigned long target;		/* buffers over all rings */
	unsigned long per_ring;		/* at most this many on each */
	bool stop;			/* atomic */
	bool failed;			/* atomic: it could not start */
	/*
	 * The zap load: every GUEST_ZAP_PERIOD buffers on a ring, once it is
	 * idle, MADV_DONTNEED its descriptor table (the next post faults in
	 * a fresh page); zaps counts them.
	 */
	bool zap;
	u64 zaps;
	u64 posted, completed, corrupted, outstanding;
	u64 rng;
	pthread_t tid;
};

/* CLOCK_MONOTONIC in nanoseconds. */
u64 now_ns(void);

/* 0, or -errno if the memory could not be mapped. */
int ring_init(struct ring *r, unsigned int num);
/* The same with bait identical pages after it instead of BAIT_PAGES. */
int ring_init_bait(struct ring *r, unsigned int num, unsigned int bait);
void ring_free(struct ring *r);

/*
 * Hand r to the device open at fd as a vq (MNB_IOC_SETUP) of strategy,
 * with flags as mnb_setup.flags (an enum mnb_gup); 0, or the errno.
 */
int ring_setup_vq(int fd, const struct ring *r, const char *strategy,
		  u32 flags);

/*
 * Post up to target buffers, spread evenly over rings, from one thread;
 * 0, or an errno.
 */
int guest_start(struct guest *g, struct ring **rings, unsigned int nrings,
		unsigned long target);
void guest_stop(struct guest *g);

#endif /* MN_CLIENT_RING_GUEST_H */
