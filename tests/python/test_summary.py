"""The summary's decision: the headline, from decision.py alone, and the
module's timings in it only from a real host."""
import json

from mnbench import decision, summary
from mnbench.results import Run


def test_decision_is_the_headline_and_decision_pys(reference_run):
    assert summary.main([str(reference_run)]) == 0
    text = (reference_run / "summary.md").read_text()
    sections = [l for l in text.splitlines() if l.startswith("## ")]
    assert sections[0] == "## Decision"
    want = decision.format_decision(decision.decide_run_dir(str(reference_run)))
    assert "\n".join(want) in text
    assert "## Pairwise effect sizes" in sections
    # The old rule (a winner by median, "rerun with more --repetitions") is gone.
    assert "## Recommendation" not in text
    assert "rerun with more --repetitions" not in text


def real_host(run_dir, virtualization=None, device="/dev/mnbench"):
    """RUN_DIR's module run as if on a host: no TCG, no hypervisor."""
    path = run_dir / "module.json"
    report = json.loads(path.read_text())
    ctx = report["context"]
    ctx.pop("timings", None)
    ctx.pop("hypervisor", None)
    if device:
        ctx["device"] = device
    else:
        ctx.pop("device", None)
    path.write_text(json.dumps(report))
    (run_dir / "host.json").write_text(json.dumps(
        {"schema_version": 1, "virtualization": virtualization,
         "tcg": False}))


def scale(run_dir, report, case, factor):
    path = run_dir / report
    d = json.loads(path.read_text())
    for b in d["benchmarks"]:
        if b["name"].startswith(case + "/") and b.get("run_type") == "iteration":
            b["items_per_second"] *= factor
    path.write_text(json.dumps(d))


def test_tcg_module_timings_stay_out(reference_run):
    run = Run(str(reference_run))
    use, source = decision.timing_source(run, None)
    assert not use and "under TCG" in source


def test_real_host_module_timings_decide(reference_run):
    real_host(reference_run)
    scale(reference_run, "module.json", "throughput/uaccess/cow/vqs:1", 10)
    run = Run(str(reference_run))
    use, source = decision.timing_source(run, decision.read_host_conditions(
        str(reference_run)))
    assert use and "kernel module's buffers/s" in source
    d = decision.decide_run_dir(str(reference_run))
    assert d.load("cow").text == "use uaccess"
    assert summary.main([str(reference_run)]) == 0
    text = (reference_run / "summary.md").read_text()
    assert "Decided by the kernel module's buffers/s on this host" in text
    assert "Decided from: module." in text


def test_under_tcg_the_model_decides_and_says_so(reference_run):
    # The committed reference ran its module under TCG: the model decides.
    assert summary.main([str(reference_run)]) == 0
    text = (reference_run / "summary.md").read_text()
    assert "Decided from: model." in text
    assert "Decided from: module." not in text


def test_module_in_a_vm_or_without_device_stays_out(reference_run):
    real_host(reference_run, virtualization="kvm")
    run = Run(str(reference_run))
    use, source = decision.timing_source(
        run, decision.read_host_conditions(str(reference_run)))
    assert not use and "in a VM (kvm)" in source
    real_host(reference_run, device=None)
    run = Run(str(reference_run))
    use, source = decision.timing_source(
        run, decision.read_host_conditions(str(reference_run)))
    assert not use and "/dev/mnbench" in source


def test_a_run_without_repetitions_gets_a_sentence(tmp_path):
    (tmp_path / "mnbench.json").write_text('{"context": {}, "benchmarks": []}')
    assert summary.main([str(tmp_path)]) == 0
    text = (tmp_path / "summary.md").read_text()
    assert "Nothing to decide: the run has no throughput case with repetitions." in text


def test_index_states_the_same_decision(reference_run):
    from mnbench import index
    assert index.main([str(reference_run.parent)]) == 0
    row = [l for l in (reference_run.parent / "index.md").read_text().splitlines()
           if "[run]" in l][0]
    d = decision.decide_run_dir(str(reference_run))
    for ld in d.loads:
        assert f"{ld.load}: {ld.text}" in row
    entry = json.loads((reference_run.parent / "index.json").read_text())["runs"][0]
    assert [x["text"] for x in entry["decision"]] == [ld.text for ld in d.loads]
    assert entry["unsafe"] == d.unsafe


def test_verdicts_name_the_memory_model_and_bound(reference_run):
    """A verdict holds under its model and bound only: the table says
    which, per strategy, for the safe and the unsafe alike."""
    path = reference_run / "explore" / "explore.json"
    doc = json.loads(path.read_text())
    for cell in doc["cells"]:
        if cell["strategy"] == "counter":
            cell["memory_model"] = "lkmm"
    path.write_text(json.dumps(doc))
    assert summary.main([str(reference_run)]) == 0
    rows = {l.split(" | ")[0][2:]: l for l in
            (reference_run / "summary.md").read_text().splitlines()
            if l.startswith("| ") and l.count(" | ") == 3}
    assert (f"safe under lkmm, bound {doc['bound']}: explored exhaustively"
            in rows["counter"])
    assert f"safe under sc, bound {doc['bound']}" in rows["interval"]
    assert "unsafe under sc: counterexample" in rows["mutex"]
