#!/bin/sh
# scripts/host-module's load, run and unload path, in a VM guest (vm-run
# --no-load: the guest starts without the module, which is built outside
# it, as vm-run builds it): the check passes; a user who is not root is
# refused; a run loads the module, completes every buffer and unloads it;
# a module someone else loaded is refused and left loaded; a failing run
# and an interrupted one unload it too and write nothing.
#   tests/vm_host_module.sh KERNEL    (6.1 or 6.12; exit 77 = skipped)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
kernel=${1:-6.1}
n=2000
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Each case ends with "EXIT <status>" and whether the module is loaded.
cmds="set -e
ko='--ko /mnbench.ko'
state() { [ -e /sys/module/mnbench ] && echo LOADED || echo UNLOADED; }
echo CASE check
st=0; host-module --check \$ko || st=\$?; echo \"EXIT \$st\"
echo CASE not-root
mkdir -p /etc; echo 'nobody:x:65534:65534::/:/bin/sh' >/etc/passwd
st=0; su -s /bin/sh -c 'host-module --check --ko /mnbench.ko' nobody ||
	st=\$?; echo \"EXIT \$st\"
echo CASE run
st=0; host-module \$ko --out /tmp/run.json -- --strategies counter,seqcount \
	--loads none,cow --buffers $n --timeout 60 >/dev/null || st=\$?
echo \"EXIT \$st\"; state
echo CASE json; cat /tmp/run.json; echo
echo CASE loaded-already
insmod /mnbench.ko
st=0; host-module --check \$ko || st=\$?; echo \"EXIT \$st\"
st=0; host-module \$ko --out /tmp/x.json -- --loads none || st=\$?; echo \"EXIT \$st\"
state; rmmod mnbench
echo CASE failed-run
st=0; host-module \$ko --out /tmp/bad.json -- --buffers abc || st=\$?
echo \"EXIT \$st\"; state; [ -e /tmp/bad.json ] && echo OUTPUT || echo NO-OUTPUT
echo CASE interrupted
host-module \$ko --out /tmp/int.json -- --strategies counter --loads none \
	--buffers 100000000 --timeout 120 >/dev/null 2>&1 &
hm=\$!
tries=600
until pidof mnbench-module >/dev/null; do
	tries=\$((tries - 1)); [ \$tries -gt 0 ] || { echo 'no run started'; break; }
	sleep 0.1
done
kill -TERM \$hm
st=0; wait \$hm || st=\$?
echo \"EXIT \$st\"; state; [ -e /tmp/int.json ] && echo OUTPUT || echo NO-OUTPUT
echo CASE done"

# vm-run's logs in a folder of their own (its guest.txt is not ours).
"$top/scripts/vm-run" --kernel "$kernel" --no-load --timeout 600 \
	--out "$out/vm" --add "$top/scripts/host-module" -- "$cmds" >"$out/guest.txt"
status=$?
[ $status -eq 77 ] && exit 77
cat "$out/guest.txt"
[ $status -eq 0 ] || { echo "FAIL: vm-run exited $status"; exit 1; }

fails=0
section() { sed -n "/^CASE $1\$/,/^CASE /p" "$out/guest.txt" | sed '1d;$d'; }
# expect CASE LINES...: the case's output holds each line, in order.
expect() {
	name=$1
	shift
	got=$(section "$name" | grep -vx '' | grep -Fx -e "$(printf '%s\n' "$@")" |
		tr '\n' '|')
	want=$(printf '%s|' "$@")
	[ "$got" = "$want" ] || {
		echo "FAIL: $name: wanted '$want', got:"
		section "$name"
		fails=$((fails + 1))
	}
}
expect check 'EXIT 0'
section check | grep -q 'can load the module' || { echo "FAIL: check said no"; fails=$((fails + 1)); }
expect not-root 'host-module: refused: not root (user id 65534): loading a module needs root' 'EXIT 3'
expect run 'EXIT 0' UNLOADED
expect loaded-already 'EXIT 3' 'EXIT 3' LOADED
[ "$(section loaded-already | grep -c 'refused: the module is loaded already')" = 2 ] ||
	{ echo "FAIL: loaded-already: not refused for that reason"; fails=$((fails + 1)); }
expect failed-run 'EXIT 2' UNLOADED NO-OUTPUT
expect interrupted 'EXIT 143' UNLOADED NO-OUTPUT
section json >"$out/run.json"
/usr/bin/python3 - "$out/run.json" "$n" <<'PY' || fails=$((fails + 1))
import json, sys
runs = [b for b in json.load(open(sys.argv[1]))["benchmarks"]
        if b.get("run_type") == "iteration"]
n = int(sys.argv[2])
bad = [b["name"] for b in runs if b.get("error_occurred") or
       b["completed"] != n or b["lost"] or b["corrupted"]]
if len(runs) != 4 or bad:
    print(f"FAIL: the run through host-module: {len(runs)} cases, not 4;"
          f" not every buffer back in {bad}")
    sys.exit(1)
print(f"ok: 4 cases through host-module, {n} buffers each")
PY
[ $fails -eq 0 ] || { echo "FAIL: $fails case(s)"; exit 1; }
echo "PASS: host-module loads, runs and unloads in the guest, and refuses"
