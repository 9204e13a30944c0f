"""Reading a run directory: case names, repetitions, medians, order."""
import json

import pytest

from mnbench.results import Case, Run, compact_benchmark_json, load_report, \
    median, order_key, stable_name


def test_stable_name_drops_google_benchmark_suffixes():
    assert stable_name("throughput/counter/ksm/vqs:1/iterations:1/"
                       "repeats:5/manual_time") == "throughput/counter/ksm/vqs:1"
    assert stable_name("fastpath/bare/min_time:0.5/real_time") == "fastpath/bare"


def test_case_names_say_what_they_measure():
    c = Case("sweep/vqs/seqcount/zap/vqs:16", "model")
    assert (c.kind, c.param, c.strategy, c.load, c.value) == \
        ("sweep", "vqs", "seqcount", "zap", 16.0)
    t = Case("throughput/counter/cow/vqs:1", "model")
    assert (t.strategy, t.load) == ("counter", "cow")


def test_median_and_safety():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 2, 3]) == 2.5
    assert median([]) is None
    c = Case("throughput/counter/none/vqs:1", "model")
    c.runs = [{"items_per_second": 1, "verdict_safe": 1},
              {"items_per_second": 3, "verdict_safe": 0}]
    assert c.median() == 2 and c.safe() is False
    assert Case("throughput/x/none/vqs:1", "module").safe() is None


def test_errors_and_aggregates(tmp_path):
    report = tmp_path / "r.json"
    report.write_text("""{"context": {"kernel": "6.1"}, "benchmarks": [
      {"name": "throughput/mutex/ksm/vqs:1/manual_time", "run_type": "iteration",
       "error_occurred": true, "error_message": "refused"},
      {"name": "throughput/counter/ksm/vqs:1/manual_time", "run_type": "iteration",
       "items_per_second": 5},
      {"name": "throughput/counter/ksm/vqs:1/manual_time_median",
       "run_type": "aggregate", "items_per_second": 99}]}""")
    ctx, cases = load_report(str(report), "model")
    assert ctx["kernel"] == "6.1"
    assert cases["throughput/mutex/ksm/vqs:1"].error == "refused"
    assert cases["throughput/counter/ksm/vqs:1"].values() == [5]


def test_order_follows_the_list_then_the_loads():
    names = ["throughput/counter/mixed/vqs:1", "throughput/counter/none/vqs:1",
             "throughput/mutex/cow/vqs:1"]
    cases = sorted((Case(n, "model") for n in names), key=order_key)
    assert [c.name for c in cases] == [names[2], names[1], names[0]]


def test_not_a_run_directory(tmp_path):
    with pytest.raises(ValueError, match="not a run directory"):
        Run(str(tmp_path))


def test_the_reference_run(reference_run):
    run = Run(str(reference_run))
    assert run.module_cases and run.module_under_tcg()
    assert any(c.strategy == "counter" for c in run.throughput())


def test_compact_json_keeps_the_data_and_puts_one_case_per_line(tmp_path):
    doc = {"context": {"date": "x", "caches": [{"level": 1}]},
           "benchmarks": [{"name": "a/b", "real_time": 1.5},
                          {"name": "c/d", "label": "p\nq"}]}
    path = tmp_path / "mnbench.json"
    path.write_text(json.dumps(doc, indent=4))
    compact_benchmark_json(str(path))
    assert json.loads(path.read_text()) == doc
    lines = path.read_text().splitlines()
    assert sum(line.startswith('    {"name":') for line in lines) == 2
    assert not [p for p in tmp_path.iterdir() if ".tmp." in p.name]
