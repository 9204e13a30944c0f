"""results/index.md: one line per run directory, to find runs to compare."""
import argparse
import os
import re
import sys

from .schema import read_json
from .strategies import TOP

DESCRIPTION = """Writes RESULTS_DIR/index.md (default results/): one line per run
directory (one with metadata.json, as scripts/run writes it), newest
first: date, directory, host, kernel, git revision, the strategies the
oracle found unsafe, and the recommendation per load. Rebuilt from the
run directories each time, so it never disagrees with them. scripts/run
calls it for runs under results/."""


RECOMMENDATION = re.compile(r"^- \*\*(\w+)\*\*: (\w+)(?:, ([+-][0-9.]+%) over "
                            r"\w+ \(p = [0-9.]+, (significant|not significant))?")


def run_line(path):
    meta = read_json(os.path.join(path, "metadata.json"))
    unsafe, recs = [], []
    summary = os.path.join(path, "summary.md")
    if os.path.exists(summary):
        model = True
        for line in open(summary):
            if line.startswith("## Kernel module"):
                model = False
            cells = [c.strip() for c in line.split("|")]
            if model and len(cells) > 3 and cells[-2] == "**UNSAFE**" \
                    and cells[1] not in unsafe:
                unsafe.append(cells[1])
            m = RECOMMENDATION.match(line)
            if m:
                load, best, lead, sig = m.groups()
                recs.append(f"{load}: {best}" + (
                    f" {lead}" + ("" if sig == "significant" else " (n.s.)")
                    if lead else ""))
    date = (meta.get("date") or "?")[:16].replace("T", " ")
    missing = " (incomplete)" if os.path.exists(
        os.path.join(path, "MISSING.txt")) else ""
    return (meta.get("date") or "",
            f"| {date} | [{os.path.basename(path)}]({os.path.basename(path)}/summary.md)"
            f"{missing} | {meta.get('host_name', '?')} | {meta.get('kernel', '?')} | "
            f"{meta.get('git_revision', '?')} | {', '.join(unsafe) or '-'} | "
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
          "oracle found unsafe under some load. Recommendation: the "
          "fastest safe strategy per load and its lead over the next, "
          "n.s. when the repetitions do not make it significant. Compare "
          "two runs with scripts/compare BASE NEW.", "",
          "| date (UTC) | run | host | kernel | git | unsafe | recommendation |",
          "|---|---|---|---|---|---|---|"]


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    top = args.results_dir
    if not os.path.isdir(top):
        print(f"index-results: {top} is not a directory", file=sys.stderr)
        return 2
    rows = []
    for name in sorted(os.listdir(top)):
        path = os.path.join(top, name)
        if os.path.isfile(os.path.join(path, "metadata.json")):
            try:
                rows.append(run_line(path))
            except (OSError, ValueError) as e:
                print(f"index-results: skipping {path}: {e}", file=sys.stderr)
    lines = HEADER + [r[1] for r in sorted(rows, reverse=True)]
    tmp = os.path.join(top, ".index.md.tmp")
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, os.path.join(top, "index.md"))
    return 0
