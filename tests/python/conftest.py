"""Shared fixtures: the source tree, the reference run, a strategy list."""
import json
import os
import shutil

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SCRIPTS = os.path.join(TOP, "scripts")
REFERENCE = os.path.join(TOP, "results", "reference-2core-vm")

# What the build writes (build/strategies.json), for tests that must not
# depend on a configured build.
STRATEGY_LIST = {"schema_version": 1, "strategies": [
    {"name": "invalidate_range", "flags": ["MN_KNOWN_UNSAFE"]},
    {"name": "mutex", "flags": ["MN_KNOWN_UNSAFE"]},
    {"name": "counter", "flags": []},
    {"name": "seqcount", "flags": []},
    {"name": "interval", "flags": []},
    {"name": "uaccess", "flags": ["MN_REFERENCE"]},
    {"name": "unsafe", "flags": ["MN_KNOWN_UNSAFE", "MN_REFERENCE"]},
    {"name": "valid_flag", "flags": ["MN_KNOWN_UNSAFE", "MN_TEST_ONLY"]},
]}


@pytest.fixture(autouse=True)
def strategy_list(tmp_path, monkeypatch):
    """Every test reads this list, in-process and in the scripts it runs."""
    path = tmp_path / "strategies.json"
    path.write_text(json.dumps(STRATEGY_LIST))
    monkeypatch.setenv("MNBENCH_STRATEGIES_JSON", str(path))
    from mnbench import strategies
    monkeypatch.setattr(strategies, "_current", None)
    return path


@pytest.fixture
def reference_run(tmp_path):
    """A copy of the committed reference run, free to edit."""
    dest = tmp_path / "run"
    shutil.copytree(REFERENCE, dest)
    return dest


@pytest.fixture
def quiet_reference_run(reference_run):
    """The reference run with quiet timings (tests/quiet_run.py says why),
    for tests of what a known change does to a comparison."""
    import subprocess
    import sys
    subprocess.run([sys.executable, os.path.join(TOP, "tests", "quiet_run.py"),
                    str(reference_run)], check=True)
    return reference_run
