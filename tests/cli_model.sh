#!/bin/sh
# Command-line behaviour of mnbench-model: help, refusals, JSON shape,
# atomic output.
set -u
bin=$1
. "$(dirname "$0")/checks.sh"

check_exit 0 "--help" "$bin" --help
grep -q '^Usage: mnbench-model' "$tmp/out" || fail "no usage"
check_exit 0 "--list" "$bin" --list
for s in invalidate_range mutex counter seqcount uaccess unsafe; do
	grep -q "^$s " "$tmp/out" || fail "--list lacks $s"
done

check_exit 2 "unknown strategy" "$bin" --strategy bogus
grep -q "unknown strategy 'bogus'" "$tmp/err" || fail "message for unknown strategy"
check_exit 2 "unknown load" "$bin" --load bogus
check_exit 2 "negative seconds" "$bin" --seconds -1
check_exit 2 "unknown placement" "$bin" --placement bogus
grep -q "unknown placement 'bogus'" "$tmp/err" || fail "message for unknown placement"
check_exit 2 "unknown grace period" "$bin" --rcu-gp bogus
grep -q "rcu-gp is host or model" "$tmp/err" || fail "message for unknown grace period"
check_exit 2 "seconds not a number" "$bin" --seconds 1x
check_exit 2 "vqs too large" "$bin" --vqs 1025
check_exit 2 "vqs zero" "$bin" --vqs 0
check_exit 2 "ring size not a power of two" "$bin" --ring-size 100
check_exit 2 "bad format" "$bin" --format xml
check_exit 2 "stray argument" "$bin" extra
check_exit 2 "unknown option" "$bin" --bogus

check_exit 0 "json run" "$bin" --strategy counter --load ksm --seconds 0.3 \
	--format json --output "$tmp/run.json"
[ -s "$tmp/run.json" ] || fail "no JSON written"
ls "$tmp" | grep -q '\.tmp\.' && fail "temporary file left"
for key in schema_version strategy load seed placement rcu_grace_period \
	host_grace_periods verdict violations.stale_access \
	violations.sleep_in_atomic violations.lock_order violations.hang \
	first_violation buffers.posted buffers.completed buffers.lost \
	buffers.corrupted ops_per_sec invalidations fallbacks retries \
	inval_latency_ns.p50 inval_latency_ns.p99 inval_latency_ns.p999 \
	inval_latency_ns.max config.seconds; do
	json_field "$tmp/run.json" $key >/dev/null || fail "JSON lacks $key"
done
[ "$(json_field "$tmp/run.json" schema_version)" = 1 ] || fail "schema_version is not 1"
[ "$(json_field "$tmp/run.json" verdict)" = safe ] || { fail "counter/ksm not safe"; cat "$tmp/run.json"; }
# seqcount's synchronize_rcu() waits the host's grace period where the
# host lends one (the JSON says which), and never when told not to.
# Whether a short run reaches a grace period depends on the host's load,
# so a run without one is retried longer before it counts as a failure.
for secs in 0.5 2 6; do
	check_exit 0 "seqcount, host grace periods" "$bin" --strategy seqcount \
		--load ksm --seconds $secs --format json --output "$tmp/gp.json"
	[ "$(json_field "$tmp/gp.json" host_grace_periods)" = 0 ] || break
done
case $(json_field "$tmp/gp.json" rcu_grace_period) in
"model readers, then the host"*)
	[ "$(json_field "$tmp/gp.json" host_grace_periods)" -gt 0 ] ||
		fail "no host grace period waited in 6 s" ;;
"model readers only (host grace period: "*) ;;
*)	fail "unavailable host grace period without a reason" ;;
esac
check_exit 0 "seqcount, model grace periods" "$bin" --strategy seqcount \
	--load ksm --seconds 0.3 --format json --rcu-gp model --output "$tmp/gp.json"
[ "$(json_field "$tmp/gp.json" host_grace_periods)" = 0 ] ||
	fail "--rcu-gp model still waited host grace periods"
check_exit 0 "pinned run" "$bin" --load none --seconds 0.1 --placement same-core
grep -q 'threads worker PU#' "$tmp/out" || fail "the pinned run does not say where"

check_exit 2 "seed beyond a JSON integer" "$bin" --seed 9223372036854775808
grep -q -- "--seed" "$tmp/err" || fail "the message does not name --seed"

check_exit 2 "unwritable output, refused before the run" "$bin" --seconds 0.1 --output /nonexistent/dir/x.json
grep -q "nonexistent" "$tmp/err" || fail "the message does not name the path"

finish
