#!/bin/sh
# The verdict on one KTAP document (as kselftests print it): it passes
# only with a version line, a plan "1..N" and N top-level results, none
# "not ok" and no "Bail out!". Each "not ok" line is printed.
#   tests/ktap_check.sh NAME FILE            check FILE ("-": stdin)
#   tests/ktap_check.sh NAME -- COMMAND...   run COMMAND, check its stdout,
#                                            and that its exit status is
#                                            kselftest's for that verdict
# Exit status: 0 passed, 1 failed or malformed, 77 the whole document
# was skipped ("1..0 # SKIP", exit 4 from a command), 2 bad arguments.
set -u
usage() {
	sed -n '2,10s/^# \{0,1\}//p' "$0"
}
case ${1:-} in
-h|--help) usage; exit 0 ;;
'') echo "ktap_check: NAME is missing" >&2; usage >&2; exit 2 ;;
esac
name=$1
[ $# -ge 2 ] || { echo "ktap_check: FILE or -- COMMAND is missing" >&2; exit 2; }
shift
status=
if [ "$1" = -- ]; then
	shift
	[ $# -gt 0 ] || { echo "ktap_check: no COMMAND after --" >&2; exit 2; }
	doc=$(mktemp)
	trap 'rm -f "$doc"' EXIT
	# A kselftest's failed ASSERT aborts its case's process: no cores.
	ulimit -c 0
	"$@" >"$doc"
	status=$?
	cat "$doc"
elif [ "$1" = - ] || [ -r "$1" ]; then
	doc=$1
else
	echo "ktap_check: cannot read '$1'" >&2
	exit 2
fi

# Only top-level lines count: a subtest's are indented.
awk -v name="$name" '
/^(K?TAP) version [0-9]+$/ { version = 1; next }
/^1\.\.[0-9]+/ {
	plans++
	plan = substr($1, 4) + 0
	if ($0 ~ /# *SKIP/)
		skipped = $0
	next
}
/^not ok [0-9]+/ {
	results++
	bad++
	print name ": " $0
	next
}
/^ok [0-9]+/ { results++; next }
/^Bail out!/ { bail = $0 }
END {
	if (!version)
		why = "no KTAP version line"
	else if (plans != 1)
		why = plans + 0 " plans, not one"
	else if (bail != "")
		why = bail
	else if (results != plan)
		why = results " results for a plan of " plan
	else if (bad)
		why = bad " of " plan " not ok"
	if (why != "") {
		print name ": FAIL: " why
		exit 1
	}
	if (plan == 0 && skipped != "") {
		print name ": SKIP: " substr(skipped, index(skipped, "#"))
		exit 77
	}
	print name ": all " plan " ok"
}' "$doc"
verdict=$?
[ -n "$status" ] || exit $verdict
# kselftest's exit codes: 0 pass, 1 fail, 4 skip.
case $verdict:$status in
0:0|1:1) exit $verdict ;;
77:4) exit 77 ;;
esac
echo "$name: FAIL: exit status $status does not match the KTAP verdict"
exit 1
