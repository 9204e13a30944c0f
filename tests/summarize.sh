#!/bin/sh
# scripts/summarize on the committed reference run and on edited copies:
# the table covers every strategy and load (a strategy refused under all
# loads in one row); the decision names only
# strategies the oracle found safe, uses the module's numbers only
# when they are real (module on the host, not under TCG or in a VM), and a
# strategy with one unsafe repetition drops out; a directory that is not a
# run is refused with status 2.
set -u
. "$(dirname "$0")/checks.sh"
quiet_reference

# edit RUN FILE CASE FIELD FACTOR [drop-tcg]: scale one case's iterations.
edit() {
	python3 - "$@" <<'PY'
import json, sys
run, name, case, field, factor = sys.argv[1:6]
path = f"{run}/{name}"
d = json.load(open(path))
if len(sys.argv) > 6:
    # As on a real host: neither the module's context nor host.json says
    # TCG or a hypervisor.
    d["context"].pop("timings", None)
    d["context"].pop("hypervisor", None)
    try:
        host = json.load(open(f"{run}/host.json"))
        host.update(virtualization=None, tcg=False)
        json.dump(host, open(f"{run}/host.json", "w"))
    except FileNotFoundError:
        pass
n = 0
for b in d["benchmarks"]:
    if b["name"].startswith(case + "/") and b.get("run_type") == "iteration":
        b[field] = b[field] * float(factor)
        n += 1
        if field == "verdict_safe":
            break  # one repetition is enough to make a case unsafe
assert n, case
json.dump(d, open(path, "w"))
PY
}

recommended() {	# recommended RUN LOAD: the strategies the decision names
	line=$(sed -n "s/^- \*\*$2\*\*: //p" "$1/summary.md")
	case $line in
	"use "*) printf '%s\n' "$line" | sed 's/^use \([a-z_0-9]*\).*/\1/' ;;
	*": a tie within"*) printf '%s\n' "${line%%: a tie*}" | sed 's/ or /\n/g' ;;
	*) printf '%s\n' "${line%%:*}" ;;	# undecided, not known
	esac
}

cp -r "$ref" "$tmp/ref"
"$top/scripts/summarize" "$tmp/ref" || fail "summarize exited $?"
md=$tmp/ref/summary.md
for s in counter seqcount uaccess unsafe; do
	for l in none ksm cow mixed; do
		grep -q "^| $s | $l | [0-9]" "$md" ||
			fail "no model row for $s under $l"
	done
done
[ "$(grep -m1 '^## ' "$md")" = "## Decision" ] || fail "the decision is not the headline"
# A strategy the module refused under every load is one row, and the
# reason is written once, under the table.
[ "$(grep -c '^| mutex | none, ksm, cow, mixed | skipped \[1\] |' "$md")" -eq 1 ] ||
	fail "the refused mutex is not one row with its reason's number"
[ "$(grep -c 'the module refused it' "$md")" -eq 1 ] ||
	fail "the module's reason for refusing is not written exactly once"
# Only a strategy strategy_list.h does not know to be unsafe.
safe=$(sed -n 's/^MN_STRATEGY(\([a-z_0-9]*\), \(.*\))$/\1 \2/p' \
	"$top/strategies/strategy_list.h" | grep -v MN_KNOWN_UNSAFE | cut -d' ' -f1)
for l in none ksm cow mixed; do
	r=$(recommended "$tmp/ref" $l)
	[ -n "$r" ] || fail "load $l: no decision"
	for name in $r; do
		[ "$name" = undecided ] || printf '%s\n' $safe undecided | grep -qx "$name" ||
			fail "load $l: '$name' recommended, not one of:" $safe
	done
done
grep -q "^Decided by the model's buffers/s" "$md" ||
	fail "a TCG module run must not decide"

# The module ran on the host: its numbers decide, uaccess 10x faster.
cp -r "$ref" "$tmp/host"
edit "$tmp/host" module.json throughput/uaccess/cow/vqs:1 items_per_second 10 drop-tcg
"$top/scripts/summarize" "$tmp/host" || fail "summarize exited $?"
grep -q "^Decided by the kernel module's buffers/s" "$tmp/host/summary.md" ||
	fail "real module numbers do not decide"
[ "$(recommended "$tmp/host" cow)" = uaccess ] ||
	fail "cow: '$(recommended "$tmp/host" cow)', wanted uaccess"

# The same numbers under TCG rank nothing.
cp -r "$ref" "$tmp/tcg"
edit "$tmp/tcg" module.json throughput/uaccess/cow/vqs:1 items_per_second 10
"$top/scripts/summarize" "$tmp/tcg" || fail "summarize exited $?"
[ "$(recommended "$tmp/tcg" cow)" = "$(recommended "$tmp/ref" cow)" ] ||
	fail "emulated module timings changed the recommendation"

# A load that never hit the rings ranks nothing for that strategy.
cp -r "$ref" "$tmp/missed"
edit "$tmp/missed" mnbench.json throughput/counter/cow/vqs:1 overlapping_invalidations 0
"$top/scripts/summarize" "$tmp/missed" || fail "summarize exited $?"
grep -q '^| counter | cow | .* NEVER ' "$tmp/missed/summary.md" ||
	fail "a case that never hit the rings is not marked"
sed -n '/^- \*\*cow\*\*/,/^- \*\*/p' "$tmp/missed/summary.md" |
	grep -q '^  - left out: counter: the load never hit its rings' ||
	fail "a case that never hit the rings is not named as left out"
recommended "$tmp/missed" cow | grep -qx counter &&
	fail "cow: counter ranked though its load never hit the rings"

# One unsafe repetition of counter under cow: counter is out everywhere.
cp -r "$ref" "$tmp/unsafe"
edit "$tmp/unsafe" mnbench.json throughput/counter/cow/vqs:1 verdict_safe 0
"$top/scripts/summarize" "$tmp/unsafe" || fail "summarize exited $?"
grep -q '^| counter | cow | .*UNSAFE' "$tmp/unsafe/summary.md" ||
	fail "the edited case is not marked UNSAFE"
grep -q '^Decided by .*Never recommended .*: .*counter' "$tmp/unsafe/summary.md" ||
	fail "counter is not listed as excluded"
for l in none ksm cow mixed; do
	recommended "$tmp/unsafe" $l | grep -qx counter &&
		fail "load $l: counter recommended though unsafe under cow"
done

# The results index: one line per run directory, with what the run says.
mkdir -p "$tmp/results"
cp -r "$tmp/unsafe" "$tmp/results/run-a"
cp -r "$ref" "$tmp/results/run-b"
"$top/scripts/index-results" "$tmp/results" || fail "index-results exited $?"
idx=$tmp/results/index.md
[ "$(grep -c '^| 20' "$idx")" -eq 2 ] || fail "index.md has not one line per run"
awk -F'|' '/\[run-a\]/ { print $7 }' "$idx" | grep -q 'counter' ||
	fail "index.md does not list counter as unsafe in run-a"
rev=$(json_field "$ref/metadata.json" git_revision)
[ -n "$rev" ] || fail "the reference run's metadata.json has no git_revision"
grep '\[run-b\]' "$idx" | grep -qF "$rev" ||
	fail "index.md lacks run-b's git revision"

"$top/scripts/summarize" "$tmp" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a directory without mnbench.json is not refused"
"$top/scripts/summarize" >/dev/null 2>&1
[ $? -eq 2 ] || fail "summarize without arguments is not refused"

finish
