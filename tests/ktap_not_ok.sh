#!/bin/sh
# The module's test programs print KTAP, and a failing case is a "not ok"
# line, a kselftest failure status and a failed check (tests/ktap_check.sh,
# which the VM tests use): mnbench-module-hostile against /dev/null, where
# every ioctl is ENOTTY, fails every case; with no device at all it skips.
# The checker's other rules are tried on constructed documents.
#   tests/ktap_not_ok.sh BUILD_DIR
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
check=$top/tests/ktap_check.sh
hostile=$build/tests/mnbench-module-hostile
fuzz=$build/tests/mnbench-module-fuzz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ulimit -c 0	# each failed ASSERT aborts its case's process

# The real program, every case failing.
"$hostile" --device /dev/null >"$tmp/out"
rc=$?
[ $rc -eq 1 ] || fail "hostile on /dev/null exited $rc, not 1 (kselftest's fail)"
head -n1 "$tmp/out" | grep -qx 'TAP version 13' || fail "no KTAP version line"
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tmp/out")
notok=$(grep -c '^not ok [0-9]* [a-z_.]*$' "$tmp/out")
[ -n "$plan" ] && [ "$plan" -gt 0 ] || fail "no plan"
[ "$notok" = "$plan" ] || fail "$notok 'not ok' lines for a plan of $plan"
grep -q '^not ok 1 ring\.setup_read_only$' "$tmp/out" ||
	fail "the first case is not named 'ring.setup_read_only'"
grep -q '^# .*setup_read_only:Expected EFAULT' "$tmp/out" ||
	fail "no diagnostic line for a failed expectation"
sh "$check" hostile -- "$hostile" --device /dev/null >"$tmp/check"
rc=$?
[ $rc -eq 1 ] || fail "ktap_check accepted a run of 'not ok' cases (exit $rc)"
grep -q "^hostile: not ok 1 ring.setup_read_only$" "$tmp/check" ||
	fail "ktap_check does not name the failing case"
grep -q "^hostile: FAIL: $plan of $plan not ok$" "$tmp/check" ||
	fail "ktap_check's verdict is not '$plan of $plan not ok'"

# No device: the whole program skips, as a kselftest without its feature.
"$hostile" --device "$tmp/no-such-device" >"$tmp/out"
rc=$?
[ $rc -eq 4 ] || fail "hostile without a device exited $rc, not 4 (skip)"
grep -q '^1\.\.0 # SKIP cannot open' "$tmp/out" || fail "no '1..0 # SKIP' plan"
sh "$check" hostile -- "$hostile" --device "$tmp/no-such-device" >/dev/null
rc=$?
[ $rc -eq 77 ] || fail "ktap_check on a skipped program exited $rc, not 77"

# A passing run: the fuzzer's one case survives ENOTTY on every ioctl.
sh "$check" fuzz -- "$fuzz" --device /dev/null 100 >"$tmp/check"
rc=$?
[ $rc -eq 0 ] || { fail "a passing fuzz run failed the check (exit $rc)"; cat "$tmp/check"; }

# expect STATUS WORD DOC: the checker on DOC (a printf format) exits
# STATUS, saying WORD.
expect() {
	printf "$3" >"$tmp/doc"
	sh "$check" doc "$tmp/doc" >"$tmp/check"
	rc=$?
	if [ $rc -ne "$1" ] || ! grep -qF -- "$2" "$tmp/check"; then
		fail "constructed document: exit $rc (not $1), or no '$2' in:"
		cat "$tmp/check"
	fi
}
expect 0 'all 2 ok' 'TAP version 13\n1..2\nok 1 a\nok 2 b # SKIP why\n'
expect 1 'doc: not ok 2 b' 'TAP version 13\n1..2\nok 1 a\nnot ok 2 b\n'
expect 1 '2 results for a plan of 3' 'TAP version 13\n1..3\nok 1 a\nok 2 b\n'
expect 1 'Bail out! gone' 'TAP version 13\n1..1\nBail out! gone\n'
expect 1 '0 plans' 'TAP version 13\nok 1 a\n'
expect 1 'no KTAP version line' '1..1\nok 1 a\n'
expect 0 'all 1 ok' 'TAP version 13\n1..1\n  not ok 1 sub\nok 1 a\n'
expect 77 'SKIP: # SKIP no device' 'KTAP version 1\n1..0 # SKIP no device\n'

[ $fails -eq 0 ] || { echo "FAIL: $fails check(s)"; exit 1; }
echo "PASS: a failing case is 'not ok', exit 1 and a failed check"
