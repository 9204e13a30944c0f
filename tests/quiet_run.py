#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Rewrites a run directory's timings as a quiet host would give them.

  quiet_run.py RUN_DIR

Every case's buffers/s and worker CPU ns per buffer, in mnbench.json and
module.json, become the case's median times a fixed spread of +-0.3%
over its repetitions; an A/A twin (noise/S/L/...) takes the median of
its throughput/S/L/... case, so the pair differs by the spread alone. Tests that check what a known change does to a
comparison or a decision edit such a copy: on the committed reference
run, whose host is noisy (its A/A pairs span 2x), a 2x change is rightly
not significant, and the test would measure the host, not the rule.
"""
import json
import os
import statistics
import sys
from collections import defaultdict

SPREAD = (1.0, 1.002, 0.998, 1.003, 0.997)
COUNTERS = ("items_per_second", "worker_cpu_ns_per_buffer")


def quiet(path):
    with open(path) as f:
        doc = json.load(f)
    rows = defaultdict(list)
    for b in doc["benchmarks"]:
        if b.get("run_type") == "iteration":
            rows[b["name"]].append(b)
    for name, reps in rows.items():
        twin = rows.get("throughput/" + name.partition("/")[2])
        for counter in COUNTERS:
            source = twin if name.startswith("noise/") and twin else reps
            have = [b[counter] for b in source if counter in b]
            if not have:
                continue
            mid = statistics.median(have)
            for i, b in enumerate(r for r in reps if counter in r):
                b[counter] = mid * SPREAD[i % len(SPREAD)]
    with open(path, "w") as f:
        json.dump(doc, f)


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    done = 0
    for name in ("mnbench.json", "module.json"):
        path = os.path.join(argv[1], name)
        if os.path.exists(path):
            quiet(path)
            done += 1
    if not done:
        print(f"quiet_run.py: {argv[1]} has no mnbench.json or module.json",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
