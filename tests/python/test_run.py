"""scripts/run's rules that need no build: the suite's options, the
module's loads, the run directory, and the guest output it splits."""
import os
import types

import pytest

from mnbench import run as job


def args(**kw):
    base = dict(quick=False, full=False, strategies=None, loads=None,
                placement=None, repetitions=None, seconds=None, vm=None,
                module=False, perf=None)
    base.update(kw)
    return types.SimpleNamespace(**base)


def test_the_default_run_decides():
    suite, reps = job.suite_args(args())
    assert suite == ["--quick", "--repetitions", "5", "--seconds", "0.3",
                     "--decision-repetitions", "32", "--decision-seconds", "0.05"]
    assert reps == 5


def test_quick_and_full(capsys):
    assert job.suite_args(args(quick=True)) == (["--quick"], None)
    assert "cannot decide" in capsys.readouterr().err
    assert job.suite_args(args(full=True, repetitions=7)) == \
        (["--repetitions", "7"], 7)


def test_options_pass_through():
    suite, _ = job.suite_args(args(strategies="counter,seqcount", loads="ksm",
                                   placement="smt", seconds=1.5))
    assert suite == ["--quick", "--strategies", "counter,seqcount", "--loads",
                     "ksm", "--placement", "smt", "--repetitions", "5",
                     "--seconds", "1.5", "--decision-repetitions", "32",
                     "--decision-seconds", "0.05"]


def test_the_module_runs_only_the_loads_a_process_can_make():
    assert job.module_args(args(loads="zap,cow,oom,none"), None) == \
        ["--loads", "cow,none"]
    assert job.module_args(args(), 3) == \
        ["--loads", "none,ksm,cow,mixed", "--repetitions", "3"]


def test_an_existing_run_is_never_written_over(tmp_path):
    (tmp_path / "old").mkdir()
    with pytest.raises(job.Refused, match="exists"):
        job.run_dir(str(tmp_path / "old"))
    with pytest.raises(job.Refused, match="not a writable directory"):
        job.run_dir(str(tmp_path / "no" / "such"))
    assert job.run_dir(str(tmp_path / "new")) == str(tmp_path / "new")


def test_sections_of_guest_output(tmp_path):
    out = tmp_path / "vm-output.txt"
    out.write_text("boot\nMODULE-JSON-BEGIN\n{\"a\": 1}\nMODULE-JSON-END\n"
                   "MODULE-HIST-BEGIN\nMODULE-HIST-END\n")
    assert job.sections(str(out), "MODULE-JSON-BEGIN", "MODULE-JSON-END") == \
        '{"a": 1}\n'
    assert job.sections(str(out), "MODULE-HIST-BEGIN", "MODULE-HIST-END") == ""
    assert job.sections(str(out), "PERF-STAT-BEGIN", "PERF-STAT-END") is None


def test_module_perf_output(tmp_path):
    j = job.Job(args(perf="counter"), str(tmp_path / "run"), "scripts/run")
    os.makedirs(j.tmp)
    with open(j.path("o.txt"), "w") as f:
        f.write("PERF-STAT-BEGIN\nstat\nPERF-STAT-END\n"
                "PERF-REPORT-BEGIN\nreport\nPERF-REPORT-END\n")
    assert j.keep_module_perf("o.txt")
    assert open(j.path("perf-module-report.txt")).read() == "report\n"
    with open(j.path("o.txt"), "w") as f:
        f.write("PERF-STAT-BEGIN\nPERF-STAT-END\n"
                "PERF-REPORT-BEGIN\nreport\nPERF-REPORT-END\n")
    assert not j.keep_module_perf("o.txt")   # an empty perf stat is a failure
    with open(j.path("o.txt"), "w") as f:
        f.write("PERF-NO-CASE\n")
    assert j.keep_module_perf("o.txt")       # nothing matched: said, not missing


def test_the_perf_script_quotes_its_arguments():
    script = job.module_perf_script(["--strategies", "counter"], "a'b", "/t t")
    assert "--benchmark_filter='a'\"'\"'b'" in script
    assert "'/t t'/perf-module-stat.txt" in script
