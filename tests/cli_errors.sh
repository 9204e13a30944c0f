#!/bin/sh
# Every program and script refuses a missing value, a bad value, an
# unknown flag and an output it cannot write with exit status 2 and a
# message that names the argument, before any long work: nothing is
# built into a VM, run or written (the commands would take minutes
# otherwise, and the hang guard below would fail them).
#   tests/cli_errors.sh BUILD_DIR
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
b=${1:-$top/build}
bad=/etc/hostname/x	# under a regular file: no one can write there
fails=0 n=0

# expect WORD COMMAND...: exit 2, and WORD in what it printed.
expect() {
	word=$1
	shift
	n=$((n + 1))
	msg=$(timeout 300 "$@" 2>&1 </dev/null)
	rc=$?
	if [ $rc -ne 2 ]; then
		echo "FAIL: $*: exit $rc, not 2"
		fails=$((fails + 1))
	elif ! printf '%s' "$msg" | grep -qF -- "$word"; then
		echo "FAIL: $*: the message does not name '$word':"
		printf '%s\n' "$msg" | head -3
		fails=$((fails + 1))
	fi
}

for prog in "$b/bench/mnbench" "$b/bench/mnbench-module"; do
	expect --out "$prog" --out
	expect --bogus "$prog" --bogus
	expect "$bad" "$prog" --out "$bad"
done
expect --repetitions "$b/bench/mnbench" --repetitions abc
expect --buffers "$b/bench/mnbench-module" --buffers abc
m=$b/bench/mnbench-model
expect --seconds "$m" --seconds
expect --seconds "$m" --seconds abc
expect --bogus "$m" --bogus
expect "$bad" "$m" --output "$bad"
for prog in "$b/tests/mnbench-module-fuzz" "$b/tests/mnbench-module-hostile"; do
	expect --device "$prog" --device
	expect --bogus "$prog" --bogus
done
expect "'abc'" "$b/tests/mnbench-module-fuzz" abc

s=$top/scripts
expect --out "$s/run" --out
expect --bogus "$s/run" --bogus
expect "$bad" "$s/run" --out "$bad"
expect --repetitions "$s/run" --repetitions abc
expect RUN_DIR "$s/plot"
expect --bogus "$s/plot" --bogus
expect /no/such/run "$s/plot" /no/such/run
expect RUN_DIR "$s/summarize"
expect --bogus "$s/summarize" --bogus
ref=$top/results/reference-2core-vm
expect --out "$s/compare" "$ref" "$ref" --out
expect --threshold "$s/compare" "$ref" "$ref" --threshold abc
expect --bogus "$s/compare" "$ref" "$ref" --bogus
expect "$bad" "$s/compare" "$ref" "$ref" --out "$bad"
expect --kernel "$s/vm-run" --kernel
expect 9.9 "$s/vm-run" --kernel 9.9 -- true
expect --memory "$s/vm-run" --memory abc -- true
expect --timeout "$s/vm-run" --timeout abc -- true
expect --bogus "$s/vm-run" --bogus
expect "$bad" "$s/vm-run" --out "$bad" -- true
expect --cache "$s/fetch-kernel" --cache
expect --bogus "$s/fetch-kernel" --bogus
expect 9.9 "$s/fetch-kernel" 9.9
expect --bogus "$s/install-deps" --bogus
expect --bogus "$s/index-results" --bogus
expect --jobs "$s/build-debug-kernel" --jobs
expect --jobs "$s/build-debug-kernel" --jobs abc
expect --bogus "$s/build-debug-kernel" --bogus
expect "$bad" "$s/build-debug-kernel" --cache "$bad"
expect --pins "$s/kernel-log-check" --pins
expect --bogus "$s/kernel-log-check" --bogus
expect /no/such/log "$s/kernel-log-check" /no/such/log
expect --out "$s/verdict-matrix" --out
expect --seconds "$s/verdict-matrix" --seconds abc
expect --bogus "$s/verdict-matrix" --bogus
expect "$bad" "$s/verdict-matrix" --out "$bad"
expect --jobs "$s/test" --jobs
expect --jobs "$s/test" --jobs abc
expect --bogus "$s/test" --bogus

[ $fails -eq 0 ] || { echo "FAIL: $fails of $n"; exit 1; }
echo "PASS: $n refusals, each exit 2 naming the argument"
