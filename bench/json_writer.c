// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "json_writer.h"

void json_init(struct json_writer *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
	w->first[0] = true;
	w->error = false;
}

static void put_string(struct json_writer *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', w->out);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", w->out);
			break;
		case '\\':
			fputs("\\\\", w->out);
			break;
		case '\n':
			fputs("\\n", w->out);
			break;
		case '\t':
			fputs("\\t", w->out);
			break;
		case '\r':
			fputs("\\r", w->out);
			break;
		case '\b':
			fputs("\\b", w->out);
			break;
		case '\f':
			fputs("\\f", w->out);
			break;
		default:
			if (*p < 0x20)
				fprintf(w->out, "\\u%04x", *p);
			else
				fputc(*p, w->out);
		}
	}
	fputc('"', w->out);
}

/* Separator, indentation and key of the next element. */
static void element(struct json_writer *w, const char *key)
{
	if (!w->first[w->depth])
		fputc(',', w->out);
	w->first[w->depth] = false;
	if (w->depth)
		fprintf(w->out, "\n%*s", 2 * w->depth, "");
	if (key) {
		put_string(w, key);
		fputs(": ", w->out);
	}
}

static void open_container(struct json_writer *w, const char *key, char c)
{
	element(w, key);
	fputc(c, w->out);
	if (w->depth + 1 >= JSON_MAX_DEPTH) {
		w->error = true;
		return;
	}
	w->first[++w->depth] = true;
}

static void close_container(struct json_writer *w, char c)
{
	if (!w->depth) {
		w->error = true;
		return;
	}
	if (!w->first[w->depth--])
		fprintf(w->out, "\n%*s", 2 * w->depth, "");
	fputc(c, w->out);
}

void json_object_begin(struct json_writer *w, const char *key)
{
	open_container(w, key, '{');
}

void json_object_end(struct json_writer *w)
{
	close_container(w, '}');
}

void json_array_begin(struct json_writer *w, const char *key)
{
	open_container(w, key, '[');
}

void json_array_end(struct json_writer *w)
{
	close_container(w, ']');
}

void json_string(struct json_writer *w, const char *key, const char *value)
{
	element(w, key);
	if (value)
		put_string(w, value);
	else
		fputs("null", w->out);
}

void json_int(struct json_writer *w, const char *key, int64_t value)
{
	element(w, key);
	fprintf(w->out, "%" PRId64, value);
}

void json_uint(struct json_writer *w, const char *key, uint64_t value)
{
	element(w, key);
	fprintf(w->out, "%" PRIu64, value);
}

void json_double(struct json_writer *w, const char *key, double value)
{
	char buf[32];

	element(w, key);
	if (!isfinite(value)) {
		fputs("null", w->out);
		return;
	}
	/* The shortest of the two that reads back as the same double. */
	snprintf(buf, sizeof(buf), "%.15g", value);
	if (strtod(buf, NULL) != value)
		snprintf(buf, sizeof(buf), "%.17g", value);
	fputs(buf, w->out);
}

void json_bool(struct json_writer *w, const char *key, bool value)
{
	element(w, key);
	fputs(value ? "true" : "false", w->out);
}

void json_null(struct json_writer *w, const char *key)
{
	element(w, key);
	fputs("null", w->out);
}

int json_finish(struct json_writer *w)
{
	fputc('\n', w->out);
	if (fflush(w->out) || ferror(w->out))
		w->error = true;
	return w->depth || w->error ? -1 : 0;
}
