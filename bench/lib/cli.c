// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "cli.h"

static const char *prog = "mnbench";

void cli_init(const char *name)
{
	prog = name;
}

const char *cli_prog(void)
{
	return prog;
}

void cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	exit(EXIT_USAGE);
}

unsigned long cli_ulong(const char *opt, const char *arg, unsigned long min,
			unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (!*arg || *arg == '-' || errno || *end || v < min || v > max)
		cli_usage_error("%s needs a whole number in %lu..%lu, not '%s'",
				opt, min, max, arg);
	return v;
}

unsigned int cli_choice(const char *opt, const char *arg,
			const char *const *names, unsigned int n)
{
	char list[128] = "";
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(arg, names[i]))
			return i;
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i ? ", " : "", names[i]);
	}
	cli_usage_error("%s is one of %s, not '%s'", opt, list, arg);
}

double cli_seconds(const char *opt, const char *arg, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || *end || end == arg || !(v > 0 && v <= max))
		cli_usage_error("%s needs a number of seconds in (0, %g], not '%s'",
				opt, max, arg);
	return v;
}

void cli_check_list(const char *list, const char *what,
		    bool (*known)(const char *), const char *hint)
{
	const char *p = list, *comma;
	char item[128];
	size_t len;

	do {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (len >= sizeof(item))
			len = sizeof(item) - 1;
		memcpy(item, p, len);
		item[len] = 0;
		if (!len || !known(item))
			cli_usage_error("unknown %s '%s' (%s)", what, item, hint);
		p = comma + 1;
	} while (comma);
}

void cli_gb_args_init(struct cli_gb_args *g, int argc, char **argv)
{
	/* Room for every argument and the flags callers prepend. */
	g->argv = calloc(argc + 4, sizeof(*g->argv));
	if (!g->argv) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	g->argv[0] = argv[0];
	g->argc = 1;
	g->filter = NULL;
}

void cli_not_ours(struct cli_gb_args *g, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		cli_usage_error("option '%s' needs a value", arg);
	if (c == 1 || strncmp(arg, "--benchmark_", 12))
		cli_usage_error("unknown option '%s'", arg);
	if (!strncmp(arg, "--benchmark_out", 15))
		cli_usage_error("%s: use --out, which writes atomically", arg);
	if (!strncmp(arg, "--benchmark_filter=", 19))
		g->filter = arg + 19;
	g->argv[g->argc++] = (char *)arg;
}

void cli_gb_args_prepend(struct cli_gb_args *g, char *flag)
{
	memmove(g->argv + 2, g->argv + 1, (g->argc - 1) * sizeof(*g->argv));
	g->argv[1] = flag;
	g->argc++;
}

void cli_gb_args_free(struct cli_gb_args *g)
{
	free(g->argv);
	g->argv = NULL;
}

void cli_check_out(const char *flag, const char *path)
{
	char *copy = strdup(path);
	const char *dir, *why = NULL;
	struct stat st;

	if (!copy) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	dir = dirname(copy);
	/* Root may write anywhere, but not into a path under a file. */
	if (stat(dir, &st))
		why = strerror(errno);
	else if (!S_ISDIR(st.st_mode))
		why = "not a directory";
	else if (access(dir, W_OK | X_OK))
		why = strerror(errno);
	if (why) {
		fprintf(stderr, "%s: %s %s: cannot write in %s: %s\nTry '%s --help'.\n",
			prog, flag, path, dir, why, prog);
		free(copy);
		exit(EXIT_USAGE);
	}
	free(copy);
}

int cli_write_out(const char *path, const char *data)
{
	if (!data || atomic_write_file(path, data, strlen(data))) {
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, path,
			strerror(errno));
		return 1;
	}
	return 0;
}
