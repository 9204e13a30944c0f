#!/bin/sh
# --search dpor and --search bounded agree on the verdict of every cell
# both finish: strategies that are wrong (each caught by both searches,
# with the same rule broken), and a correct one that neither finds a
# violation in within the same schedule budget.
set -u
bin=$1
. "$(dirname "$0")/checks.sh"

field() {	# field FILE KEY: a top-level JSON value
	/usr/bin/python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[k]
print(str(v).lower() if isinstance(v, bool) else v)' "$1" "$2"
}

rule() {	# rule FILE: the rule the counterexample broke
	/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print([k for k, v in d["violations"].items() if v][0])' "$1"
}

for cell in "invalidate_range ksm 2" "mutex zap 2" "spinlock oom 2" \
	    "unsafe zap 1"; do
	set -- $cell
	for s in bounded dpor; do
		check_exit 0 "$s, $1/$2" "$bin" --explore --search "$s" \
			--strategy "$1" --load "$2" --invalidators "$3" \
			--format json --output "$tmp/$s.json"
	done
	[ "$(field "$tmp/bounded.json" verdict)" = unsafe ] ||
		fail "bounded missed $1/$2"
	[ "$(field "$tmp/dpor.json" verdict)" = unsafe ] ||
		fail "DPOR missed $1/$2"
	[ "$(rule "$tmp/bounded.json")" = "$(rule "$tmp/dpor.json")" ] ||
		fail "$1/$2: the searches found different rules broken"
done

# A correct strategy: no violation under either, within a budget.
for s in bounded dpor; do
	check_exit 0 "$s, counter/ksm" "$bin" --explore --search "$s" \
		--strategy counter --load ksm --max-schedules 2000 \
		--format json --output "$tmp/$s.json"
	[ "$(field "$tmp/$s.json" verdict)" = safe ] ||
		fail "$s: counter/ksm unsafe"
done
finish
