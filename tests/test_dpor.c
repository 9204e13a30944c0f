// SPDX-License-Identifier: GPL-2.0
/*
 * DPOR (bench/model/dpor.h) against brute force on random small
 * programs (fixed seeds): 2-4 threads of reads, writes, RMWs and local
 * steps on 1-3 locations, some of them inside a critical section of the
 * one lock (a thread at its lock cannot run while another holds it). For each, the set of final states (memory and
 * every value read) must be the same, DPOR must run each Mazurkiewicz
 * trace exactly once (its complete executions are as many as the
 * distinct traces brute force finds, and pairwise inequivalent), and
 * never more schedules than brute force, and strictly fewer in all.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpor.h"

#define T_MAX	4
#define S_MAX	6	/* 4, and a lock and an unlock */
#define L_MAX	3
#define TOTAL_MAX	9	/* steps per program: keeps brute force small */

enum op { OP_READ, OP_WRITE, OP_ADD, OP_LOCAL, OP_LOCK, OP_UNLOCK };
#define LOCK_OBJ	L_MAX	/* the lock's object for footprints */

struct prog {
	unsigned int nthreads, nlocs, len[T_MAX];
	enum op op[T_MAX][S_MAX];
	unsigned int loc[T_MAX][S_MAX];
};

struct fstate {
	long mem[L_MAX];
	long reg[T_MAX][S_MAX];
};

/*
 * A trace's canonical form: per location, its accesses, reads between
 * two writes sorted.
 */
struct canon {
	uint8_t b[T_MAX * S_MAX + L_MAX + 1];
};

struct set {
	void *v;
	size_t size;
	unsigned int n, cap;
};

struct ctx {
	const struct prog *p;
	unsigned int pc[T_MAX];
	int holder;		/* the thread holding the lock, -1: free */
	struct fstate s;
	uint8_t trace[T_MAX * S_MAX];
	unsigned int ntrace;
	struct set *finals, *traces;
	bool dup_trace;	/* a trace seen twice (DPOR must not) */
};

static int failures;

static void set_add(struct set *s, const void *x, bool *dup)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!memcmp((char *)s->v + i * s->size, x, s->size)) {
			if (dup)
				*dup = true;
			return;
		}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = realloc(s->v, s->cap * s->size);
		if (!s->v) {
			fprintf(stderr, "test_dpor: out of memory\n");
			exit(1);
		}
	}
	memcpy((char *)s->v + s->n++ * s->size, x, s->size);
}

static bool set_equal(const struct set *a, const struct set *b)
{
	unsigned int i, j;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++)
			if (!memcmp((char *)a->v + i * a->size,
				    (char *)b->v + j * b->size, a->size))
				break;
		if (j == b->n)
			return false;
	}
	return true;
}

static void reset(void *arg)
{
	struct ctx *c = arg;

	memset(c->pc, 0, sizeof(c->pc));
	memset(&c->s, 0, sizeof(c->s));
	c->holder = -1;
	c->ntrace = 0;
}

static uint32_t enabled(void *arg)
{
	struct ctx *c = arg;
	uint32_t e = 0;
	unsigned int t;

	for (t = 0; t < c->p->nthreads; t++)
		if (c->pc[t] < c->p->len[t] &&
		    (c->p->op[t][c->pc[t]] != OP_LOCK || c->holder < 0))
			e |= 1u << t;
	return e;
}

static struct dpor_fp next(void *arg, unsigned int t)
{
	struct ctx *c = arg;
	enum op o = c->p->op[t][c->pc[t]];
	struct dpor_fp fp = { DPOR_LOCAL, c->p->loc[t][c->pc[t]] };

	if (o == OP_READ)
		fp.kind = DPOR_READ;
	else if (o == OP_WRITE || o == OP_ADD)
		fp.kind = DPOR_WRITE;
	else if (o == OP_LOCK)
		fp.kind = DPOR_LOCK;
	else if (o == OP_UNLOCK)
		fp.kind = DPOR_UNLOCK;
	if (o == OP_LOCK || o == OP_UNLOCK)
		fp.obj = LOCK_OBJ;
	return fp;
}

static void step(void *arg, unsigned int t)
{
	struct ctx *c = arg;
	unsigned int i = c->pc[t]++, l = c->p->loc[t][i];

	switch (c->p->op[t][i]) {
	case OP_READ:
		c->s.reg[t][i] = c->s.mem[l];
		break;
	case OP_WRITE:
		c->s.mem[l] = (long)(10 * t + i + 1);
		break;
	case OP_ADD:
		c->s.reg[t][i] = c->s.mem[l];
		c->s.mem[l] += (long)(t + 1);
		break;
	case OP_LOCAL:
		c->s.reg[t][i] = 1;
		break;
	case OP_LOCK:
		c->holder = (int)t;
		break;
	case OP_UNLOCK:
		c->holder = -1;
		break;
	}
	c->trace[c->ntrace++] = (uint8_t)(t << 4 | i);
}

static unsigned int obj_of(const struct prog *p, unsigned int t,
			   unsigned int i)
{
	if (p->op[t][i] == OP_LOCK || p->op[t][i] == OP_UNLOCK)
		return LOCK_OBJ;
	return p->loc[t][i];
}

static void canonical(const struct ctx *c, struct canon *k)
{
	unsigned int l, n = 0, j;

	memset(k, 0, sizeof(*k));
	for (l = 0; l <= L_MAX; l++) {
		uint8_t reads[T_MAX * S_MAX];
		unsigned int nr = 0, a, b;

		for (j = 0; j <= c->ntrace; j++) {
			unsigned int t = 0, i = 0;
			bool end = j == c->ntrace, w = false;

			if (!end) {
				t = c->trace[j] >> 4;
				i = c->trace[j] & 15;
				if (c->p->op[t][i] == OP_LOCAL ||
				    obj_of(c->p, t, i) != l)
					continue;
				w = c->p->op[t][i] != OP_READ;
			}
			if (end || w) {
				/* Close the group of reads: sorted. */
				for (a = 0; a < nr; a++)
					for (b = a + 1; b < nr; b++)
						if (reads[b] < reads[a]) {
							uint8_t x = reads[a];

							reads[a] = reads[b];
							reads[b] = x;
						}
				for (a = 0; a < nr; a++)
					k->b[n++] = reads[a] | 0x80;
				nr = 0;
			}
			if (end)
				break;
			if (w)
				k->b[n++] = c->trace[j];
			else
				reads[nr++] = c->trace[j];
		}
		k->b[n++] = 0xff;	/* next location */
	}
}

static void complete(void *arg)
{
	struct ctx *c = arg;
	struct canon k;

	set_add(c->finals, &c->s, NULL);
	canonical(c, &k);
	set_add(c->traces, &k, &c->dup_trace);
}

static uint64_t rng;

static unsigned int rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng % n);
}

static void random_prog(struct prog *p, uint64_t seed)
{
	unsigned int t, i, total = 0;

	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	memset(p, 0, sizeof(*p));
	p->nthreads = 2 + rnd(T_MAX - 1);
	p->nlocs = 1 + rnd(L_MAX);
	for (t = 0; t < p->nthreads; t++) {
		unsigned int n = 1 + rnd(4), a, b, k = 0;

		if (total + n > TOTAL_MAX)
			n = TOTAL_MAX > total ? TOTAL_MAX - total : 1;
		/* Steps a..b-1 in a critical section, if b > a. */
		a = rnd(n + 1);
		b = rnd(3) ? a : a + rnd(n - a + 1);
		for (i = 0; i <= n; i++) {
			if (b > a && i == a)
				p->op[t][k++] = OP_LOCK;
			if (b > a && i == b)
				p->op[t][k++] = OP_UNLOCK;
			if (i == n)
				break;
			p->op[t][k] = (enum op)rnd(4);
			p->loc[t][k++] = rnd(p->nlocs);
		}
		p->len[t] = k;
		total += k;
	}
}

static const struct dpor_ops ops = { reset, enabled, next, step, complete };

static void check(uint64_t seed, bool verbose, unsigned long *sum_all,
		  unsigned long *sum_dpor)
{
	struct set bf = { .size = sizeof(struct fstate) };
	struct set bt = { .size = sizeof(struct canon) };
	struct set df = { .size = sizeof(struct fstate) };
	struct set dt = { .size = sizeof(struct canon) };
	struct dpor_stats sa, sd;
	struct prog p;
	struct ctx c = { .p = &p };

	random_prog(&p, seed);
	c.finals = &bf;
	c.traces = &bt;
	dpor_explore_all(&ops, &c, &sa);
	c.finals = &df;
	c.traces = &dt;
	c.dup_trace = false;
	dpor_explore(&ops, &c, &sd);
	*sum_all += sa.executions;
	*sum_dpor += sd.executions + sd.sleep_blocked;
	if (verbose)
		printf("seed %3llu: %u threads, %u locations: all %5lu "
		       "schedules, %4u traces, %3u final states; dpor %4lu "
		       "executions, %lu sleep-blocked\n",
		       (unsigned long long)seed, p.nthreads, p.nlocs,
		       sa.executions, bt.n, bf.n, sd.executions,
		       sd.sleep_blocked);
	if (!set_equal(&bf, &df)) {
		fprintf(stderr, "FAIL: seed %llu: final states differ "
			"(%u brute force, %u dpor)\n",
			(unsigned long long)seed, bf.n, df.n);
		failures++;
	}
	if (!set_equal(&bt, &dt) || c.dup_trace || sd.executions != bt.n) {
		fprintf(stderr, "FAIL: seed %llu: traces: %u brute force, "
			"dpor %lu executions of %u traces%s\n",
			(unsigned long long)seed, bt.n, sd.executions, dt.n,
			c.dup_trace ? ", one twice" : "");
		failures++;
	}
	if (sd.executions + sd.sleep_blocked > sa.executions ||
	    sa.depth_overflow || sd.depth_overflow) {
		fprintf(stderr, "FAIL: seed %llu: more schedules than brute "
			"force, or too deep\n", (unsigned long long)seed);
		failures++;
	}
	free(bf.v);
	free(bt.v);
	free(df.v);
	free(dt.v);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "programs", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long n = 300, all = 0, dp = 0, seed;
	bool verbose = false;
	char *end;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			n = strtoul(optarg, &end, 10);
			if (*end || !*optarg || !n) {
				fprintf(stderr, "test_dpor: --programs: not a "
					"positive number: '%s'\n", optarg);
				return 2;
			}
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			printf("usage: test_dpor [--programs N] [--verbose]\n"
			       "Compares source-DPOR with sleep sets against "
			       "brute force on N (300) random\nprograms, seeds "
			       "1..N: final states, traces, schedules.\n");
			return 0;
		default:
			fprintf(stderr, "usage: test_dpor [--programs N] "
				"[--verbose]\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "test_dpor: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	for (seed = 1; seed <= n; seed++)
		check(seed, verbose, &all, &dp);
	/* Independent steps commute: strictly fewer schedules in all. */
	if (dp >= all) {
		fprintf(stderr, "FAIL: dpor ran %lu schedules, brute force "
			"%lu: nothing reduced\n", dp, all);
		failures++;
	}
	printf("%lu programs: brute force %lu schedules, dpor %lu; %d "
	       "failures\n", n, all, dp, failures);
	return failures ? 1 : 0;
}
