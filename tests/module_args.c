// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kselftest/kselftest.h"
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

	setvbuf(stdout, NULL, _IOLBF, 0);
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

void module_device_or_skip(const char *device)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return;
	}
	ksft_print_header();
	ksft_exit_skip("cannot open %s: %s (the module loaded, and root, are needed)\n", device,
		       strerror(errno));
}
