"""results/index.md: one line per run directory, to find runs to compare."""
import argparse
import os
import sys

from . import decision
from .schema import read_json, write_json
from .strategies import TOP

DESCRIPTION = """Writes RESULTS_DIR/index.md (default results/): one line per run
directory (one with metadata.json, as scripts/run writes it), newest
first: date, directory, host, kernel, git revision, the strategies the
oracle found unsafe, and the decision per load (docs/results.md), from
the same code as the run's summary.md. Rebuilt from the
run directories each time, so it never disagrees with them. scripts/run
calls it for runs under results/. RESULTS_DIR/index.json holds the same,
for programs."""


def run_entry(path):
    """One run directory, as index.json lists it: its decision per load
    from decision.py, as the run's summary.md states it."""
    meta = read_json(os.path.join(path, "metadata.json"))
    d = decision.decide_run_dir(path)
    return {
        "run": os.path.basename(path),
        "date": meta.get("date"),
        "host_name": meta.get("host_name"),
        "kernel": meta.get("kernel"),
        "git_revision": meta.get("git_revision"),
        "incomplete": os.path.exists(os.path.join(path, "MISSING.txt")),
        "unsafe": d.unsafe,
        "decided_by": d.source,
        "noise_floor": d.noise.note,
        "decision": [
            {"load": ld.load, "kind": ld.kind, "strategies": ld.strategies,
             "text": ld.text,
             "left_out": [{"strategy": s, "reason": why} for s, why in ld.left_out]}
            for ld in d.loads],
        "host_warnings": meta.get("host_warnings"),
    }


def md_row(e):
    recs = [f"{r['load']}: {r['text']}" for r in e["decision"]]
    date = (e["date"] or "?")[:16].replace("T", " ")
    return (f"| {date} | [{e['run']}]({e['run']}/summary.md)"
            f"{' (incomplete)' if e['incomplete'] else ''} | "
            f"{e['host_name'] or '?'} | {e['kernel'] or '?'} | "
            f"{e['git_revision'] or '?'} | {', '.join(e['unsafe']) or '-'} | "
            f"{'; '.join(recs) or '-'} |")


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="scripts/index-results",
                                 description=DESCRIPTION)
    ap.add_argument("results_dir", metavar="RESULTS_DIR", nargs="?",
                    default=os.path.join(TOP, "results"),
                    help="the directory of runs (default results/)")
    return ap.parse_args(argv)


HEADER = ["# Runs", "",
          "One line per run directory, newest first (scripts/index-results "
          "rebuilds it; scripts/run calls it). Unsafe: strategies the "
          "oracle found unsafe under some load. Decision: per load, "
          "\"use X\", a tie within the run's noise floor, or undecided "
          "with the repetitions it would take (docs/results.md; the "
          "run's summary.md gives the intervals and what was left out). "
          "Compare two runs with scripts/compare BASE NEW.", "",
          "| date (UTC) | run | host | kernel | git | unsafe | decision |",
          "|---|---|---|---|---|---|---|"]


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    top = args.results_dir
    if not os.path.isdir(top):
        print(f"index-results: {top} is not a directory", file=sys.stderr)
        return 2
    runs = []
    for name in sorted(os.listdir(top)):
        path = os.path.join(top, name)
        if os.path.isfile(os.path.join(path, "metadata.json")):
            try:
                runs.append(run_entry(path))
            except (OSError, ValueError, AttributeError) as e:
                print(f"index-results: skipping {path}: {e}", file=sys.stderr)
    runs.sort(key=lambda e: (e["date"] or "", e["run"]), reverse=True)
    tmp = os.path.join(top, ".index.md.tmp")
    with open(tmp, "w") as f:
        f.write("\n".join(HEADER + [md_row(e) for e in runs]) + "\n")
    os.replace(tmp, os.path.join(top, "index.md"))
    write_json(os.path.join(top, "index.json"), {"runs": runs})
    return 0
