#!/bin/sh
# mnbench-model --explore --search dpor: a broken strategy is found by
# the reduced search too, its counterexample replays under the ordinary
# scheduler with the same trace, its verdicts are the bounded search's on
# the same cells, a search stopped by a limit does not claim to be
# complete, and the same search gives the same count.
set -u
bin=$1
. "$(dirname "$0")/checks.sh"

field() {	# field FILE KEY: a top-level JSON value
	python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[k]
print(str(v).lower() if isinstance(v, bool) else v)' "$1" "$2"
}

check_exit 0 "dpor, unsafe" "$bin" --explore --search dpor --strategy unsafe \
	--load zap --invalidators 1 --format json --output "$tmp/u.json"
[ "$(field "$tmp/u.json" verdict)" = unsafe ] || fail "DPOR missed unsafe/zap"
[ "$(field "$tmp/u.json" search)" = dpor ] || fail "the search is not named"
sched=$(field "$tmp/u.json" counterexample.schedule)
field "$tmp/u.json" counterexample.trace >"$tmp/trace.0"
check_exit 0 "replay" "$bin" --explore --strategy unsafe --load zap \
	--invalidators 1 --replay "$sched" --format json --output "$tmp/r.json"
[ "$(field "$tmp/r.json" verdict)" = unsafe ] || fail "the replay is not unsafe"
field "$tmp/r.json" counterexample.trace >"$tmp/trace.1"
cmp -s "$tmp/trace.0" "$tmp/trace.1" || fail "the replay gave another trace"

# The same verdict as the bounded search on the same cells: the unsafe
# strategy above, and mutex/zap (a mutex held from start to end of an
# invalidation) caught by both.
check_exit 0 "bounded, unsafe" "$bin" --explore --strategy unsafe \
	--load zap --invalidators 1 --format json --output "$tmp/ub.json"
[ "$(field "$tmp/ub.json" verdict)" = unsafe ] ||
	fail "the bounded search missed unsafe/zap"
for s in dpor bounded; do
	check_exit 0 "$s, mutex" "$bin" --explore --search $s --strategy mutex \
		--load zap --invalidators 1 --format json \
		--output "$tmp/m-$s.json"
done
[ "$(field "$tmp/m-dpor.json" verdict)" = unsafe ] &&
[ "$(field "$tmp/m-bounded.json" verdict)" = unsafe ] ||
	fail "DPOR and the bounded search disagree on mutex/zap"

# A correct strategy, cut short: no violation, and not exhaustive.
for i in 1 2; do
	check_exit 0 "dpor, counter $i" "$bin" --explore --search dpor \
		--strategy counter --load ksm --max-schedules 300 \
		--format json --output "$tmp/c$i.json"
	[ "$(field "$tmp/c$i.json" verdict)" = safe ] || fail "counter/ksm unsafe"
	[ "$(field "$tmp/c$i.json" exhaustive)" = false ] ||
		fail "a limited DPOR search was exhaustive"
	grep -q 'NOT completed' "$tmp/c$i.json" || fail "the limit is not said"
done
[ "$(field "$tmp/c1.json" schedules)" = "$(field "$tmp/c2.json" schedules)" ] ||
	fail "the same DPOR search ran another number of schedules"

# Cut short at the same count, the bounded search agrees: safe.
check_exit 0 "bounded, counter" "$bin" --explore --strategy counter \
	--load ksm --max-schedules 300 --format json --output "$tmp/cb.json"
[ "$(field "$tmp/cb.json" verdict)" = safe ] ||
	fail "the bounded search found counter/ksm unsafe"

check_exit 2 "a search that does not exist" "$bin" --explore --search dpor2
finish
