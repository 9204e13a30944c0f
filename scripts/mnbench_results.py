"""Reading mnbench run directories: cases, repetitions and statistics.

Shared by scripts/summarize, scripts/plot and scripts/compare. A run
directory holds mnbench.json (the model suite) and, if the module ran,
module.json; both are Google Benchmark JSON with the same case names.
"""
import json
import math
import os
import re

STRATEGY_LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                             "..", "strategies", "strategy_list.h")


def read_strategy_list(path=STRATEGY_LIST):
    """The strategies in strategy_list.h: [(name, set of flags)], in order."""
    out = []
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r"MN_STRATEGY\(([a-z0-9_]+),\s*(.*)\)\s*$", line)
                if m:
                    out.append((m.group(1), set(re.findall(r"MN_[A-Z_]+", m.group(2)))))
    except OSError:
        pass
    return out


# Colors of the strategies that have one, the same in every plot; any other
# strategy (a new one, or one only an older run has) takes the next color of
# FALLBACK_COLORS in list order, so no strategy is ever left out of a plot.
ASSIGNED_COLORS = {
    "invalidate_range": "#d62728",
    "mutex": "#ff7f0e",
    "counter": "#1f77b4",
    "seqcount": "#2ca02c",
    "uaccess": "#7f7f7f",
    "unsafe": "#9467bd",
    "valid_flag": "#8c564b",
}
FALLBACK_COLORS = ["#17becf", "#bcbd22", "#e377c2", "#393b79", "#637939",
                   "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d"]
STRATEGY_ORDER = [name for name, _ in read_strategy_list()]
STRATEGY_ORDER += [s for s in ASSIGNED_COLORS if s not in STRATEGY_ORDER]


def strategy_color(name):
    """The strategy's color: assigned, or from the fallback palette."""
    if name in ASSIGNED_COLORS:
        return ASSIGNED_COLORS[name]
    others = [s for s in STRATEGY_ORDER if s not in ASSIGNED_COLORS]
    i = others.index(name) if name in others else \
        len(others) + sum(map(ord, name))
    return FALLBACK_COLORS[i % len(FALLBACK_COLORS)]


def strategy_rank(name):
    return (STRATEGY_ORDER.index(name), "") if name in STRATEGY_ORDER \
        else (len(STRATEGY_ORDER), name)


def loads_of(cases, pred=lambda c: True):
    """Every load some case names, known loads first, in their order."""
    rank = (lambda l: (LOAD_ORDER.index(l), "") if l in LOAD_ORDER
            else (len(LOAD_ORDER), l))
    return sorted({c.load for c in cases if c.load and pred(c)}, key=rank)


def strategies_of(cases, pred=lambda c: True):
    """Every strategy some case names (pred filters cases), in list order."""
    return sorted({c.strategy for c in cases if c.strategy and pred(c)},
                  key=strategy_rank)


LOAD_ORDER = ["none", "ksm", "cow", "zap", "oom", "mixed"]
PERCENTILE_SUFFIXES = [(10, "p10"), (25, "p25"), (50, "p50"), (75, "p75"),
                       (90, "p90"), (95, "p95"), (99, "p99"),
                       (99.9, "p999"), (100, "max")]


def latency_points(prefix):
    """[(percentile, counter)] of a latency: "notifier" (time inside the
    secondary MMU's callbacks per invalidation) or "inval" (the window,
    start called .. end returned, which includes the mm's own work)."""
    return [(q, f"{prefix}_{s}_ns") for q, s in PERCENTILE_SUFFIXES]


LATENCY_POINTS = latency_points("inval")


class Case:
    """One benchmark case: its repetitions and what its name says."""

    def __init__(self, name, source):
        self.name = name          # the stable part, e.g. throughput/counter/ksm/vqs:1
        self.source = source      # "model" or "module"
        self.runs = []            # iteration rows, one per repetition
        self.error = None
        parts = name.split("/")
        self.kind = parts[0]
        self.strategy = self.load = self.param = None
        self.value = None
        if self.kind == "throughput" and len(parts) >= 3:
            self.strategy, self.load = parts[1], parts[2]
        elif self.kind == "sweep" and len(parts) >= 5:
            self.param, self.strategy, self.load = parts[1], parts[2], parts[3]
            self.value = float(parts[4].split(":")[1])
        elif self.kind == "fastpath" and len(parts) >= 2:
            self.strategy = parts[1]

    def values(self, counter="items_per_second"):
        return [r[counter] for r in self.runs if counter in r]

    def median(self, counter="items_per_second"):
        v = sorted(self.values(counter))
        if not v:
            return None
        mid = len(v) // 2
        return v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2

    def mean_stddev(self, counter="items_per_second"):
        v = self.values(counter)
        if not v:
            return None, None
        mean = sum(v) / len(v)
        var = sum((x - mean) ** 2 for x in v) / (len(v) - 1) if len(v) > 1 else 0
        return mean, math.sqrt(var)

    def safe(self):
        """The oracle's verdict (model runs only; None for module runs)."""
        v = self.values("verdict_safe")
        if not v:
            return None
        return min(v) >= 1


def stable_name(name):
    """Drop Google Benchmark's suffixes: /iterations:1/manual_time, /repeats:N."""
    return re.sub(r"(/(iterations|repeats|min_time):[^/]*|/manual_time|/real_time)+$",
                  "", name)


def load_report(path, source):
    with open(path) as f:
        report = json.load(f)
    cases = {}
    for b in report.get("benchmarks", []):
        if b.get("run_type") != "iteration":
            continue
        name = stable_name(b["name"])
        case = cases.setdefault(name, Case(name, source))
        if b.get("error_occurred"):
            case.error = b.get("error_message", "error")
        else:
            case.runs.append(b)
    return report.get("context", {}), cases


class Run:
    def __init__(self, path):
        self.path = path
        main = os.path.join(path, "mnbench.json")
        if not os.path.exists(main):
            raise ValueError(f"{path} has no mnbench.json: not a run directory")
        self.context, self.cases = load_report(main, "model")
        self.module_context, self.module_cases = {}, {}
        module = os.path.join(path, "module.json")
        if os.path.exists(module):
            self.module_context, self.module_cases = load_report(module, "module")

    def title(self):
        c = self.context
        return f"{c.get('host_name', '?')}, kernel {c.get('kernel', '?')}"

    def module_under_tcg(self):
        """scripts/run --vm marks module runs whose timings are emulation."""
        return self.module_context.get("timings") == "qemu-tcg"

    def module_title(self):
        c = self.module_context
        where = ("in a qemu TCG VM: behaviour, not performance"
                 if self.module_under_tcg() else f"on {self.context.get('host_name', '?')}")
        return f"kernel {c.get('kernel', '?')} {where}"

    def throughput(self, cases=None):
        cases = self.cases if cases is None else cases
        return [c for c in cases.values() if c.kind == "throughput"]

    def sweeps(self, param):
        return [c for c in self.cases.values()
                if c.kind == "sweep" and c.param == param]


def order_key(case):
    s = strategy_rank(case.strategy or "")
    l = LOAD_ORDER.index(case.load) if case.load in LOAD_ORDER else 99
    return (s, l, case.value or 0)


def mann_whitney_p(a, b):
    """Two-sided Mann-Whitney U p-value, as compare.py computes it.

    scipy when it is installed (what Google Benchmark's compare.py uses),
    otherwise the exact distribution of U (ties get half credit), which
    is what scipy does for small samples anyway.
    """
    if not a or not b:
        return None
    try:
        from scipy.stats import mannwhitneyu
        return float(mannwhitneyu(a, b, alternative="two-sided").pvalue)
    except ImportError:
        pass
    except ValueError:
        return 1.0
    n, m = len(a), len(b)
    u = sum(1.0 if x > y else 0.5 if x == y else 0.0 for x in a for y in b)
    # Number of ways to reach each U with n and m items: dynamic programming.
    counts = {}

    def ways(i, j, k):
        if k < 0:
            return 0
        if i == 0 or j == 0:
            return 1 if k == 0 else 0
        key = (i, j, k)
        if key not in counts:
            counts[key] = ways(i - 1, j, k - j) + ways(i, j - 1, k)
        return counts[key]

    total = math.comb(n + m, n)
    lo = min(u, n * m - u)
    tail = sum(ways(n, m, k) for k in range(0, int(math.floor(lo)) + 1))
    return min(1.0, 2 * tail / total)
