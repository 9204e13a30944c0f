"""scripts/plot on a constructed run: one verdict per strategy in every
plot, in its own colour; no gnuplot warning about empty data."""
import json
import re
import shutil
import subprocess

import pytest

from mnbench import plot

pytestmark = pytest.mark.skipif(shutil.which("gnuplot") is None,
                                reason="no gnuplot")


def record(monkeypatch):
    """Runs gnuplot as plot does, keeping each script and its stderr."""
    seen = []

    def gnuplot(script, tmp):
        r = subprocess.run(["gnuplot"], input=script, text=True,
                           capture_output=True)
        assert r.returncode == 0, r.stderr
        seen.append((script, r.stderr))
    monkeypatch.setattr(plot, "gnuplot", gnuplot)
    return seen


def make_one_load_unsafe(run_dir, strategy, load):
    """The oracle finds STRATEGY unsafe under LOAD only (and nowhere else)."""
    path = run_dir / "mnbench.json"
    d = json.loads(path.read_text())
    for b in d["benchmarks"]:
        parts = b["name"].split("/")
        if b.get("run_type") != "iteration" or parts[0] != "throughput":
            continue
        if parts[1] == strategy:
            b["verdict_safe"] = 0.0 if parts[2] == load else 1.0
        if parts[1] == "interval" and parts[2] == "none":
            b["items_per_second"] *= 1e-3   # a bar too small to see
    path.write_text(json.dumps(d))


def test_plots_mark_unsafe_strategies_and_warn_of_nothing(
        reference_run, monkeypatch):
    make_one_load_unsafe(reference_run, "counter", "ksm")
    seen = record(monkeypatch)
    assert plot.main(["--data", str(reference_run)]) == 0
    assert seen
    for script, err in seen:
        assert "Skipping data file" not in err, err
        assert "no valid points" not in err, err
    throughput = [s for s, _ in seen if "set title 'vq throughput in the model"
                  in s][0]
    clauses = [c for c in throughput.split("plot ", 1)[1].split(", ")
               if "with boxes" in c and "counter" in c.split("/")[-1]]
    # Every bar of counter is hatched, on every load, in counter's colour.
    color = plot.strategy_color("counter")
    assert clauses and all("fs pattern" in c and color in c for c in clauses)
    data = re.search(r"'([^']*-counter-1\.dat)'", throughput).group(1)
    loads = len(open(data).read().splitlines())
    assert loads >= 2          # none, ksm, ...: not just the unsafe load
    # Safe strategies stay solid.
    for c in throughput.split("plot ", 1)[1].split(", "):
        if "with boxes" in c and "-interval-" in c:
            assert "fs solid" in c
    # The tiny interval bar under none carries its value.
    assert re.search(r"-interval-0-small\.dat' using 1:2:3 with labels",
                     throughput)
    # Line plots name counter UNSAFE and dash it.
    for script, _ in seen:
        for line in script.splitlines():
            if "title 'counter" in line and "linespoints" in line:
                assert "(UNSAFE)" in line and "dt 2" in line
