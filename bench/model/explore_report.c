// SPDX-License-Identifier: GPL-2.0
/* What an exploration found, as text for people and JSON for scripts. */
#include "explore.h"
#include "explore_report.h"
#include "explore_wm.h"
#include "result_json.h"

static const char *search_name(const struct model_config *c)
{
	return c->replay ? "replay" : c->pct ? "pct" :
	       c->dpor ? "dpor" : "bounded";
}

static const char *model_name(const struct model_config *c)
{
	return wm_model_name(c->memory_model);
}

/* How the verdict was reached, in one line. */
void explore_how(const struct model_config *c,
		 const struct explore_result *r, char *buf, size_t len)
{
	if (c->replay)
		snprintf(buf, len, "replay of schedule %s", c->replay);
	else if (r->degenerate)
		snprintf(buf, len,
			 "degenerate under %s: no violation, but the fast path served no access in %lu schedules, so only the fallback was explored",
			 model_name(c), r->schedules);
	else if (r->unsafe)
		snprintf(buf, len, "counterexample under %s after %lu schedules",
			 model_name(c), r->schedules);
	else if (c->pct)
		snprintf(buf, len,
			 "PCT, %lu random schedules of depth %u: no violation (probabilistic, not exhaustive)",
			 r->schedules, c->depth);
	else if (c->dpor && r->exhaustive)
		snprintf(buf, len,
			 "safe under %s, exhaustive: DPOR, no preemption bound, %lu schedules, one per order of dependent steps, no violation",
			 model_name(c), r->schedules);
	else if (c->dpor)
		snprintf(buf, len,
			 "DPOR under %s NOT completed (%s after %lu schedules): no violation so far",
			 model_name(c), r->wm_overflow ?
			 "the memory model ran out of room" : "a limit stopped it",
			 r->schedules);
	else if (r->exhaustive)
		snprintf(buf, len,
			 "safe under %s, bound %u: explored exhaustively to preemption bound %u, %lu schedules, no violation",
			 model_name(c), c->bound, c->bound, r->schedules);
	else
		snprintf(buf, len,
			 "bound %u under %s NOT searched completely (%s after %lu schedules): no violation so far",
			 c->bound, model_name(c), r->wm_overflow ?
			 "the memory model ran out of room" : "a limit stopped it",
			 r->schedules);
}

static const char *verdict(const struct explore_result *r)
{
	return r->unsafe ? "unsafe" : r->degenerate ? "degenerate" : "safe";
}

int explore_report_text(FILE *out, const struct model_config *c,
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
	if (c->memory_model == WM_SC)
		fprintf(out, "model: sc: threads run one at a time and every read reads the latest\n"
			"write: orderings only weak memory allows are not explored.\n");
	else
		fprintf(out, "model: %s: the marked accesses, fences, locks and RCU calls go through\n"
			"the memory model, which chooses what each read reads from (see\n"
			"docs/explore.md for what it does not model).\n", model_name(c));
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
	fprintf(out, "replay: mnbench-model --explore --strategy %s --load %s --invalidators %u --gup %s%s%s%s%s --replay '%s'\n",
		c->strategy->name, load_names[c->load], c->invalidators,
		gup_names[c->gup],
		c->memory_model == WM_SC ? "" : " --memory-model ",
		c->memory_model == WM_SC ? "" : model_name(c),
		c->find == EXPLORE_FIND_ANY ? "" : " --find ",
		c->find == EXPLORE_FIND_ANY ? "" : explore_find_name(c->find),
		r->schedule);
	fprintf(out, "\ntrace (step, thread, operation, where [notifier callback]):\n%s",
		r->trace ? r->trace : "");
	return ferror(out) ? -1 : 0;
}

static json_t *violations_json(const struct explore_result *r)
{
	json_t *o = json_object();
	int k, err = !o;

	for (k = 0; o && k < V_NR; k++)
		err |= json_object_set_new(o, violation_names[k],
					   rj_u64(r->cx.violations[k]));
	return rj_checked(o, err);
}

int explore_report_json(FILE *out, const struct model_config *c,
			const struct explore_result *r)
{
	json_t *doc = rj_document();
	char how[256];
	int err = !doc;

	explore_how(c, r, how, sizeof(how));
	err = err || rj_merge(doc, json_pack(
		"{s:s, s:s, s:s, s:o, s:s, s:s, s:o}",
		"mode", "explore",
		"strategy", c->strategy->name,
		"load", load_names[c->load],
		"invalidators", rj_u64(c->invalidators),
		"gup", gup_names[c->gup],
		"search", search_name(c),
		"bound", rj_u64(c->bound)));
	if (!err && c->pct)
		err = rj_merge(doc, json_pack("{s:o, s:o}",
			"depth", rj_u64(c->depth), "seed", rj_u64(c->seed)));
	err = err || rj_merge(doc, json_pack(
		"{s:s, s:s, s:b, s:o, s:o, s:o, s:s, s:o}",
		"verdict", verdict(r),
		"how", how,
		"exhaustive", r->exhaustive,
		"schedules", rj_u64(r->schedules),
		"max_steps", rj_u64(r->max_steps),
		"seconds", rj_real(r->seconds),
		"memory_model", model_name(c),
		"violations", violations_json(r)));
	if (!err && r->unsafe)
		err = rj_merge(doc, json_pack("{s:{s:s, s:o, s:s, s:s}}",
			"counterexample",
			"schedule", r->schedule,
			"preemptions", rj_u64(r->preemptions),
			"problem", r->cx.problem,
			"trace", r->trace ? r->trace : ""));
	return rj_write(out, rj_checked(doc, err));
}
