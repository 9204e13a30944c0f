#!/bin/sh
# Every JSON file the C programs write carries its schema_version
# (docs/results.md, "Schema versions"), read back with a JSON parser:
# mnbench-model's report and exploration (an integer at the top), and
# mnbench's Google Benchmark report (its context, a string as every
# context value) with its histograms' JSON lines (an integer per line).
# mnbench-module writes through the same code as mnbench; it needs
# /dev/mnbench, so vm/module-* checks its report in a guest.
#   schema_versions.sh MNBENCH MNBENCH_MODEL
set -u
mnbench=$1
model=$2
. "$(dirname "$0")/checks.sh"

# check_version FILE KEY WANT: the value at KEY is WANT, of WANT's JSON type.
check_version() {
	/usr/bin/python3 - "$@" <<'PY' || fail "$1: $2 is not $3"
import json, sys
path, key, want = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
v = json.load(open(path))
for k in key.split("."):
    v = v[k]
assert type(v) is type(want) and v == want, f"{key} = {v!r}"
PY
}

check_exit 0 "model run" "$model" --strategy counter --load none \
	--seconds 0.1 --format json --output "$tmp/model.json"
check_version "$tmp/model.json" schema_version 1

check_exit 0 "exploration" "$model" --explore --strategy counter --load zap \
	--bound 0 --format json --output "$tmp/explore.json"
check_version "$tmp/explore.json" schema_version 1

check_exit 0 "suite run" "$mnbench" --seconds 0.1 --repetitions 1 \
	--benchmark_filter='^throughput/counter/none/' --out "$tmp/run.json"
check_version "$tmp/run.json" context.schema_version '"1"'
[ -s "$tmp/run-histograms.jsonl" ] || fail "no histograms written"
/usr/bin/python3 - "$tmp/run-histograms.jsonl" <<'PY' || fail "histogram lines"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines
for n, line in enumerate(lines, 1):
    d = json.loads(line)
    assert type(d.get("schema_version")) is int and d["schema_version"] == 1, \
        f"line {n}: {line[:80]}"
PY

# The same context on stdout, without --out.
check_exit 0 "suite run, JSON on stdout" "$mnbench" --seconds 0.1 \
	--repetitions 1 --benchmark_filter='^throughput/counter/none/' \
	--benchmark_format=json
check_version "$tmp/out" context.schema_version '"1"'
finish
