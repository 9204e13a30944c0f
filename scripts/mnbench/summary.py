"""metadata.json and summary.md of a run directory: the tables per
strategy and load, how each verdict was reached, and the decision.
scripts/run writes them; scripts/summarize writes them again on any run."""
import argparse
import json
import os
import sys

from . import decision
from .cli import parse
from .decision import HOST_JSON, missed_rings
from .results import LOAD_ORDER, Run, order_key
from .host import warnings as host_warnings
from .schema import write_json
from .strategies import strategy_rank

DESCRIPTION = """Reads RUN_DIR/mnbench.json (and module.json if present) and writes
RUN_DIR/metadata.json and RUN_DIR/summary.md: first the decision per load
(docs/results.md: "use X", a tie within the noise floor, or undecided
with the repetitions it would take), the interval it rests on, the noise
floor and the safe strategies left out with their reason; then a table
per strategy and load, the verdicts, and the pairwise effect sizes."""


def fmt(v, spec=".0f"):
    return format(v, spec) if v is not None else ""


def percent(share):
    """A share as a percentage; a small one that is not zero says so."""
    if share is None:
        return ""
    if 0 < share < 0.0005:
        return "<0.1%"
    return f"{100 * share:.1f}%"


SLOWED = 0.8


def rate_achieved(case):
    """The invalidations that happened against those asked for; below
    SLOWED the mm was held up, by the strategy's waits (its notifier
    wait says how much) or by the machine."""
    r = case.median("event_rate_achieved")
    if r is None or case.load == "none":
        return "-"
    return f"{r * 100:.0f}%" + (" (slowed)" if r < SLOWED else "")


def model_of(cell):
    """The memory model a cell was explored under (sc before there were
    others)."""
    model = cell.get("memory_model", "sc")
    return "sc" if model == "sequentially consistent" else model


def models_of(cells):
    return "/".join(sorted({model_of(c) for c in cells}))


def verdicts(run, explored):
    """Per strategy: the verdict and how it was reached, by stress runs
    and by exploration."""
    model = [c for c in run.throughput() if c.runs]
    cells = (explored or {}).get("cells", [])
    names = sorted({c.strategy for c in model} | {c["strategy"] for c in cells})
    lines = ["## Verdicts, and how they were reached", "",
             "Stress: the model's timed runs of this suite (a race is caught "
             "only if the host's scheduler opens it). Exploration: every "
             "schedule of a small scenario within a preemption bound "
             "(`scripts/explore`), or the first counterexample found, under "
             "the memory model it names: sc (sequentially consistent "
             "interleavings only), tso or lkmm (the Linux kernel memory "
             "model's reorderings too; docs/explore.md). A verdict holds "
             "under its model and bound, not beyond them.", "",
             "| strategy | verdict | stress | exploration |",
             "|---|---|---|---|"]
    for name in names:
        runs = [c for c in model if c.strategy == name]
        n = sum(len(c.runs) for c in runs)
        bad_stress = [c.load for c in runs if c.safe() is False]
        stress = (f"unsafe under {', '.join(sorted(set(bad_stress)))} "
                  f"({n} runs)" if bad_stress else
                  f"safe in {n} runs" if n else "not run")
        mine = [c for c in cells if c["strategy"] == name]
        bad = [c for c in mine if c["verdict"] == "unsafe"]
        if bad:
            c = bad[0]
            ex = (f"unsafe under {model_of(c)}: counterexample under "
                  f"{c['load']} with "
                  f"{c['counterexample']['preemptions']} preemption(s), "
                  f"schedule `{c['counterexample']['schedule']}`")
        elif mine and all(c["exhaustive"] for c in mine):
            ex = (f"safe under {models_of(mine)}, bound "
                  f"{explored['bound']}: explored exhaustively on "
                  + ", ".join(c["load"] for c in mine)
                  + f" ({sum(c['schedules'] for c in mine)} schedules)")
        elif mine:
            ex = (f"not known under {models_of(mine)}: no violation found, "
                  "but not searched completely")
        else:
            ex = "not explored"
        verdict = ("**UNSAFE**" if bad or bad_stress else
                   "safe" if n or mine else "-")
        lines.append(f"| {name} | {verdict} | {stress} | {ex} |")
    return lines


def table(cases, with_verdict):
    head = ("| strategy | load | buffers/s | p99 notifier (ns) | "
            "p99 window (ns) | max window (ns) | hit rings | "
            "rate achieved | fallback rate |")
    rule = "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    if with_verdict:
        head += " verdict |"
        rule += "---|"
    lines = [head, rule]
    # A strategy skipped for one reason under several loads is one row, and
    # each reason is written once, under the table.
    reasons = []
    skipped_rows = {}
    for c in sorted(cases, key=order_key):
        if c.error or not c.runs:
            why = c.error or "no data"
            if why not in reasons:
                reasons.append(why)
            key = (c.strategy, why)
            if key in skipped_rows:
                skipped_rows[key].append(c.load)
                continue
            skipped_rows[key] = [c.load]
            lines.append(key)
            continue
        fb = c.median("fallback_rate")
        # No invalidations, no latency: a dash, not a 0 ns that reads as fast.
        quiet = not c.median("inval_max_ns")
        hits = c.median("overlapping_invalidations")
        row = (f"| {c.strategy} | {c.load} | {fmt(c.median())} "
               f"| {'-' if quiet else fmt(c.median('notifier_p99_ns'))} "
               f"| {'-' if quiet else fmt(c.median('inval_p99_ns'))} "
               f"| {'-' if quiet else fmt(c.median('inval_max_ns'))} "
               f"| {'NEVER' if missed_rings(c) else fmt(hits, '.0f')}"
               f"{'/s' if hits else ''} "
               f"| {rate_achieved(c)} "
               f"| {percent(fb)} |")
        if with_verdict:
            row += " safe |" if c.safe() else " **UNSAFE** |"
        lines.append(row)
    empty = " |" * (8 if with_verdict else 7)
    lines = [line if isinstance(line, str) else
             f"| {line[0]} | {', '.join(skipped_rows[line])} | skipped "
             f"[{reasons.index(line[1]) + 1}]{empty}" for line in lines]
    if reasons:
        lines.append("")
        lines += [f"[{i}] {why}" + ("" if i == len(reasons) else "  ")
                  for i, why in enumerate(reasons, 1)]
    return lines


COST_COUNTERS = (("worker_cpu_ns_per_buffer", "CPU ns"),
                 ("worker_instructions_per_buffer", "instructions"),
                 ("worker_cycles_per_buffer", "cycles"))


def worker_cost(run):
    """What a buffer costs the worker, model and module side by side."""
    sides = [("model", run.throughput())]
    if run.module_cases:
        sides.append(("module", run.throughput(run.module_cases)))
    cols = [(side, cases, counter, label) for side, cases in sides
            for counter, label in COST_COUNTERS
            if any(c.values(counter) for c in cases)]
    if not cols:
        return []
    by_key = [{(c.strategy, c.load): c for c in cases}
              for _, cases, _, _ in cols]
    keys = sorted({k for d in by_key for k in d},
                  key=lambda k: (strategy_rank(k[0]),
                                 LOAD_ORDER.index(k[1])
                                 if k[1] in LOAD_ORDER else 99))
    lines = ["## What a buffer costs the worker", "",
             "The worker's own CPU time (the model's worker thread by "
             "CLOCK_THREAD_CPUTIME_ID, the module's kernel thread by its "
             "schedstat) divided by the buffers it completed: where a "
             "strategy's cost lands, whatever the throughput. "
             + ("Module numbers come from a TCG VM: behaviour, not "
                "performance. " if run.module_under_tcg() else "")
             + "Instructions and cycles (perf, on the worker alone) "
             "appear where a PMU counts them.", "",
             "| strategy | load | " +
             " | ".join(f"{side} {label}" for side, _, _, label in cols) + " |",
             "|---|---|" + "---:|" * len(cols)]
    for strategy, load in keys:
        cells = []
        for (side, _, counter, _), d in zip(cols, by_key):
            c = d.get((strategy, load))
            v = c.median(counter) if c and c.values(counter) else None
            cells.append("-" if v is None else fmt(v))
        lines.append(f"| {strategy} | {load} | " + " | ".join(cells) + " |")
    return lines


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="scripts/summarize",
                                 usage="%(prog)s [-h] RUN_DIR [COMMAND_LINE]",
                                 description=DESCRIPTION)
    ap.add_argument("run_dir", metavar="RUN_DIR", nargs="?", help="a run directory")
    ap.add_argument("command_line", metavar="COMMAND_LINE", nargs="?",
                    help="the command that made the run, for metadata.json")
    return parse(ap, argv, [("run_dir", "RUN_DIR")])


METADATA_KEYS = ("date", "host_name", "kernel", "cpu_model", "cpus_online",
                 "topology", "placement", "git_revision", "build_type",
                 "strategies", "perf_absent", "mnbench_command")


def host_conditions(run_dir):
    """RUN_DIR/host.json (scripts/run writes it), or None."""
    return decision.read_host_conditions(run_dir)


def host_lines(conditions):
    """One line per host condition that makes the numbers unrepeatable."""
    lines = ["## Host conditions", ""]
    if conditions is None:
        return lines + ["Not recorded: this run has no host.json (frequency "
                        "scaling, turbo, SMT, VM and load unknown)."]
    warned = host_warnings(conditions)
    if not warned:
        return lines + ["None of frequency scaling, differing CPU "
                        "frequencies, turbo, SMT, a VM or other load was "
                        "found: nothing known makes these numbers "
                        "unrepeatable."]
    return lines + [f"WARNING: {w}." + ("  " if i < len(warned) else "")
                    for i, w in enumerate(warned, 1)]


def write_metadata(run, command_line, conditions):
    meta = {k: run.context.get(k) for k in METADATA_KEYS}
    meta["command_line"] = command_line
    meta["module_run"] = bool(run.module_cases)
    meta["host_conditions"] = (
        None if conditions is None else
        {k: v for k, v in conditions.items() if k != "schema_version"})
    meta["host_warnings"] = (None if conditions is None
                             else host_warnings(conditions))
    write_json(os.path.join(run.path, "metadata.json"), meta)


def summary_lines(run, conditions):
    ctx = run.context
    explored = decision.read_exploration(run.path)
    decided = decision.decide_run(run, explored, conditions)
    lines = [f"# mnbench run on {ctx.get('host_name')}", "",
             f"Kernel {ctx.get('kernel')}, {ctx.get('cpu_model')}, "
             f"{ctx.get('topology')}, git {ctx.get('git_revision')}, "
             f"{ctx.get('build_type')} build. Medians over repetitions; model "
             "timings are relative costs on this host.", ""]
    lines += decision.format_decision(decided)
    lines += ["", "The rule: docs/results.md; the differences behind it: "
              "Pairwise effect sizes, at the end.", ""]
    lines += host_lines(conditions)
    lines += ["", "## Model (the oracle's verdict per case)", ""]
    lines += table(run.throughput(), True)
    lines += ["", "Rate achieved: the invalidations that happened against "
              "those the load asked for. Below "
              f"{SLOWED * 100:.0f}% (slowed), the mm was held up: by the "
              "strategy's own waits in its callbacks (its p99 notifier "
              "time), or by a run that stopped at its first violation."]
    if run.module_cases:
        lines += ["", f"## Kernel module ({run.module_title()}; real mm, no oracle: "
                  "see the model's verdicts)", ""]
        lines += table(run.throughput(run.module_cases), False)
    cost = worker_cost(run)
    if cost:
        lines += [""] + cost
    lines += [""] + verdicts(run, explored)
    lines += [""] + decision.format_pairwise(decided)
    return lines


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        run = Run(args.run_dir)
    except (OSError, ValueError) as e:
        print(f"summarize: {e}", file=sys.stderr)
        return 2
    conditions = host_conditions(run.path)
    write_metadata(run, args.command_line, conditions)
    with open(os.path.join(run.path, "summary.md"), "w") as f:
        f.write("\n".join(summary_lines(run, conditions)) + "\n")
    return 0
