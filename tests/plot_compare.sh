#!/bin/sh
# scripts/plot and scripts/compare on the committed reference run and on a
# copy with one case's throughput changed: the outputs exist, are real
# PNG/SVG files, and the comparison flags the changed case and no other.
set -u
. "$(dirname "$0")/checks.sh"
quiet_reference

cp -r "$ref" "$tmp/base"
rm -rf "$tmp/base/plots"
"$top/scripts/plot" "$tmp/base" >"$tmp/plot.out" 2>"$tmp/plot.err" || fail "plot exited $?"
! grep -q 'Skipping data file' "$tmp/plot.err" || fail "gnuplot skipped an empty data file"
for kind in throughput latency-ksm latency-cow scaling-vqs module-throughput; do
	png=$tmp/base/plots/$kind.png svg=$tmp/base/plots/$kind.svg
	[ -s "$png" ] || { fail "$kind.png missing or empty"; continue; }
	head -c 8 "$png" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' || fail "$kind.png is not a PNG"
	[ -s "$svg" ] && grep -q '<svg' "$svg" || fail "$kind.svg is not an SVG"
done

# The data behind the plots: medians with min..max whiskers, as the
# tables; the latency spectrum on HdrHistogram's 1/(1 - q) axis.
rm -rf "$tmp/data-run" && cp -r "$ref" "$tmp/data-run"
"$top/scripts/plot" --data "$tmp/data-run" >/dev/null 2>&1 || fail "plot --data exited $?"
/usr/bin/python3 - "$tmp/data-run" "$top/scripts" <<'PY' || fail "plot data do not match the run"
import os, sys
sys.path.insert(0, sys.argv[2])
from mnbench.results import Run, loads_of
run = Run(sys.argv[1])
data = os.path.join(sys.argv[1], "plots", "data")
loads = loads_of(run.throughput())
bad, checked = [], 0
# One verdict per strategy: unsafe under any load, drawn unsafe on all.
unsafe = {c.strategy for c in run.cases.values() if c.runs and c.safe() is False}
for c in run.throughput():
    if not c.runs:
        continue
    path = os.path.join(data, f"throughput-{c.strategy}-{int(c.strategy in unsafe)}.dat")
    rows = [l.split() for l in open(path)]
    row = [r for r in rows if round(float(r[0])) == loads.index(c.load)]
    if len(row) != 1:
        bad.append(f"{c.name}: {len(row)} rows")
        continue
    med, lo, hi = map(float, row[0][1:4])
    v = c.values()
    if abs(med - c.median()) > 1e-5 * c.median() or lo != float(f"{min(v):.6g}") \
            or hi != float(f"{max(v):.6g}"):
        bad.append(f"{c.name}: {med} {lo} {hi} vs median {c.median()} min {min(v)} max {max(v)}")
    checked += 1
for name in os.listdir(data):
    if not name.startswith("lat-"):
        continue
    pts = [tuple(map(float, l.split())) for l in open(os.path.join(data, name))]
    for x, y, q in pts:
        want = 1e4 if q >= 100 else 1 / (1 - q / 100)
        if abs(x - want) > 1e-3 * want:
            bad.append(f"{name}: percentile {q} at x {x}, not {want}")
    if [p[1] for p in pts] != sorted(p[1] for p in pts):
        bad.append(f"{name}: latency falls with the percentile")
    # With the full histograms, a spectrum, not the 9 percentile counters.
    counters = {10, 25, 50, 75, 90, 95, 99, 99.9, 100}
    if os.path.exists(os.path.join(sys.argv[1], "mnbench-histograms.jsonl")) \
            and pts and all(p[2] in counters for p in pts):
        bad.append(f"{name}: only the percentile counters, not the histogram")
    checked += 1
print("\n".join(bad))
sys.exit(1 if bad or not checked else 0)
PY

# Not counter: it has an A/A twin, and changing one of the two would
# widen the noise floor the change is judged against.
changed=throughput/interval/ksm/vqs:1
cp -r "$tmp/base" "$tmp/new"
python3 - "$tmp/new/mnbench.json" "$changed" <<'PY'
import json, sys
path, case = sys.argv[1], sys.argv[2]
d = json.load(open(path))
n = 0
for b in d["benchmarks"]:
    if b["name"].startswith(case + "/") and b.get("run_type") == "iteration":
        b["items_per_second"] *= 1.5
        n += 1
assert n, case
d["context"]["host_name"] = "another-host"
json.dump(d, open(path, "w"), indent=2)
PY
"$top/scripts/compare" "$tmp/base" "$tmp/new" >"$tmp/compare.out" 2>/dev/null ||
	fail "compare exited $?"
dir=$tmp/new/compare-vs-base
txt=$dir/review.txt md=$dir/compare.md
[ -s "$txt" ] || fail "no review.txt"
[ -s "$md" ] || fail "no compare.md"
cmp -s "$txt" "$tmp/compare.out" || fail "stdout is not review.txt"
long=$(awk 'length($0) > 72' "$txt" | wc -l)
[ "$long" -eq 0 ] || fail "$long lines of review.txt are over 72 columns"
grep -q '^WARNING: the two runs come from different hosts (host_name: vm vs' "$txt" ||
	fail "review.txt does not warn that the hosts differ"
flagged=$(grep -cE ' \*!?$' "$txt")
[ "$flagged" -eq 1 ] || fail "$flagged cases flagged in review.txt, wanted 1"
grep -E ' \*!?$' "$txt" | grep -q "^interval/ksm " ||
	fail "the changed case is not the flagged one"
grep -q '+50.0%' "$txt" || fail "no +50.0% delta"
# Case rows only: the decisions' table may say a decision changed too.
flagged=$(grep -c '^| [^ |]*/[^ |]* |.*| \*\*changed' "$md")
[ "$flagged" -eq 1 ] || fail "$flagged cases flagged in compare.md, wanted 1"
# Images travel with the markdown: embedded, no file next to it needed.
imgs=$(grep -c '^!\[compare-[a-z_]*\](data:image/svg+xml;base64,' "$md")
[ "$imgs" -ge 1 ] || fail "compare.md embeds no image"
grep -q '^!\[[^]]*\]([^d]' "$md" && fail "compare.md links an image file"
# The worker's CPU per buffer is compared too: 20% more in one case only.
mkdir "$tmp/cost"
for run in base costly; do
	cp -r "$tmp/base" "$tmp/cost/$run"
	python3 - "$tmp/cost/$run/mnbench.json" "$changed" "$run" <<'PY'
import json, sys
path, case, run = sys.argv[1:]
d = json.load(open(path))
for b in d["benchmarks"]:
    if b.get("run_type") == "iteration" and b["name"].startswith("throughput/"):
        b["worker_cpu_ns_per_buffer"] = 1000.0 + b.get("repetition_index", 0)
        if run == "costly" and b["name"].startswith(case + "/"):
            b["worker_cpu_ns_per_buffer"] *= 1.2
json.dump(d, open(path, "w"), indent=2)
PY
done
"$top/scripts/compare" "$tmp/cost/base" "$tmp/cost/costly" >"$tmp/cost.out" 2>/dev/null ||
	fail "compare of costs exited $?"
grep -q '^Worker CPU per buffer' "$tmp/cost.out" || fail "no worker cost section"
grep -q 'flagged: interval/ksm (cost)$' "$tmp/cost.out" ||
	fail "the costlier case is not the one flagged: $(tail -2 "$tmp/cost.out")"
"$top/scripts/compare" "$tmp/base" "$tmp/new" >/dev/null 2>&1 && fail "compare overwrote its output"
"$top/scripts/compare" "$tmp/base" "$tmp/nonexistent" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a missing run is not refused with status 2"
"$top/scripts/plot" >/dev/null 2>&1; [ $? -eq 2 ] || fail "plot without arguments is not refused"

finish
