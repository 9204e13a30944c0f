#!/bin/sh
# Under lkmm the shipped seqcount is safe and seqcount_retry_no_rmb (the
# read section's read_seqcount_retry() without its smp_rmb()) is killed,
# in the same cells; under sc the mutant survives them, so it is the
# memory model that kills it. The counterexample is the one the barrier
# forbids: the worker's check read the zapped pte and its re-read of
# the sequence then read the initial, even count.
set -u
model=$1
mutants=$2
. "$(dirname "$0")/checks.sh"

for cell in "oom 1" "zap 2"; do
	set -- $cell
	load=$1 inv=$2
	check_exit 0 "seqcount, $load, $inv" "$model" --explore \
		--strategy seqcount --load "$load" --invalidators "$inv" \
		--bound 1 --memory-model lkmm --format json \
		--output "$tmp/s.json"
	[ "$(json_field "$tmp/s.json" verdict)" = safe ] ||
		fail "seqcount is not safe under lkmm on $load, $inv"
	[ "$(json_field "$tmp/s.json" exhaustive)" = true ] ||
		fail "seqcount on $load, $inv: not exhaustive"

	check_exit 0 "retry_no_rmb, $load, $inv, lkmm" "$mutants" --explore \
		--mutant seqcount_retry_no_rmb --memory-model lkmm \
		--load "$load" --invalidators "$inv" --bound 1 --trace
	grep -q '^seqcount_retry_no_rmb  *found after' "$tmp/out" ||
		fail "retry_no_rmb not killed under lkmm on $load, $inv"
	grep -q 'stale_access' "$tmp/out" ||
		fail "retry_no_rmb on $load, $inv: not a stale access"
	# The trace's last re-read before the violation read the initial
	# count, after a check that read a pte the invalidation set.
	sed -n '/oracle reports/q;p' "$tmp/out" >"$tmp/cx"
	grep 'pte of page' "$tmp/cx" | tail -n 1 | grep -q "inval-" ||
		fail "retry_no_rmb on $load, $inv: the check read no new pte"
	tail -n 1 "$tmp/cx" | grep -q "reads-from init's write" ||
		fail "retry_no_rmb on $load, $inv: the re-read is not the old count"

	check_exit 1 "retry_no_rmb, $load, $inv, sc" "$mutants" --explore \
		--mutant seqcount_retry_no_rmb --memory-model sc \
		--load "$load" --invalidators "$inv" --bound 1
	grep -q 'NOT FOUND.*exhaustive' "$tmp/out" ||
		fail "retry_no_rmb under sc on $load, $inv: not searched through"
done
finish
