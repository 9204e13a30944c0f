#!/bin/sh
# mnbench's cases and counters are those of the committed reference run:
# scripts/ and earlier runs rely on the names.
#   output_names.sh MNBENCH
set -u
bin=$1
. "$(dirname "$0")/checks.sh"
py=$(command -v python3) || { echo "skipped: no python3"; exit 77; }

# The reference ran the quick matrix of every strategy but test-only ones.
check_exit 0 "--quick --list" "$bin" --quick --list
# noise/ (the A/A pairs) may be newer than the reference run.
$py "$top/tests/check_names.py" cases "$ref/mnbench.json" "$tmp/out" noise ||
	fail "case names differ from the reference run"
check_exit 0 "one case of each kind" "$bin" --quick --seconds 0.1 \
	--repetitions 1 --out "$tmp/run.json" \
	--benchmark_filter='^(fastpath/unsafe|harness/overhead|throughput/counter/ksm/vqs:1/|sweep/vqs/counter/zap/vqs:1/)'
$py "$top/tests/check_names.py" counters "$ref/mnbench.json" "$tmp/run.json" ||
	fail "counter names differ from the reference run"
finish
