#!/bin/sh
# scripts/kernel-log-check on constructed logs: each report kind fails,
# the kernel's command line (which names hung_task and softlockup) and a
# debug kernel's boot banner (lockdep, KASAN, KCSAN) pass; pins must balance.
set -u
check=$(cd "$(dirname "$0")/.." && pwd)/scripts/kernel-log-check
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0
expect() { # status file what
	"$check" "$2" 2>/dev/null
	got=$?
	[ $got -eq "$1" ] || { echo "FAIL: $3: exit $got, not $1"; fails=$((fails + 1)); }
}
cat >"$dir/clean" <<'LOG'
[    0.000000] Command line: console=ttyS0 ignore_loglevel panic=-1 softlockup_panic=1 hung_task_panic=1
[    0.010000] Kernel command line: console=ttyS0 hung_task_panic=1 oops=panic
[    0.020000] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar
[    0.030000] KernelAddressSanitizer initialized (generic)
[    0.040000] rcu: Preemptible hierarchical RCU implementation.
[    0.041000] kcsan: enabled early
[    0.042000] kcsan: non-strict mode configured - use CONFIG_KCSAN_STRICT=y to see all data races
[    0.043000] kcsan: selftest: 4/4 tests passed
[    1.000000] mnbench: loaded
LOG
expect 0 "$dir/clean" "clean log"
while IFS= read -r report; do
	[ -n "$report" ] || continue
	{ cat "$dir/clean"; echo "[    2.000000] $report"; } >"$dir/bad"
	expect 1 "$dir/bad" "$report"
done <<'REPORTS'
WARNING: CPU: 1 PID: 80 at mm/x.c:1 f+0x0/0x10
WARNING: possible circular locking dependency detected
WARNING: possible recursive locking detected
WARNING: inconsistent lock state
WARNING: suspicious RCU usage
------------[ cut here ]------------
BUG: sleeping function called from invalid context at mm/x.c:1
BUG: scheduling while atomic: x/1/0x00000002
BUG: KASAN: slab-out-of-bounds in f+0x0/0x10
BUG: KCSAN: data-race in mnbench_race_thread / mnbench_race_thread
BUG: KCSAN: data-race in f+0x0/0x10
BUG: KCSAN: assert: race in f / g
kcsan: selftest: test_encode_decode() failed
BUG: kernel NULL pointer dereference, address: 0000000000000000
kernel BUG at mm/x.c:1!
general protection fault, probably for non-canonical address 0xdead: 0000 [#1]
Oops: 0000 [#1] PREEMPT SMP NOPTI
UBSAN: array-index-out-of-bounds in mm/x.c:1:1
INFO: task x:1 blocked for more than 120 seconds.
watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [x:1]
rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
rcu: INFO: rcu_sched self-detected stall on CPU
Kernel panic - not syncing: hung_task: blocked tasks
mnb_invalidate_range_start+0x0/0x3b0 [mnbench] callback failed with -11 in non-blockable context.
oom_reaper: unable to reap pid:60 (mnbench-module)
REPORTS
# The OOM killer's own stack of the task that invoked it is no report; a
# stack anywhere else still is.
{ cat "$dir/clean"; cat <<'LOG'
[    3.000000] mnbench-module invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=1000
[    3.000001] CPU: 1 PID: 60 Comm: mnbench-module Not tainted 6.1.0 #1
[    3.000002] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)
[    3.000003] Call Trace:
[    3.000004]  <TASK>
[    3.000005]  dump_stack_lvl+0x45/0x5e
[    3.000006]  </TASK>
[    3.000007] Mem-Info:
[    3.000008] Out of memory: Killed process 60 (mnbench-module) total-vm:900000kB, anon-rss:880000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1800kB oom_score_adj:1000
LOG
} >"$dir/oom"
expect 0 "$dir/oom" "the OOM killer's report"
{ cat "$dir/oom"; printf '[    4.000000] CPU: 0 PID: 1 Comm: sh\n[    4.000001] Call Trace:\n'; } >"$dir/bad"
expect 1 "$dir/bad" "a stack after the OOM killer's report"
printf 'MNBENCH-PINS-BEFORE nr_foll_pin_acquired 10 nr_foll_pin_released 10\nMNBENCH-PINS-AFTER nr_foll_pin_acquired 50 nr_foll_pin_released 50\n' >"$dir/pins"
"$check" --pins "$dir/pins" || { echo "FAIL: balanced pins refused"; fails=$((fails + 1)); }
printf 'MNBENCH-PINS-BEFORE nr_foll_pin_acquired 10 nr_foll_pin_released 10\nMNBENCH-PINS-AFTER nr_foll_pin_acquired 50 nr_foll_pin_released 49\n' >"$dir/pins"
"$check" --pins "$dir/pins" 2>/dev/null && { echo "FAIL: a leaked pin passed"; fails=$((fails + 1)); }
printf 'MNBENCH-PINS-BEFORE nr_foll_pin_acquired 10 nr_foll_pin_released 10\n' >"$dir/pins"
"$check" --pins "$dir/pins" 2>/dev/null && { echo "FAIL: missing counts passed"; fails=$((fails + 1)); }
"$check" "$dir/none" 2>/dev/null; [ $? -eq 2 ] || { echo "FAIL: a missing log is not exit 2"; fails=$((fails + 1)); }
[ $fails -eq 0 ] || exit 1
echo PASS
