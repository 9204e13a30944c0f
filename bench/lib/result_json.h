/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Result documents built with jansson, under mnbench's conventions: a
 * schema_version first, numbers JSON can hold, keys in the order set.
 */
#ifndef MN_RESULT_JSON_H
#define MN_RESULT_JSON_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "schema_version.h"

/* A new object whose first key is schema_version. */
json_t *rj_document(void);
/* v, or null if it is not finite: JSON has no NaN or infinity. */
json_t *rj_real(double v);
/*
 * v as an integer; NULL above INT64_MAX, the largest jansson holds, so
 * that the document fails rather than carrying a wrong number.
 */
json_t *rj_u64(uint64_t v);
/* o, or NULL (o released) if err: for objects built key by key. */
json_t *rj_checked(json_t *o, int err);
/*
 * Sets each key of part (a new reference, taken over) in obj, in part's
 * order. 0, or -1 if part is NULL (a value that could not be built).
 */
int rj_merge(json_t *obj, json_t *part);
/*
 * Writes doc (taken over; NULL fails) to out: indented by 2, or on one
 * line for JSON Lines, and a newline. 0, or -1 on a NULL doc or a write
 * error.
 */
int rj_write(FILE *out, json_t *doc);
int rj_write_line(FILE *out, json_t *doc);

#endif /* MN_RESULT_JSON_H */
