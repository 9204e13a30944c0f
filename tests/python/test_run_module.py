"""scripts/run --module: a host that refuses the module is refused before
anything is built or created; the module is never touched without
--module; with it, the module suite's result is the run's module.json."""
import os
import subprocess
import types

import pytest

from conftest import SCRIPTS
from mnbench import run as job


def stub(tmp_path, body):
    """A scripts/host-module stand-in that logs its arguments."""
    path = tmp_path / "host-module"
    path.write_text(f"#!/bin/sh\necho \"$@\" >>'{tmp_path}/calls'\n{body}\n")
    path.chmod(0o755)
    return path


def run_module(tmp_path, host_module):
    out = tmp_path / "out"
    env = dict(os.environ, MNBENCH_HOST_MODULE=str(host_module))
    r = subprocess.run([os.path.join(SCRIPTS, "run"), "--module", "--out",
                        str(out)], capture_output=True, text=True, env=env,
                       timeout=120, stdin=subprocess.DEVNULL)
    return r, out


@pytest.mark.parametrize("why", [
    "not root: loading a module needs root",
    "no kernel headers for 6.1.0-9: install linux-headers-6.1.0-9-amd64",
    "Secure Boot is on and lockdown refuses unsigned modules",
    "modules are disabled (kernel.modules_disabled=1)",
])
def test_each_refusal_is_said_and_nothing_is_created(tmp_path, why):
    r, out = run_module(tmp_path, stub(tmp_path, f"echo '{why}'; exit 3"))
    assert r.returncode == 2
    assert why in r.stderr and "refuses the module" in r.stderr
    assert not [p for p in os.listdir(tmp_path) if p.startswith("out")]
    assert (tmp_path / "calls").read_text() == "--check\n"


def test_a_broken_check_is_refused_too(tmp_path):
    r, _ = run_module(tmp_path, stub(tmp_path, "echo oops >&2; exit 1"))
    assert r.returncode == 2 and "oops" in r.stderr and "--check failed" in r.stderr


def test_a_missing_host_module_is_named(tmp_path):
    r, _ = run_module(tmp_path, tmp_path / "no-such-program")
    assert r.returncode == 2 and "no-such-program is missing" in r.stderr


def suite_job(tmp_path, module):
    args = types.SimpleNamespace(quick=True, full=False, strategies="counter",
                                 loads="none,zap,ksm", placement=None,
                                 repetitions=2, seconds=None, vm=None,
                                 module=module, perf=None)
    j = job.Job(args, str(tmp_path / "run"), "scripts/run")
    os.makedirs(j.tmp)
    return j


@pytest.mark.skipif(os.path.exists("/dev/mnbench"),
                    reason="the module is loaded on this host")
def test_never_loaded_without_module(tmp_path, monkeypatch):
    host_module = stub(tmp_path, "exit 0")
    monkeypatch.setenv("MNBENCH_HOST_MODULE", str(host_module))
    j = suite_job(tmp_path, module=False)
    j.module_suite()
    assert not (tmp_path / "calls").exists()
    assert not os.path.exists(j.path("module.json")) and not j.missing


def test_with_module_the_result_is_the_runs_module_json(tmp_path, monkeypatch):
    host_module = stub(tmp_path, 'while [ "$1" != -- ]; do\n'
                       '[ "$1" = --out ] && out=$2; shift; done\n'
                       'echo "{}" >"$out"')
    monkeypatch.setenv("MNBENCH_HOST_MODULE", str(host_module))
    j = suite_job(tmp_path, module=True)
    j.module_suite()
    assert os.path.exists(j.path("module.json")) and not j.missing
    assert (tmp_path / "calls").read_text() == (
        f"--out {j.path('module.json')} -- --loads none,ksm "
        "--strategies counter --repetitions 2\n")


def test_a_failing_module_suite_is_missing_not_fatal(tmp_path, monkeypatch):
    monkeypatch.setenv("MNBENCH_HOST_MODULE", str(stub(tmp_path, "exit 1")))
    j = suite_job(tmp_path, module=True)
    j.module_suite()
    assert j.missing == ["the module suite: scripts/host-module failed"]
