#!/usr/bin/env python3
"""The JSON contract stays put: case names and counter names against a
reference run (what scripts/ and earlier runs rely on).

  check_names.py cases REF_JSON LIST_FILE [KIND...]
                                            case names == --list output;
                                            cases of a KIND the reference
                                            has none of may be new (a run
                                            older than that kind)
  check_names.py counters REF_JSON NEW_JSON counters per kind of case
                                            (fastpath, throughput, ...)
                                            are the same in both runs
                                            (but NEWER_THAN_REFERENCE)
"""
import json
import re
import sys

# Per host: perf events exist where the kernel lets us count them; and
# per run, counters of what a run may not have had.
HOST_DEPENDENT = {"task_clock_ns", "context_switches", "page_faults",
                  "cpu_migrations", "cycles", "instructions", "cache_misses",
                  "dtlb_load_misses", "worker_cpu_ns_per_buffer",
                  "worker_instructions_per_buffer", "worker_cycles_per_buffer",
                  "ksmd_cpu_ns", "cow_thread_cpu_ns",
                  # Per run: absent when no invalidation hit a vq.
                  "notifier_hit_p50_ns", "notifier_hit_p99_ns"}

# Counters younger than results/reference-2core-vm: a run may have them
# and the reference not (a run older than they are), until the
# reference is regenerated; one the reference has is never gone.
NEWER_THAN_REFERENCE = set()


def stable_name(run_name):
    """Drop Google Benchmark's own suffixes: /iterations:1, /repeats:1 (each
    repetition registered on its own), /manual_time."""
    return re.sub(r"(/(iterations|repeats):\d+|/manual_time|/real_time)+$",
                  "", run_name)


def counters_by_kind(path):
    kinds = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") != "iteration" or b.get("error_occurred"):
            continue
        kind = b["run_name"].split("/")[0]
        kinds.setdefault(kind, set()).update(set(b) - HOST_DEPENDENT)
    return kinds


def main(argv):
    if len(argv) < 4 or argv[1] not in ("cases", "counters") or \
            (argv[1] == "counters" and len(argv) != 4):
        print(__doc__, file=sys.stderr)
        return 2
    ref = argv[2]
    fails = 0
    if argv[1] == "cases":
        want = {stable_name(b["run_name"])
                for b in json.load(open(ref))["benchmarks"]}
        have = set(open(argv[3]).read().split())
        old = {n.split("/")[0] for n in want}
        newer = {k for k in argv[4:] if k not in old}
        added = {n for n in have - want if n.split("/")[0] in newer}
        if added:
            print(f"{len(added)} case(s) of kinds newer than the reference: "
                  + ", ".join(sorted(newer)))
        have -= added
        for n in sorted(want - have):
            print(f"FAIL: case {n} is gone")
            fails += 1
        for n in sorted(have - want):
            print(f"FAIL: case {n} is new")
            fails += 1
    else:
        want, have = counters_by_kind(ref), counters_by_kind(argv[3])
        for kind in sorted(set(want) & set(have)):
            newer = (have[kind] - want[kind]) & NEWER_THAN_REFERENCE
            if newer:
                print(f"{kind}: counters newer than the reference: "
                      + ", ".join(sorted(newer)))
            for c in sorted((want[kind] ^ have[kind]) - newer):
                where = "gone" if c in want[kind] else "new"
                print(f"FAIL: {kind} counter {c} is {where}")
                fails += 1
        if not set(want) & set(have):
            print("FAIL: no kind of case in common")
            fails += 1
    print(f"{fails} difference(s)" if fails else "names as in the reference")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
