#!/bin/sh
# mnbench's A/A pairs: a noise/ case per load, named as the decision
# reads it; --noise-strategy chooses or refuses; --decision-repetitions
# gives the decision's cases their own count.
#   noise_cases.sh MNBENCH
set -u
bin=$1
. "$(dirname "$0")/checks.sh"
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3) || { echo "skipped: no python3"; exit 77; }
check="$py $top/tests/check_noise_cases.py"

check_exit 0 "default --list" "$bin" --quick --list
$check "$tmp/out" - || fail "default matrix: noise cases"
grep -q "about [0-9]* s" "$tmp/err" || fail "--list prints no estimate"
check_exit 0 "full --list" "$bin" --list
$check "$tmp/out" - || fail "full matrix: noise cases"

check_exit 0 "--noise-strategy uaccess" "$bin" --quick --list \
	--noise-strategy uaccess
$check "$tmp/out" uaccess || fail "--noise-strategy uaccess not used"
check_exit 0 "one load" "$bin" --quick --list --loads ksm \
	--strategies counter,interval --noise-strategy interval
$check "$tmp/out" interval || fail "--loads ksm: noise cases"
[ "$(grep -c '^noise/' "$tmp/out")" -eq 1 ] || fail "--loads ksm: not one noise case"
check_exit 0 "--noise-strategy none" "$bin" --quick --list --noise-strategy none
! grep -q '^noise/' "$tmp/out" || fail "--noise-strategy none still has noise cases"
check_exit 0 "only unsafe strategies" "$bin" --quick --list --strategies mutex
! grep -q '^noise/' "$tmp/out" || fail "a noise case of a known unsafe strategy"

check_exit 2 "known unsafe" "$bin" --list --noise-strategy mutex
grep -q "known unsafe" "$tmp/err" || fail "known unsafe: no reason given"
check_exit 2 "not in --strategies" "$bin" --list --strategies counter \
	--noise-strategy interval
grep -q "not one of --strategies" "$tmp/err" || fail "not in --strategies: no reason"
check_exit 2 "unknown strategy" "$bin" --list --noise-strategy nosuch
check_exit 2 "zero repetitions" "$bin" --list --decision-repetitions 0
"$bin" --help | grep -q -- "--noise-strategy" || fail "--help: no --noise-strategy"
"$bin" --help | grep -q -- "--decision-repetitions" || fail "--help: no --decision-repetitions"

# Different counts interleave: the decision's cases and a known unsafe one.
check_exit 0 "a run of two counts" "$bin" --quick --seconds 0.01 \
	--repetitions 2 --decision-repetitions 3 --out "$tmp/run.json" \
	--benchmark_filter='^(throughput/mutex/none|noise/counter/none|throughput/counter/none)/'
$check --runs "$tmp/run.json" throughput/mutex/none/vqs:1=2 \
	noise/counter/none/vqs:1=3 throughput/counter/none/vqs:1=3 ||
	fail "repetitions per case"
grep -q "noise/counter/none/vqs:1, repetition 3/3" "$tmp/err" ||
	fail "progress does not count the case's own repetitions"
finish
