/* SPDX-License-Identifier: GPL-2.0 */
/* Counted checks for the C tests, and a look-up in a JSON report. */
#ifndef MN_TEST_CHECK_H
#define MN_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FAIL: %s\n", #cond);			\
		failures++;						\
	}								\
} while (0)

/*
 * The number after "key": in the first benchmark whose name starts with
 * name, or NAN.
 */
static inline double json_field(const char *json, const char *name,
				const char *key)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\"name\": \"%s", name);
	p = strstr(json, pat);
	if (!p)
		return NAN;
	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(p, pat);
	return p ? strtod(p + strlen(pat), NULL) : NAN;
}

#endif /* MN_TEST_CHECK_H */
