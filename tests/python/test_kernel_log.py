"""The guest log's verdict: reports fail, the command line never does,
pins must balance."""
from mnbench import kernel_log

CLEAN = ("[    0.000000] Command line: console=ttyS0 softlockup_panic=1 "
         "hung_task_panic=1\n[    1.000000] mnbench: loaded\n")


def check(tmp_path, text, *flags):
    log = tmp_path / "log"
    log.write_text(text)
    return kernel_log.main([*flags, str(log)])


def test_clean_and_reported(tmp_path, capsys):
    assert check(tmp_path, CLEAN) == 0
    assert check(tmp_path, CLEAN + "[    2.0] BUG: KASAN: use-after-free\n") == 1
    assert "KASAN" in capsys.readouterr().err


def test_summary_names_each_report_once(tmp_path, capsys):
    text = CLEAN + ("[ 2.0] WARNING: CPU: 1 PID: 8 at mm/x.c:1 f\n"
                    "[ 2.1] Call Trace:\n") + "x\n" * 30 + \
        "[ 9.0] WARNING: CPU: 1 PID: 8 at mm/x.c:1 f\n"
    assert check(tmp_path, text, "--summary") == 1
    assert capsys.readouterr().out == "WARNING: CPU: 1 PID: 8 at mm/x.c:1 f\n"


def test_pins(tmp_path):
    before = "MNBENCH-PINS-BEFORE nr_foll_pin_acquired 10 nr_foll_pin_released 10\n"
    assert check(tmp_path, before + before.replace("BEFORE", "AFTER")
                 .replace("10 nr", "12 nr").replace("released 10",
                                                    "released 12"),
                 "--pins") == 0
    assert check(tmp_path, before + before.replace("BEFORE", "AFTER")
                 .replace("10 nr", "12 nr"), "--pins") == 1
    assert check(tmp_path, before, "--pins") == 1
