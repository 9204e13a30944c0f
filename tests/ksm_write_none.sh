#!/bin/sh
# The failure the 2019 thread warned about: with no page references held
# (--gup none) and teardown only in ->invalidate_range, the worker writes
# into a page KSM has write-protected (or merged) before _end tears its
# mapping down. A timed run meets it only by luck (the strategy also
# deadlocks soon after, in its own COW fault), so the search looks for
# it: every schedule with at most one preemption, until one has a stale
# write (--find stale_write). Nothing here depends on timing: the search
# and the replay of what it found give the same answer on every run.
#   ksm_write_none.sh MNBENCH_MODEL
set -u
bin=$1
. "$(dirname "$0")/checks.sh"
scenario="--explore --strategy invalidate_range --load ksm --gup none
	--invalidators 2 --find stale_write --format json"

# shellcheck disable=SC2086 # $scenario is a list of options
check_exit 0 "search" "$bin" $scenario --bound 1
cp "$tmp/out" "$tmp/search.json"
problem=$(json_field "$tmp/search.json" counterexample.problem)
schedule=$(json_field "$tmp/search.json" counterexample.schedule)
[ "$(json_field "$tmp/search.json" verdict)" = unsafe ] ||
	fail "no stale write within one preemption"
case $problem in
"stale_access (a write): worker "*"wrote page"*"ksm: "*) ;;
*) fail "the counterexample is not the worker's write into a KSM page: $problem" ;;
esac
[ -n "$schedule" ] || fail "no schedule to replay"
echo "schedule $schedule: $problem"

# The schedule found is an execution: replayed, the same write, the same
# steps, every time.
for i in 1 2; do
	# shellcheck disable=SC2086
	check_exit 0 "replay $i" "$bin" $scenario --replay "$schedule"
	cp "$tmp/out" "$tmp/replay$i.json"
	[ "$(json_field "$tmp/replay$i.json" verdict)" = unsafe ] ||
		fail "replay $i of $schedule is not unsafe"
	[ "$(json_field "$tmp/replay$i.json" counterexample.problem)" = "$problem" ] ||
		fail "replay $i of $schedule broke another rule"
done
[ "$(json_field "$tmp/replay1.json" counterexample.trace)" = \
  "$(json_field "$tmp/replay2.json" counterexample.trace)" ] ||
	fail "two replays of $schedule took different steps"

# --find takes a rule's name, and only with --explore.
check_exit 2 "unknown --find rule" "$bin" --explore --find stale_read
grep -q "stale_write" "$tmp/err" || fail "the error lists no rule names"
check_exit 2 "--find without --explore" "$bin" --find stale_write
finish
