// SPDX-License-Identifier: GPL-2.0
/*
 * The sweeps: one model parameter varied at a time, under the load that
 * shows its effect, for the curves scripts/plot draws.
 */
#include "suite.h"

/* A sweep varies one model parameter; quick runs take the short list. */
struct sweep {
	const char *param;
	enum load load;
	unsigned int quick[6], full[6];
	unsigned int nquick, nfull;	/* how many of each are used */
	void (*set)(struct model_config *cfg, unsigned int v);
};

/* 64-descriptor rings: 1024 vqs set up and drain in a second. */
static void set_vqs(struct model_config *c, unsigned int v)
{
	c->vqs = v;
	c->ring_size = 64;
}

/* Devices of 64 queues each: a multiqueue NIC's worth per notifier. */
static void set_devices(struct model_config *c, unsigned int v)
{
	set_vqs(c, 64);
	c->devices = v;
}

static void set_pages(struct model_config *c, unsigned int v)
{
	c->pages = v;
}

static void set_rate(struct model_config *c, unsigned int v)
{
	c->rate = v;
}

static void set_ring(struct model_config *c, unsigned int v)
{
	c->ring_size = v;
}

static void set_invalidators(struct model_config *c, unsigned int v)
{
	c->invalidators = v;
}

/*
 * A curve needs four points at least; quick runs (the default run's
 * time budget) draw the one that matters most, vqs, and full runs all.
 * vqs under zap: every vq's rings are equally likely to be hit, so what
 * one hit costs stays comparable from 1 vq to 1024 (notifier_hit_*).
 */
static const struct sweep sweeps[] = {
	{ "vqs", LOAD_ZAP, { 1, 16, 256, 1024 }, { 1, 4, 16, 64, 256, 1024 },
	  4, 6, set_vqs },
	{ "devices", LOAD_ZAP, { 0 }, { 1, 2, 4, 8 }, 0, 4, set_devices },
	{ "pages", LOAD_ZAP, { 0 }, { 1, 4, 16, 64 }, 0, 4, set_pages },
	/* A rate of 0 is no cap at all. */
	{ "rate", LOAD_MIXED, { 0 }, { 100, 1000, 10000, 0 }, 0, 4,
	  set_rate },
	{ "ring", LOAD_KSM, { 0 }, { 64, 256, 1024 }, 0, 3, set_ring },
	{ "invalidators", LOAD_MIXED, { 0 }, { 1, 2, 4 }, 0, 3,
	  set_invalidators },
};

void add_sweeps(const struct mn_strategy *s, unsigned int pl)
{
	const struct sweep *sw;
	struct bench_case *c;
	unsigned int i, n, v;

	for (sw = sweeps; sw < sweeps + ARRAY_SIZE(sweeps); sw++) {
		n = suite.quick ? sw->nquick : sw->nfull;
		for (i = 0; i < n; i++) {
			v = suite.quick ? sw->quick[i] : sw->full[i];
			c = add_model_case(s, sw->load, pl,
					   "sweep/%s/%s/%s/%s:%u", sw->param,
					   s->name, load_names[sw->load],
					   sw->param, v);
			sw->set(&c->cfg, v);
		}
	}
}
