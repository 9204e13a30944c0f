# Sourced by the shell tests: the source tree, the committed reference
# run, a scratch directory removed on exit, and counted checks.
top=$(cd "$(dirname "$0")/.." && pwd)
ref=$top/results/reference-2core-vm
tmp=$(mktemp -d)
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# check_exit STATUS WHAT COMMAND...: COMMAND exits with STATUS; its output
# is left in $tmp/out and $tmp/err for further checks.
check_exit() {
	want=$1 what=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || { fail "$what: exit $got, wanted $want"; cat "$tmp/err"; }
}

# The last line of a test: its status is the checks' verdict.
finish() {
	[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
	echo "all checks passed"
}

# json_field FILE KEY[.KEY...]: the value at that path of a JSON file, as
# text (true, false, null, objects and lists as JSON); status 1, saying
# why, if the file is not JSON or has no such key.
json_field() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
path, keys = sys.argv[1], sys.argv[2]
try:
    v = json.load(open(path))
    for k in keys.split("."):
        v = v[int(k)] if isinstance(v, list) else v[k]
except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
    sys.exit(f"json_field: {path}: no {keys} ({e!r})")
print(json.dumps(v) if isinstance(v, (bool, type(None), dict, list)) else v)
PY
}

# quiet_reference: $ref becomes a copy of the reference run with quiet
# timings (tests/quiet_run.py says why), for checks of what a known
# change does to a comparison or a decision.
quiet_reference() {
	rm -rf "$tmp/quiet-reference"
	cp -r "$ref" "$tmp/quiet-reference" &&
		/usr/bin/python3 "$top/tests/quiet_run.py" "$tmp/quiet-reference" ||
		{ echo "FAIL: tests/quiet_run.py failed"; exit 1; }
	ref=$tmp/quiet-reference
}
