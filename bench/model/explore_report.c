// SPDX-License-Identifier: GPL-2.0
/* What an exploration found, as text for people and JSON for scripts. */
#include "explore.h"
#include "explore_report.h"
#include "json_writer.h"

static const char *search_name(const struct explore_config *c)
{
	return c->replay ? "replay" : c->pct ? "pct" : "bounded";
}

/* How the verdict was reached, in one line. */
void explore_how(const struct explore_config *c,
		 const struct explore_result *r, char *buf, size_t len)
{
	if (c->replay)
		snprintf(buf, len, "replay of schedule %s", c->replay);
	else if (r->unsafe)
		snprintf(buf, len, "counterexample after %lu schedules",
			 r->schedules);
	else if (c->pct)
		snprintf(buf, len,
			 "PCT, %lu random schedules of depth %u: no violation (probabilistic, not exhaustive)",
			 r->schedules, c->depth);
	else if (r->exhaustive)
		snprintf(buf, len,
			 "explored exhaustively to preemption bound %u: %lu schedules, no violation",
			 c->bound, r->schedules);
	else
		snprintf(buf, len,
			 "bound %u NOT searched completely (a limit stopped it after %lu schedules): no violation so far",
			 c->bound, r->schedules);
}

static const char *verdict(const struct explore_result *r)
{
	return r->unsafe ? "unsafe" : "safe";
}

int explore_report_text(FILE *out, const struct explore_config *c,
			const struct explore_result *r)
{
	char how[256];

	explore_how(c, r, how, sizeof(how));
	fprintf(out, "strategy %s, load %s, invalidators %u, gup %s\n",
		c->strategy->name, load_names[c->load], c->invalidators,
		gup_names[c->gup]);
	fprintf(out, "search: %s; %lu schedules in %.2f s; longest %lu steps, %lu decisions\n",
		search_name(c), r->schedules, r->seconds, r->max_steps,
		r->max_decisions);
	fprintf(out, "verdict: %s (%s)\n", verdict(r), how);
	fprintf(out, "model: threads run one at a time, so every interleaving is sequentially\n"
		"consistent: orderings only weak memory allows are not explored.\n");
	if (!r->unsafe) {
		/* A replay shows its execution, safe or not. */
		if (c->replay && r->trace)
			fprintf(out, "\ntrace (step, thread, operation, where [notifier callback]):\n%s",
				r->trace);
		return ferror(out) ? -1 : 0;
	}
	fprintf(out, "\nrule broken: %s\n", r->cx.problem);
	fprintf(out, "schedule: %s (%u preemptions; threads: 0 worker, 1.. inval-0..)\n",
		r->schedule, r->preemptions);
	fprintf(out, "replay: mnbench-model --explore --strategy %s --load %s --invalidators %u --gup %s --replay '%s'\n",
		c->strategy->name, load_names[c->load], c->invalidators,
		gup_names[c->gup], r->schedule);
	fprintf(out, "\ntrace (step, thread, operation, where [notifier callback]):\n%s",
		r->trace ? r->trace : "");
	return ferror(out) ? -1 : 0;
}

int explore_report_json(FILE *out, const struct explore_config *c,
			const struct explore_result *r)
{
	struct json_writer w;
	char how[256];
	int k;

	explore_how(c, r, how, sizeof(how));
	json_init(&w, out);
	json_object_begin(&w, NULL);
	json_string(&w, "mode", "explore");
	json_string(&w, "strategy", c->strategy->name);
	json_string(&w, "load", load_names[c->load]);
	json_uint(&w, "invalidators", c->invalidators);
	json_string(&w, "gup", gup_names[c->gup]);
	json_string(&w, "search", search_name(c));
	json_uint(&w, "bound", c->bound);
	if (c->pct) {
		json_uint(&w, "depth", c->depth);
		json_uint(&w, "seed", c->seed);
	}
	json_string(&w, "verdict", verdict(r));
	json_string(&w, "how", how);
	json_bool(&w, "exhaustive", r->exhaustive);
	json_uint(&w, "schedules", r->schedules);
	json_uint(&w, "max_steps", r->max_steps);
	json_double(&w, "seconds", r->seconds);
	json_string(&w, "memory_model", "sequentially consistent");
	json_object_begin(&w, "violations");
	for (k = 0; k < V_NR; k++)
		json_uint(&w, violation_names[k], r->cx.violations[k]);
	json_object_end(&w);
	if (r->unsafe) {
		json_object_begin(&w, "counterexample");
		json_string(&w, "schedule", r->schedule);
		json_uint(&w, "preemptions", r->preemptions);
		json_string(&w, "problem", r->cx.problem);
		json_string(&w, "trace", r->trace ? r->trace : "");
		json_object_end(&w);
	}
	json_object_end(&w);
	return json_finish(&w);
}
