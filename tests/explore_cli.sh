#!/bin/sh
# mnbench-model --explore: a broken strategy is found with a trace that
# --replay reproduces exactly, a correct one passes its bound completely,
# the JSON has its fields, the same search gives the same count, and bad
# arguments are refused.
set -u
bin=$1
. "$(dirname "$0")/checks.sh"

# A known-broken strategy: found, minimized, replayable.
check_exit 0 "unsafe, zap" "$bin" --explore --strategy unsafe --load zap \
	--bound 1 --format json --output "$tmp/unsafe.json"
[ "$(json_field "$tmp/unsafe.json" verdict)" = unsafe ] || fail "unsafe not found"
sched=$(json_field "$tmp/unsafe.json" counterexample.schedule)
[ -n "$sched" ] || fail "no schedule in the counterexample"
json_field "$tmp/unsafe.json" counterexample.trace >"$tmp/trace.0"
grep -q 'worker' "$tmp/trace.0" || fail "the trace names no thread"
for i in 1 2 3 4 5 6 7 8 9 10; do
	check_exit 0 "replay $i" "$bin" --explore --strategy unsafe --load zap \
		--replay "$sched" --format json --output "$tmp/replay.json"
	[ "$(json_field "$tmp/replay.json" verdict)" = unsafe ] ||
		fail "replay $i is not unsafe"
	json_field "$tmp/replay.json" counterexample.trace >"$tmp/trace.$i"
	cmp -s "$tmp/trace.0" "$tmp/trace.$i" || fail "replay $i gave another trace"
done

# A correct strategy: every schedule within the bound, no violation.
for load in zap ksm; do
	check_exit 0 "counter, $load" "$bin" --explore --strategy counter \
		--load "$load" --bound 1 --format json --output "$tmp/c.json"
	[ "$(json_field "$tmp/c.json" verdict)" = safe ] || fail "counter/$load unsafe"
	[ "$(json_field "$tmp/c.json" exhaustive)" = true ] ||
		fail "counter/$load not searched completely"
	for k in schedules violations.stale_access how; do
		json_field "$tmp/c.json" "$k" >/dev/null 2>&1 || fail "no $k in the JSON"
	done
	n1=$(json_field "$tmp/c.json" schedules)
	"$bin" --explore --strategy counter --load "$load" --bound 1 \
		--format json --output "$tmp/c2.json" ||
		fail "second search of counter/$load"
	[ "$(json_field "$tmp/c2.json" schedules)" = "$n1" ] ||
		fail "counter/$load: $n1 schedules, then another count"
done

# A search stopped by a limit does not claim to be complete.
check_exit 0 "limited" "$bin" --explore --strategy counter --load zap \
	--bound 2 --max-schedules 10 --format json --output "$tmp/l.json"
[ "$(json_field "$tmp/l.json" exhaustive)" = false ] || fail "a limited search was exhaustive"
case $(json_field "$tmp/l.json" how) in
*"NOT searched completely"*) ;;
*) fail "the limit is not said" ;;
esac

# PCT finds the broken strategy too, and says it is not exhaustive.
check_exit 0 "pct" "$bin" --explore --search pct --runs 500 \
	--strategy unsafe --load zap --format json --output "$tmp/p.json"
[ "$(json_field "$tmp/p.json" verdict)" = unsafe ] || fail "PCT missed unsafe"
"$bin" --explore --search pct --runs 500 --strategy unsafe --load zap \
	--format json --output "$tmp/p2.json" || fail "second PCT search"
[ "$(json_field "$tmp/p.json" schedules)" = "$(json_field "$tmp/p2.json" schedules)" ] ||
	fail "PCT with the same seed ran another number of schedules"

# The text form says how the verdict was reached.
check_exit 0 "text" "$bin" --explore --strategy uaccess --load zap --bound 1
grep -q 'explored exhaustively to preemption bound 1' "$tmp/out" ||
	fail "the text does not say how"

check_exit 2 "--bound without --explore" "$bin" --bound 1
check_exit 2 "bad --bound" "$bin" --explore --bound 17
check_exit 2 "bad --search" "$bin" --explore --search dfs
check_exit 2 "too many invalidators" "$bin" --explore --invalidators 4
check_exit 2 "malformed schedule" "$bin" --explore --replay 'x:y'
check_exit 2 "missing value" "$bin" --explore --bound
finish
