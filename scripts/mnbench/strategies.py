"""The strategy list as the build exports it: build/strategies.json.

CMake writes that file from strategies/strategy_list.h through the C
preprocessor; the tools read it for the list's order (tables and plots)
and the flags. Without it (no configured build) strategies are ordered
by their assigned colors, then by name, and the tools say so once.
"""
import json
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
# MNBENCH_STRATEGIES_JSON: another build's list (a sanitizer build, a test).
DEFAULT_PATH = os.path.join(TOP, "build", "strategies.json")

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


def list_path():
    return os.environ.get("MNBENCH_STRATEGIES_JSON") or DEFAULT_PATH


def read_strategy_list(path=None):
    """[(name, set of flags)] in the list's order; [] without the file."""
    path = path or list_path()
    try:
        with open(path) as f:
            data = json.load(f)
    except OSError:
        print(f"mnbench: no {path} (configure the build: cmake -S . -B "
              "build): strategies not in the list's order", file=sys.stderr)
        return []
    except ValueError as e:
        print(f"mnbench: {path}: {e}: strategies not in the list's order",
              file=sys.stderr)
        return []
    return [(s["name"], set(s.get("flags", [])))
            for s in data.get("strategies", []) if "name" in s]


def has_flag(flags, flag):
    """FLAG ("known_unsafe") among a strategy's flags, however the list
    spells them (MN_KNOWN_UNSAFE or known_unsafe)."""
    want = flag.lower().removeprefix("mn_")
    return any(f.lower().removeprefix("mn_") == want for f in flags)


class Strategies:
    """Order and colors of strategies: the list's, then any others."""

    def __init__(self, listed):
        self.order = [name for name, _ in listed]
        self.order += [s for s in ASSIGNED_COLORS if s not in self.order]
        self.flags = dict(listed)

    def rank(self, name):
        return (self.order.index(name), "") if name in self.order \
            else (len(self.order), name)

    def color(self, name):
        """The strategy's color: assigned, or from the fallback palette."""
        if name in ASSIGNED_COLORS:
            return ASSIGNED_COLORS[name]
        others = [s for s in self.order if s not in ASSIGNED_COLORS]
        i = others.index(name) if name in others else \
            len(others) + sum(map(ord, name))
        return FALLBACK_COLORS[i % len(FALLBACK_COLORS)]


_current = None


def current():
    """The build's strategies, read once."""
    global _current
    if _current is None:
        _current = Strategies(read_strategy_list())
    return _current


def strategy_rank(name):
    return current().rank(name)


def strategy_color(name):
    return current().color(name)
