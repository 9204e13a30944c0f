// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "gbench.h"
#include "host_context.h"

/*
 * /proc/cpuinfo, read directly: mnbench-module also runs in a busybox
 * guest, where a shell pipeline is one more thing to go wrong.
 */
static bool cpuinfo(char *model, size_t len)
{
	char line[4096];
	bool hypervisor = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(model, len, "unknown");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!v)
			continue;
		v += 1 + strspn(v + 1, " \t");
		v[strcspn(v, "\n")] = 0;
		if (!strncmp(line, "model name", 10) && !strcmp(model, "unknown"))
			snprintf(model, len, "%s", v);
		else if (!strncmp(line, "flags", 5) &&
			 strstr(v, " hypervisor"))
			hypervisor = true;
		if (hypervisor && strcmp(model, "unknown"))
			break;
	}
	fclose(f);
	return hypervisor;
}

void host_context_add(void)
{
	char buf[256];
	struct utsname u;
	bool vm;

	gb_add_context("kernel", uname(&u) ? "unknown" : u.release);
	vm = cpuinfo(buf, sizeof(buf));
	gb_add_context("cpu_model", buf);
	snprintf(buf, sizeof(buf), "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	gb_add_context("cpus_online", buf);
	gb_add_context("hypervisor", vm ? "yes (a virtual machine)" : "no");
}
