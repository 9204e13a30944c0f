"""Reading mnbench run directories: cases, repetitions and statistics.

Shared by scripts/summarize, scripts/plot and scripts/compare. A run
directory holds mnbench.json (the model suite) and, if the module ran,
module.json; both are Google Benchmark JSON with the same case names.
"""
import json
import math
import os
import re

# One color per strategy, the same in every plot.
STRATEGY_COLORS = {
    "invalidate_range": "#d62728",
    "mutex": "#ff7f0e",
    "counter": "#1f77b4",
    "seqcount": "#2ca02c",
    "uaccess": "#7f7f7f",
    "unsafe": "#9467bd",
    "valid_flag": "#8c564b",
}
STRATEGY_ORDER = list(STRATEGY_COLORS)
LOAD_ORDER = ["none", "ksm", "cow", "zap", "oom", "mixed"]
LATENCY_POINTS = [(10, "inval_p10_ns"), (25, "inval_p25_ns"),
                  (50, "inval_p50_ns"), (75, "inval_p75_ns"),
                  (90, "inval_p90_ns"), (95, "inval_p95_ns"),
                  (99, "inval_p99_ns"), (99.9, "inval_p999_ns"),
                  (100, "inval_max_ns")]


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
    s = STRATEGY_ORDER.index(case.strategy) if case.strategy in STRATEGY_ORDER else 99
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
