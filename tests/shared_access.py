#!/usr/bin/python3
"""The model's shared-state code reaches shared memory only through the
compat layer (mn_compat.h, primitives.c), where the explorer has its
scheduling points and the memory model its hooks.

A raw access (a __atomic_* builtin, or a whole file opting out of the
points with MN_NO_SCHED_POINTS) in the strategies or the model's mm,
notifier, backend, event and guest code is an access the explorer cannot
interleave and the weak memory model cannot reorder. The strategies must
have none. The model's files have the escapes pinned below, each counted:
the test fails when a file gains one (a new raw access: route it through
the compat layer, or pin it here with the reason) and when it loses one
(update the pin, so the list stays the truth). docs/explore.md lists
them as a limit of the verdicts."""
import pathlib
import re
import sys

# file: (raw __atomic_ builtins, opts out of the points?) and why
PINNED = {
    "bench/model/mm.c": (18, True,
                         "frame refcounts, generations, stats: points are "
                         "per operation (mm.h), not per field; the "
                         "oracle's reads of who set a pte (mm_pte_seen)"),
    "bench/model/mm_interval.c": (0, True,
                                  "the interval core's bookkeeping"),
    "bench/model/mm.h": (7, False, "frame accessors used by mm.c; exited and ndevices read by the exit load"),
    "bench/model/mm_page.h": (2, False, "page state read by the oracle"),
    "bench/model/backend.c": (7, False, "mapping records, stats"),
    "bench/model/events.c": (7, False, "event counters and plans"),
    "bench/model/guest.c": (6, False, "the guest's progress counters"),
    "bench/model/worker.c": (3, False, "the worker's stop flags"),
    "bench/model/explore_scenario.c": (1, False,
                                       "the judge, after every thread ended"),
}
CHECKED = ["strategies", "bench/model/mm.c", "bench/model/mm_interval.c",
           "bench/model/mm.h", "bench/model/mm_page.h",
           "bench/model/backend.c", "bench/model/events.c",
           "bench/model/guest.c", "bench/model/worker.c",
           "bench/model/explore_scenario.c",
           "bench/model/mn_user_access.h"]
RAW = re.compile(r"\b__atomic_[a-z_]+\s*\(")
OPT_OUT = re.compile(r"^\s*#\s*define\s+MN_NO_SCHED_POINTS\b", re.M)


def files(top):
    for c in CHECKED:
        p = top / c
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*")
                              if q.suffix in (".c", ".h"))
        else:
            yield p


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print("usage: shared_access.py SOURCE_DIR\n\n" + __doc__)
        return 0 if len(sys.argv) == 2 else 2
    top = pathlib.Path(sys.argv[1])
    fails = 0
    for p in files(top):
        if not p.is_file():
            print(f"FAIL: {p} is missing")
            fails += 1
            continue
        rel = p.relative_to(top).as_posix()
        text = p.read_text()
        raw = len(RAW.findall(text))
        opt = bool(OPT_OUT.search(text))
        want_raw, want_opt, why = PINNED.get(rel, (0, False, ""))
        if raw != want_raw or opt != want_opt:
            print(f"FAIL: {rel}: {raw} raw __atomic_ accesses"
                  f"{', opts out of the points' if opt else ''}; "
                  f"pinned: {want_raw}{', opts out' if want_opt else ''}"
                  f"{' (' + why + ')' if why else ''}")
            fails += 1
    if fails:
        print(f"{fails} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
