"""A run's plots, rendered with gnuplot (PNG and SVG) into RUN_DIR/plots/."""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

from .cli import parse
from .results import Run, latency_points, loads_of, order_key, strategies_of
from .strategies import strategy_color, strategy_rank

DESCRIPTION = """Renders RUN_DIR's results with gnuplot into RUN_DIR/plots/, as PNG and SVG:
  throughput.*         buffers/s per strategy, grouped by load: bars are
                       medians (as every table), whiskers min..max over
                       the repetitions (their number in the axis label);
                       a strategy the oracle found unsafe under any load
                       is hatched under every load, in its own color; a
                       bar too short to see is labelled with its value
  latency-<load>.*     per strategy, the notifier's time per invalidation
                       as a percentile spectrum (HdrHistogram's axis,
                       1/(1 - percentile), so the tail is readable);
                       unsafe strategies dashed and named so in the key
  scaling-<param>.*    throughput and notifier time against vqs, devices,
                       pages per invalidation and invalidation rate
  module-throughput.*  the same as throughput.* for the kernel module, if
                       the run has module.json: a strategy the model
                       found unsafe hatched, marked EMULATED when the
                       timings come from a TCG guest, refused strategies
                       named
Strategies keep the same color in every plot. Existing plots are replaced."""


SCALING = {
    "vqs": ("virtqueues", True),
    "devices": ("devices (notifiers) of 64 vqs each", True),
    "pages": ("pages per invalidation", True),
    "rate": ("invalidations/s per invalidator", True),
    "ring": ("ring size (descriptors)", True),
    "invalidators": ("invalidator threads", False),
}


def terminals(base):
    return [("pngcairo size 1100,650 font 'DejaVu Sans,11' noenhanced", base + ".png"),
            ("svg size 1100,650 font 'DejaVu Sans,11' noenhanced dynamic", base + ".svg")]


def gnuplot(script, tmp):
    path = os.path.join(tmp, "plot.gp")
    with open(path, "w") as f:
        f.write(script)
    subprocess.run(["gnuplot", path], check=True)


def render(body, base, tmp):
    for term, out in terminals(base):
        gnuplot(f"set terminal {term}\nset output '{out}'\n{body}\n"
                "unset output\n", tmp)


def minmax(case):
    v = case.values()
    return (min(v), max(v)) if v else (None, None)


def unsafe_strategies(cases, safe=None):
    """The strategies the oracle found unsafe in any of CASES (any load):
    every plot draws them as unsafe, whatever the case."""
    safe = safe or (lambda c: c.safe())
    return {c.strategy for c in cases if c.runs and safe(c) is False}


# A bar lower than this share of the tallest carries its value.
SMALL_BAR = 0.03


def bar_plots(cases, strategies, loads, base, tmp, unsafe_set):
    """gnuplot plot clauses of the bars and whiskers, and the numbers of
    repetitions they span: a strategy in UNSAFE_SET hatched in its own
    colour on every load; a bar too small to see labelled with its value."""
    n = len(strategies)
    width = 0.8 / n
    plots, reps = [], set()
    top = max((c.median() for c in cases if c.runs), default=0)
    for j, s in enumerate(strategies):
        titled = False
        for unsafe in (s in unsafe_set,):
            data = os.path.join(tmp, f"{os.path.basename(base)}-{s}-{int(unsafe)}.dat")
            rows = 0
            with open(data, "w") as f:
                for row, load in enumerate(loads):
                    case = next((c for c in cases if c.strategy == s
                                 and c.load == load and c.runs), None)
                    if not case:
                        continue
                    lo, hi = minmax(case)
                    reps.add(len(case.runs))
                    x = row + (j - (n - 1) / 2) * width
                    f.write(f"{x:.4f} {case.median():.6g} {lo:.6g} {hi:.6g}\n")
                    rows += 1
            if not rows:
                continue
            fill = "fs pattern 4 border" if unsafe else "fs solid 0.85 border -1"
            # The strategy's first bars carry its name in the key.
            key = "notitle" if titled else \
                f"title '{s}{' (UNSAFE)' if unsafe else ''}'"
            titled = True
            plots.append(f"'{data}' using 1:2:({width:.4f}) with boxes {fill} "
                         f"lc rgb '{strategy_color(s)}' {key}")
            plots.append(f"'{data}' using 1:2:3:4 with yerrorbars lc rgb '#303030' "
                         "pt 0 lw 1 notitle")
            small = small_bars(data, top)
            if small:
                plots.append(f"'{small}' using 1:2:3 with labels offset 0,0.8 "
                             f"font ',9' tc rgb '{strategy_color(s)}' notitle")
    return plots, reps


def small_bars(data, top):
    """A data file of DATA's bars lower than SMALL_BAR of TOP, with their
    values as labels; None when there is none (no empty file to plot)."""
    rows = []
    with open(data) as f:
        for line in f:
            x, med = line.split()[:2]
            if top and float(med) < SMALL_BAR * top:
                rows.append(f"{x} {float(med):.6g} \"{human(float(med))}\"\n")
    if not rows:
        return None
    path = data[:-4] + "-small.dat"
    with open(path, "w") as f:
        f.writelines(rows)
    return path


def human(v):
    """2530000 -> 2.53M."""
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.3g}{suffix}"
    return f"{v:.3g}"


def plot_notes(cases, strategies, note):
    """The plot's notes: NOTE, and the strategies with no data, why."""
    missing = sorted({c.strategy for c in cases if not c.runs} - set(strategies),
                     key=strategy_rank)
    notes = [note] if note else []
    if missing:
        reasons = {c.error.split(":")[0] for c in cases
                   if c.strategy in missing and c.error}
        notes.append("not shown: " + ", ".join(missing) +
                     (f" ({'; '.join(sorted(reasons))})" if reasons else ""))
    return notes


def throughput_plot(cases, title, base, tmp, note="", safe=None,
                    unsafe_set=None):
    """Median bars with min-max whiskers over the repetitions, as the
    tables show medians; unsafe cases hatched (safe(case) says, default
    the case's own verdict); cases with no data named."""
    safe = safe or (lambda c: c.safe())
    strategies = strategies_of(cases, lambda c: c.runs)
    loads = loads_of(cases)
    if not strategies or not loads:
        return False
    if unsafe_set is None:
        unsafe_set = unsafe_strategies(cases, safe)
    plots, reps = bar_plots(cases, strategies, loads, base, tmp, unsafe_set)
    if unsafe_set & set(strategies):
        plots.append("NaN with boxes fs pattern 4 border lc rgb '#303030' "
                     "title 'hatched: UNSAFE (oracle)'")
    notes = plot_notes(cases, strategies, note)
    rep = "/".join(str(r) for r in sorted(reps))
    labels = "\n".join(f"set label {i + 1} \"{t}\" at graph 0.01, graph "
                       f"{0.97 - 0.05 * i:.2f} font ',10' tc rgb '#b00000'"
                       for i, t in enumerate(notes))
    xtics = ", ".join(f"'{l}' {i}" for i, l in enumerate(loads))
    render(f"""set title '{title}'
set ylabel 'throughput (buffers/s)'
set xlabel 'load (bars: median; whiskers: min..max over {rep} repetitions)'
set xtics ({xtics})
set xrange [-0.6:{len(loads) - 0.4}]
set yrange [0:*]
set offsets 0, 0, graph {0.08 + 0.06 * len(notes):.2f}, 0
set grid ytics
set key outside right top
set format y '%.1s%c'
{labels}
plot {', '.join(plots)}
""", base, tmp)
    return True


def model_verdict(run):
    """The kernel has no oracle: a module case is as safe as the model
    found the same strategy under the same load."""
    model = {(c.strategy, c.load): c.safe() for c in run.throughput()}
    return lambda c: model.get((c.strategy, c.load))


def histograms(run_dir, report):
    """{case: {"notifier_ns": {value: count}, ...}}, the repetitions'
    full histograms merged, from REPORT-histograms.jsonl if the run has
    it."""
    path = os.path.join(run_dir, f"{report}-histograms.jsonl")
    merged = {}
    if not os.path.exists(path):
        return merged
    with open(path) as f:
        for line in f:
            d = json.loads(line)
            case = merged.setdefault(d["case"], {})
            for key in ("notifier_ns", "window_ns"):
                h = case.setdefault(key, {})
                for v, n in d.get(key, []):
                    h[v] = h.get(v, 0) + n
    return merged


def spectrum(hist):
    """[(percentile, ns)] from a full histogram: a point every tenth of a
    decade of 1/(1 - q), as far as the samples reach, and the maximum."""
    total = sum(hist.values())
    if not total:
        return []
    values = sorted(hist.items())
    points, k = [], 0
    while True:
        q = 100 * (1 - 10 ** (-k / 10))
        rank = max(1, math.ceil(q / 100 * total))
        if k and total * (1 - q / 100) < 1:
            break
        seen = 0
        for v, n in values:
            seen += n
            if seen >= rank:
                points.append((q, v))
                break
        k += 1
    points.append((100, values[-1][0]))
    return points


def spectrum_x(q):
    """HdrHistogram's percentile axis: 1 / (1 - q), so 90, 99 and 99.9
    are equally spaced; the maximum is drawn one decade past 99.9."""
    return 1e4 if q >= 100 else 1 / (1 - q / 100)


def latency_plots(run, outdir, tmp, unsafe_set=frozenset()):
    made = []
    for load in loads_of(run.throughput()):
        cases = [c for c in run.throughput() if c.load == load and c.runs
                 and c.median("inval_max_ns")]
        if not cases:
            continue
        # What the strategy costs the mm, where the run measured it.
        notifier = all(c.median("notifier_max_ns") is not None for c in cases)
        prefix = "notifier" if notifier else "inval"
        what = ("time inside the notifier callbacks per invalidation"
                if notifier else
                "invalidate_range_start called .. invalidate_range_end returned")
        plots, empty = [], []
        hists = histograms(run.path, "mnbench")
        key = "notifier_ns" if notifier else "window_ns"
        for c in sorted(cases, key=order_key):
            data = os.path.join(tmp, f"lat-{load}-{c.strategy}.dat")
            rows = 0
            with open(data, "w") as f:
                points = spectrum(hists.get(c.name, {}).get(key, {}))
                if not points:   # a run from before the histograms file
                    points = [(q, c.median(counter))
                              for q, counter in latency_points(prefix)]
                for q, v in points:
                    if v:
                        f.write(f"{spectrum_x(q):.6g} {v:.6g} {q}\n")
                        rows += 1
            if not rows:       # nothing above 0 ns: off a log scale
                empty.append(c.strategy)
                continue
            unsafe = c.strategy in unsafe_set
            label = c.strategy + (" (UNSAFE)" if unsafe else "")
            plots.append(f"'{data}' using 1:2 with linespoints title '{label}' "
                         f"lc rgb '{strategy_color(c.strategy)}' lw 2 pt 7"
                         + (" dt 2" if unsafe else ""))
        if not plots:
            continue
        note = ("set label 1 \"not shown (no time above 0 ns): "
                + ", ".join(empty) + "\" at graph 0.01, graph 0.97 "
                "font ',10' tc rgb '#b00000'") if empty else ""
        base = os.path.join(outdir, f"latency-{load}")
        xtics = ", ".join(f"'{t}' {spectrum_x(q):g}" for q, t in
                          ((10, "10%%"), (50, "50%%"), (90, "90%%"), (99, "99%%"),
                           (99.9, "99.9%%"), (100, "max")))
        render(f"""set title '{prefix} latency percentile spectrum, load {load} ({run.title()})'
set xlabel 'percentile of invalidations (log scale of 1/(1 - percentile): the tail spread out)'
set ylabel '{what} (ns, log scale)'
set logscale x 10
set logscale y 10
set xtics ({xtics})
set xrange [1:{spectrum_x(100) * 1.5:g}]
set format y '%.0s%c'
set grid
set key outside right top
{note}
plot {', '.join(plots)}
""", base, tmp)
        made.append(base)
    return made


def fmt_or_nan(v):
    """A value for gnuplot; NaN (a gap) where the case has none."""
    return "NaN" if v is None else f"{v:.6g}"


def scaling_plots(run, outdir, tmp, unsafe_set=frozenset()):
    made = []
    for param, (label, logx) in SCALING.items():
        cases = [c for c in run.sweeps(param) if c.runs]
        # A rate of 0 means uncapped: it has no place on a rate axis.
        cases = [c for c in cases if not (param == "rate" and c.value == 0)]
        strategies = strategies_of(cases)
        if not strategies:
            continue
        tput, p99, no_lat = [], [], []
        # What an invalidation that hits a vq costs in the notifier (a
        # miss may cost nothing), else the notifier's p99, else the window.
        lat = ("notifier_hit_p50_ns"
               if any(c.median("notifier_hit_p50_ns") is not None
                      for c in cases) else
               "notifier_p99_ns"
               if all(c.median("notifier_p99_ns") is not None
                      for c in cases) else "inval_p99_ns")
        for s in strategies:
            data = os.path.join(tmp, f"scale-{param}-{s}.dat")
            with open(data, "w") as f:
                for c in sorted((c for c in cases if c.strategy == s), key=order_key):
                    lo, hi = minmax(c)
                    f.write(f"{c.value:g} {c.median():.6g} {lo:.6g} {hi:.6g} "
                            f"{fmt_or_nan(c.median(lat))}\n")
            color = strategy_color(s)
            unsafe = s in unsafe_set
            title = s + (" (UNSAFE)" if unsafe else "")
            dash = " dt 2" if unsafe else ""
            tput.append(f"'{data}' using 1:2:3:4 with yerrorlines title '{title}' lc rgb '{color}' lw 2 pt 7{dash}")
            if any((c.median(lat) or 0) > 0 for c in cases if c.strategy == s):
                p99.append(f"'{data}' using 1:5 with linespoints title '{title}' lc rgb '{color}' lw 2 pt 7{dash}")
            else:
                no_lat.append(s)
        load = cases[0].load
        xs = sorted({c.value for c in cases})
        xtics = ", ".join(f"'{x:g}' {x:g}" for x in xs)
        reps = "/".join(str(r) for r in sorted({len(c.runs) for c in cases}))
        what = {"notifier_hit_p50_ns":
                "notifier time per invalidation that hit a vq, p50 (ns; 0 is off the log scale)",
                "notifier_p99_ns": "p99 time in the notifier per invalidation (ns)",
                }.get(lat, "p99 invalidation window (ns)")
        base = os.path.join(outdir, f"scaling-{param}")
        render(f"""set multiplot layout 1,2 title 'scaling with {label}, load {load} ({run.title()}); medians, whiskers min..max over {reps} repetitions'
set grid
set key top right
{'set logscale x 2' if logx else ''}
set xtics ({xtics})
# End points off the frame, so their error bars show.
set offsets graph 0.04, graph 0.04, 0, 0
set xlabel '{label}'
set ylabel 'throughput (buffers/s)'
set format y '%.1s%c'
set yrange [0:*]
plot {', '.join(tput)}
set ylabel '{what}'
set logscale y 10
set yrange [*:*]
set format y '%.0s%c'
{missing_note(no_lat)}
plot {', '.join(p99) if p99 else "NaN notitle"}
unset multiplot
""", base, tmp)
        made.append(base)
    return made


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="scripts/plot", description=DESCRIPTION,
        usage="%(prog)s [-h] [--data] RUN_DIR",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_dir", metavar="RUN_DIR", nargs="?", help="a run directory")
    ap.add_argument("--data", action="store_true",
                    help="also keep the data files behind the plots in "
                    "RUN_DIR/plots/data/")
    return parse(ap, argv, [("run_dir", "RUN_DIR")])


def missing_note(strategies):
    """A gnuplot label naming STRATEGIES, which have no point to draw."""
    if not strategies:
        return ""
    return ("set label 1 \"not shown (no time above 0 ns): "
            + ", ".join(strategies) + "\" at graph 0.01, graph 0.97 "
            "font ',10' tc rgb '#b00000'")


def render_all(run, outdir, tmp):
    made = []
    # The oracle's verdict per strategy, over every load and sweep.
    unsafe = unsafe_strategies(list(run.cases.values()))
    base = os.path.join(outdir, "throughput")
    if throughput_plot(run.throughput(), f"vq throughput in the model ({run.title()})",
                       base, tmp, unsafe_set=unsafe):
        made.append(base)
    made += latency_plots(run, outdir, tmp, unsafe)
    made += scaling_plots(run, outdir, tmp, unsafe)
    if run.module_cases:
        base = os.path.join(outdir, "module-throughput")
        if throughput_plot(run.throughput(run.module_cases),
                           f"vq throughput, kernel module ({run.module_title()})",
                           base, tmp,
                           "EMULATED (qemu TCG): behaviour, not performance"
                           if run.module_under_tcg() else "",
                           model_verdict(run), unsafe_set=unsafe |
                           unsafe_strategies(run.throughput(run.module_cases),
                                             model_verdict(run))):
            made.append(base)
    return made


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        run = Run(args.run_dir)
    except (OSError, ValueError) as e:
        print(f"plot: {e}", file=sys.stderr)
        return 2
    outdir = os.path.join(args.run_dir, "plots")
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        tmp = os.path.join(outdir, "data") if args.data else scratch
        os.makedirs(tmp, exist_ok=True)
        made = render_all(run, outdir, tmp)
    for base in made:
        print(f"{base}.png {base}.svg")
    return 0
