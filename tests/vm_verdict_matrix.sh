#!/bin/sh
# A reduced verdict matrix in CI (the full one is scripts/verdict-matrix,
# its output committed in results/verdict-matrix): counter under zap on
# kernel $1, the module loaded with check_stale=1. The stale check must
# judge accesses and find none stale for a strategy both sides call safe.
set -eu
kernel=${1:?usage: vm_verdict_matrix.sh KERNEL}
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set +e
"$top/scripts/verdict-matrix" --kernel "$kernel" --strategies counter \
	--loads zap --out "$tmp/m" >"$tmp/log" 2>&1
rc=$?
set -e
[ "$rc" -ne 77 ] || { echo "vm_verdict_matrix: no VM: skipped"; exit 77; }
[ "$rc" -eq 0 ] || { cat "$tmp/log"; exit 1; }
/usr/bin/python3 - "$tmp/m/matrix.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["cells"][0]
st = c["kernel"]["stale_check"]
print(c["strategy"], c["load"], c["kernel"])
assert st.get("stale_compared", 0) > 0, "the stale check judged nothing"
assert st.get("stale_reads", 0) == 0 and st.get("stale_writes", 0) == 0, \
    "stale accesses for counter"
assert c.get("agree"), "model and kernel disagree"
PY
