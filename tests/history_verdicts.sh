#!/bin/sh
# The 2019 designs' verdicts (docs/history/), by exploration, so they are
# the same on every run: each breaks 6.1's notifier contract under the OOM
# reaper; vhost53 and seqcount_callrcu read through a stale mapping when
# two invalidations overlap (the second finds the map gone and does not
# wait for readers), and replaying that schedule shows it again;
# otherwise, within preemption bound 1, they are safe.
#   tests/history_verdicts.sh MNBENCH_MODEL
set -u
model=$1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
explore() { "$model" --explore --strategy "$1" --load "$2" --bound "$3"; }

for s in spinlock seqcount_callrcu vhost53; do
	explore "$s" oom 0 | grep -q '^rule broken: contract: .*invalidate_range_start failed but the notifier has invalidate_range_end' ||
		fail "$s/oom: the broken contract was not found"
done
for s in seqcount_callrcu vhost53; do
	out=$(explore "$s" zap 1)
	rule=$(printf '%s\n' "$out" | grep '^rule broken: stale_access: worker')
	[ -n "$rule" ] || { fail "$s/zap: no stale access found"; continue; }
	sched=$(printf '%s\n' "$out" | sed -n "s/^replay: .*--replay '\([^']*\)'.*/\1/p")
	again=$("$model" --explore --strategy "$s" --load zap --invalidators 2 \
		--replay "$sched" | grep '^rule broken:')
	[ "$again" = "$rule" ] || fail "$s/zap: replaying '$sched' gave '$again'"
	echo "$s/zap: $rule (schedule $sched)"
done
for case in spinlock/ksm spinlock/cow spinlock/zap seqcount_callrcu/ksm \
	    seqcount_callrcu/cow vhost53/ksm vhost53/cow; do
	explore "${case%/*}" "${case#*/}" 1 |
		grep -q '^verdict: safe (.*explored exhaustively to preemption bound 1' ||
		fail "$case: not safe within bound 1"
done
[ $fails -eq 0 ] || exit 1
echo "history verdicts: as documented"
