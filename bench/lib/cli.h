/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command-line conventions mnbench, mnbench-module and mnbench-model
 * share: messages that name the program and the argument, exit status 2
 * for bad arguments, comma-separated lists checked before any work,
 * Google Benchmark's own flags passed through, and --out written whole or
 * not at all.
 */
#ifndef MN_CLI_H
#define MN_CLI_H

#include <stdbool.h>

#define EXIT_USAGE	2

/* The program's name for messages ("mnbench"); call first. */
void cli_init(const char *prog);
const char *cli_prog(void);

/* "PROG: <message>", a hint to --help, exit status 2. */
void cli_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* A whole number in [min, max] for option opt, or a usage error. */
unsigned long cli_ulong(const char *opt, const char *arg, unsigned long min,
			unsigned long max);
/* The index of arg in names[n] for option opt, or a usage error. */
unsigned int cli_choice(const char *opt, const char *arg,
			const char *const *names, unsigned int n);
/* A number of seconds in (0, max] for option opt, or a usage error. */
double cli_seconds(const char *opt, const char *arg, double max);

/*
 * Every item of a comma-separated list must satisfy known(), or a usage
 * error says "unknown WHAT 'item' (HINT)". An empty list or item is one.
 */
void cli_check_list(const char *list, const char *what,
		    bool (*known)(const char *), const char *hint);

/*
 * The arguments handed to Google Benchmark. getopt_long() reports what
 * is not ours (optstring "-:" with opterr = 0); cli_not_ours() passes
 * --benchmark_* flags on (refusing --benchmark_out: --out writes
 * atomically) and turns anything else into a usage error that says
 * whether the option is unknown or misses its value.
 */
struct cli_gb_args {
	int argc;
	char **argv;		/* argv[0] and the library's flags */
	const char *filter;	/* --benchmark_filter's value, if given */
};

void cli_gb_args_init(struct cli_gb_args *g, int argc, char **argv);
void cli_not_ours(struct cli_gb_args *g, int c, char **argv);
/* Insert a flag right after argv[0], so explicit flags still win. */
void cli_gb_args_prepend(struct cli_gb_args *g, char *flag);
void cli_gb_args_free(struct cli_gb_args *g);

/* --out: refuse a path that cannot be written before any work starts. */
void cli_check_out(const char *flag, const char *path);
/* Write the report atomically; 0, or 1 after saying why. */
int cli_write_out(const char *path, const char *data);

#endif /* MN_CLI_H */
