"""Reading mnbench run directories: cases, repetitions and their order.

A run directory holds mnbench.json (the model suite) and, if the module
ran, module.json; both are Google Benchmark JSON with the same case
names. host.json and metadata.json are the Python tools' own.
"""
import json
import math
import os
import re

from .schema import atomic_write_text
from .strategies import strategy_rank

LOAD_ORDER = ["none", "ksm", "cow", "zap", "oom", "mixed"]
PERCENTILE_SUFFIXES = [(10, "p10"), (25, "p25"), (50, "p50"), (75, "p75"),
                       (90, "p90"), (95, "p95"), (99, "p99"),
                       (99.9, "p999"), (100, "max")]
# The module's results in a run directory, however the module ran
# (on the host, by scripts/host-module, or in a VM).
MODULE_JSON = "module.json"


def compact_benchmark_json(path):
    """Rewrite Google Benchmark JSON with one benchmark per line: with
    every round a repetition, GB's one-field-per-line layout makes a
    default run's file megabytes of indentation. Same data, still
    line-diffable by case."""
    if not os.path.exists(path):
        return
    with open(path) as f:
        doc = json.load(f)
    rows = doc.pop("benchmarks", [])
    lines = [f"  {json.dumps(k)}: " + json.dumps(v, indent=2).replace(
        "\n", "\n  ") for k, v in doc.items()]
    lines.append('  "benchmarks": [\n' + ",\n".join(
        "    " + json.dumps(b, separators=(",", ":")) for b in rows) +
        "\n  ]")
    atomic_write_text(path, "{\n" + ",\n".join(lines) + "\n}\n")


def median(values):
    v = sorted(values)
    if not v:
        return None
    mid = len(v) // 2
    return v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2


def load_rank(load):
    return (LOAD_ORDER.index(load), "") if load in LOAD_ORDER \
        else (len(LOAD_ORDER), load)


def loads_of(cases, pred=lambda c: True):
    """Every load some case names, known loads first, in their order."""
    return sorted({c.load for c in cases if c.load and pred(c)},
                  key=load_rank)


def strategies_of(cases, pred=lambda c: True):
    """Every strategy some case names (pred filters cases), in list order."""
    return sorted({c.strategy for c in cases if c.strategy and pred(c)},
                  key=strategy_rank)


def latency_points(prefix):
    """[(percentile, counter)] of a latency: "notifier" (time inside the
    secondary MMU's callbacks per invalidation) or "inval" (the window,
    start called .. end returned, which includes the mm's own work)."""
    return [(q, f"{prefix}_{s}_ns") for q, s in PERCENTILE_SUFFIXES]


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
        return median(self.values(counter))

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
        module = os.path.join(path, MODULE_JSON)
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
    return (strategy_rank(case.strategy or ""), load_rank(case.load)[0],
            case.value or 0)
