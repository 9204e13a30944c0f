// SPDX-License-Identifier: GPL-2.0
#include "report.h"
#include "result_json.h"

static u64 access_total(const struct mn_vq_stats *s)
{
	return s->map_reads + s->map_writes + s->fallbacks;
}

static double fallback_rate(const struct mn_vq_stats *s)
{
	u64 n = access_total(s);

	return n ? (double)s->fallbacks / n : 0;
}

static json_t *latency_json(const struct histogram *h)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o}",
			 "count", rj_u64(h->count),
			 "p50", rj_u64(hist_percentile(h, 50)),
			 "p99", rj_u64(hist_percentile(h, 99)),
			 "p999", rj_u64(hist_percentile(h, 99.9)),
			 "max", rj_u64(h->max));
}

static const char *placement_of(const struct model_config *c)
{
	return c->placement ? c->placement->description : "not pinned";
}

/* The oracle's count of each rule. */
static json_t *violations_json(const struct model_result *res)
{
	json_t *o = json_object();
	int k, err = !o;

	for (k = 0; o && k < V_NR; k++)
		err |= json_object_set_new(o, violation_names[k],
					   rj_u64(res->violations[k]));
	return rj_checked(o, err);
}

/* The first trace of each rule broken. */
static json_t *violation_traces_json(const struct model_result *res)
{
	json_t *o = json_object();
	int k, err = !o;

	for (k = 0; o && k < V_NR; k++)
		if (res->violations[k])
			err |= json_object_set_new(o, violation_names[k],
					json_string(res->first_of[k]));
	return rj_checked(o, err);
}

static json_t *lock_cycles_json(const struct model_result *res)
{
	json_t *a = json_array();
	int k, err = !a;

	for (k = 0; a && k < ORACLE_CYCLES && res->lock_cycles[k][0]; k++)
		err |= json_array_append_new(a,
					     json_string(res->lock_cycles[k]));
	return rj_checked(a, err);
}

static json_t *verdict_json(const struct model_result *res)
{
	const struct model_buffers *b = &res->buffers;

	return json_pack("{s:s, s:o, s:s, s:s, s:o, s:o,"
			 " s:{s:o, s:o, s:o, s:o, s:o, s:s, s:s}, s:b}",
		"verdict", res->safe ? "safe" : "unsafe",
		"violations", violations_json(res),
		"first_violation", res->first_violation,
		"first_stale_write", res->first_stale_write,
		"violation_traces", violation_traces_json(res),
		"lock_cycles", lock_cycles_json(res),
		"buffers",
		"posted", rj_u64(b->posted),
		"completed", rj_u64(b->completed),
		"lost", rj_u64(b->lost),
		"corrupted", rj_u64(b->corrupted),
		"in_flight", rj_u64(b->in_flight),
		"first_corruption", res->first_corruption,
		"lost_detail", res->lost_detail,
		"aborted", res->aborted);
}

static json_t *worker_json(const struct model_result *res)
{
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
			      " s:o, s:o, s:o, s:o, s:o, s:o}",
		"elapsed_s", rj_real(res->elapsed_s),
		"ops_per_sec", rj_real(res->ops_per_sec),
		"invalidations", rj_u64(res->mm.invalidations),
		"overlapping_invalidations", rj_u64(res->mm.overlapping),
		"events", rj_u64(res->events),
		"fallbacks", rj_u64(res->vq.fallbacks),
		"retries", rj_u64(res->vq.retries),
		"fallback_rate", rj_real(fallback_rate(&res->vq)),
		"map_accesses", rj_u64(res->vq.map_reads + res->vq.map_writes),
		"remaps", rj_u64(res->vq.remaps),
		"bad_heads", rj_u64(res->vq.bad_heads),
		"worker_stall_ns", rj_u64(res->worker_stall_ns),
		"worker_life_ns", rj_u64(res->worker_life_ns));
	int err = !o;

	err = err || rj_merge(o, json_pack(
		"{s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o}}",
		"inval_latency_ns", latency_json(&res->total_ns),
		"notifier_ns", latency_json(&res->notifier_ns),
		"notifier_hit_ns", latency_json(&res->notifier_hit_ns),
		"notifier_wait_ns", latency_json(&res->notifier_wait_ns),
		"callback_latency_ns",
		"invalidate_range_start", latency_json(&res->start_ns),
		"invalidate_range_end", latency_json(&res->end_ns),
		"invalidate_range", latency_json(&res->inval_range_ns)));
	return rj_checked(o, err);
}

static json_t *mm_json(const struct mm_stats *mm)
{
	return json_pack("{s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
			 " s:o, s:o, s:o, s:o, s:o, s:o, s:o}}",
		"mm",
		"start_calls", rj_u64(mm->start_calls),
		"end_calls", rj_u64(mm->end_calls),
		"invalidate_range_calls", rj_u64(mm->inval_range_calls),
		"eagain", rj_u64(mm->eagain),
		"cow_copies", rj_u64(mm->cow_copies),
		"cow_reuses", rj_u64(mm->cow_reuses),
		"ksm_merged", rj_u64(mm->ksm_merged),
		"ksm_skipped_referenced", rj_u64(mm->ksm_skipped),
		"ksm_skipped_changing", rj_u64(mm->ksm_unstable),
		"forks", rj_u64(mm->forks),
		"zaps", rj_u64(mm->zaps),
		"oom_reaps", rj_u64(mm->oom_reaps),
		"swapins", rj_u64(mm->swapins),
		"frame_pool_empty", rj_u64(mm->no_frame));
}

static json_t *config_json(const struct model_config *c)
{
	return json_pack("{s:{s:o, s:o, s:o, s:I, s:i, s:o, s:o,"
			 " s:o, s:o, s:o, s:o, s:o, s:s, s:o}}",
		"config",
		"seconds", rj_real(c->seconds),
		"vqs", rj_u64(c->vqs),
		"devices", rj_u64(c->devices),
		"idle_vqs", (json_int_t)c->idle_vqs,
		"bait_pages", MODEL_BAIT_PAGES,
		"ring_size", rj_u64(c->ring_size),
		"invalidators", rj_u64(c->invalidators),
		"pages", rj_u64(c->pages),
		"rate", rj_u64(c->rate),
		"window_us", rj_u64(c->window_us),
		"remap_ms", rj_u64(c->remap_ms),
		"hang_ms", rj_u64(c->hang_ms),
		"gup", gup_names[c->gup],
		"worker_window_us", rj_u64(c->worker_window_us));
}

int report_json(FILE *out, const struct model_result *res)
{
	const struct model_config *c = &res->cfg;
	json_t *doc = rj_document();
	char digest[20];
	int err;

	snprintf(digest, sizeof(digest), "%016llx",
		 (unsigned long long)res->schedule_digest);
	err = !doc || rj_merge(doc, json_pack("{s:s, s:s, s:o, s:s, s:s, s:o}",
			"strategy", c->strategy->name,
			"load", load_names[c->load],
			"seed", rj_u64(c->seed),
			"placement", placement_of(c),
			"rcu_grace_period", res->rcu_grace_period,
			"host_grace_periods", rj_u64(res->host_grace_periods))) ||
	      rj_merge(doc, verdict_json(res)) ||
	      rj_merge(doc, worker_json(res)) ||
	      rj_merge(doc, mm_json(&res->mm)) ||
	      rj_merge(doc, config_json(c)) ||
	      rj_merge(doc, json_pack("{s:s?}", "schedule_digest",
			res->schedule_digest_valid ? digest : NULL));
	return rj_write(out, rj_checked(doc, err));
}

int report_text(FILE *out, const struct model_result *res)
{
	const struct model_config *c = &res->cfg;
	const struct histogram *h = &res->total_ns;
	int k;

	fprintf(out, "strategy %s, load %s, seed %llu: %s%s\n",
		c->strategy->name, load_names[c->load],
		(unsigned long long)c->seed, res->safe ? "SAFE" : "UNSAFE",
		res->aborted ? " (run aborted by the hang watchdog)" : "");
	fprintf(out, "  violations:");
	for (k = 0; k < V_NR; k++)
		fprintf(out, " %s=%llu", violation_names[k],
			(unsigned long long)res->violations[k]);
	fprintf(out, "\n");
	if (res->first_violation[0])
		fprintf(out, "  first violation: %s\n", res->first_violation);
	if (res->first_stale_write[0])
		fprintf(out, "  first stale write: %s\n", res->first_stale_write);
	fprintf(out, "  buffers: posted=%llu completed=%llu lost=%llu corrupted=%llu in_flight=%llu\n",
		(unsigned long long)res->buffers.posted,
		(unsigned long long)res->buffers.completed,
		(unsigned long long)res->buffers.lost,
		(unsigned long long)res->buffers.corrupted,
		(unsigned long long)res->buffers.in_flight);
	if (res->first_corruption[0])
		fprintf(out, "  first corruption: %s\n", res->first_corruption);
	if (res->lost_detail[0])
		fprintf(out, "  lost: %s\n", res->lost_detail);
	fprintf(out, "  throughput: %.0f buffers/s over %.2f s, threads %s\n",
		res->ops_per_sec, res->elapsed_s, placement_of(c));
	fprintf(out, "  synchronize_rcu: %s; %llu host grace periods\n",
		res->rcu_grace_period,
		(unsigned long long)res->host_grace_periods);
	fprintf(out, "  invalidations=%llu fallbacks=%llu (%.1f%% of accesses) retries=%llu remaps=%llu\n",
		(unsigned long long)res->mm.invalidations,
		(unsigned long long)res->vq.fallbacks,
		100 * fallback_rate(&res->vq),
		(unsigned long long)res->vq.retries,
		(unsigned long long)res->vq.remaps);
	fprintf(out, "  start..end latency: p50=%llu p99=%llu p99.9=%llu max=%llu ns\n",
		(unsigned long long)hist_percentile(h, 50),
		(unsigned long long)hist_percentile(h, 99),
		(unsigned long long)hist_percentile(h, 99.9),
		(unsigned long long)h->max);
	return ferror(out) ? -1 : 0;
}
