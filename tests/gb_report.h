/* SPDX-License-Identifier: GPL-2.0 */
/* Google Benchmark's JSON report, parsed with jansson, for the C tests. */
#ifndef MN_TEST_GB_REPORT_H
#define MN_TEST_GB_REPORT_H

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/*
 * The report, or NULL (saying why). Google Benchmark writes NaN and
 * Infinity for a statistic of nothing, which JSON lacks: outside strings
 * they are read as null.
 */
static inline json_t *gb_report_parse(const char *text)
{
	static const char *const words[] = { "-Infinity", "Infinity", "-NaN",
					      "NaN" };
	char *copy = malloc(2 * strlen(text) + 1), *o = copy;
	bool in_string = false;
	json_error_t err;
	json_t *report;
	size_t i, n;

	if (!copy)
		return NULL;
	while (*text) {
		if (in_string) {
			if (*text == '\\' && text[1])
				*o++ = *text++;
			else if (*text == '"')
				in_string = false;
			*o++ = *text++;
			continue;
		}
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			n = strlen(words[i]);
			if (!strncmp(text, words[i], n))
				break;
		}
		if (i < sizeof(words) / sizeof(words[0])) {
			memcpy(o, "null", 4);
			o += 4;
			text += n;
			continue;
		}
		in_string = *text == '"';
		*o++ = *text++;
	}
	*o = 0;
	report = json_loads(copy, 0, &err);
	if (!report)
		fprintf(stderr, "FAIL: report is not JSON: line %d: %s\n",
			err.line, err.text);
	free(copy);
	return report;
}

/* The first benchmark whose name starts with name, or NULL. */
static inline json_t *gb_case(json_t *report, const char *name)
{
	json_t *b, *benchmarks = json_object_get(report, "benchmarks");
	const char *s;
	size_t i;

	json_array_foreach(benchmarks, i, b) {
		s = json_string_value(json_object_get(b, "name"));
		if (s && !strncmp(s, name, strlen(name)))
			return b;
	}
	return NULL;
}

/* The number key of that benchmark, or NAN if it has none. */
static inline double gb_field(json_t *report, const char *name,
			      const char *key)
{
	json_t *v = json_object_get(gb_case(report, name), key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The string key of that benchmark, or "" if it has none. */
static inline const char *gb_text(json_t *report, const char *name,
				  const char *key)
{
	const char *s = json_string_value(
		json_object_get(gb_case(report, name), key));

	return s ? s : "";
}

/* The context's key (a string, as all of them), or "" if it has none. */
static inline const char *gb_context(json_t *report, const char *key)
{
	const char *s = json_string_value(
		json_object_get(json_object_get(report, "context"), key));

	return s ? s : "";
}

#endif /* MN_TEST_GB_REPORT_H */
