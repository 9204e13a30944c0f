#!/bin/sh
# Adding a strategy is one new file and one line in strategy_list.h: in a
# copy of the tree, add counter_copy (counter.c with its symbols renamed),
# build, and check that every part picks it up: mnbench's matrix,
# mnbench-model, build/strategies.json, the verdict tests, the module's
# objects and the plots.
#   add_strategy.sh SANITIZER   (the build's MNBENCH_SANITIZE; build
#                                plumbing is tested in the default build)
set -u
. "$(dirname "$0")/checks.sh"

[ -z "${1:-}" ] || { echo "skipped: build plumbing, tested in the default build"; exit 77; }
new=counter_copy
tree=$tmp/tree
mkdir -p "$tree"
# The source tree as a contributor has it: no build directories, no git.
tar -C "$top" --exclude='./build' --exclude='./build-*' --exclude='./.git' \
	-cf - . | tar -C "$tree" -xf - || { echo "FAIL: cannot copy the tree"; exit 1; }

sed "s/counter/$new/g" "$tree/strategies/counter.c" >"$tree/strategies/$new.c"
sed -i "s/^MN_STRATEGY(counter, 0)\$/&\nMN_STRATEGY($new, 0)/" \
	"$tree/strategies/strategy_list.h"
grep -qx "MN_STRATEGY($new, 0)" "$tree/strategies/strategy_list.h" ||
	{ echo "FAIL: could not add the list line"; exit 1; }

echo "building the copy"
cmake -S "$tree" -B "$tree/build" >"$tmp/cmake.log" 2>&1 &&
	cmake --build "$tree/build" -j2 --target mnbench mnbench-model \
		test_model_verdict >>"$tmp/cmake.log" 2>&1 ||
	{ tail -30 "$tmp/cmake.log"; echo "FAIL: the copy does not build"; exit 1; }
bin=$tree/build/bench

check_exit 0 "mnbench --list" "$bin/mnbench" --list
for c in "fastpath/$new" "throughput/$new/ksm/vqs:1" \
	"sweep/vqs/$new/zap/vqs:1"; do
	grep -qx "$c" "$tmp/out" || fail "mnbench has no case $c"
done
check_exit 0 "mnbench-model --list" "$bin/mnbench-model" --list
grep -q "^$new " "$tmp/out" || fail "mnbench-model --list lacks $new"

# The strategies' JSON for scripts/: the new one, flagless, after counter.
/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
names = [s["name"] for s in d["strategies"]]
flags = {s["name"]: s["flags"] for s in d["strategies"]}
sys.exit(d["schema_version"] != 1 or flags.get(sys.argv[2]) != [] or
         names.index(sys.argv[2]) != names.index("counter") + 1)' \
	"$tree/build/strategies.json" "$new" ||
	fail "build/strategies.json does not list $new after counter, flagless"

# The verdict tests: listed for every load, and one of them passes.
ctest --test-dir "$tree/build" -N >"$tmp/ctest" 2>&1
for l in none ksm cow zap oom mixed; do
	grep -q "model/$new/$l/safe\$" "$tmp/ctest" || fail "no verdict test model/$new/$l/safe"
done
ctest --test-dir "$tree/build" -R "^model/$new/ksm/safe\$" >"$tmp/verdict" 2>&1 ||
	{ cat "$tmp/verdict"; fail "model/$new/ksm/safe does not pass"; }

# The module's objects, as Kbuild computes them.
objs=$(printf 'print:\n\t@echo $(mnbench-y)\n' |
	make -s -f "$tree/module/Kbuild" -f - src="$tree/module" print)
echo "$objs" | tr ' ' '\n' | grep -qx "strategies/$new.o" ||
	fail "module/Kbuild does not build strategies/$new.o: $objs"

# A run that includes it, plotted: the new strategy has a place and a color.
run=$tmp/run
mkdir -p "$run"
check_exit 0 "a small run" "$bin/mnbench" --strategies "counter,$new" \
	--loads none,ksm --seconds 0.2 --repetitions 1 \
	--benchmark_filter='^throughput/' --out "$run/mnbench.json"
if command -v gnuplot >/dev/null; then
	check_exit 0 "scripts/plot" "$tree/scripts/plot" "$run"
	grep -q ">$new<" "$run/plots/throughput.svg" ||
		fail "the throughput plot has no $new"
else
	echo "note: gnuplot missing, plot check not run"
fi
finish
