/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A C face for Google Benchmark: register C functions as benchmarks, run
 * their timing loop, set counters and context, and get the JSON report
 * back in memory so the caller can write it atomically.
 */
#ifndef MN_GBENCH_H
#define MN_GBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gb_state;
typedef void (*gb_fn)(struct gb_state *st, void *arg);

enum gb_counter_flags {
	GB_COUNTER_PLAIN = 0,
	GB_COUNTER_RATE = 1 << 0,		/* divided by the run time */
	GB_COUNTER_PER_ITERATION = 1 << 1,	/* divided by iterations */
};

struct gb_options {
	int64_t iterations;	/* 0: the library decides */
	bool manual_time;	/* time comes from gb_set_iteration_time */
	/*
	 * 0: --benchmark_repetitions decides. Otherwise this case's own
	 * count, which takes precedence over that flag; random
	 * interleaving shuffles every repetition of every case alike.
	 */
	unsigned int repetitions;
};

/* The name is copied; arg is passed to fn on every call. */
void gb_register(const char *name, gb_fn fn, void *arg,
		 const struct gb_options *opts);

/* The timing loop: while (gb_keep_running(st)) { ... } */
bool gb_keep_running(struct gb_state *st);
int64_t gb_iterations(const struct gb_state *st);
void gb_pause(struct gb_state *st);
void gb_resume(struct gb_state *st);
void gb_set_iteration_time(struct gb_state *st, double seconds);
void gb_set_items_processed(struct gb_state *st, int64_t items);
void gb_counter(struct gb_state *st, const char *name, double value,
		unsigned int flags);
void gb_set_label(struct gb_state *st, const char *label);
/* The case cannot run here: reported as an error with this reason. */
void gb_skip(struct gb_state *st, const char *reason);

/*
 * Key/value pairs for the report's "context" object, which always holds
 * "schema_version" (MN_SCHEMA_VERSION, a string as every context value).
 */
void gb_add_context(const char *key, const char *value);

/*
 * Parses the library's --benchmark_* flags; argv must hold nothing else
 * (the caller removes its own options first). With capture_json, gb_run
 * can hand back the JSON report. -1 if an argument was not understood
 * (the library has said which).
 */
int gb_initialize(int argc, char **argv, bool capture_json);
/*
 * Runs the selected benchmarks, displaying as the flags say. If json is
 * non-NULL (needs capture_json), *json receives the whole JSON report
 * (malloc'ed), as --benchmark_out would have written it. Returns the
 * number of benchmarks run.
 */
size_t gb_run(char **json);
void gb_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* MN_GBENCH_H */
