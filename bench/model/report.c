// SPDX-License-Identifier: GPL-2.0
#include "json_writer.h"
#include "report.h"

static u64 access_total(const struct mn_vq_stats *s)
{
	return s->map_reads + s->map_writes + s->fallbacks;
}

static double fallback_rate(const struct mn_vq_stats *s)
{
	u64 n = access_total(s);

	return n ? (double)s->fallbacks / n : 0;
}

static void json_latency(struct json_writer *w, const char *key,
			 const struct histogram *h)
{
	json_object_begin(w, key);
	json_uint(w, "count", h->count);
	json_uint(w, "p50", hist_percentile(h, 50));
	json_uint(w, "p99", hist_percentile(h, 99));
	json_uint(w, "p999", hist_percentile(h, 99.9));
	json_uint(w, "max", h->max);
	json_object_end(w);
}

static const char *placement_of(const struct model_config *c)
{
	return c->placement ? c->placement->description : "not pinned";
}

static void json_verdict(struct json_writer *w, const struct model_result *res)
{
	int k;

	json_string(w, "verdict", res->safe ? "safe" : "unsafe");
	json_object_begin(w, "violations");
	for (k = 0; k < V_NR; k++)
		json_uint(w, violation_names[k], res->violations[k]);
	json_object_end(w);
	json_string(w, "first_violation", res->first_violation);
	json_string(w, "first_stale_write", res->first_stale_write);
	json_object_begin(w, "violation_traces");
	for (k = 0; k < V_NR; k++)
		if (res->violations[k])
			json_string(w, violation_names[k], res->first_of[k]);
	json_object_end(w);
	json_array_begin(w, "lock_cycles");
	for (k = 0; k < ORACLE_CYCLES && res->lock_cycles[k][0]; k++)
		json_string(w, NULL, res->lock_cycles[k]);
	json_array_end(w);
	json_object_begin(w, "buffers");
	json_uint(w, "posted", res->buffers.posted);
	json_uint(w, "completed", res->buffers.completed);
	json_uint(w, "lost", res->buffers.lost);
	json_uint(w, "corrupted", res->buffers.corrupted);
	json_uint(w, "in_flight", res->buffers.in_flight);
	json_string(w, "first_corruption", res->first_corruption);
	json_string(w, "lost_detail", res->lost_detail);
	json_object_end(w);
	json_bool(w, "aborted", res->aborted);
}

static void json_worker(struct json_writer *w, const struct model_result *res)
{
	json_double(w, "elapsed_s", res->elapsed_s);
	json_double(w, "ops_per_sec", res->ops_per_sec);
	json_uint(w, "invalidations", res->mm.invalidations);
	json_uint(w, "overlapping_invalidations", res->mm.overlapping);
	json_uint(w, "events", res->events);
	json_uint(w, "fallbacks", res->vq.fallbacks);
	json_uint(w, "retries", res->vq.retries);
	json_double(w, "fallback_rate", fallback_rate(&res->vq));
	json_uint(w, "map_accesses", res->vq.map_reads + res->vq.map_writes);
	json_uint(w, "remaps", res->vq.remaps);
	json_uint(w, "bad_heads", res->vq.bad_heads);
	json_uint(w, "worker_stall_ns", res->worker_stall_ns);
	json_uint(w, "worker_life_ns", res->worker_life_ns);
	json_latency(w, "inval_latency_ns", &res->total_ns);
	json_latency(w, "notifier_ns", &res->notifier_ns);
	json_latency(w, "notifier_hit_ns", &res->notifier_hit_ns);
	json_latency(w, "notifier_wait_ns", &res->notifier_wait_ns);
	json_object_begin(w, "callback_latency_ns");
	json_latency(w, "invalidate_range_start", &res->start_ns);
	json_latency(w, "invalidate_range_end", &res->end_ns);
	json_latency(w, "invalidate_range", &res->inval_range_ns);
	json_object_end(w);
}

static void json_mm(struct json_writer *w, const struct mm_stats *mm)
{
	json_object_begin(w, "mm");
	json_uint(w, "start_calls", mm->start_calls);
	json_uint(w, "end_calls", mm->end_calls);
	json_uint(w, "invalidate_range_calls", mm->inval_range_calls);
	json_uint(w, "eagain", mm->eagain);
	json_uint(w, "cow_copies", mm->cow_copies);
	json_uint(w, "cow_reuses", mm->cow_reuses);
	json_uint(w, "ksm_merged", mm->ksm_merged);
	json_uint(w, "ksm_skipped_referenced", mm->ksm_skipped);
	json_uint(w, "ksm_skipped_changing", mm->ksm_unstable);
	json_uint(w, "forks", mm->forks);
	json_uint(w, "zaps", mm->zaps);
	json_uint(w, "oom_reaps", mm->oom_reaps);
	json_uint(w, "swapins", mm->swapins);
	json_uint(w, "frame_pool_empty", mm->no_frame);
	json_object_end(w);
}

static void json_config(struct json_writer *w, const struct model_config *c)
{
	json_object_begin(w, "config");
	json_double(w, "seconds", c->seconds);
	json_uint(w, "vqs", c->vqs);
	json_uint(w, "devices", c->devices);
	json_int(w, "idle_vqs", c->idle_vqs);
	json_uint(w, "bait_pages", MODEL_BAIT_PAGES);
	json_uint(w, "ring_size", c->ring_size);
	json_uint(w, "invalidators", c->invalidators);
	json_uint(w, "pages", c->pages);
	json_uint(w, "rate", c->rate);
	json_uint(w, "window_us", c->window_us);
	json_uint(w, "remap_ms", c->remap_ms);
	json_uint(w, "hang_ms", c->hang_ms);
	json_string(w, "gup", gup_names[c->gup]);
	json_uint(w, "worker_window_us", c->worker_window_us);
	json_object_end(w);
}

int report_json(FILE *out, const struct model_result *res)
{
	const struct model_config *c = &res->cfg;
	struct json_writer w;
	char digest[20];

	json_init(&w, out);
	json_object_begin(&w, NULL);
	json_string(&w, "strategy", c->strategy->name);
	json_string(&w, "load", load_names[c->load]);
	json_uint(&w, "seed", c->seed);
	json_string(&w, "placement", placement_of(c));
	json_string(&w, "rcu_grace_period", res->rcu_grace_period);
	json_uint(&w, "host_grace_periods", res->host_grace_periods);
	json_verdict(&w, res);
	json_worker(&w, res);
	json_mm(&w, &res->mm);
	json_config(&w, c);
	if (res->schedule_digest_valid) {
		snprintf(digest, sizeof(digest), "%016llx",
			 (unsigned long long)res->schedule_digest);
		json_string(&w, "schedule_digest", digest);
	} else {
		json_null(&w, "schedule_digest");
	}
	json_object_end(&w);
	return json_finish(&w);
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
