"""The decision per load: which strategy to use, a tie, or what it would take.

docs/results.md states the rule and why its thresholds are where they are.
In short, per load:

1. Candidates are the strategies the oracle found safe under every load of
   the run. A safe one whose notifier costs the mm far more at p99 than the
   best safe one (more than mm_ratio times, or above mm_limit_ns) is left
   out with its reason, and so is one whose load never hit the rings.
2. The noise floor comes from the run's A/A pairs (noise/S/L/vqs:1 against
   throughput/S/L/vqs:1, the same strategy twice): the robust spread of
   one round's A/A log ratio, pooled over every pair (runs without
   rounds: the widest A/A interval). It is the host's equivalence margin:
   the tie zone is [1 / (1 + tol), 1 + tol] with tol = max(tie_floor,
   floor).
3. The candidate with the highest median buffers/s is compared with each
   other one: "slower" when the 95% interval of other/best lies below
   1 / (1 + tol), "tie" when its 90% interval lies inside the zone (an
   equivalence test at 5%), otherwise open.
4. All others slower: "use X". Only ties and slower ones: "X or Y: a tie
   within N%", the tied ones ordered by a clear difference of mm-side p99,
   then by the strategy list. Anything open: "undecided", with the
   repetitions a rerun would need to resolve it at the observed noise.

The input is any sequence of case objects with .name (e.g.
"throughput/counter/ksm/vqs:1"), .runs (one dict of counters per
repetition) and .error (None or a message), as scripts' readers produce.
Pass every case of a report, not only the throughput ones: the noise/
cases are the A/A pairs; sweeps and the rest are ignored.
"""
import argparse
import dataclasses
import json
import math
import os
import sys

from . import effect
from .cli import parse
from .results import Run
from .schema import read_json

THROUGHPUT = "items_per_second"
PAIR_METRICS = (("items_per_second", "buffers/s"),
                ("worker_cpu_ns_per_buffer", "worker CPU ns/buffer"),
                ("notifier_p50_ns", "notifier p50"),
                ("notifier_p99_ns", "notifier p99"))
# Context fields that say which machine a run measured.
HOST_FIELDS = ("host_name", "cpu_model", "num_cpus", "mhz_per_cpu",
               "topology", "kernel", "hypervisor")
TIME_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


@dataclasses.dataclass(frozen=True)
class Params:
    mm_ratio: float = 10.0          # left out above this times the best safe p99
    mm_limit_ns: float = 100_000.0  # ... or above this p99, whatever the best
    # The best p99 counts as at least this much in the ratio: a strategy
    # without callbacks costs the mm 0 ns, and 10 x 0 would leave out all.
    mm_reference_floor_ns: float = 1_000.0
    tie_floor: float = 0.02         # the tie zone is never narrower than this
    confidence: float = 0.95        # intervals reported, and "clearly slower"
    tie_confidence: float = 0.90    # the equivalence test's interval
    mm_clear: float = 0.25          # p99s differ clearly: interval beyond +-25%
    # A floor above this says so first: the differences between safe
    # strategies that matter to a driver are a few percent to a few tens.
    noisy_host: float = 0.25


@dataclasses.dataclass
class Comparison:
    strategy: str
    best: str
    outcome: str            # "slower", "tie", "open" or "unknown"
    ratio: effect.Ratio     # strategy / best, buffers/s, at params.confidence
    tie_ratio: effect.Ratio  # the same at params.tie_confidence
    repetitions: int = None  # per side, to resolve `difference` (open ones)
    difference: float = None  # the relative difference that would resolve


@dataclasses.dataclass
class NoiseFloor:
    floor: float            # None without an A/A pair that gave an interval
    tolerance: float        # max(tie_floor, floor)
    pairs: list             # [(strategy, load, Ratio)], noise / throughput
    note: str               # how the floor was found, in words


@dataclasses.dataclass
class LoadDecision:
    load: str
    kind: str               # "use", "tie", "undecided", "unknown", "only", "none"
    strategies: list        # "use": [X]; "tie": the tied, in order; else by median
    text: str               # the decision in one line
    deciding: Comparison = None   # the comparison the decision rests on
    comparisons: list = dataclasses.field(default_factory=list)
    left_out: list = dataclasses.field(default_factory=list)  # [(strategy, reason)]

    def identity(self):
        """What two runs must share to give "the same decision"."""
        if self.kind == "tie":
            return ("tie", frozenset(self.strategies))
        if self.kind in ("use", "only"):
            return ("use", self.strategies[0])
        return (self.kind,)


@dataclasses.dataclass
class RunDecision:
    source: str
    context: dict
    unsafe: list            # strategies never recommended, with no further word
    noise: NoiseFloor
    loads: list             # [LoadDecision], in load order
    pairwise: dict          # load -> [(base, new, {metric: Ratio})]
    params: Params

    def load(self, name):
        return next((d for d in self.loads if d.load == name), None)


LOAD_ORDER = ["none", "ksm", "cow", "zap", "oom", "mixed"]


class _Case:
    """What decide() needs from a case, parsed once from its name."""

    def __init__(self, case):
        self.name = case.name
        self.runs = list(case.runs or [])
        self.error = getattr(case, "error", None)
        parts = case.name.split("/")
        self.kind = parts[0]
        self.strategy = parts[1] if len(parts) > 2 else None
        self.load = parts[2] if len(parts) > 2 else None
        self.rest = "/".join(parts[1:])

    def values(self, counter=THROUGHPUT):
        return [r[counter] for r in self.runs if counter in r]

    def median(self, counter=THROUGHPUT):
        v = self.values(counter)
        return _median(v) if v else None

    def safe(self):
        v = self.values("verdict_safe")
        return None if not v else min(v) >= 1

    def seconds(self, run):
        return run.get("real_time", 0) * TIME_UNITS.get(run.get("time_unit", "ns"), 1e-9)


def _by_round(case, counter):
    """{round: value}, or None unless every run names its round."""
    if not case.runs or any("round" not in r for r in case.runs):
        return None
    return {r["round"]: r[counter] for r in case.runs if counter in r}


def paired(base, new, counter=THROUGHPUT):
    """[(base, new)] of the rounds both ran in, or None when the two were
    not measured in rounds (an older run, the module's): then they are
    compared as independent samples."""
    a, b = _by_round(base, counter), _by_round(new, counter)
    if a is None or b is None:
        return None
    common = sorted(set(a) & set(b))
    return [(a[r], b[r]) for r in common] if len(common) >= 2 else None


def compare_cases(base, new, counter=THROUGHPUT, confidence=0.95):
    """new / base as an effect.Ratio: pair by pair where both ran in the
    same rounds, which cancels what moved a whole round (the host's speed
    that second), else as two independent samples."""
    pairs = paired(base, new, counter)
    if pairs is not None:
        return effect.paired_ratio(pairs, confidence)
    return effect.ratio(base.values(counter), new.values(counter), confidence)


def _median(v):
    v = sorted(v)
    mid = len(v) // 2
    return v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2


def _load_rank(load):
    return (LOAD_ORDER.index(load), "") if load in LOAD_ORDER else (len(LOAD_ORDER), load)


def strategy_order(context, names):
    """The deterministic tie-break: the run's strategy list (its context's
    "strategies", the order of strategies/strategy_list.h), then names."""
    listed = [s for s in (context or {}).get("strategies", "").split(",") if s]
    return sorted(names, key=lambda s: (listed.index(s), "") if s in listed
                  else (len(listed), s))


def noise_floor(cases, params=Params(), exclude=()):
    """The floor from every A/A pair among cases: a noise/S/L/... case and
    the throughput/S/L/... case of the same strategy and load.

    Where the pairs ran in rounds, the floor is the host's robust
    one-round A/A spread, pooled over every pair (the same strategy twice,
    back to back): exp(|median| + z * 1.4826 * MAD) - 1, the two-sided
    params.confidence range of a normal fitted to the median and MAD of
    the log ratios. The data are heavier-tailed than that normal, so more
    than 5% of the rounds reach beyond it: it is not a 95% reach but a
    margin, which the decision uses as this host's tie zone. It does not
    shrink with more rounds, as an interval would (a paired interval over
    32 rounds can resolve a smaller difference; the rule still calls that
    a tie), it varies from run to run with the host, and a round that
    straddled a change of the host's speed barely moves it, where it
    would widen an interval or a standard deviation. Without rounds
    (older runs, the module's), each pair's interval gives
    max(1 / lo, hi) - 1 and the floor is the widest of them
    (docs/results.md says why)."""
    by_name = {c.name: c for c in cases}
    pairs = []
    logs = []
    rounds = True
    counts = []
    for c in cases:
        # A run the oracle stopped early measures the stop, not the host.
        if c.kind != "noise" or not c.runs or c.strategy in exclude:
            continue
        twin = by_name.get("throughput/" + c.rest)
        if twin is None or not twin.runs:
            continue
        pairs.append((c.strategy, c.load,
                      compare_cases(twin, c, THROUGHPUT, params.confidence)))
        both = paired(twin, c)
        if both is None:
            rounds = False
        else:
            new = [math.log(y / x) for x, y in both if x > 0 and y > 0]
            logs += new
            counts.append(len(new))
    pairs.sort(key=lambda p: (_load_rank(p[1]), p[0]))
    where = ", ".join(f"{s} under {l}" for s, l, r in pairs)
    floor = None
    if pairs and rounds and len(logs) >= effect.min_pairs(params.confidence):
        floor = effect.round_spread(logs, params.confidence)
        n = (f"{min(counts)}" if min(counts) == max(counts)
             else f"{min(counts)}-{max(counts)}")
        note = (f"{100 * floor:.1f}%, the robust spread of one round's A/A "
                f"ratio: {len(logs)} A/A ratios from {n} rounds of "
                f"{len(pairs)} A/A pair{'s' if len(pairs) > 1 else ''} "
                f"({where})")
    elif pairs and rounds:
        note = (f"{len(logs)} A/A round(s) give no spread; one needs at "
                f"least {effect.min_pairs(params.confidence)}: "
                f"{100 * params.tie_floor:.0f}% assumed")
    elif pairs:
        spreads = [max(1 / r.lo, r.hi) - 1 for _, _, r in pairs
                   if r.lo is not None and r.lo > 0]
        if spreads:
            floor = max(spreads)
            note = (f"{100 * floor:.1f}%, the widest of {len(spreads)} A/A "
                    f"interval{'s' if len(spreads) > 1 else ''} ("
                    + ", ".join(f"{s} under {l}" for s, l, r in pairs
                                if r.lo is not None) + ")")
        else:
            note = ("no A/A pair with enough repetitions for an interval: "
                    f"{100 * params.tie_floor:.0f}% assumed")
    else:
        note = f"no A/A pair in this run: {100 * params.tie_floor:.0f}% assumed"
    tol = max(params.tie_floor, floor or 0.0)
    return NoiseFloor(floor, tol, pairs, note)


def _us(ns):
    return f"{ns / 1000:.0f} us" if ns >= 100_000 else f"{ns / 1000:.1f} us"


def _waits_for_grace_period(case):
    """Where the p99 notifier time goes, in words, or "". A grace period is
    named when at least 1% of invalidations waited for one (then the p99
    one very likely did) and waiting is most of the p99."""
    per_inv = []
    for r in case.runs:
        n = r.get("invalidations", 0) * case.seconds(r)
        if n > 0 and "host_grace_periods" in r:
            per_inv.append(r["host_grace_periods"] / n)
    wait = case.median("notifier_wait_p99_ns") or 0
    p99 = case.median("notifier_p99_ns") or 0
    if p99 <= 0 or wait < 0.5 * p99:
        return ""
    start = case.median("start_p99_ns") or 0
    end = case.median("end_p99_ns") or 0
    where = "invalidate_range_start" if start >= end else "invalidate_range_end"
    if per_inv and _median(per_inv) >= 0.01:
        return f"a host RCU grace period waited for in {where}"
    return f"waiting in {where}"


def _mm_left_out(cands, load, params):
    """[(strategy, reason)] of the candidates the mm rule leaves out."""
    if load == "none":
        return []
    p99 = {s: c.median("notifier_p99_ns") for s, c in cands.items()}
    active = {s: v for s, v in p99.items()
              if v is not None and (cands[s].median("invalidations") or 0) > 0}
    if not active:
        return []
    # The reference is the cheapest strategy that has callbacks at all: one
    # without (uaccess, 0 ns) would make every notifier "10x".
    costly = {s: v for s, v in active.items() if v > 0}
    best = min(costly or active, key=lambda s: (active[s], s))
    ref = max(active[best], params.mm_reference_floor_ns)
    out = []
    for s, v in sorted(active.items(), key=lambda kv: -kv[1]):
        over_limit = v > params.mm_limit_ns
        over_ratio = v > params.mm_ratio * ref
        if not (over_limit or over_ratio):
            continue
        why = []
        if over_limit:
            why.append(f"above {_us(params.mm_limit_ns)}")
        if over_ratio:
            why.append(f"{v / ref:.0f}x {best}'s {_us(active[best])}"
                       if active[best] >= params.mm_reference_floor_ns else
                       f"over {params.mm_ratio:g}x {_us(ref)}")
        where = _waits_for_grace_period(cands[s])
        out.append((s, f"{_us(v)} at p99 on the mm side ({', '.join(why)})"
                       + (f": {where}" if where else "")))
    return out


def missed_rings(case):
    """A case under load whose invalidations never hit the vq metadata
    compares nothing (a run from before the counter existed: None, taken
    as it is)."""
    hits = case.median("overlapping_invalidations")
    return case.load != "none" and hits is not None and hits == 0


def below(tol):
    """The tie zone's lower end: 1 / (1 + tol), as far below 1 on a log
    scale as 1 + tol is above it (1 - tol would reach 0 once the noise
    passes 100%, and every strategy, however slow, would tie)."""
    return 1 / (1 + tol)


def _compare(best, other, tol, params):
    r = compare_cases(best, other, THROUGHPUT, params.confidence)
    t = compare_cases(best, other, THROUGHPUT, params.tie_confidence)
    comp = Comparison(other.strategy, best.strategy, "open", r, t)
    if r.lo is None or t.lo is None:
        comp.outcome = "unknown"
        return comp
    if r.hi < below(tol):
        comp.outcome = "slower"
    elif t.lo >= below(tol) and t.hi <= 1 + tol:
        comp.outcome = "tie"
    else:
        comp.outcome = "open"
        comp.difference = max(abs(r.ratio - 1), tol)
        pairs = paired(best, other)
        if pairs is not None:
            sd = effect.paired_sd_log(pairs)
            if sd is not None:
                comp.repetitions = max(len(pairs) + 1, effect.pairs_to_resolve(
                    sd, comp.difference, params.confidence))
            return comp
        sd_b = effect.sd_log(best.values())
        sd_o = effect.sd_log(other.values())
        if sd_b is not None and sd_o is not None:
            # Never fewer than one more than this run had: it did not resolve.
            have = max(len(best.runs), len(other.runs))
            comp.repetitions = max(have + 1, effect.repetitions_to_resolve(
                sd_b, sd_o, comp.difference, params.confidence))
    return comp


def _mm_clearly_lower(a, b, params):
    """a's notifier p99 is clearly below b's: the interval of a/b lies below
    1 - mm_clear, or (zero values, no log scale) every a below every b."""
    r = compare_cases(b, a, "notifier_p99_ns", params.confidence)
    if r.lo is not None:
        return r.hi < 1 - params.mm_clear
    return r.superiority == 0.0 and a.median("notifier_p99_ns") != b.median("notifier_p99_ns")


def _order_tie(tied, order, load, params):
    """Fewest tied strategies with a clearly lower mm-side p99 first, then
    the strategy list: deterministic, and independent of which one happened
    to have the highest median."""
    if load == "none":
        return [c.strategy for c in sorted(tied, key=lambda c: order.index(c.strategy))]
    beaten = {c.strategy: sum(_mm_clearly_lower(o, c, params) for o in tied if o is not c)
              for c in tied}
    return [c.strategy for c in sorted(
        tied, key=lambda c: (beaten[c.strategy], order.index(c.strategy)))]


def _pct(x):
    return f"{100 * x:.1f}%"


def _interval(r):
    if r is None or r.lo is None:
        return "no interval"
    how = f", paired over {r.n_new} rounds" if r.paired else ""
    return (f"{r.ratio:.3f} [{r.lo:.3f}, {r.hi:.3f}] at "
            f"{100 * r.confidence:.1f}%{how}")


def _decide_load(load, cands, order, noise, params, left_out):
    tol = noise.tolerance
    if not cands:
        return LoadDecision(load, "none", [], "no safe strategy was measured",
                            left_out=left_out)
    ranked = rank(cands, order)
    best = ranked[0]
    if len(ranked) == 1:
        return LoadDecision(load, "only", [best.strategy],
                            f"use {best.strategy}: the only candidate, nothing "
                            "to compare it with", left_out=left_out)
    comps = [_compare(best, c, tol, params) for c in ranked[1:]]
    names = [c.strategy for c in ranked]
    unknown = [c for c in comps if c.outcome == "unknown"]
    if unknown:
        rounds = paired(best, cands[unknown[0].strategy]) is not None
        need = (effect.min_pairs if rounds else effect.min_repetitions)(
            params.confidence)
        few = min(c.ratio.n_new for c in unknown)
        if few >= need:
            why = "a case measured 0 buffers/s, which has no ratio"
        else:
            what = "round(s) of the cases" if rounds else "repetition(s) per case"
            why = (f"{few} {what} give no interval; one needs at least {need}")
        return LoadDecision(load, "unknown", names, f"not known: {why}",
                            unknown[0], comps, left_out)
    opened = [c for c in comps if c.outcome == "open"]
    if opened:
        worst = max(opened, key=lambda c: (c.repetitions or 0, -order.index(c.strategy)))
        reps = (f"about {worst.repetitions} repetitions" if worst.repetitions
                else "more repetitions")
        return LoadDecision(load, "undecided", names,
                            f"undecided: would need {reps} to resolve a "
                            f"{_pct(worst.difference)} difference at this noise "
                            f"({best.strategy} against {worst.strategy})",
                            worst, comps, left_out)
    tied = [best] + [cands[c.strategy] for c in comps if c.outcome == "tie"]
    if len(tied) == 1:
        closest = max(comps, key=lambda c: c.ratio.ratio)
        return LoadDecision(load, "use", [best.strategy], f"use {best.strategy}",
                            closest, comps, left_out)
    ties = [c for c in comps if c.outcome == "tie"]
    widest = max(ties, key=lambda c: max(1 - c.tie_ratio.lo, c.tie_ratio.hi - 1))
    members = _order_tie(tied, order, load, params)
    return LoadDecision(load, "tie", members,
                        f"{' or '.join(members)}: a tie within {_pct(tol)}",
                        widest, comps, left_out)


def rank(cands, order):
    """Fastest first. Where every candidate ran in rounds, by the median over
    the rounds they share of each one's log buffers/s less the round's mean
    (a round that ran slow for all moves none), else by median buffers/s;
    the strategy list breaks ties."""
    rounds = {s: _by_round(c, THROUGHPUT) for s, c in cands.items()}
    shared = None
    if rounds and all(r for r in rounds.values()):
        shared = set.intersection(*(set(r) for r in rounds.values()))
        if any(v <= 0 for r in rounds.values() for k, v in r.items()
               if k in shared):
            shared = None
    if shared and len(cands) > 1:
        score = {}
        for s in cands:
            rel = []
            for k in shared:
                mean = sum(math.log(r[k]) for r in rounds.values()) / len(rounds)
                rel.append(math.log(rounds[s][k]) - mean)
            score[s] = _median(rel)
        key = lambda c: (-score[c.strategy], order.index(c.strategy))
    else:
        key = lambda c: (-(c.median() or 0), order.index(c.strategy))
    return sorted(cands.values(), key=key)


def _pairwise(cands, order):
    ranked = rank(cands, order)
    rows = []
    for i, a in enumerate(ranked):
        for b in ranked[i + 1:]:
            rows.append((a.strategy, b.strategy,
                         {m: compare_cases(a, b, m)
                          for m, _ in PAIR_METRICS}))
    return rows


def decide(cases, verdict_cases=None, unsafe=(), source="the model's buffers/s",
           context=None, params=Params()):
    """The decision per load. cases: the timed cases (model or module);
    verdict_cases: those whose oracle verdict counts (the model's; default
    cases); unsafe: strategies known unsafe otherwise (exploration)."""
    timed = [_Case(c) for c in cases]
    judged = timed if verdict_cases is None else [_Case(c) for c in verdict_cases]
    measured = [c for c in judged if c.kind in ("throughput", "noise")]
    bad = set(unsafe)
    bad |= {c.strategy for c in measured if c.safe() is False or c.error}
    checked = {c.strategy for c in measured if c.safe() is not None}
    context = context or {}
    noise = noise_floor(timed, params, bad)
    thr = [c for c in timed if c.kind == "throughput" and c.strategy]
    all_names = {c.strategy for c in thr} | {c.strategy for c in measured if c.strategy}
    order = strategy_order(context, all_names)
    loads = sorted({c.load for c in thr}, key=_load_rank)
    decisions, pairwise = [], {}
    for load in loads:
        here = {c.strategy: c for c in thr if c.load == load and c.runs
                and c.strategy in checked and c.strategy not in bad}
        left_out = []
        for s in order:
            c = here.get(s)
            if c is not None and missed_rings(c):
                left_out.append((s, "the load never hit its rings: it compared nothing"))
        for s, _ in left_out:
            del here[s]
        pairwise[load] = _pairwise(here, order)
        mm = _mm_left_out(here, load, params)
        for s, _ in mm:
            del here[s]
        left_out = mm + left_out
        decisions.append(_decide_load(load, here, order, noise, params, left_out))
    return RunDecision(source, context, strategy_order(context, bad), noise,
                       decisions, pairwise, params)


def source_kind(source):
    """"model" or "module": which timings a decision rests on (SOURCE:
    timing_source's sentence)."""
    return "model" if source.startswith(MODEL_SOURCE) else "module"


def format_decision(d):
    """The summary's recommendation lines (markdown), decision first."""
    lines = ["## Decision", "",
             f"Decided from: {source_kind(d.source)}.",
             f"Decided by {d.source}. Never recommended (the oracle found "
             f"them unsafe under some load): "
             f"{', '.join(d.unsafe) if d.unsafe else 'none'}.",
             f"Noise floor: {d.noise.note}. A tie is a difference whose "
             f"{100 * d.params.tie_confidence:.0f}% interval lies within "
             f"[{below(d.noise.tolerance):.3f}, "
             f"{1 + d.noise.tolerance:.3f}] (+-{_pct(d.noise.tolerance)} "
             f"on a log scale); clearly slower, one whose "
             f"{100 * d.params.confidence:.0f}% interval lies below "
             f"{below(d.noise.tolerance):.3f} (ratios other / best "
             f"buffers/s).", ""]
    if d.noise.floor is not None and d.noise.floor > d.params.noisy_host:
        lines[2:2] = [
            f"WARNING: this host's noise floor (its A/A pairs' spread) is "
            f"{_pct(d.noise.floor)}, more than the "
            f"{_pct(d.params.noisy_host)} that separates strategies worth "
            f"choosing between: on it this run can only say \"tie\" or "
            f"\"undecided\", and which of the two may change from run to "
            f"run. Decide on a quieter host (bare metal, SMT and frequency "
            f"scaling off, nothing else running); docs/results.md.", ""]
    for ld in d.loads:
        lines.append(f"- **{ld.load}**: {ld.text}")
        c = ld.deciding
        if c is not None:
            r = c.tie_ratio if ld.kind == "tie" else c.ratio
            test = "signed-rank" if c.ratio.paired else "U test"
            lines.append(f"  - deciding difference: {c.strategy} / {c.best} "
                         f"buffers/s {_interval(r)} (superiority "
                         f"{c.ratio.superiority:.2f}, {test} p = "
                         f"{c.ratio.p:.3f})")
        else:
            lines.append("  - deciding difference: none (one candidate "
                         "left: nothing to compare it with)")
        lines.append(f"  - noise floor: +-{_pct(d.noise.tolerance)} "
                     f"({d.noise.note})")
        for s, why in ld.left_out:
            lines.append(f"  - left out: {s}: {why}")
    if not d.loads:
        lines.append("Nothing to decide: the run has no throughput case "
                     "with repetitions.")
    return lines


def _cell(r):
    if r is None or r.superiority is None:
        return "-"
    if r.ratio is None:
        return f"- (zeros), sup {r.superiority:.2f}, p {r.p:.2f}"
    ci = f" [{r.lo:.3g}, {r.hi:.3g}]" if r.lo is not None else " [not known]"
    return f"{r.ratio:.3g}{ci}, sup {r.superiority:.2f}, p {r.p:.2f}"


def format_pairwise(d):
    """Every pair of safe strategies per load, faster by median first: the
    slower one's value / the faster one's, with its interval, probability
    of superiority and U test p."""
    lines = ["## Pairwise effect sizes", "",
             f"B / A per metric: ratio of medians (Hodges-Lehmann on logs) "
             f"[{100 * d.params.confidence:.0f}%-or-more exact interval], "
             "sup = P(B > A), p of the two-sided U test; where the two ran "
             "in the same rounds, pair by pair instead (the median log "
             "ratio of a round's two runs, Wilcoxon's signed-rank interval "
             "and test, sup = the share of rounds B was higher). A is the "
             "faster.", "",
             "| load | A | B | " + " | ".join(label for _, label in PAIR_METRICS) + " |",
             "|---|---|---|" + "---|" * len(PAIR_METRICS)]
    for load, rows in d.pairwise.items():
        for a, b, metrics in rows:
            lines.append(f"| {load} | {a} | {b} | "
                         + " | ".join(_cell(metrics[m]) for m, _ in PAIR_METRICS) + " |")
    return lines


def host_differences(base_ctx, new_ctx):
    """[(field, base value, new value)] where the two runs' hosts differ."""
    return [(f, base_ctx.get(f), new_ctx.get(f)) for f in HOST_FIELDS
            if base_ctx.get(f) != new_ctx.get(f)
            and base_ctx.get(f) is not None and new_ctx.get(f) is not None]


def _inverse(r):
    return effect.Ratio(1 / r.ratio, 1 / r.hi, 1 / r.lo, r.confidence, r.p,
                        1 - r.superiority, r.n_new, r.n_base, r.paired)


def _throughput_ratios(d, load):
    """{(a, b): Ratio of b / a} over the load's pairs, a before b by name."""
    out = {}
    for a, b, metrics in d.pairwise.get(load, []):
        r = metrics[THROUGHPUT]
        if r.ratio is None or r.lo is None:
            continue
        out[(a, b) if a < b else (b, a)] = r if a < b else _inverse(r)
    return out


def decision_changes(base, new):
    """[(load, base text, new text, verdict)] of two runs' decisions, load
    by load; verdict is "same", "differs within the noise, not a change",
    "**changed**: ..." or "not comparable: ..."."""
    tol = max(base.noise.tolerance, new.noise.tolerance)
    loads = sorted({d.load for d in base.loads} | {d.load for d in new.loads},
                   key=_load_rank)
    rows = []
    for load in loads:
        b, n = base.load(load), new.load(load)
        if b is None or n is None:
            verdict = "not comparable: the load ran once"
        elif b.identity() == n.identity():
            verdict = "same"
        else:
            verdict = _explain_change(base, new, load, tol)
        rows.append((load, b.text if b else "not run", n.text if n else "not run",
                     verdict))
    return rows


HOSTS_DIFFER = "the two runs come from different hosts"
HOSTS_DIFFER_WHY = ("Their absolute numbers do not compare; the decisions "
                    "and within-run ratios do.")


def host_warning(base, new):
    """What differs between two runs' hosts, "field: a vs b; ...", or None."""
    diff = host_differences(base.context, new.context)
    return "; ".join(f"{f}: {a} vs {b}" for f, a, b in diff) if diff else None


def compare_decisions(base, new):
    """Lines comparing two runs' decisions, load by load (markdown)."""
    lines = []
    warning = host_warning(base, new)
    if warning:
        lines += [f"**Warning: {HOSTS_DIFFER}** ({warning}). {HOSTS_DIFFER_WHY}", ""]
    tol = max(base.noise.tolerance, new.noise.tolerance)
    lines += ["## Decisions, base against new", "",
              f"A change is flagged only when it lies outside both runs' "
              f"intervals and beyond both noise floors (+-{_pct(tol)}).", "",
              "| load | base | new | change |", "|---|---|---|---|"]
    lines += [f"| {load} | {b} | {n} | {v} |"
              for load, b, n, v in decision_changes(base, new)]
    return lines


def _explain_change(base, new, load, tol):
    """Whether two different decisions on one load reflect a change: a
    strategy that became (or stopped being) unsafe or left out, or a
    ratio between two strategies that moved outside both runs' intervals
    and further than both tie zones. Within-run ratios compare across
    hosts, where absolute numbers do not."""
    b, n = base.load(load), new.load(load)
    b_out = {s for s, _ in b.left_out} | set(base.unsafe)
    n_out = {s for s, _ in n.left_out} | set(new.unsafe)
    moved = sorted((set(b.strategies) | set(n.strategies)
                    | {s for s, _ in b.left_out} | {s for s, _ in n.left_out})
                   & (b_out ^ n_out))
    if moved:
        return ("**changed**: " + ", ".join(
            f"{s} {'left out' if s in n_out else 'a candidate again'} in new"
            for s in moved))
    rb, rn = _throughput_ratios(base, load), _throughput_ratios(new, load)
    changed, within = [], []
    for pair in sorted(set(rb) & set(rn)):
        x, y = rb[pair], rn[pair]
        outside = not (x.lo <= y.ratio <= x.hi) and not (y.lo <= x.ratio <= y.hi)
        big = abs(math.log(y.ratio / x.ratio)) > math.log1p(tol)
        words = f"{pair[1]}/{pair[0]} {x.ratio:.3f} -> {y.ratio:.3f}"
        (changed if outside and big else within).append(words)
    if changed:
        return "**changed**: " + "; ".join(changed)
    return "differs within the noise, not a change"


def case_change(base, new, tolerance, confidence=0.95, scale=1.0):
    """One case in two runs: (Ratio of new / base, divided by SCALE, and
    whether it is a change). A change is a ratio whose interval lies
    entirely outside the tie zone [1 / (1 + tolerance), 1 + tolerance]:
    beyond the interval and
    the noise floor at once. SCALE normalizes across hosts (new's bare
    speed over base's); its own spread is not in the interval."""
    r = effect.ratio(base, new, confidence)
    if r.ratio is None:
        return r, False
    if scale != 1.0:
        lo, hi = (r.lo / scale, r.hi / scale) if r.lo is not None else (None, None)
        r = r._replace(ratio=r.ratio / scale, lo=lo, hi=hi)
    if r.lo is None:
        return r, False
    return r, r.lo > 1 + tolerance or r.hi < below(tolerance)


# --- the sources of a run directory

def read_exploration(run_dir):
    """RUN_DIR/explore/explore.json (scripts/explore), or None."""
    try:
        with open(os.path.join(run_dir, "explore", "explore.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def explored_unsafe(explored):
    """The strategies an exploration found a counterexample for."""
    return {c["strategy"] for c in (explored or {}).get("cells", [])
            if c.get("verdict") == "unsafe"}


HOST_JSON = "host.json"


def read_host_conditions(run_dir):
    """RUN_DIR/host.json (scripts/run writes it), or None."""
    try:
        return read_json(os.path.join(run_dir, HOST_JSON))
    except (OSError, ValueError):
        return None


MODEL_SOURCE = "the model's buffers/s (relative costs)"


def timing_source(run, conditions=None):
    """(use_module, source): whether the kernel module's timings decide,
    and the sentence that says which source did. The module's numbers
    enter only from a real host: the run used /dev/mnbench, and neither
    the module's context nor host.json (CONDITIONS) says TCG or a VM."""
    if not run.module_cases:
        return False, MODEL_SOURCE
    ctx = run.module_context
    cond = conditions or {}
    if run.module_under_tcg() or cond.get("tcg"):
        why = "the module ran under TCG, whose timings are not performance"
    elif cond.get("virtualization") or str(ctx.get("hypervisor", "")).startswith("yes"):
        why = ("the module ran in a VM ("
               + (cond.get("virtualization") or "hypervisor present")
               + "), whose timings are the hypervisor's")
    elif ctx.get("device") != "/dev/mnbench":
        why = "the module run does not record /dev/mnbench as its device"
    else:
        return True, ("the kernel module's buffers/s on this host "
                      "(/dev/mnbench, no VM or TCG; safety: the model's oracle)")
    return False, f"{MODEL_SOURCE}; {why}"


def decide_run(run, explored=None, conditions=None, params=Params()):
    """The decision for a results.Run: the module's timings on a real host
    (timing_source), the model's otherwise; safety from the model's oracle
    and the exploration (EXPLORED: explore.json's content)."""
    use_module, source = timing_source(run, conditions)
    model = list(run.cases.values())
    timed = list(run.module_cases.values()) if use_module else model
    return decide(timed, model, explored_unsafe(explored), source,
                  run.context, params)


def decide_run_dir(path, params=Params()):
    """decide_run for a run directory, with its exploration and host.json."""
    run = Run(path)
    return decide_run(run, read_exploration(path), read_host_conditions(path),
                      params)


DESCRIPTION = """Prints the decision per load for RUN_DIR (docs/results.md) and the
pairwise effect sizes; with BASE_RUN_DIR, the two runs' decisions side by
side, flagging only changes beyond both intervals and noise floors."""


def main(argv=None):
    ap = argparse.ArgumentParser(prog="scripts/decide", description=DESCRIPTION,
                                 usage="%(prog)s [-h] RUN_DIR [BASE_RUN_DIR]")
    ap.add_argument("run_dir", metavar="RUN_DIR", nargs="?", help="a run directory")
    ap.add_argument("base_dir", metavar="BASE_RUN_DIR", nargs="?",
                    help="a run to compare RUN_DIR with")
    args = parse(ap, sys.argv[1:] if argv is None else argv, [("run_dir", "RUN_DIR")])
    try:
        new = decide_run_dir(args.run_dir)
        base = decide_run_dir(args.base_dir) if args.base_dir else None
    except (OSError, ValueError) as e:
        print(f"decide: {e}", file=sys.stderr)
        return 2
    for d, path in ((new, args.run_dir), (base, args.base_dir)):
        if d is not None and not d.loads:
            print(f"decide: {path} has no throughput case with repetitions: "
                  "nothing to decide", file=sys.stderr)
            return 2
    lines = compare_decisions(base, new) if base else \
        format_decision(new) + [""] + format_pairwise(new)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
