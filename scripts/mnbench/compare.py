"""Comparing runs for a review: plain text for email, markdown for the web."""
import argparse
import base64
import collections
import os
import shutil
import subprocess
import sys
import tempfile

from . import decision
from .results import Run, loads_of, order_key, strategies_of
from .strategies import strategy_color

DESCRIPTION = """Compare run NEW_DIR against run BASE_DIR (as scripts/run writes
them) for a patch review; with more runs after NEW_DIR, a trend across
them, each compared with BASE_DIR. Writes into OUT (default: the last
run's compare-vs-<base name>/; it must not exist):
  review.txt     a plain-text review that fits a 72-column email: both
                 runs' host, kernel, CPU, placement, build and git
                 revision; warnings when they differ, first; the two
                 runs' decisions per load side by side (docs/results.md)
                 and whether they changed; per case the base and new
                 medians of buffers/s, the change, the change normalized
                 by each run's own bare fast path, the interval of the
                 change, and marks
  compare.md     the same as markdown, with its images embedded, so it
                 renders on its own and when pasted
  compare-py.txt Google Benchmark's compare.py report, where installed
  *.png, *.svg   side-by-side plots per strategy
A case is flagged (*) only when the interval of its change (new / base,
Hodges-Lehmann, at 1 - --alpha) lies entirely outside both runs' noise
floors (their tie zones), and the change is at least --threshold percent:
a run compared with itself flags nothing. Across hosts the change and
its interval are the normalized ones. ! marks a case the oracle found
unsafe. Module timings from a TCG guest are shown but never flagged."""

COMPARE_PY = "/usr/share/benchmark/compare.py"
# What a comparison across runs must hold equal to mean something.
CONTEXT_KEYS = (("host_name", "host"), ("kernel", "kernel"),
                ("cpu_model", "CPU model"), ("topology", "topology"),
                ("placement", "placement"), ("build_type", "build type"))
WIDTH = 72
# What a buffer costs the worker thread (perf task-clock), where measured.
COST_COUNTER = "worker_cpu_ns_per_buffer"
COST_TITLE = "Worker CPU per buffer (ns; lower is better)"


def human(v):
    """2530000 -> 2.53M: three significant digits, SI suffix."""
    if v is None:
        return "-"
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.3g}{suffix}"
    return f"{v:.3g}"


def short_name(name):
    """throughput/counter/ksm/vqs:1 -> counter/ksm;
    sweep/vqs/counter/zap/vqs:4 -> counter/zap vqs:4."""
    parts = name.split("/")
    if parts[0] == "throughput" and name.endswith("/vqs:1"):
        return "/".join(parts[1:-1])
    if parts[0] == "sweep" and len(parts) == 5:
        return f"{parts[2]}/{parts[3]} {parts[4]}"
    return name


def bare_speed(run):
    c = run.cases.get("fastpath/bare")
    return c.median() if c and c.runs else None


def differences(base, new):
    """What differs between two runs' machines, as readable phrases."""
    out = []
    for key, label in CONTEXT_KEYS:
        a, b = base.context.get(key), new.context.get(key)
        if a != b:
            out.append(f"{label} ({a} vs {b})")
    return out


def describe(run):
    c = run.context
    return (f"{run.path}: host {c.get('host_name', '?')}, kernel "
            f"{c.get('kernel', '?')}, {c.get('cpu_model', '?')}, "
            f"{c.get('topology', '?')}, placement {c.get('placement', '?')}, "
            f"{c.get('build_type', '?')} build, git "
            f"{c.get('git_revision', '?')}")


# When a case's change is flagged: its interval at CONFIDENCE beyond the
# tie zone 1 +- TOLERANCE (both runs' noise floors), and at least
# THRESHOLD percent; NORMALIZE: the change after dividing by each run's
# bare fast path (runs from different hosts).
ChangeRule = collections.namedtuple(
    "ChangeRule", ["tolerance", "confidence", "normalize", "threshold"])


def case_rows(base, new, base_cases, new_cases, rule, flaggable=True,
              counter="items_per_second"):
    """Per common case: (name, base, new, delta %, normalized delta %, p,
    mark, note, (lo %, hi %)). RULE: a ChangeRule; the interval and the
    flag are of the normalized change when rule.normalize. mark: '*' a change (decision.case_change), '' none;
    '!' appended when the oracle found the case unsafe in either run.
    counter: buffers/s by default; another counter (a cost per buffer)
    lists only the cases that have it."""
    nb, nn = bare_speed(base), bare_speed(new)
    speed = counter == "items_per_second"
    rows = []
    for name in sorted(set(base_cases) & set(new_cases),
                       key=lambda n: order_key(new_cases[n])):
        b, n = base_cases[name], new_cases[name]
        if b.kind not in ("throughput", "sweep", "fastpath"):
            continue
        if not speed and not (b.values(counter) and n.values(counter)):
            continue
        if b.error or n.error or not b.runs or not n.runs:
            rows.append((name, None, None, None, None, None, "",
                         b.error or n.error or "no data", None))
            continue
        bm, nm = b.median(counter), n.median(counter)
        delta = 100.0 * (nm - bm) / bm if bm else 0.0
        # A speed divides by the host's bare speed, a cost multiplies.
        scale = (nn / nb if speed else nb / nn) if nb and nn else None
        norm = (100.0 * ((nm / bm) / scale - 1)
                if scale and bm else None)
        r, changed = decision.case_change(
            b.values(counter), n.values(counter), rule.tolerance,
            rule.confidence, scale if rule.normalize and scale else 1.0)
        ci = ((100 * (r.lo - 1), 100 * (r.hi - 1)) if r.lo is not None else None)
        mark = ""
        if flaggable and changed and abs(100 * (r.ratio - 1)) >= rule.threshold:
            mark = "*"
        if b.safe() is False or n.safe() is False:
            mark += "!"
        rows.append((name, bm, nm, delta, norm, r.p, mark, "", ci))
    return rows


def pct(v):
    return "-" if v is None else f"{v:+.1f}%"


def ci_text(ci):
    """(lo %, hi %) -> "-12..+8"; "-" without an interval."""
    return "-" if ci is None else f"{ci[0]:+.0f}..{ci[1]:+.0f}"


def text_table(rows):
    out = [f"{'case':<25} {'base':>6} {'new':>6} {'delta':>7} "
           f"{'norm':>7} {'interval':>11}"]
    for name, bm, nm, delta, norm, p, mark, note, ci in rows:
        name = short_name(name)
        if len(name) > 25:
            name = name[:24] + "~"
        if bm is None:
            note = note.replace("the module refused it", "refused")
            note = note.split(" (")[0]
            out.append(f"{name:<25} {note[:WIDTH - 26]}")
            continue
        out.append(f"{name:<25} {human(bm):>6} {human(nm):>6} "
                   f"{pct(delta):>7} {pct(norm):>7} {ci_text(ci):>11} {mark:<2}"
                   .rstrip())
    return out


def md_table(rows, unit="buffers/s"):
    out = [f"| case | base ({unit}) | new ({unit}) | delta | "
           "normalized | interval (%) | p (U test) | flag |",
           "|---|---:|---:|---:|---:|---:|---:|---|"]
    words = {"*": "**changed**", "": ""}
    for name, bm, nm, delta, norm, p, mark, note, ci in rows:
        if bm is None:
            out.append(f"| {name} | | | | | | | {note} |")
            continue
        flag = words[mark.rstrip("!")]
        if mark.endswith("!"):
            flag = (flag + "; " if flag else "") + "UNSAFE (oracle)"
        ptxt = f"{p:.3f}" if p is not None else "n/a"
        out.append(f"| {name} | {human(bm)} | {human(nm)} | {pct(delta)} | "
                   f"{pct(norm)} | {ci_text(ci)} | {ptxt} | {flag} |")
    return out


def wrap(text, indent="", width=WIDTH):
    """Words into lines of at most WIDTH columns."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = indent + word
        else:
            line = (line + " " + word) if line else word
    if line:
        lines.append(line)
    return lines


def side_by_side(base, new, outdir, tmp):
    """One plot per strategy: base and new buffers/s per load."""
    images = []
    both = base.throughput() + new.throughput()
    for s in strategies_of(both):
        loads = loads_of(both, lambda c, s=s: c.strategy == s and c.runs)
        if not loads:
            continue
        data = os.path.join(tmp, f"cmp-{s}.dat")
        with open(data, "w") as f:
            for l in loads:
                row = [l]
                for run in (base, new):
                    c = next((c for c in run.throughput()
                              if c.strategy == s and c.load == l), None)
                    mean, sd = c.mean_stddev() if c else (None, None)
                    row += [f"{mean:.6g}" if mean is not None else "NaN",
                            f"{sd:.6g}" if sd is not None else "0"]
                f.write(" ".join(row) + "\n")
        name = f"compare-{s}"
        for term, ext in (("pngcairo size 900,500 font 'DejaVu Sans,11' noenhanced", "png"),
                          ("svg size 900,500 font 'DejaVu Sans,11' noenhanced dynamic", "svg")):
            script = os.path.join(tmp, "cmp.gp")
            with open(script, "w") as f:
                f.write(f"""set terminal {term}
set output '{os.path.join(outdir, name + '.' + ext)}'
set title '{s}: base ({base.title()}) vs new ({new.title()})'
set ylabel 'throughput (buffers/s)'
set xlabel 'load'
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.85 border -1
set yrange [0:*]
set format y '%.1s%c'
set grid ytics
set key outside right top
plot '{data}' using 2:3:xtic(1) title 'base' lc rgb '#bbbbbb', \\
     '' using 4:5 title 'new' lc rgb '{strategy_color(s)}'
unset output
""")
            subprocess.run(["gnuplot", script], check=True)
        images.append(name)
    return images


def google_compare(base_dir, new_dir):
    py = "/usr/bin/python3"
    if not os.path.exists(COMPARE_PY) or subprocess.run(
            [py, "-c", "import scipy"], capture_output=True).returncode:
        return None
    r = subprocess.run([py, COMPARE_PY, "--no-color", "benchmarks",
                        os.path.join(base_dir, "mnbench.json"),
                        os.path.join(new_dir, "mnbench.json")],
                       capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else f"compare.py failed:\n{r.stderr}"


def decisions(run):
    """decision.py's decision for a compared run (as its summary states)."""
    return decision.decide_run(run, decision.read_exploration(run.path),
                               decision.read_host_conditions(run.path))


def unusable(run):
    """Why RUN cannot be compared, as one sentence, or None: it needs
    throughput cases with at least two repetitions, of two strategies."""
    name = run.path
    cases = [c for c in run.throughput() if c.runs]
    if not cases:
        return f"{name} has no throughput case with results: nothing to compare"
    if all(len(c.runs) < 2 for c in cases):
        return (f"{name} has one repetition per case: a change needs an "
                "interval, which needs repetitions (scripts/run "
                "--repetitions 3 or more)")
    if len({c.strategy for c in cases}) < 2:
        return (f"{name} measured one strategy only "
                f"({cases[0].strategy}): there is no decision to compare; "
                "run at least two strategies")
    return None


def review_rows(base, new, args):
    """The review's warnings, decisions, tables, flagged cases and legend."""
    tcg = base.module_under_tcg() or new.module_under_tcg()
    both_modules = base.module_cases and new.module_cases
    bd, nd = decisions(base), decisions(new)
    hosts = decision.host_warning(bd, nd)
    warn = []
    if hosts:
        warn.append(f"WARNING: {decision.HOSTS_DIFFER} ({hosts}). "
                    f"{decision.HOSTS_DIFFER_WHY} A case is flagged only "
                    "when its change normalized by each run's own bare "
                    "fast path, and that change's interval, support it.")
    named = {f for f, _, _ in decision.host_differences(bd.context, nd.context)}
    diff = [d for d, (key, _) in zip(differences(base, new), [
        k for k in CONTEXT_KEYS if base.context.get(k[0]) != new.context.get(k[0])])
        if key not in named]
    if diff:
        warn.append("WARNING: the runs differ in " + ", ".join(diff) +
                    ": a delta mixes the change with the setup.")
    if tcg and both_modules:
        warn.append("WARNING: module timings come from a qemu TCG guest: "
                    "behaviour, not performance; they are listed, never "
                    "flagged.")
    rule = ChangeRule(max(bd.noise.tolerance, nd.noise.tolerance),
                      1 - args.alpha, bool(hosts), args.threshold)

    def rows_of(model, counter="items_per_second"):
        if model:
            return case_rows(base, new, base.cases, new.cases, rule,
                             counter=counter)
        return (case_rows(base, new, base.module_cases, new.module_cases,
                          rule, flaggable=not tcg, counter=counter)
                if both_modules else [])
    r = {"warn": warn, "rows": rows_of(True), "mrows": rows_of(False),
         "decisions": decision.decision_changes(bd, nd),
         "costs": [(COST_TITLE, rows_of(True, COST_COUNTER)),
                   (f"{COST_TITLE}, kernel module", rows_of(False, COST_COUNTER))]}
    flagged = [short_name(row[0]) for row in r["rows"] + r["mrows"]
               if row[6][:1] == "*"]
    flagged += [short_name(row[0]) + " (cost)" for _, crs in r["costs"]
                for row in crs if row[6][:1] == "*"]
    r["flagged"] = (f"{len(flagged)} case(s) flagged" +
                    (": " + ", ".join(flagged) if flagged else "."))
    r["noise"] = (f"Noise floors: base {bd.noise.note}; new {nd.noise.note}. "
                  f"Tie zone +-{100 * rule.tolerance:.1f}%.")
    r["legend"] = (
        "Medians of buffers/s. interval: the "
        + ("normalized " if hosts else "")
        + f"change new / base at {100 * rule.confidence:g}% (Hodges-Lehmann, "
        "exact), in percent. * a change: that interval lies outside the "
        f"tie zone (+-{100 * rule.tolerance:.1f}%)"
        + (f" and the change is >= {args.threshold:g}%" if args.threshold else "")
        + "; ! unsafe (oracle). norm: the change after dividing each run by "
        "its own fastpath/bare.")
    r["title"] = (f"mnbench review: {os.path.basename(os.path.normpath(new.path))}"
                  f" vs {os.path.basename(os.path.normpath(base.path))}")
    return r


def decision_text(rows):
    """The two runs' decisions per load, for a 72-column email."""
    out = []
    for load, b, n, verdict in rows:
        out += wrap(f"{load}: {verdict.replace('**', '')}", "    ")
        for side, text in (("base:", b), ("new: ", n)):
            out += ["  " + l for l in wrap(f"{side} {text}", "      ", WIDTH - 2)]
    return out


def decision_md(rows):
    return (["| load | base | new | change |", "|---|---|---|---|"]
            + [f"| {load} | {b} | {n} | {v} |" for load, b, n, v in rows])


def review(base, new, args, trend):
    """The review's lines: text (72 columns) and markdown."""
    r = review_rows(base, new, args)
    txt = [r["title"], ""]
    for w in r["warn"]:
        txt += wrap(w, "         ") + [""]
    txt += wrap("base: " + describe(base), "      ")
    txt += wrap("new: " + describe(new), "      ")
    txt += [""] + wrap("Decisions per load (docs/results.md), base and "
                       "new; a change only beyond both intervals and "
                       "noise floors:") + decision_text(r["decisions"])
    txt += [""] + wrap(r["noise"]) + [""]
    txt += wrap(r["legend"]) + [""]
    txt += text_table(r["rows"])
    if r["mrows"]:
        txt += [""] + wrap(f"Kernel module ({new.module_title()}):")
        txt += text_table(r["mrows"])
    for title, crs in r["costs"]:
        if crs:
            txt += [""] + wrap(title + ":") + text_table(crs)
    txt += [""] + wrap(r["flagged"])
    if trend:
        txt += [""] + trend_text(base, trend)
    md = ["# " + r["title"], ""]
    for w in r["warn"]:
        md += [f"> **{w}**", ""]
    md += ["- base: " + describe(base), "- new: " + describe(new), "",
           "## Decisions, base and new", "",
           "A change only beyond both runs' intervals and noise floors "
           "(docs/results.md).", ""]
    md += decision_md(r["decisions"]) + ["", r["noise"], "",
                                          "## Cases", ""]
    md += [r["legend"], ""] + md_table(r["rows"])
    if r["mrows"]:
        md += ["", f"## Kernel module ({new.module_title()})", ""]
        md += md_table(r["mrows"])
    for title, crs in r["costs"]:
        if crs:
            md += ["", f"## {title}", ""] + md_table(crs, "ns")
    md += ["", r["flagged"], ""]
    return txt, md


def trend_text(base, runs):
    """Medians of every throughput case across the runs, base first."""
    allruns = [base] + runs
    names = sorted(set.intersection(*[set(r.cases) for r in allruns]),
                   key=lambda n: order_key(base.cases[n]))
    head = f"{'trend (medians)':<24}" + "".join(
        f" {'run' + str(i):>7}" for i in range(len(allruns)))
    out = ["Runs: " + ", ".join(f"run{i} = {os.path.basename(os.path.normpath(r.path))}"
                                for i, r in enumerate(allruns))]
    out = wrap(out[0]) + [head]
    for n in names:
        if base.cases[n].kind != "throughput":
            continue
        meds = [r.cases[n].median() if r.cases[n].runs else None
                for r in allruns]
        out.append(f"{short_name(n)[:24]:<24}" +
                   "".join(f" {human(m):>7}" for m in meds))
    return out


def embed(path):
    with open(path, "rb") as f:
        data = base64.b64encode(f.read()).decode()
    return f"data:image/svg+xml;base64,{data}"


def main(argv=None):
    ap = argparse.ArgumentParser(prog="scripts/compare", description=DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base_dir")
    ap.add_argument("new_dir", nargs="+",
                    help="one run, or several for a trend (oldest first)")
    ap.add_argument("--out", help="output directory (must not exist)")
    ap.add_argument("--threshold", type=float, default=0.0,
                    help="flag only changes of at least this many percent, "
                    "besides the interval and noise floor rule (default 0)")
    ap.add_argument("--alpha", type=float, default=0.05,
                    help="1 - the confidence of a change's interval "
                    "(default 0.05: 95%%)")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    if not (args.threshold >= 0 and 0 < args.alpha < 1):
        ap.error("--threshold must be >= 0 and --alpha in (0, 1)")
    try:
        base = Run(args.base_dir)
        runs = [Run(d) for d in args.new_dir]
    except (OSError, ValueError) as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2
    new = runs[-1]
    for run in [base] + runs:
        why = unusable(run)
        if why:
            print(f"compare: {why}", file=sys.stderr)
            return 2
    out = args.out or os.path.join(
        new.path, "compare-vs-" + os.path.basename(os.path.normpath(args.base_dir)))
    if os.path.exists(out):
        print(f"compare: --out {out} exists; not overwriting it", file=sys.stderr)
        return 2
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent) or not os.access(parent, os.W_OK):
        print(f"compare: --out {out}: {parent} is not a writable directory",
              file=sys.stderr)
        return 2
    tmp_out = out + ".partial"
    shutil.rmtree(tmp_out, ignore_errors=True)
    os.makedirs(tmp_out)
    try:
        txt, md = review(base, new, args, runs[:-1] + [new] if len(runs) > 1 else [])
        with tempfile.TemporaryDirectory() as tmp:
            images = side_by_side(base, new, tmp_out, tmp)
        md += ["## Base vs new per strategy", ""]
        md += [f"![{i}]({embed(os.path.join(tmp_out, i + '.svg'))})" for i in images]
        gc = google_compare(args.base_dir, new.path)
        if gc:
            with open(os.path.join(tmp_out, "compare-py.txt"), "w") as f:
                f.write(gc)
            md += ["", "Google Benchmark's compare.py report: compare-py.txt"]
        with open(os.path.join(tmp_out, "review.txt"), "w") as f:
            f.write("\n".join(txt) + "\n")
        with open(os.path.join(tmp_out, "compare.md"), "w") as f:
            f.write("\n".join(md) + "\n")
        os.rename(tmp_out, out)
    finally:
        shutil.rmtree(tmp_out, ignore_errors=True)
    with open(os.path.join(out, "review.txt")) as f:
        sys.stdout.write(f.read())
    print(f"compare: {out}/review.txt, compare.md", file=sys.stderr)
    return 0


