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


KCSAN_SEP = "[ 2.0] " + "=" * 66 + "\n"


def kcsan_report(frame_a, frame_b):
    return (KCSAN_SEP +
            "[ 2.0] BUG: KCSAN: data-race in __bitmap_and / f\n"
            "[ 2.0] \n[ 2.0] write to 0x1 of 8 bytes by task 1 on cpu 0:\n"
            f"[ 2.0]  {frame_a}\n"
            "[ 2.0] \n[ 2.0] read to 0x1 of 8 bytes by task 2 on cpu 1:\n"
            f"[ 2.0]  {frame_b}\n" + KCSAN_SEP)


def test_kcsan_race_in_a_module_fails(tmp_path, capsys):
    text = CLEAN + kcsan_report("__bitmap_and+0x98/0xda",
                                "mnb_worker_read+0x12/0x80 [mnbench]")
    assert check(tmp_path, text) == 1
    assert "KCSAN" in capsys.readouterr().err


def test_kcsan_race_inside_the_kernel_is_named_not_failed(tmp_path, capsys):
    text = CLEAN + kcsan_report("__bitmap_and+0x98/0xda",
                                "flush_tlb_mm_range+0xc0/0x120")
    assert check(tmp_path, text) == 0
    assert "inside the kernel itself" in capsys.readouterr().err
    # Anything else after it is still judged.
    text += "[ 3.0] BUG: KASAN: use-after-free\n"
    assert check(tmp_path, text) == 1
