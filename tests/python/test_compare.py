"""scripts/compare's rule: a change only beyond the interval and both
noise floors; across hosts, a warning first, the two decisions side by
side, and flags only where the normalized change supports one."""
import argparse
import json
import shutil

from mnbench import compare
from mnbench.results import Run


def review(base, new, out):
    """review.txt and compare.md's text (scripts/compare without its plots:
    tests/plot_compare.sh runs the whole tool)."""
    args = argparse.Namespace(threshold=0.0, alpha=0.05)
    txt, md = compare.review(Run(str(base)), Run(str(new)), args, [])
    return "\n".join(txt) + "\n", "\n".join(md) + "\n"


def edit(run_dir, change, context=None):
    """CHANGE(name, row) edits each iteration row of mnbench.json."""
    path = run_dir / "mnbench.json"
    d = json.loads(path.read_text())
    for b in d["benchmarks"]:
        if b.get("run_type") == "iteration":
            change(b["name"], b)
    d["context"].update(context or {})
    path.write_text(json.dumps(d))


def test_a_run_against_itself_reports_no_change(reference_run, tmp_path):
    txt, md = review(reference_run, reference_run, tmp_path / "out")
    assert "0 case(s) flagged." in txt
    assert "WARNING: the two runs come from different hosts" not in txt
    verdicts = [l for l in txt.splitlines() if l.split(":")[0] in
                ("none", "ksm", "cow", "mixed")]
    assert len(verdicts) == 4 and all(l.endswith(": same") for l in verdicts)
    assert "**changed**" not in md


def test_another_host_warns_first_and_flags_only_normalized_changes(
        quiet_reference_run, tmp_path):
    reference_run = quiet_reference_run
    other = tmp_path / "other"
    shutil.copytree(reference_run, other)

    def slower_host(name, row):
        # Everything half as fast, the bare fast path too; interval under
        # ksm half as fast again: the one change the normalized ratio shows
        # (not counter: its A/A twin would widen the noise floor).
        if "items_per_second" not in row:
            return
        row["items_per_second"] *= 0.5
        if "worker_cpu_ns_per_buffer" in row:
            row["worker_cpu_ns_per_buffer"] *= 2
        if name.startswith("throughput/interval/ksm/"):
            row["items_per_second"] *= 0.5
    edit(other, slower_host, {"host_name": "elsewhere", "cpu_model": "Y"})
    txt, md = review(reference_run, other, tmp_path / "out")
    lines = [l for l in txt.splitlines() if l]
    assert lines[1].startswith("WARNING: the two runs come from different hosts")
    assert "host_name: vm vs elsewhere" in md
    # The decisions lead, before the cases.
    assert txt.index("Decisions per load") < txt.index("\ncase ")
    assert md.index("## Decisions") < md.index("## Cases")
    assert md.index("> **WARNING: the two runs come from different hosts") < \
        md.index("## Decisions")
    assert "-50.0%" in txt          # the raw change is there, not flagged
    assert "\n1 case(s) flagged: interval/ksm\n" in txt


def test_a_change_within_the_noise_is_not_flagged(reference_run, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(reference_run, other)

    def nudge(name, row):
        if name.startswith("throughput/counter/ksm/"):
            row["items_per_second"] *= 1.03   # inside its interval
    edit(other, nudge)
    txt, _ = review(reference_run, other, tmp_path / "out")
    assert "0 case(s) flagged." in txt


def keep(run_dir, wanted):
    """Keeps only the iteration rows WANTED(name, row, seen) says to."""
    path = run_dir / "mnbench.json"
    d = json.loads(path.read_text())
    seen = {}
    rows = []
    for b in d["benchmarks"]:
        if b.get("run_type") == "iteration":
            base = b.get("run_name", b["name"])
            seen[base] = seen.get(base, 0) + 1
            if not wanted(b["name"], b, seen[base]):
                continue
        rows.append(b)
    d["benchmarks"] = rows
    path.write_text(json.dumps(d))


def run_main(base, new, tmp_path, capsys):
    code = compare.main([str(base), str(new), "--out", str(tmp_path / "o")])
    return code, capsys.readouterr().err


def test_a_run_without_repetitions_gets_a_sentence(reference_run, tmp_path,
                                                    capsys):
    other = tmp_path / "other"
    shutil.copytree(reference_run, other)
    keep(other, lambda name, row, n: n == 1)
    code, err = run_main(reference_run, other, tmp_path, capsys)
    assert code == 2
    assert "one repetition per case" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_a_run_with_one_strategy_gets_a_sentence(reference_run, tmp_path,
                                                 capsys):
    other = tmp_path / "other"
    shutil.copytree(reference_run, other)
    keep(other, lambda name, row, n: not name.startswith("throughput/")
         or name.startswith("throughput/interval/"))
    code, err = run_main(reference_run, other, tmp_path, capsys)
    assert code == 2
    assert "one strategy only" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()
