/* SPDX-License-Identifier: GPL-2.0 */
/* Counted checks for the C tests. */
#ifndef MN_TEST_CHECK_H
#define MN_TEST_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FAIL: %s\n", #cond);			\
		failures++;						\
	}								\
} while (0)

#endif /* MN_TEST_CHECK_H */
