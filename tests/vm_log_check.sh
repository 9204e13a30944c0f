#!/bin/sh
# scripts/vm-run's verdict on a guest misses nothing: a clean guest
# passes; a report of each kind, written to /dev/kmsg at the level the
# kernel prints it at, fails the run, and so does a real WARN from a
# module (tests/vm_warn_module, through vm-run --add-module).
#   tests/vm_log_check.sh KERNEL    (exit 77 = skipped)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
kernel=${1:-6.1}
fails=0

run() { # expected-status guest-commands [vm-run options]
	want=$1 cmds=$2
	shift 2
	"$top/scripts/vm-run" --kernel "$kernel" --timeout 300 "$@" -- "$cmds" \
		>/dev/null 2>"$log"
	got=$?
	[ $got -eq 77 ] && { cat "$log"; exit 77; }
	if [ $got -eq 1 ] && ! grep -q 'reports a problem' "$log"; then
		echo "FAIL: '$cmds' $*: vm-run failed, but not on the kernel log"
		cat "$log"
		fails=$((fails + 1))
	elif [ $got -ne "$want" ]; then
		echo "FAIL: '$cmds' $*: vm-run exited $got, not $want"
		cat "$log"
		fails=$((fails + 1))
	else
		echo "ok: '$cmds' $*: exit $got"
	fi
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run 0 'echo clean guest'
while IFS= read -r report; do
	[ -n "$report" ] && run 1 "echo '$report' >/dev/kmsg"
done <<'REPORTS'
<4>WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x0/0x10
<4>WARNING: possible circular locking dependency detected
<4>WARNING: suspicious RCU usage
<3>BUG: sleeping function called from invalid context at mm/x.c:1
<3>BUG: KASAN: use-after-free in f+0x0/0x10
<1>BUG: kernel NULL pointer dereference, address: 0000000000000000
<4>Oops: 0000 [#1] PREEMPT SMP NOPTI
<3>UBSAN: shift-out-of-bounds in mm/x.c:1:1
<3>INFO: task x:1 blocked for more than 120 seconds.
<0>watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [x:1]
<3>rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
REPORTS
run 1 'insmod /mnbench_warn.ko && rmmod mnbench_warn' \
	--add-module "$top/tests/vm_warn_module"
[ $fails -eq 0 ] || { echo "FAIL: $fails case(s)"; exit 1; }
echo "PASS"
