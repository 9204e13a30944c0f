// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "loads.h"

const char *const load_names[LOAD_NR] = {
	[LOAD_NONE] = "none",
	[LOAD_KSM] = "ksm",
	[LOAD_COW] = "cow",
	[LOAD_ZAP] = "zap",
	[LOAD_OOM] = "oom",
	[LOAD_MIXED] = "mixed",
	[LOAD_EXIT] = "exit",
};

int load_parse(const char *name)
{
	int i;

	for (i = 0; i < LOAD_NR; i++)
		if (!strcmp(load_names[i], name))
			return i;
	return -1;
}

bool load_on_module(enum load load)
{
	return load == LOAD_NONE || load == LOAD_KSM || load == LOAD_COW ||
	       load == LOAD_ZAP || load == LOAD_OOM || load == LOAD_MIXED;
}

const char *load_name_list(bool module_only)
{
	static char buf[2][64];
	char *b = buf[module_only];
	int i;

	if (b[0])
		return b;
	for (i = 0; i < LOAD_NR; i++) {
		if (module_only && !load_on_module(i))
			continue;
		if (b[0])
			strcat(b, ", ");
		strcat(b, load_names[i]);
	}
	return b;
}
