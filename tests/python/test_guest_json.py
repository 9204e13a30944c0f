"""mnbench-module's report found in a guest's stdout, whatever surrounds it."""
import json

from mnbench.guest_json import module_report

REPORT = {"context": {"schema_version": "1"},
          "benchmarks": [{"name": "throughput/counter/zap/vqs:1",
                          "run_type": "iteration", "stale_reads": 0}]}


def test_report_between_other_lines():
    text = ("vm-run: kernel 6.1.0\n{not json\n" + json.dumps(REPORT, indent=2)
            + "\nMNBENCH-PINS-AFTER 12 12\n{\"other\": 1}\n")
    assert module_report(text) == REPORT


def test_kernel_lines_inside_the_report_are_skipped():
    lines = json.dumps(REPORT, indent=2).splitlines()
    lines.insert(3, "[   12.345678] mnbench: vq 0 released")
    assert module_report("\n".join(lines) + "\n") == REPORT


def test_the_last_report_wins_and_none_without_one():
    later = dict(REPORT, context={"schema_version": "1", "run": 2})
    assert module_report(json.dumps(REPORT) + "\n" + json.dumps(later)) == later
    assert module_report("no json here {\n[  1.0] boot\n") is None
    assert module_report('{"benchmarks": "not a list"}') is None
