#!/bin/sh
# The module in a VM (scripts/vm-run): the safe strategies process a fixed
# number of buffers with none lost or corrupted under none, ksm and cow;
# the notifier sees ksm and cow; unsafe runs without hurting the kernel;
# rule-breaking strategies are refused, and with allow_dangerous=1 the
# 2019 designs run to the end; devices of many vqs lose nothing;
# hostile ioctls, SIGKILL with the worker running and rmmod leave a clean
# log and balanced pins; owners killed, exiting or closing the device
# while invalidations run leave the module holding nothing
# (mnbench-module-teardown); the fuzzer's, the hostile and the teardown
# cases' KTAP has no "not ok" (tests/ktap_check.sh).
#   tests/vm_module.sh KERNEL    (6.1 or 6.12; exit 77 = skipped)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
kernel=${1:-6.1}
n=3000
# The fuzzer and the hostile cases go into the guest next to
# mnbench-module (vm-run --add).
fuzz=$top/build/tests/mnbench-module-fuzz
hostile=$top/build/tests/mnbench-module-hostile
teardown=$top/build/tests/mnbench-module-teardown
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cmds="set -e
mnbench-module --strategies counter,seqcount,interval,uaccess --loads none,ksm,cow \
	--buffers $n --timeout 60 --out /tmp/safe.json >/dev/null 2>&1
echo CASE safe; cat /tmp/safe.json
mnbench-module --strategies unsafe,mutex --loads none,ksm,cow \
	--buffers $n --timeout 10 --out /tmp/other.json >/dev/null 2>&1
echo CASE other; cat /tmp/other.json
mnbench-module --strategies counter,interval --loads cow --vqs 256 \
	--devices 2 --ring-size 64 --buffers $n --timeout 120 \
	--out /tmp/scale.json >/dev/null 2>&1
echo CASE scale; cat /tmp/scale.json
# The kselftests: their KTAP and exit status, checked on the host; a
# \"not ok\" fails this test, not the guest's later cases.
echo CASE fuzz
st=0; mnbench-module-fuzz 5000 || st=\$?; echo \"EXIT \$st\"
echo CASE hostile
st=0; mnbench-module-hostile || st=\$?; echo \"EXIT \$st\"
echo CASE teardown
st=0; mnbench-module-teardown || st=\$?; echo \"EXIT \$st\"
echo CASE kill
mnbench-module --strategies counter --loads cow --buffers 100000000 \
	--timeout 60 >/dev/null 2>&1 &
pid=\$!
sleep 1
kill -9 \$pid
wait \$pid || true
# The 2019 designs break 6.1's contract under the OOM reaper: the module
# runs them only with allow_dangerous=1 (no OOM here). The killed
# process may still be closing the device: rmmod until it lets go.
tries=50
until rmmod mnbench 2>/dev/null; do
	tries=\$((tries - 1))
	[ \$tries -gt 0 ] || { echo 'rmmod mnbench failed'; exit 1; }
	sleep 0.1
done
insmod /mnbench.ko allow_dangerous=1
mnbench-module --strategies spinlock,seqcount_callrcu,vhost53 \
	--loads none,ksm,cow --buffers $n --timeout 60 --out /tmp/history.json \
	>/dev/null 2>&1
echo CASE history; cat /tmp/history.json
echo CASE done"

if [ ! -x "$fuzz" ] || [ ! -x "$hostile" ] || [ ! -x "$teardown" ]; then
	cmake -S "$top" -B "$top/build" >/dev/null &&
		cmake --build "$top/build" --target mnbench-module-fuzz \
			mnbench-module-hostile mnbench-module-teardown \
			>/dev/null ||
		{ echo "FAIL: cannot build the guest's test programs"; exit 1; }
fi
# vm-run's logs in a folder of their own (its guest.txt is not ours).
"$top/scripts/vm-run" --kernel "$kernel" --timeout 900 --out "$out/vm" \
	--add "$fuzz" --add "$hostile" --add "$teardown" -- "$cmds" \
	>"$out/guest.txt"
status=$?
[ $status -eq 77 ] && exit 77
cat "$out/guest.txt"
[ $status -eq 0 ] || { echo "FAIL: vm-run exited $status"; exit 1; }
python3 - "$out/guest.txt" "$n" "$out/safe.json" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
n = int(sys.argv[2])
fails = []
cases = dict((c.partition("\n")[0].strip(), c.partition("\n")[2])
             for c in re.split(r"^CASE ", text, flags=re.M)[1:])
seen = set(cases)


def fork_missed(head, b):
    """A fork copies the rings' VMA under an invalidation of it, and the
    stats are read after the COW thread is joined: each counted fork was
    seen by every device, hitting its rings. Whether the thread forks at
    all before the guest is done is the host's timing, never a failure."""
    if not b.get("forks"):
        if b["name"].split("/")[2] == "cow":
            print(f"note: {head}: no fork before the last buffer came back")
        return
    if b["start_calls"] < b["forks"]:
        fails.append(f"{head}: {b['forks']} forks but only "
                     f"{b['start_calls']} notifier callbacks")
    if not b["overlapping_invalidations"]:
        fails.append(f"{head}: {b['forks']} forks, none seen on the rings")


def runs(doc):
    try:
        d = json.loads(doc[:doc.rindex("}") + 1])
    except ValueError:
        return []
    return [b for b in d["benchmarks"] if b.get("run_type") == "iteration"]


safe = runs(cases.get("safe", ""))
try:
    doc = cases.get("safe", "")
    version = json.loads(doc[:doc.rindex("}") + 1])["context"]["schema_version"]
except (ValueError, KeyError) as e:
    version = repr(e)
if version != "1":
    fails.append(f"mnbench-module's context has schema_version {version!r}, not \"1\"")
if len(safe) != 12:
    fails.append(f"expected 12 safe-strategy cases, got {len(safe)}")
for b in safe:
    _, strategy, load = b["name"].split("/")[:3]
    head = f"{strategy}/{load}"
    if b.get("error_occurred"):
        fails.append(f"{head}: {b.get('error_message')}")
        continue
    if b["completed"] != n or b["lost"] or b["corrupted"] or b["timed_out"]:
        fails.append(f"{head}: completed {b['completed']}, lost {b['lost']}, "
                     f"corrupted {b['corrupted']}, timed out {b['timed_out']}")
    # KSM merged before the guest started (checked below), so its
    # callbacks are certain; a fork is certain only once one happened.
    if load == "ksm" and not b["start_calls"]:
        fails.append(f"{head}: no notifier callback under {load}")
    fork_missed(head, b)
    if load == "ksm" and not b["ksm_merged_pages"]:
        fails.append(f"{head}: KSM merged nothing")
    if not b["inval_p50_ns"] <= b["inval_p99_ns"] <= b["inval_p999_ns"] <= b["inval_max_ns"]:
        fails.append(f"{head}: latency percentiles out of order")
    # The guest's kernel has software events: the kthread is counted.
    if not b.get("worker_cpu_ns_per_buffer", 0) > 0:
        fails.append(f"{head}: the worker kthread's CPU was not counted")
    if load == "ksm" and not b.get("ksmd_cpu_ns", 0) > 0:
        fails.append(f"{head}: ksmd's CPU was not counted")
    if load == "cow" and not b.get("cow_thread_cpu_ns", 0) > 0:
        fails.append(f"{head}: the COW thread's CPU was not counted")
other = runs(cases.get("other", ""))
refused = [b for b in other if b["name"].startswith("throughput/mutex/")]
if not refused or not all("allow_dangerous" in b.get("error_message", "")
                          for b in refused):
    fails.append("mutex was not refused with a reason")
if not [b for b in other if b["name"].startswith("throughput/unsafe/")
        and not b.get("error_occurred")]:
    fails.append("unsafe did not run")
# The 2019 designs run to the end; the model finds them unsafe only
# where two invalidations overlap or the OOM reaper calls, so corruption
# is reported, not failed on (docs/history/).
history = runs(cases.get("history", ""))
if len(history) != 9:
    fails.append(f"expected 9 cases of the 2019 designs, got {len(history)}")
for b in history:
    head = "/".join(b["name"].split("/")[1:3])
    if b.get("error_occurred"):
        fails.append(f"{head}: {b.get('error_message')}")
    elif b["lost"] or b["timed_out"] or b["completed"] + b["corrupted"] != n:
        fails.append(f"{head}: completed {b['completed']}, lost {b['lost']}, "
                     f"timed out {b['timed_out']}")
    elif b["corrupted"]:
        print(f"note: {head}: {b['corrupted']} buffers corrupted")
# Two devices of 256 vqs each: every buffer back, and every fork seen on
# the rings (each device's notifier sees every invalidation).
scale = runs(cases.get("scale", ""))
if len(scale) != 2:
    fails.append(f"expected 2 cases of 2 devices x 256 vqs, got {len(scale)}")
for b in scale:
    head = b["name"]
    if b.get("error_occurred"):
        fails.append(f"{head}: {b.get('error_message')}")
    elif (b["completed"] != n or b["lost"] or b["corrupted"]
          or b["timed_out"] or b["vqs"] != 256 or b["devices"] != 2):
        fails.append(f"{head}: completed {b['completed']}, lost {b['lost']}, "
                     f"corrupted {b['corrupted']}, vqs {b['vqs']}, devices "
                     f"{b['devices']}")
    else:
        fork_missed(head, b)
for want in ("safe", "other", "scale", "history", "fuzz", "hostile",
             "teardown", "kill", "done"):
    if want not in seen:
        fails.append(f"case {want} did not run")
pins = re.findall(r"^MNBENCH-PINS-(?:BEFORE|AFTER) nr_foll_pin_acquired (\d+) "
                  r"nr_foll_pin_released (\d+)", text, flags=re.M)
if len(pins) != 2:
    fails.append("no FOLL_PIN counts from the guest")
else:
    (a0, r0), (a1, r1) = [(int(a), int(r)) for a, r in pins]
    # What the module's runs pinned, all released again.
    if a1 == a0:
        fails.append("no FOLL_PIN taken: the balance below would prove nothing")
    elif a1 - a0 != r1 - r0:
        fails.append(f"pins not balanced: acquired {a1 - a0}, released {r1 - r0}")
for f in fails:
    print("FAIL:", f)
json.dump(json.loads(cases["safe"][:cases["safe"].rindex("}") + 1]),
          open(sys.argv[3], "w")) if "safe" in cases else None
sys.exit(1 if fails else 0)
PY
status=$?
# Every kselftest case "ok", and the program's exit status 0.
for prog in fuzz hostile teardown; do
	sed -n "/^CASE $prog\$/,/^CASE /p" "$out/guest.txt" | sed '1d;$d' \
		>"$out/$prog.ktap"
	sh "$top/tests/ktap_check.sh" "$prog" "$out/$prog.ktap" || status=1
	grep -qx 'EXIT 0' "$out/$prog.ktap" || {
		echo "FAIL: $prog: $(grep '^EXIT' "$out/$prog.ktap" || echo 'no exit status')"
		status=1
	}
done
[ $status -eq 0 ] || exit 1
# The JSON contract: the counters of the reference run's module cases.
python3 "$top/tests/check_names.py" counters \
	"$top/results/reference-2core-vm/module.json" "$out/safe.json"
