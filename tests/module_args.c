// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "module_args.h"

int module_args(int argc, char **argv, const char *usage,
		const char **device)
{
	enum { O_DEVICE = 256, O_HELP };
	static const struct option opts[] = {
		{ "device", required_argument, NULL, O_DEVICE },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case O_DEVICE:
			*device = optarg;
			break;
		case O_HELP:
			fputs(usage, stdout);
			exit(0);
		case ':':
			cli_usage_error("option '%s' needs a value",
					argv[optind - 1]);
		default:
			cli_usage_error("unknown option '%s'",
					argv[optind - 1]);
		}
	}
	return optind;
}
