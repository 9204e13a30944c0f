#!/bin/sh
# The failure the 2019 thread warned about: with no page references held
# (--gup none) and teardown only in ->invalidate_range, the worker writes
# into a page KSM has write-protected (or merged) before _end tears its
# mapping down. The strategy also deadlocks soon after (the worker's own
# COW fault calls ->invalidate_range, which takes the vq mutex it holds),
# so each run has few chances: up to 16 short runs, first that shows it.
#   ksm_write_none.sh MNBENCH_MODEL
set -u
bin=$1
. "$(dirname "$0")/checks.sh"

seen=
for seed in $(seq 1 16); do
	"$bin" --strategy invalidate_range --load ksm --gup none --seconds 1 \
		--hang-ms 300 --invalidators 3 --idle-vqs 6 --seed "$seed" \
		--format json >"$tmp/run.json" 2>"$tmp/err" ||
		{ cat "$tmp/err"; fail "mnbench-model failed"; break; }
	case $(json_field "$tmp/run.json" first_stale_write) in *ksm*)
		seen=$seed
		break ;;
	esac
done
if [ -n "$seen" ]; then
	echo "seed $seen: $(json_field "$tmp/run.json" first_stale_write)"
	[ "$(json_field "$tmp/run.json" verdict)" = unsafe ] || fail "not unsafe"
else
	fail "no write into a page under KSM in 16 runs"
fi
finish
