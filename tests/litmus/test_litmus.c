// SPDX-License-Identifier: GPL-2.0
/*
 * The weak-memory engine against the kernel's litmus tests: for each
 * test of litmus_table.c, every execution under lkmm, sc and tso, and
 * the exists clause must be reachable exactly when the expected result
 * says "Sometimes". Where the engine differs from LKMM on purpose the
 * table says so, and the test asserts the difference (so a change that
 * closes it shows up here). Also: what SC allows TSO allows, and what
 * TSO allows lkmm allows; no execution deadlocks or overflows; every
 * read's message names as its writer a thread that writes there; and
 * DPOR (bench/model/dpor.h) over the sc steps finds the same outcomes;
 * the decisions (choice indexes) of each outcome replay to it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litmus.h"

static const char *res_name(enum lit_result r)
{
	return r == LIT_SOMETIMES ? "Sometimes" : "Never";
}

static enum lit_result got(const struct lit_stats *st)
{
	return st->exists ? LIT_SOMETIMES : LIT_NEVER;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: test_litmus [--test NAME] [--list] [--verbose]\n"
		"Runs the kernel's litmus tests on the weak-memory engine under\n"
		"lkmm, sc and tso and checks each result against the expected one.\n"
		"  --test NAME  only this test (the litmus file's name)\n"
		"  --list       print the table of tests and expected results\n"
		"  --verbose    print every outcome found\n");
}

static int check_one(const struct litmus *t, bool verbose,
		     unsigned int *matched, unsigned int *weak,
		     unsigned long *sc_runs, unsigned long *dpor_runs)
{
	static const enum mm_mode modes[] = { MM_SC, MM_TSO, MM_LKMM };
	struct lit_stats st[3];
	enum lit_result want[3];
	int bad = 0;
	unsigned int m, i;

	want[0] = t->sc;
	want[1] = t->tso;
	want[2] = t->differs ? t->engine : t->lkmm;
	for (m = 0; m < 3; m++) {
		if (litmus_run(t, modes[m], &st[m])) {
			fprintf(stderr, "%s: out of memory\n", t->name);
			exit(1);
		}
		if (got(&st[m]) != want[m]) {
			fprintf(stderr, "FAIL: %s under %s: %s, expected %s\n",
				t->name, mm_mode_name(modes[m]),
				res_name(got(&st[m])), res_name(want[m]));
			bad++;
		}
		if (st[m].deadlocks || st[m].overflow || !st[m].executions ||
		    st[m].bad_writer) {
			fprintf(stderr, "FAIL: %s under %s: %lu deadlocks, "
				"overflow %d, %lu executions, %lu reads from "
				"a thread not writing there\n", t->name,
				mm_mode_name(modes[m]), st[m].deadlocks,
				st[m].overflow, st[m].executions,
				st[m].bad_writer);
			bad++;
		}
		if (verbose)
			for (i = 0; i < st[m].noutcomes; i++) {
				const struct lit_outcome *o = &st[m].outcomes[i];

				printf("  %-4s r=[%ld %ld|%ld %ld|%ld %ld|%ld %ld]"
				       " mem=[%ld %ld %ld]%s\n",
				       mm_mode_name(modes[m]), o->reg[0][0],
				       o->reg[0][1], o->reg[1][0], o->reg[1][1],
				       o->reg[2][0], o->reg[2][1], o->reg[3][0],
				       o->reg[3][1], o->loc[0], o->loc[1],
				       o->loc[2],
				       litmus_holds(t, o) ? "  <- exists" : "");
			}
	}
	/* Each outcome's decisions replay to it, under every mode. */
	for (m = 0; m < 3; m++)
		for (i = 0; i < st[m].noutcomes; i++) {
			const struct lit_outcome *o = &st[m].outcomes[i];
			struct lit_outcome r;

			if (litmus_replay(t, modes[m], o->path, o->npath, &r) ||
			    !litmus_same(o, &r)) {
				fprintf(stderr, "FAIL: %s under %s: outcome %u "
					"does not replay\n", t->name,
					mm_mode_name(modes[m]), i);
				bad++;
			}
		}
	/* DPOR under sc: the same outcomes, in fewer schedules. */
	{
		struct lit_stats ds;
		unsigned long runs;

		if (litmus_run_dpor_sc(t, &ds, &runs)) {
			fprintf(stderr, "%s: out of memory\n", t->name);
			exit(1);
		}
		if (!litmus_subset(&ds, &st[0]) || !litmus_subset(&st[0], &ds) ||
		    ds.deadlocks || ds.overflow || runs > st[0].executions) {
			fprintf(stderr, "FAIL: %s: dpor under sc: %u outcomes "
				"in %lu schedules, brute force %u in %lu\n",
				t->name, ds.noutcomes, runs, st[0].noutcomes,
				st[0].executions);
			bad++;
		}
		*dpor_runs += runs;
		*sc_runs += st[0].executions;
		litmus_stats_free(&ds);
	}
	if (!litmus_subset(&st[0], &st[1]) || !litmus_subset(&st[1], &st[2])) {
		fprintf(stderr, "FAIL: %s: sc outcomes not within tso, or tso "
			"not within lkmm\n", t->name);
		bad++;
	}
	if (t->differs && t->engine == t->lkmm) {
		fprintf(stderr, "FAIL: %s: a difference that is none\n",
			t->name);
		bad++;
	}
	printf("%-56s lkmm %-9s engine %-9s sc %-9s tso %-9s %6lu execs%s\n",
	       t->name, res_name(t->lkmm), res_name(got(&st[2])),
	       res_name(got(&st[0])), res_name(got(&st[1])), st[2].executions,
	       bad ? "  FAIL" : (t->differs ? "  (differs on purpose)" : ""));
	if (!bad && !t->differs) {
		(*matched)++;
		if (t->lkmm == LIT_SOMETIMES && t->sc == LIT_NEVER)
			(*weak)++;
	}
	for (m = 0; m < 3; m++)
		litmus_stats_free(&st[m]);
	return bad;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "test", required_argument, NULL, 't' },
		{ "list", no_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *only = NULL;
	bool list = false, verbose = false;
	unsigned int i, matched = 0, weak = 0, ran = 0;
	unsigned long sc_runs = 0, dpor_runs = 0;
	int c, bad = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			only = optarg;
			break;
		case 'l':
			list = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "test_litmus: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	for (i = 0; i < litmus_count; i++) {
		const struct litmus *t = &litmus_table[i];

		if (only && strcmp(only, t->name))
			continue;
		ran++;
		if (list) {
			printf("%-56s %-9s %s%s\n", t->name, res_name(t->lkmm),
			       t->source, t->differs ? " (engine differs)" : "");
			continue;
		}
		bad += check_one(t, verbose, &matched, &weak, &sc_runs,
				 &dpor_runs);
	}
	if (only && !ran) {
		fprintf(stderr, "test_litmus: --test: no test '%s'\n", only);
		return 2;
	}
	if (list)
		return 0;
	printf("%u tests, %u match LKMM, %u of them allowed by LKMM and "
	       "forbidden by SC, %d failures; under sc brute force ran %lu "
	       "schedules, dpor %lu\n", ran, matched, weak, bad, sc_runs,
	       dpor_runs);
	/* The acceptance floor, for the whole table only. */
	if (!only && (matched < 20 || weak < 6)) {
		fprintf(stderr, "FAIL: fewer than 20 matches or 6 weak ones\n");
		bad++;
	}
	return bad ? 1 : 0;
}
