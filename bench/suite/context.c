// SPDX-License-Identifier: GPL-2.0
/*
 * The run's context in the JSON report: the host, the model's RCU and
 * placements, the source revision and build, and what perf cannot count.
 */
#include <stdio.h>
#include <string.h>

#include "gbench.h"
#include "host_context.h"
#include "perf_counters.h"
#include "suite.h"

static void read_line(const char *cmd, char *buf, size_t len)
{
	FILE *f = popen(cmd, "r");

	buf[0] = 0;
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = 0;
		pclose(f);
	}
	if (!buf[0])
		snprintf(buf, len, "unknown");
}

void add_context(const char *strategies, const char *cmdline)
{
	char buf[512], pl[1024] = "";
	struct model_config cfg;
	struct perf_counters pc;
	unsigned int i;

	host_context_add();
	model_config_default(&cfg);
	model_rcu_grace_period(&cfg, buf, sizeof(buf));
	gb_add_context("rcu_grace_period", buf);
	gb_add_context("topology", placement_topology_summary(buf, sizeof(buf)));
	for (i = 0; i < suite.nplacements; i++) {
		size_t off = strlen(pl);

		snprintf(pl + off, sizeof(pl) - off, "%s%s%s: %s", i ? "; " : "",
			 placement_name(suite.placements[i].kind),
			 suite.placement_default ? " (default)" : "",
			 suite.placement_ok[i] ? suite.placements[i].description
					       : suite.reasons[i]);
	}
	gb_add_context("placement", pl);
	gb_add_context("strategies", strategies);
	read_line("git -C " MNBENCH_SOURCE_DIR " describe --always --dirty 2>/dev/null",
		  buf, sizeof(buf));
	gb_add_context("git_revision", buf);
	gb_add_context("build_type", MNBENCH_BUILD_TYPE);
	gb_add_context("mnbench_quick", suite.quick ? "true" : "false");
	gb_add_context("mnbench_command", cmdline);
	gb_add_context("oracle", "on in model cases (its cost is in their numbers), off in fastpath cases");
	gb_add_context("gup", gup_names[cfg.gup]);
	gb_add_context("worker_pauses", "none in model cases, which measure; the verdict tests, the mutation suite and mnbench-model pause the worker inside its sections to open races");
	perf_counters_open(&pc);
	perf_counters_absent(&pc, suite.perf_absent, sizeof(suite.perf_absent));
	perf_counters_close(&pc);
	gb_add_context("perf_absent", suite.perf_absent[0] ? suite.perf_absent
							   : "none");
}

