/* SPDX-License-Identifier: GPL-2.0 */
/* A small streaming JSON writer: pretty-printed, escaped, checked nesting. */
#ifndef MN_JSON_WRITER_H
#define MN_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	32

struct json_writer {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* no element yet at this depth */
	bool error;			/* bad nesting or a write error */
};

/* key is NULL at the top level and inside arrays. */
void json_init(struct json_writer *w, FILE *out);
void json_object_begin(struct json_writer *w, const char *key);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w, const char *key);
void json_array_end(struct json_writer *w);
void json_string(struct json_writer *w, const char *key, const char *value);
void json_int(struct json_writer *w, const char *key, int64_t value);
void json_uint(struct json_writer *w, const char *key, uint64_t value);
/* Non-finite values are written as null. */
void json_double(struct json_writer *w, const char *key, double value);
void json_bool(struct json_writer *w, const char *key, bool value);
void json_null(struct json_writer *w, const char *key);
/* Ends the document; 0 if it was complete and written, -1 otherwise. */
int json_finish(struct json_writer *w);

#endif /* MN_JSON_WRITER_H */
