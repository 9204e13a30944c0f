#!/bin/sh
# The module in a VM (scripts/vm-run): the safe strategies process a fixed
# number of buffers with none lost or corrupted under none, ksm and cow;
# the notifier sees ksm and cow; unsafe runs without hurting the kernel;
# rule-breaking strategies are refused; hostile ioctls, SIGKILL with the
# worker running and rmmod leave a clean log and balanced pins.
#   tests/vm_module.sh KERNEL    (6.1 or 6.12; exit 77 = skipped)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
kernel=${1:-6.1}
n=3000
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cmds="set -e
for s in counter seqcount uaccess; do for l in none ksm cow; do
	echo CASE \$s \$l
	mnbench-module --strategy \$s --load \$l --buffers $n --timeout 60
done; done
for l in none ksm cow; do
	echo CASE unsafe \$l
	mnbench-module --strategy unsafe --load \$l --buffers $n --timeout 10 || true
done
echo CASE refused
if mnbench-module --strategy mutex --buffers 10 2>/dev/null; then exit 1; fi
echo CASE fuzz
mnbench-module --fuzz 5000
echo CASE kill
mnbench-module --strategy counter --load cow --buffers 100000000 --timeout 60 >/dev/null &
pid=\$!
sleep 1
kill -9 \$pid
wait \$pid || true
echo CASE done"

"$top/scripts/vm-run" --kernel "$kernel" --timeout 900 --out "$out" -- "$cmds" >"$out/guest.txt"
status=$?
[ $status -eq 77 ] && exit 77
cat "$out/guest.txt"
[ $status -eq 0 ] || { echo "FAIL: vm-run exited $status"; exit 1; }
python3 - "$out/guest.txt" "$n" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
n = int(sys.argv[2])
fails = []
cases = re.split(r"^CASE ", text, flags=re.M)[1:]
seen = set()
for case in cases:
    head, _, body = case.partition("\n")
    seen.add(head.strip())
    parts = head.split()
    if len(parts) != 2 or parts[0] == "unsafe":
        continue
    strategy, load = parts
    try:
        r = json.loads(body[:body.rindex("}") + 1])
    except ValueError:
        fails.append(f"{head}: no JSON result")
        continue
    b = r["buffers"]
    if b["completed"] != n or b["lost"] or b["corrupted"] or r["timed_out"]:
        fails.append(f"{head}: buffers {b}, timed_out {r['timed_out']}")
    if load != "none" and not r["callbacks"]["invalidate_range_start"]:
        fails.append(f"{head}: no notifier callback under {load}")
    if load == "ksm" and not r["ksm_merged_pages"]:
        fails.append(f"{head}: KSM merged nothing")
for want in ("refused", "fuzz", "kill", "done"):
    if want not in seen:
        fails.append(f"case {want} did not run")
if "fuzz: 5000 ioctls" not in text:
    fails.append("fuzz did not finish")
pins = re.findall(r"^MNBENCH-PINS(?:-BEFORE)? nr_foll_pin_acquired (\d+) "
                  r"nr_foll_pin_released (\d+)", text, flags=re.M)
if len(pins) != 2:
    fails.append("no FOLL_PIN counts from the guest")
else:
    (a0, r0), (a1, r1) = [(int(a), int(r)) for a, r in pins]
    # What the module's runs pinned, all released again.
    if a1 - a0 != r1 - r0:
        fails.append(f"pins not balanced: acquired {a1 - a0}, released {r1 - r0}")
for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
PY
