#!/bin/sh
# A reduced verdict matrix in CI (the full one is scripts/verdict-matrix,
# its output committed in results/verdict-matrix): counter under zap and
# oom on kernel $1, in one boot, the module loaded with check_stale=1.
# zap: the stale check must judge accesses and find none stale for a
# strategy both sides call safe. oom: the owner must be killed by the OOM
# killer, and the cell agree or say "not reached" (the reaper did not call
# the notifier), never disagree.
set -eu
kernel=${1:?usage: vm_verdict_matrix.sh KERNEL}
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set +e
"$top/scripts/verdict-matrix" --kernels "$kernel" --strategies counter \
	--loads zap,oom --out "$tmp/m" >"$tmp/log" 2>&1
rc=$?
set -e
[ "$rc" -ne 77 ] || { echo "vm_verdict_matrix: no VM: skipped"; exit 77; }
[ "$rc" -eq 0 ] || { cat "$tmp/log"; exit 1; }
cat "$tmp/m/matrix.md"
/usr/bin/python3 - "$tmp/m/matrix.json" <<'PY'
import json, sys
cells = {c["load"]: c for c in json.load(open(sys.argv[1]))["cells"]}
assert set(cells) == {"zap", "oom"}, sorted(cells)
zap, oom = cells["zap"], cells["oom"]
st = zap["kernel_run"]["stale_check"]
assert st.get("stale_compared", 0) > 0, "the stale check judged nothing"
assert st.get("stale_reads", 0) == 0 and st.get("stale_writes", 0) == 0, \
    "stale accesses for counter"
assert zap.get("agree"), "model and kernel disagree under zap"
k = oom["kernel_run"]
assert k["oom_kills"] == 1, f"the OOM killer did not kill the owner: {k}"
assert oom["verdict"] in ("yes", "not reached"), \
    f"model and kernel disagree under oom: {oom['verdict']}"
assert (oom["verdict"] == "not reached") == (not k["nonblock_starts"]), oom
PY
