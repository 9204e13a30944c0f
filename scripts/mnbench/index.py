"""results/index.md: one line per run directory, to find runs to compare."""
import argparse
import os
import re
import sys

from .schema import read_json, write_json
from .strategies import TOP

DESCRIPTION = """Writes RESULTS_DIR/index.md (default results/): one line per run
directory (one with metadata.json, as scripts/run writes it), newest
first: date, directory, host, kernel, git revision, the strategies the
oracle found unsafe, and the recommendation per load. Rebuilt from the
run directories each time, so it never disagrees with them. scripts/run
calls it for runs under results/. RESULTS_DIR/index.json holds the same,
for programs."""


RECOMMENDATION = re.compile(r"^- \*\*(\w+)\*\*: (\w+)(?:, ([+-][0-9.]+%) over "
                            r"\w+ \(p = [0-9.]+, (significant|not significant))?")


def summary_findings(path):
    """The strategies the oracle found unsafe and the recommendation per
    load, as summary.md states them: ([name], [(load, best, lead, sig)])."""
    unsafe, recs = [], []
    summary = os.path.join(path, "summary.md")
    if not os.path.exists(summary):
        return unsafe, recs
    model = True
    with open(summary) as f:
        for line in f:
            if line.startswith("## Kernel module"):
                model = False
            cells = [c.strip() for c in line.split("|")]
            if model and len(cells) > 3 and cells[-2] == "**UNSAFE**" \
                    and cells[1] not in unsafe:
                unsafe.append(cells[1])
            m = RECOMMENDATION.match(line)
            if m:
                recs.append(m.groups())
    return unsafe, recs


def run_entry(path):
    """One run directory, as index.json lists it."""
    meta = read_json(os.path.join(path, "metadata.json"))
    unsafe, recs = summary_findings(path)
    return {
        "run": os.path.basename(path),
        "date": meta.get("date"),
        "host_name": meta.get("host_name"),
        "kernel": meta.get("kernel"),
        "git_revision": meta.get("git_revision"),
        "incomplete": os.path.exists(os.path.join(path, "MISSING.txt")),
        "unsafe": unsafe,
        "recommendation": [
            {"load": load, "strategy": best, "lead": lead,
             "significant": sig == "significant" if lead else None}
            for load, best, lead, sig in recs],
        "host_warnings": meta.get("host_warnings"),
    }


def md_row(e):
    recs = [f"{r['load']}: {r['strategy']}" + (
        f" {r['lead']}" + ("" if r["significant"] else " (n.s.)")
        if r["lead"] else "") for r in e["recommendation"]]
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
