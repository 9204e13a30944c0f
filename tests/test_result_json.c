// SPDX-License-Identifier: GPL-2.0
/*
 * The conventions of the result JSON (bench/result_json.c): schema_version
 * first, non-finite numbers as null, integers jansson cannot hold refused,
 * reals read back exactly, the two layouts, and errors reported.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "result_json.h"

static const char expected[] =
"{\n"
"  \"schema_version\": 1,\n"
"  \"name\": \"quote\\\"back\\\\slash\\nnl\\u0001\",\n"
"  \"n\": -3,\n"
"  \"x\": 0.25,\n"
"  \"nan\": null,\n"
"  \"list\": [\n"
"    1,\n"
"    {}\n"
"  ]\n"
"}\n";

static const char expected_line[] =
"{\"schema_version\": 1, \"case\": \"c\", \"h\": [[1, 2], [3, 4]]}\n";

/* doc as rj_write or rj_write_line writes it (malloc'ed), and its status. */
static char *written(json_t *doc, bool line, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		exit(1);
	*ret = line ? rj_write_line(f, doc) : rj_write(f, doc);
	fclose(f);
	return buf;
}

static void layouts(void)
{
	json_t *doc = rj_document();
	char *text;
	int ret;

	CHECK(!rj_merge(doc, json_pack("{s:s, s:I, s:o, s:o, s:[i, {}]}",
		"name", "quote\"back\\slash\nnl\x01", "n", (json_int_t)-3,
		"x", rj_real(0.25), "nan", rj_real(NAN), "list", 1)));
	text = written(doc, false, &ret);
	CHECK(ret == 0);
	if (strcmp(text, expected)) {
		fprintf(stderr, "FAIL: output differs:\n%s\nwanted:\n%s", text,
			expected);
		failures++;
	}
	free(text);

	doc = rj_document();
	CHECK(!rj_merge(doc, json_pack("{s:s, s:[[i, i], [i, i]]}", "case", "c",
				       "h", 1, 2, 3, 4)));
	text = written(doc, true, &ret);
	CHECK(ret == 0);
	CHECK(!strcmp(text, expected_line));
	free(text);
}

/* What cannot be JSON makes the document fail, never a wrong value. */
static void refusals(void)
{
	json_t *doc = rj_document(), *largest = rj_u64(INT64_MAX);
	char *text;
	int ret;

	CHECK(json_integer_value(largest) == INT64_MAX);
	json_decref(largest);
	CHECK(rj_u64((uint64_t)INT64_MAX + 1) == NULL);
	CHECK(rj_merge(doc, json_pack("{s:o}", "big",
				      rj_u64(UINT64_MAX))) == -1);
	CHECK(rj_merge(doc, NULL) == -1);
	json_decref(doc);
	text = written(NULL, false, &ret);
	CHECK(ret == -1);
	free(text);
	doc = rj_document();
	CHECK(rj_checked(doc, 1) == NULL);
}

/* A write that fails is an error, not a silently short file. */
static void write_error(void)
{
	FILE *f = fopen("/dev/full", "w");

	if (!f) {
		printf("no /dev/full: write error not checked\n");
		return;
	}
	CHECK(rj_write(f, rj_document()) == -1);
	fclose(f);
}

/* 17 digits: what a reader parses is the double that was written. */
static void round_trip(void)
{
	static const double values[] = { 0.1, 0.3, 1.0 / 3, 2e-308, 1e300,
					 417310.83614016249, 2000 };
	json_t *doc = json_array(), *back;
	char *text;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		json_array_append_new(doc, rj_real(values[i]));
	text = written(doc, false, &ret);
	back = json_loads(text, 0, NULL);
	CHECK(back && json_array_size(back) == i);
	for (i = 0; back && i < json_array_size(back); i++)
		CHECK(json_real_value(json_array_get(back, i)) == values[i]);
	json_decref(back);
	free(text);
}

int main(void)
{
	layouts();
	refusals();
	write_error();
	round_trip();
	if (failures)
		return 1;
	printf("result_json: all checks passed\n");
	return 0;
}
