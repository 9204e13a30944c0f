// SPDX-License-Identifier: GPL-2.0
/* The JSON writer: exact output, escaping, non-finite numbers, nesting. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"

static const char expected[] =
"{\n"
"  \"name\": \"quote\\\"back\\\\slash\\nnl\\u0001\",\n"
"  \"n\": -3,\n"
"  \"u\": 18446744073709551615,\n"
"  \"x\": 0.25,\n"
"  \"nan\": null,\n"
"  \"ok\": true,\n"
"  \"none\": null,\n"
"  \"list\": [\n"
"    1,\n"
"    {\n"
"      \"k\": \"v\"\n"
"    },\n"
"    []\n"
"  ],\n"
"  \"empty\": {}\n"
"}\n";

int main(void)
{
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret = 0;

	json_init(&w, f);
	json_object_begin(&w, NULL);
	json_string(&w, "name", "quote\"back\\slash\nnl\x01");
	json_int(&w, "n", -3);
	json_uint(&w, "u", UINT64_MAX);
	json_double(&w, "x", 0.25);
	json_double(&w, "nan", NAN);
	json_bool(&w, "ok", true);
	json_string(&w, "none", NULL);
	json_array_begin(&w, "list");
	json_uint(&w, NULL, 1);
	json_object_begin(&w, NULL);
	json_string(&w, "k", "v");
	json_object_end(&w);
	json_array_begin(&w, NULL);
	json_array_end(&w);
	json_array_end(&w);
	json_object_begin(&w, "empty");
	json_object_end(&w);
	json_object_end(&w);
	if (json_finish(&w)) {
		fprintf(stderr, "FAIL: complete document reported an error\n");
		ret = 1;
	}
	fclose(f);
	if (strcmp(buf, expected)) {
		fprintf(stderr, "FAIL: output differs:\n%s\nwanted:\n%s", buf,
			expected);
		ret = 1;
	}
	free(buf);

	f = open_memstream(&buf, &len);
	json_init(&w, f);
	json_object_begin(&w, NULL);
	if (!json_finish(&w)) {
		fprintf(stderr, "FAIL: unclosed object not reported\n");
		ret = 1;
	}
	json_init(&w, f);
	json_object_end(&w);
	if (!json_finish(&w)) {
		fprintf(stderr, "FAIL: unbalanced end not reported\n");
		ret = 1;
	}
	fclose(f);
	free(buf);
	if (!ret)
		printf("json_writer: all checks passed\n");
	return ret;
}
