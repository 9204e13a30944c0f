"""Every Python executable: --help exits 0, a bad argument exits 2 naming
it, before anything is written."""
import os
import subprocess

import pytest

from conftest import REFERENCE, SCRIPTS

PYTHON_TOOLS = ["summarize", "plot", "compare", "index-results",
                "kernel-log-check", "run", "decide", "stability"]


def run(*args):
    return subprocess.run([os.path.join(SCRIPTS, args[0]), *args[1:]],
                          capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("tool", PYTHON_TOOLS)
def test_help(tool):
    r = run(tool, "--help")
    assert r.returncode == 0 and "usage:" in r.stdout


@pytest.mark.parametrize("tool", PYTHON_TOOLS)
def test_an_unknown_option_is_named(tool):
    r = run(tool, "--bogus", REFERENCE, REFERENCE)
    assert r.returncode == 2 and "--bogus" in r.stderr


@pytest.mark.parametrize("args,word", [
    (["summarize"], "RUN_DIR"),
    (["plot"], "RUN_DIR"),
    (["compare", REFERENCE], "new_dir"),
    (["compare", REFERENCE, REFERENCE, "--threshold", "abc"], "--threshold"),
    (["compare", REFERENCE, REFERENCE, "--alpha", "2"], "--alpha"),
    (["kernel-log-check"], "LOG"),
    (["kernel-log-check", "--pins"], "--pins"),
    (["kernel-log-check", "--pins", "a", "b"], "--pins"),
    (["kernel-log-check", "/no/such/log"], "/no/such/log"),
    (["index-results", "/no/such/dir"], "/no/such/dir"),
    (["summarize", "/no/such/run"], "/no/such/run"),
    (["plot", "/no/such/run"], "/no/such/run"),
    (["decide"], "RUN_DIR"),
    (["decide", "/no/such/run"], "/no/such/run"),
    (["stability"], "RUN_DIR"),
    (["stability", REFERENCE, "--pairs", "0"], "--pairs"),
    (["stability", REFERENCE, "--repetitions", "x"], "--repetitions"),
])
def test_a_bad_argument_is_named(args, word):
    r = run(*args)
    assert r.returncode == 2, r.stderr
    assert word in r.stderr
