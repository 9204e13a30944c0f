/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module's test programs share: their command line (--device,
 * --help) and the kselftest convention for a module that is not there.
 */
#ifndef MN_TESTS_MODULE_ARGS_H
#define MN_TESTS_MODULE_ARGS_H

/*
 * Parses --device PATH (into *device) and --help (prints usage, exits 0);
 * anything else is a usage error (exit 2). Returns the index of the
 * first operand. Makes stdout line-buffered, so a KTAP line is out
 * before a case's process aborts or forks.
 */
int module_args(int argc, char **argv, const char *usage,
		const char **device);

/*
 * Returns if device can be opened; otherwise prints a KTAP plan of no
 * tests, skipped with the reason, and exits with kselftest's status for
 * a skip (4), as a kselftest whose kernel lacks the feature does.
 */
void module_device_or_skip(const char *device);

#endif /* MN_TESTS_MODULE_ARGS_H */
