#!/usr/bin/env python3
"""The A/A noise cases of a case list, read as the decision reads them.

  check_noise_cases.py LIST_FILE STRATEGY|-   one noise/S/L/vqs:1 case per
                                              load of the throughput matrix
                                              (S as given, or any one
                                              strategy with -), each with
                                              its throughput twin
  check_noise_cases.py --runs JSON NAME=N...  NAME has N repetitions
"""
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "scripts"))
from mnbench import decision  # noqa: E402


class Named:
    def __init__(self, name):
        self.name, self.runs, self.error = name, [], None


def check_list(path, want):
    cases = [decision._Case(Named(n)) for n in open(path).read().split()]
    names = {c.name for c in cases}
    loads = {c.load for c in cases if c.kind == "throughput"}
    noise = [c for c in cases if c.kind == "noise"]
    fails = []
    by_load = collections.Counter(c.load for c in noise)
    for load in sorted(loads):
        if by_load[load] != 1:
            fails.append(f"{by_load[load]} noise cases under {load}, wanted 1")
    for c in noise:
        if c.load not in loads:
            fails.append(f"{c.name}: no throughput case under {c.load}")
        if "throughput/" + c.rest not in names:
            fails.append(f"{c.name}: no throughput/{c.rest} twin")
        if not c.rest.endswith("/vqs:1"):
            fails.append(f"{c.name}: not a vqs:1 case")
    strategies = {c.strategy for c in noise}
    if len(strategies) > 1:
        fails.append(f"noise cases of several strategies: {sorted(strategies)}")
    if want != "-" and strategies != {want}:
        fails.append(f"noise cases of {sorted(strategies)}, wanted {want}")
    return fails


def check_runs(path, wants):
    runs = collections.Counter()
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") == "iteration":
            runs[re.sub(r"(/(iterations|repeats):\d+|/manual_time)+$", "",
                        b["run_name"])] += 1
    fails = []
    for w in wants:
        name, n = w.rsplit("=", 1)
        if runs[name] != int(n):
            fails.append(f"{name}: {runs[name]} repetitions, wanted {n}")
    return fails


def main(argv):
    if len(argv) >= 3 and argv[1] == "--runs":
        fails = check_runs(argv[2], argv[3:])
    elif len(argv) == 3:
        fails = check_list(argv[1], argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for f in fails:
        print("FAIL:", f)
    print(f"{len(fails)} problem(s)" if fails else "noise cases as expected")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
