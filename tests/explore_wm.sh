#!/bin/sh
# mnbench-model --explore --memory-model: the option and its errors; sc
# is the default and the explorer it always was; under lkmm the default
# choice of every read is the SC one (the same trace, less its
# reads-from lines), a counterexample names the write each read read
# from and --replay reproduces it exactly, choices included; DPOR and
# the bounded search agree on the verdicts of small cells under sc, tso
# and lkmm.
set -u
bin=$1
. "$(dirname "$0")/checks.sh"

# The option.
check_exit 2 "an unknown model" "$bin" --explore --memory-model arm
grep -q 'memory-model' "$tmp/err" || fail "the error does not name the option"
check_exit 2 "a model without --explore" "$bin" --memory-model lkmm
check_exit 0 "--help" "$bin" --help
grep -q -- '--memory-model sc|tso|lkmm' "$tmp/out" || fail "--help has no --memory-model"
for m in sc tso lkmm; do
	check_exit 0 "counter under $m" "$bin" --explore --strategy counter \
		--load zap --bound 0 --memory-model "$m" --format json \
		--output "$tmp/m.json"
	[ "$(json_field "$tmp/m.json" memory_model)" = "$m" ] ||
		fail "the JSON does not say $m"
	json_field "$tmp/m.json" how | grep -q "safe under $m, bound 0" ||
		fail "the verdict does not say under which model ($m)"
done
check_exit 0 "the default" "$bin" --explore --strategy counter --load zap \
	--bound 0 --format json --output "$tmp/d.json"
[ "$(json_field "$tmp/d.json" memory_model)" = sc ] || fail "sc is not the default"

# Choice 0 is SC: the default schedule under lkmm is the SC execution.
for m in sc lkmm; do
	check_exit 0 "default replay, $m" "$bin" --explore --strategy counter \
		--load ksm --memory-model "$m" --replay -
	sed -n '/^trace/,$p' "$tmp/out" | grep -v 'reads-from' >"$tmp/default.$m"
done
cmp -s "$tmp/default.sc" "$tmp/default.lkmm" ||
	fail "the default schedule under lkmm is not the SC execution"
grep -q 'reads-from' "$tmp/out" || fail "no read says what it read from"

# A counterexample under lkmm: its reads-from lines replay exactly.
check_exit 0 "unsafe under lkmm" "$bin" --explore --strategy unsafe \
	--load zap --bound 1 --memory-model lkmm --format json \
	--output "$tmp/u.json"
[ "$(json_field "$tmp/u.json" verdict)" = unsafe ] || fail "unsafe/zap not found under lkmm"
sched=$(json_field "$tmp/u.json" counterexample.schedule)
json_field "$tmp/u.json" counterexample.trace >"$tmp/trace.0"
grep -q "reads-from .*'s write at step" "$tmp/trace.0" ||
	fail "the counterexample does not say which write each read read from"
for i in 1 2 3; do
	check_exit 0 "replay $i" "$bin" --explore --strategy unsafe --load zap \
		--memory-model lkmm --replay "$sched" --format json \
		--output "$tmp/r.json"
	json_field "$tmp/r.json" counterexample.trace >"$tmp/trace.$i"
	cmp -s "$tmp/trace.0" "$tmp/trace.$i" || fail "replay $i gave another trace"
done

# A schedule with a memory-model choice: a read that could read an
# older write (its trace line names the decision) is told to, and reads
# it; that schedule replays exactly too.
check_exit 0 "a preemption under lkmm" "$bin" --explore --strategy seqcount \
	--load oom --memory-model lkmm --replay 0:1
k=$(sed -n 's/.*allowed, decision \([0-9]*\)).*/\1/p' "$tmp/out" | head -n 1)
if [ -z "$k" ]; then
	fail "no read of seqcount/oom has a choice under lkmm"
else
	"$bin" --explore --strategy seqcount --load oom --memory-model lkmm \
		--replay "0:1,$k:1" >"$tmp/c.1"
	grep -q "reads-from init's write.*allowed, decision $k)" "$tmp/c.1" ||
		fail "decision $k:1 did not read the older write"
	"$bin" --explore --strategy seqcount --load oom --memory-model lkmm \
		--replay "0:1,$k:1" >"$tmp/c.2"
	cmp -s "$tmp/c.1" "$tmp/c.2" || fail "a weak read replayed otherwise"
fi

# DPOR agrees with the bounded search on small cells: the unsafe one and
# the worker alone (one thread: one schedule, exhaustive), every model.
for m in sc tso lkmm; do
	for s in bounded dpor; do
		check_exit 0 "unsafe/zap, $s, $m" "$bin" --explore --search "$s" \
			--strategy unsafe --load zap --invalidators 1 --bound 2 \
			--memory-model "$m" --format json --output "$tmp/a.$s"
		v=$(json_field "$tmp/a.$s" verdict)
		[ "$v" = unsafe ] || fail "$s under $m: unsafe/zap is $v"
		check_exit 0 "counter/none, $s, $m" "$bin" --explore --search "$s" \
			--strategy counter --load none --memory-model "$m" \
			--format json --output "$tmp/b.$s"
		[ "$(json_field "$tmp/b.$s" verdict)" = safe ] ||
			fail "$s under $m: counter/none unsafe"
		[ "$(json_field "$tmp/b.$s" exhaustive)" = true ] ||
			fail "$s under $m: counter/none not exhaustive"
	done
	# DPOR's counterexample is a schedule the ordinary replay runs.
	sched=$(json_field "$tmp/a.dpor" counterexample.schedule)
	check_exit 0 "dpor's schedule, $m" "$bin" --explore --strategy unsafe \
		--load zap --invalidators 1 --memory-model "$m" --replay "$sched" \
		--format json --output "$tmp/ra.json"
	[ "$(json_field "$tmp/ra.json" verdict)" = unsafe ] ||
		fail "DPOR's counterexample under $m does not replay"
done
finish
