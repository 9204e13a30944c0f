/* SPDX-License-Identifier: GPL-2.0 */
/* The command line the module's test programs share: --device, --help. */
#ifndef MN_TESTS_MODULE_ARGS_H
#define MN_TESTS_MODULE_ARGS_H

/*
 * Parses --device PATH (into *device) and --help (prints usage, exits 0);
 * anything else is a usage error (exit 2). Returns the index of the
 * first operand.
 */
int module_args(int argc, char **argv, const char *usage,
		const char **device);

#endif /* MN_TESTS_MODULE_ARGS_H */
