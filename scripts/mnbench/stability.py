"""How often the decision rule gives the same answer twice at a run's noise.

Simulates pairs of runs shaped like a real one: per load, each candidate's
repetitions are log-normal around that case's median buffers/s with that
case's own spread (the sample SD of its log values), the mm-side counters
taken as they are, and optionally one A/A pair per load. Each pair of
simulated runs is decided by decision.decide(); the output is, per load,
the share of pairs whose decisions agree and the decisions seen.
docs/results.md uses it to choose and check the rule's thresholds.
"""
import argparse
import collections
import math
import random
import sys

from . import decision, effect
from .cli import parse
from .results import Run


class _Sim:
    def __init__(self, name, runs):
        self.name, self.runs, self.error = name, runs, None


def simulate(template, rng, repetitions, aa_pairs):
    """One run like template's candidates: {(strategy, load): (median,
    sd_log, median counters)}; only buffers/s varies."""
    cases = []
    for (strategy, load), (median, sd, counters) in sorted(template.items()):
        for kind in ("throughput", "noise") if aa_pairs else ("throughput",):
            if kind == "noise" and strategy != aa_pairs.get(load):
                continue
            runs = [dict(counters, items_per_second=median * math.exp(rng.gauss(0, sd)))
                    for _ in range(repetitions)]
            cases.append(_Sim(f"{kind}/{strategy}/{load}/vqs:1", runs))
    return cases


def template_of(run_dir):
    """The safe candidates of a run directory, as simulate() takes them."""
    d = decision.decide_run_dir(run_dir)
    run = Run(run_dir)
    context, model = run.context, list(run.cases.values())
    safe = {s for ld in d.loads for s in ld.strategies} | \
        {s for ld in d.loads for s, _ in ld.left_out}
    out = {}
    for c in map(decision._Case, model):
        if c.kind != "throughput" or c.strategy not in safe or len(c.runs) < 2:
            continue
        counters = {k: c.median(k) for k, v in c.runs[0].items()
                    if isinstance(v, (int, float))}
        out[(c.strategy, c.load)] = (c.median(), effect.sd_log(c.values()), counters)
    return context, out


def _label(d):
    """A decision without its numbers: what identity() compares."""
    if d.kind == "tie":
        return "tie: " + " or ".join(d.strategies)
    return d.text if d.kind in ("use", "only") else d.kind


def agreement(context, template, pairs, repetitions, aa, seed, params=decision.Params()):
    rng = random.Random(seed)
    loads = sorted({l for _, l in template}, key=decision._load_rank)
    # The A/A pair of a load: its first candidate in the strategy list.
    aa_pairs = {}
    if aa:
        for load in loads:
            names = [s for s, l in template if l == load]
            aa_pairs[load] = decision.strategy_order(context, names)[0]
    same = collections.Counter()
    seen = {l: collections.Counter() for l in loads}
    for _ in range(pairs):
        a, b = (decision.decide(simulate(template, rng, repetitions, aa_pairs),
                                context=context, params=params) for _ in range(2))
        for load in loads:
            x, y = a.load(load), b.load(load)
            same[load] += x.identity() == y.identity()
            for d in (x, y):
                seen[load][_label(d)] += 1
    return {l: (same[l] / pairs, seen[l]) for l in loads}


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="scripts/stability",
        description="Share of simulated pairs of runs, shaped like RUN_DIR, "
                    "whose decisions agree, per load.")
    p.add_argument("run_dir", metavar="RUN_DIR", nargs="?", help="a run directory")
    p.add_argument("--pairs", type=int, default=100, help="pairs of runs (100)")
    p.add_argument("--repetitions", type=int, default=None,
                   help="repetitions per case (default: the run's)")
    p.add_argument("--aa", action="store_true",
                   help="add one A/A pair per load, as the default run has")
    p.add_argument("--seed", type=int, default=1)
    args = parse(p, sys.argv[1:] if argv is None else argv, [("run_dir", "RUN_DIR")])
    if args.pairs < 1:
        p.error("argument --pairs: must be >= 1")
    if args.repetitions is not None and args.repetitions < 2:
        p.error("argument --repetitions: must be >= 2")
    try:
        context, template = template_of(args.run_dir)
    except (OSError, ValueError) as e:
        print(f"stability: {e}", file=sys.stderr)
        return 2
    if not template:
        print(f"stability: {args.run_dir} has no safe case with repetitions",
              file=sys.stderr)
        return 2
    reps = args.repetitions or max(
        2, min(int(v[2].get("repetitions", 5)) for v in template.values()))
    result = agreement(context, template, args.pairs, reps, args.aa, args.seed)
    print(f"{args.pairs} simulated pairs, {reps} repetitions, "
          f"{'one A/A pair per load' if args.aa else 'no A/A pair'}:")
    for load, (share, seen) in result.items():
        top = ", ".join(f"{t} ({n})" for t, n in seen.most_common(3))
        print(f"  {load}: {100 * share:.0f}% agree; seen: {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
