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
