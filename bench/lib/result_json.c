// SPDX-License-Identifier: GPL-2.0
#include <math.h>

#include "result_json.h"

json_t *rj_document(void)
{
	return json_pack("{s:i}", "schema_version", MN_SCHEMA_VERSION);
}

json_t *rj_real(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *rj_u64(uint64_t v)
{
	return v <= INT64_MAX ? json_integer((json_int_t)v) : NULL;
}

json_t *rj_checked(json_t *o, int err)
{
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int rj_merge(json_t *obj, json_t *part)
{
	int ret;

	if (!part)
		return -1;
	ret = json_object_update(obj, part);
	json_decref(part);
	return ret;
}

/*
 * Reals keep jansson's 17 significant digits: they read back as the
 * same double (0.3 is written 0.29999999999999999).
 */
static int write_doc(FILE *out, json_t *doc, size_t flags)
{
	int ret;

	if (!doc)
		return -1;
	ret = json_dumpf(doc, out, flags | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (fputc('\n', out) == EOF || fflush(out) || ferror(out))
		ret = -1;
	return ret ? -1 : 0;
}

int rj_write(FILE *out, json_t *doc)
{
	return write_doc(out, doc, JSON_INDENT(2));
}

int rj_write_line(FILE *out, json_t *doc)
{
	return write_doc(out, doc, 0);
}
