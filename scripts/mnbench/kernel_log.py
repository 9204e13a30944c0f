"""The verdict on a guest kernel's log, for scripts/vm-run."""
import argparse
import re
import sys

DESCRIPTION = """LOG...: kernel logs (console, dmesg). Exit 1, printing each report with
the lines after it, if any log holds a kernel report: oops, BUG (sleeping
in atomic context, KASAN, KCSAN data race, soft lockup, ...), WARNING
(WARN_ON, every lockdep and RCU-lockdep splat), UBSAN, hung task, RCU
stall, panic, a notifier callback that failed in a non-blockable context
or an OOM reaper that could not reap, or a failed KCSAN boot selftest (the
detector would then be blind). The kernel's command line is never matched,
whatever it contains, nor the stack the OOM killer prints of the task that
invoked it (a report of memory, not of a bug).
Exit 2 on bad arguments or an unreadable file."""

# Report headers as the kernel prints them (lib/bug.c, kernel/panic.c,
# kernel/locking/lockdep.c, mm/kasan/report.c, kernel/hung_task.c,
# kernel/watchdog.c, kernel/rcu/tree_stall.h, lib/ubsan.c,
# kernel/kcsan/report.c and selftest.c). "BUG: KCSAN: data-race in f / g"
# (and "assert: race", "race of unknown origin") is a failure whatever
# it names: a strategy called safe must have no data race.
REPORTS = re.compile(
    r"(?:^|\s)(?:"
    r"BUG: KCSAN:|kcsan: selftest: .* failed|"
    r"WARNING:|BUG:|Oops|general protection fault|kernel BUG at|"
    r"Kernel panic|UBSAN:|"
    r"INFO: task \S+ blocked for more than|"
    r"(?:rcu: )?INFO: rcu\w* (?:detected|self-detected) stall|"
    r"detected stalls on CPUs|"
    r"-+\[ cut here \]-+|"
    r"Call Trace:|"
    # mm/mmu_notifier.c and mm/oom_kill.c (6.1): the OOM reaper's
    # non-blockable start refused, and a reaper that gave up.
    r"\S+ callback failed with -?\d+ in (?:non-)?blockable context|"
    r"oom_reaper: unable to reap pid"
    r")")
# dump_header() in mm/oom_kill.c: "X invoked oom-killer: ...", then
# dump_stack()'s "CPU: ...", "Hardware name: ...", "Call Trace:".
OOM_HEADER = re.compile(r"invoked oom-killer: ")
OOM_STACK_LINES = 4
GENERIC = re.compile(r"^(?:Call Trace:|-+\[ cut here \]-+)$")
COMMAND_LINE = re.compile(r"(?:Kernel )?[Cc]ommand line:")
CONTEXT = 20


TIMESTAMP = re.compile(r"^\[\s*[0-9.]+\]\s*")


def reports(path):
    """The index of each report's first line in the log, and the lines."""
    try:
        with open(path, errors="replace") as f:
            lines = [line.rstrip("\r\n") for line in f]
    except OSError as e:
        print(f"kernel-log-check: {e}", file=sys.stderr)
        sys.exit(2)
    found, skip_to = [], -1
    for i, line in enumerate(lines):
        if i <= skip_to or COMMAND_LINE.search(line):
            continue
        if KCSAN_RACE.search(line):
            end = kcsan_report_end(lines, i)
            if end is not None and kernel_only(lines[i + 1:end]):
                kernel_internal_race(path, lines[i])
                skip_to = end
                continue
        if GENERIC.search(TIMESTAMP.sub("", line).strip()) and any(
                OOM_HEADER.search(x)
                for x in lines[max(0, i - OOM_STACK_LINES):i]):
            continue
        if REPORTS.search(line):
            found.append(i)
            skip_to = i + CONTEXT - 1
    return found, lines


# A KCSAN report runs to its closing line of '='. When none of its frames
# is in a module ("func+0x1/0x2 [name]"), both sides of the race are the
# kernel's own code (for example the TLB-flush cpumask in
# smp_call_function_many_cond(), which fork's COW faults reach): that says
# nothing of the module or its strategy, so it is named, not failed.
KCSAN_RACE = re.compile(r"BUG: KCSAN: data-race in ")
KCSAN_END = re.compile(r"^(?:\[\s*[0-9.]+\]\s*)?={20,}\s*$")
FRAME = re.compile(r"\w\+0x[0-9a-f]+/0x[0-9a-f]+")
MODULE_FRAME = re.compile(r"\+0x[0-9a-f]+/0x[0-9a-f]+ \[\w+\]")


def kcsan_report_end(lines, i):
    """The report's closing line, or None for a report cut short."""
    for j in range(i + 1, min(len(lines), i + 200)):
        if KCSAN_END.search(lines[j]):
            return j
    return None


def kernel_only(body):
    """Both stacks are there and no frame is a module's. A report
    without its stacks cannot be placed, so it fails."""
    frames = [x for x in body if FRAME.search(x)]
    return len(frames) >= 2 and not any(MODULE_FRAME.search(x)
                                        for x in frames)


def kernel_internal_race(path, head):
    print(f"kernel-log-check: {path}: note: a data race inside the kernel "
          f"itself (no frame in a module), not counted: "
          f"{TIMESTAMP.sub('', head).strip()}", file=sys.stderr)


def scan(path):
    found, lines = reports(path)
    if found:
        print(f"kernel-log-check: {path} reports a problem:",
              file=sys.stderr)
    for i in found:
        print("\n".join(lines[i:i + CONTEXT]), file=sys.stderr)
        print("--", file=sys.stderr)
    return len(found)


def summary(paths):
    seen = []
    for path in paths:
        found, lines = reports(path)
        for i in found:
            head = TIMESTAMP.sub("", lines[i]).strip()
            if head not in seen:
                seen.append(head)
    # The generic lines of a report say nothing when its header is there.
    named = [h for h in seen if not GENERIC.search(h)]
    for head in named or seen:
        print(head)
    return 1 if seen else 0


def pins(path):
    try:
        text = open(path, errors="replace").read()
    except OSError as e:
        print(f"kernel-log-check: {e}", file=sys.stderr)
        sys.exit(2)
    held = {}
    for when in ("BEFORE", "AFTER"):
        m = re.search(rf"^MNBENCH-PINS-{when} nr_foll_pin_acquired (\d+) "
                      r"nr_foll_pin_released (\d+)", text, re.M)
        if not m:
            print(f"kernel-log-check: no pin counts {when.lower()} the "
                  f"run in {path} (the guest did not get that far?)",
                  file=sys.stderr)
            return 1
        held[when] = int(m.group(1)) - int(m.group(2))
    if held["AFTER"] != held["BEFORE"]:
        print(f"kernel-log-check: FOLL_PIN pins leaked: "
              f"{held['AFTER'] - held['BEFORE']} more held after the run "
              f"than before", file=sys.stderr)
        return 1
    return 0


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="scripts/kernel-log-check", description=DESCRIPTION,
        usage="%(prog)s [--summary] LOG... | --pins GUEST-OUTPUT",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("logs", metavar="LOG", nargs="*", help="a kernel log")
    ap.add_argument("--summary", action="store_true",
                    help="print each distinct report's first line (no "
                    "timestamp), one per line, and nothing for a clean "
                    "log; exit as above")
    ap.add_argument("--pins", metavar="GUEST-OUTPUT",
                    help="GUEST-OUTPUT holds vm-run's MNBENCH-PINS-BEFORE "
                    "and -AFTER lines (nr_foll_pin_acquired and "
                    "nr_foll_pin_released from /proc/vmstat): exit 1 "
                    "unless the pins taken while the guest ran were all "
                    "released")
    args = ap.parse_args(argv)
    if args.pins is not None and (args.logs or args.summary):
        ap.error("--pins takes one file, and no LOG or --summary")
    if args.pins is None and not args.logs:
        ap.error("LOG is missing")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.pins is not None:
        return pins(args.pins)
    if args.summary:
        return summary(args.logs)
    return 1 if sum(scan(p) for p in args.logs) else 0
