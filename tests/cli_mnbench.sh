#!/bin/sh
# Command-line behaviour of mnbench: help, refusals, the quick matrix,
# JSON that compare.py reads, atomic output when killed mid-way.
set -u
bin=$1
. "$(dirname "$0")/checks.sh"

check_exit 0 "--help" "$bin" --help
grep -q '^Usage: mnbench' "$tmp/out" || fail "no usage"
check_exit 2 "unknown strategy" "$bin" --strategies counter,bogus --list
grep -q "unknown strategy 'bogus'" "$tmp/err" || fail "message for unknown strategy"
check_exit 2 "unknown load" "$bin" --loads ksm,bogus --list
check_exit 2 "bad placement" "$bin" --placement cores,bogus --list
grep -q "unknown placement 'bogus'" "$tmp/err" || fail "message for bad placement"
check_exit 2 "bad seconds" "$bin" --seconds 0 --list
check_exit 2 "bad repetitions" "$bin" --repetitions x --list
check_exit 2 "unknown option" "$bin" --bogus
check_exit 2 "benchmark_out refused" "$bin" --benchmark_out=x.json
grep -q "use --out" "$tmp/err" || fail "no hint to use --out"

# Every strategy appears under every load in the quick matrix.
check_exit 0 "--quick --list" "$bin" --quick --list
for s in invalidate_range mutex counter seqcount uaccess unsafe; do
	grep -qx "fastpath/$s" "$tmp/out" || fail "no fastpath/$s"
	for l in none ksm cow mixed; do
		grep -qx "throughput/$s/$l/vqs:1" "$tmp/out" || fail "no throughput/$s/$l"
	done
done

# A small real run: valid JSON with ordered percentiles, read by compare.py.
check_exit 0 "small run" "$bin" --seconds 0.2 --repetitions 2 \
	--benchmark_filter='fastpath/unsafe|throughput/counter/ksm' \
	--out "$tmp/run.json"
[ -s "$tmp/run.json" ] || fail "no JSON written"
ls "$tmp" | grep -q '\.tmp\.' && fail "temporary file left behind"
py=/usr/bin/python3
if [ -x $py ]; then
	$py - "$tmp/run.json" <<'PY' || fail "JSON content"
import json, sys
d = json.load(open(sys.argv[1]))
names = {b["name"] for b in d["benchmarks"]}
assert any(n.startswith("fastpath/unsafe") for n in names), names
runs = [b for b in d["benchmarks"] if b["name"].startswith("throughput/counter/ksm")
        and b["run_type"] == "iteration"]
assert runs, names
for b in runs:
    assert b["inval_p50_ns"] <= b["inval_p99_ns"] <= b["inval_p999_ns"] <= b["inval_max_ns"], b
    # Structure and verdict only: how far a 0.2 s run gets depends on
    # the host's load and the build (sanitizers), so no progress is asserted.
    assert b["items_per_second"] >= 0 and b["verdict_safe"] == 1, b
for key in ("kernel", "cpu_model", "topology", "placement", "strategies",
            "git_revision", "build_type", "perf_absent"):
    assert key in d["context"], key
PY
	if $py -c 'import scipy' 2>/dev/null && [ -f /usr/share/benchmark/compare.py ]; then
		$py /usr/share/benchmark/compare.py benchmarks "$tmp/run.json" \
			"$tmp/run.json" >"$tmp/cmp" 2>&1 || { fail "compare.py"; cat "$tmp/cmp"; }
	else
		echo "note: compare.py or scipy missing, compare.py check not run"
	fi
fi

# Killed mid-way: nothing at the destination, no temporary file.
for sig in TERM KILL; do
	"$bin" --seconds 3 --repetitions 3 \
		--benchmark_filter='throughput/counter/none' \
		--out "$tmp/killed-$sig.json" >/dev/null 2>&1 &
	pid=$!
	sleep 1
	kill -$sig $pid
	wait $pid 2>/dev/null
	[ -e "$tmp/killed-$sig.json" ] && fail "SIG$sig left a partial file"
	ls "$tmp" | grep -q "killed-$sig.json.tmp" && fail "SIG$sig left a temporary file"
done

finish
