"""The main job (scripts/run): build mnbench, run its suites, and write
one run directory with the summary and the plots."""
import argparse
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time

from . import host, index, plot, results, summary
from .results import MODULE_JSON
from .schema import write_json
from .strategies import TOP

DESCRIPTION = """Installs missing Debian packages (as root; otherwise prints the apt-get
line), builds mnbench, runs its suite in the userspace model and, where
/dev/mnbench exists (or with --vm or --module), the kernel module's
suite, then renders the plots. Each run goes to
results/<host>-<UTC timestamp>/ (never written over): mnbench.json and
module.json (Google Benchmark JSON with context), host.json (what on the
host makes numbers unrepeatable), metadata.json, summary.md (table and
recommendation) and plots/.

Without --quick or --full: the reduced matrix with 5 repetitions of 0.3 s
runs, interleaved, and the cases the decision compares in 32 rounds of
0.05 s runs, each round of a load back to back, so that a comparison is
of runs a moment apart: in under 3 minutes on 2 cores."""

EPILOG = """If a step after the model suite fails (the module suite, perf, the
summary or the plots), the run keeps what finished, lists what is
missing in DIR/MISSING.txt and exits with status 1."""

VM_KERNELS = ("6.1", "6.12", "6.1-debug")
DECISION_ROUNDS = 32
MODULE_LOADS = ("none", "ksm", "cow", "mixed")
# scripts/host-module --check exits so when the host refuses the module.
HOST_REFUSES = 3


def positive(kind):
    def check(text):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number")
        if not v > 0:
            raise argparse.ArgumentTypeError(f"'{text}' must be above 0")
        return v
    return check


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="scripts/run", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true",
                      help="smoke run: 2 repetitions, which can never make "
                      "a lead significant (the summary says so)")
    mode.add_argument("--full", action="store_true",
                      help="full matrix with sweeps and 5 repetitions of 2 s")
    ap.add_argument("--strategies", metavar="LIST",
                    help="comma-separated strategies (default: all)")
    ap.add_argument("--loads", metavar="LIST",
                    help="loads for the throughput matrix (default "
                    "none,ksm,cow,mixed)")
    ap.add_argument("--placement", metavar="LIST",
                    help="none,same-core,smt,cores,packages (default: worker "
                    "and guest on two cores where there are two)")
    ap.add_argument("--repetitions", metavar="N", type=positive(int),
                    help="repetitions of each case")
    ap.add_argument("--seconds", metavar="S", type=positive(float),
                    help="duration of each model run")
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--vm", metavar="KERNEL", nargs="?", const="6.1",
                       choices=VM_KERNELS,
                       help="run the module suite in a qemu VM (KERNEL 6.1, "
                       "the default, 6.12 or 6.1-debug); TCG timings are "
                       "behaviour only")
    where.add_argument("--module", action="store_true",
                       help="build module/mnbench.ko for the running kernel, "
                       "load it, run the module suite on this host and "
                       "unload it (scripts/host-module; root, kernel headers "
                       "and a kernel that accepts the unsigned module). "
                       "Never done without this option")
    ap.add_argument("--perf", metavar="CASE",
                    help="afterwards, run the cases matching regex CASE once "
                    "under 'perf stat' and 'perf record' (perf-*.txt); the "
                    "module's too, system-wide with kernel symbols (in the "
                    "VM with --vm; perf-module-*.txt)")
    ap.add_argument("--out", metavar="DIR",
                    help="run directory to create instead of the default")
    args = ap.parse_args(argv)
    if args.perf is not None:
        try:
            re.compile(args.perf)
        except re.error as e:
            ap.error(f"argument --perf: '{args.perf}' is not a regex: {e}")
    return args


def say(text):
    print(text, file=sys.stderr, flush=True)


class Refused(Exception):
    """A bad argument or an environment the run cannot start in: exit 2."""


def suite_args(args):
    """mnbench's options (the default run: quick matrix, 5 x 0.3 s, the
    decision's cases 32 rounds x 0.05 s)."""
    reps, seconds = args.repetitions, args.seconds
    rounds = round_seconds = None
    if args.quick:
        mode = ["--quick"]
        say("run: --quick is a smoke run: its repetitions cannot decide "
            "between strategies")
    elif args.full:
        mode = []
    else:
        mode = ["--quick"]
        reps = reps or 5
        seconds = seconds or 0.3
        # Short runs: a round of a load (its candidates and the A/A
        # twin, 5 runs or 0.25 s in the reference run) mostly stays
        # within the second or so a virtual CPU keeps its speed, and in
        # 32 rounds the few that straddle a change are a small share.
        rounds, round_seconds = max(reps, DECISION_ROUNDS), 0.05
    out = list(mode)
    for flag, value in (("--strategies", args.strategies),
                        ("--loads", args.loads),
                        ("--placement", args.placement),
                        ("--repetitions", reps), ("--seconds", seconds),
                        ("--decision-repetitions", rounds),
                        ("--decision-seconds", round_seconds)):
        if value is not None:
            out += [flag, f"{value:g}" if isinstance(value, float) else str(value)]
    return out, reps


def module_args(args, reps):
    """mnbench-module's options: the loads a real process can make."""
    loads = [l for l in (args.loads or ",".join(MODULE_LOADS)).split(",")
             if l in MODULE_LOADS]
    out = ["--loads", ",".join(loads)]
    if args.strategies:
        out += ["--strategies", args.strategies]
    if reps:
        out += ["--repetitions", str(reps)]
    return out


def run_dir(out):
    """The run directory to create: refused if it exists or cannot be."""
    out = out or os.path.join(
        "results", socket.gethostname().split(".")[0] + "-" +
        time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    if os.path.lexists(out):
        raise Refused(f"--out {out} exists; not overwriting a run")
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent) or not os.access(parent, os.W_OK):
        raise Refused(f"--out {out}: {parent} is not a writable directory")
    return out


def host_module():
    """scripts/host-module, or the program MNBENCH_HOST_MODULE names."""
    return os.environ.get("MNBENCH_HOST_MODULE") or \
        os.path.join(TOP, "scripts", "host-module")


def check_host_module():
    """--module: refused before anything is built when the host refuses."""
    prog = host_module()
    if not os.access(prog, os.X_OK):
        raise Refused(f"--module: {prog} is missing")
    r = subprocess.run([prog, "--check"], capture_output=True, text=True)
    if r.returncode != 0:
        why = (r.stdout + r.stderr).strip() or f"exit status {r.returncode}"
        what = ("this host refuses the module" if r.returncode == HOST_REFUSES
                else f"{prog} --check failed")
        raise Refused(f"--module: {what}:" + ("\n" if "\n" in why else " ")
                      + why)


def quiet(cmd, **kw):
    """A build step: its output only when it fails."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, **kw)
    if r.returncode:
        sys.stderr.write(r.stdout)
        raise subprocess.CalledProcessError(r.returncode, cmd)


def build(args):
    groups = ["build", "bench"] + (["vm"] if args.vm else [])
    subprocess.run(["scripts/install-deps", *groups], check=True)
    quiet(["cmake", "-S", ".", "-B", "build"])
    quiet(["cmake", "--build", "build", "-j", str(os.cpu_count() or 2)])


def sections(path, begin, end):
    """The lines between a guest's BEGIN and END markers."""
    out, inside = [], False
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith(begin):
                inside, out = True, []
            elif line.startswith(end) and inside:
                return "".join(out)
            elif inside:
                out.append(line)
    return None


VM_SUITE = """mnbench-module {margs} --benchmark_context=timings=qemu-tcg \
--out /tmp/module.json >/dev/null 2>/tmp/module.err ||
{{ echo 'mnbench-module failed:'; cat /tmp/module.err; exit 1; }}
echo MODULE-JSON-BEGIN; cat /tmp/module.json; echo MODULE-JSON-END
echo MODULE-HIST-BEGIN; cat /tmp/module-histograms.jsonl; echo MODULE-HIST-END"""


def module_perf_script(margs, case, where):
    """The module's cost is in kernel threads (its worker, ksmd) and in
    the tasks that fault: system-wide perf, kernel symbols from kallsyms,
    one script for this host and for the guest; WHERE: perf's files."""
    d = shlex.quote(where)
    m = (f"mnbench-module {' '.join(map(shlex.quote, margs))} --repetitions 1 "
         f"--benchmark_filter={shlex.quote(case)}")
    # By the call chain, not the command name: a kthread may be
    # recorded under kthreadd's name.
    return f"""if [ -z "$({m} --benchmark_list_tests=true 2>/dev/null)" ]; then
	echo PERF-NO-CASE; exit 0
fi
perf stat -a -d -o {d}/perf-module-stat.txt -- {m} >/dev/null 2>&1
perf record -N -a -g -o {d}/perf-module.data -- {m} >/dev/null 2>&1
echo PERF-STAT-BEGIN; cat {d}/perf-module-stat.txt; echo PERF-STAT-END
data={d}/perf-module.data
r="perf report --stdio --stdio-color never --no-children"
echo PERF-REPORT-BEGIN
echo "# The module's worker kthread (call chains through mnb_worker)"
$r -i "$data" -g none --parent '^mnb_worker$' -x --sort dso,sym 2>/dev/null ||
	echo "(no samples)"
echo "# The notifier callbacks, by the task that invalidated"
$r -i "$data" -g none --parent '^mnb_(arch_)?invalidate' -x --sort comm,sym 2>/dev/null ||
	echo "(no samples)"
echo "# Everything, system-wide (entries above 0.5%)"
$r -i "$data" -g caller --percent-limit 0.5 --sort comm,dso,sym 2>/dev/null ||
	echo "(no samples)"
echo PERF-REPORT-END
"""


class Job:
    """One run, built in DIR.partial.PID and renamed to DIR when done."""

    def __init__(self, args, out, cmdline):
        self.args, self.out, self.cmdline = args, out, cmdline
        self.suite, self.reps = suite_args(args)
        self.margs = module_args(args, self.reps)
        self.tmp = f"{out}.partial.{os.getpid()}"
        self.missing = []

    def path(self, name):
        return os.path.join(self.tmp, name)

    def miss(self, what):
        self.missing.append(what)
        say(f"run: {what}")

    def step(self, what, cmd, **kw):
        """A later step: its failure is MISSING, not the end of the run."""
        try:
            ok = subprocess.run(cmd, **kw).returncode == 0
        except OSError as e:
            ok = False
            what += f" ({e})"
        if not ok:
            self.miss(what)
        return ok

    def model_suite(self):
        with open(self.path("mnbench.txt"), "w") as txt:
            subprocess.run(["build/bench/mnbench", *self.suite, "--out",
                            self.path("mnbench.json")], stdout=txt, check=True)

    def module_suite(self):
        a = self.args
        if a.vm:
            say(f"module suite in a {a.vm} VM (TCG: behaviour, not performance)")
            script = VM_SUITE.format(margs=" ".join(map(shlex.quote, self.margs)))
            with open(self.path("vm-output.txt"), "w") as f:
                ok = self.step("the module suite: scripts/vm-run failed (its "
                               "output: vm-output.txt)",
                               ["scripts/vm-run", "--kernel", a.vm, "--timeout",
                                "1800", "--", script], stdout=f)
            if ok:
                self.keep_sections("vm-output.txt", (
                    ("MODULE-JSON", MODULE_JSON),
                    ("MODULE-HIST", "module-histograms.jsonl")))
        elif a.module:
            say("module suite on this host (scripts/host-module: build, load, "
                "run, unload)")
            self.step("the module suite: scripts/host-module failed",
                      [host_module(), "--out", self.path(MODULE_JSON), "--",
                       *self.margs], stdout=subprocess.DEVNULL)
        elif os.path.exists("/dev/mnbench"):
            say("module suite on this host (/dev/mnbench)")
            self.step("the module suite: mnbench-module failed",
                      ["build/bench/mnbench-module", *self.margs, "--out",
                       self.path(MODULE_JSON)], stdout=subprocess.DEVNULL)
        else:
            say("no module suite: /dev/mnbench is missing (insmod "
                "module/mnbench.ko, --module, or --vm)")

    def keep_sections(self, output, parts):
        for marker, name in parts:
            text = sections(self.path(output), marker + "-BEGIN", marker + "-END")
            if text is None:
                return False
            with open(self.path(name), "w") as f:
                f.write(text)
        return True

    def model_perf(self):
        case = self.args.perf
        say(f"perf stat and perf record of '{case}'")
        once = ["build/bench/mnbench", *self.suite, "--repetitions", "1",
                f"--benchmark_filter={case}"]
        null = subprocess.DEVNULL
        with open(self.path("perf-report.txt"), "w") as report:
            if not (subprocess.run(["perf", "stat", "-d", "-o",
                                    self.path("perf-stat.txt"), "--", *once],
                                   stdout=null).returncode == 0 and
                    subprocess.run(["perf", "record", "-g", "-o",
                                    self.path("perf.data"), "--", *once],
                                   stdout=null, stderr=null).returncode == 0 and
                    subprocess.run(["perf", "report", "-i", self.path("perf.data"),
                                    "--stdio"], stdout=report,
                                   stderr=null).returncode == 0):
                self.miss("perf: perf stat, record or report failed")

    def keep_module_perf(self, output):
        """perf-module-{stat,report}.txt from the script's output (none when
        no module case matches: said, and nothing is missing)."""
        with open(self.path(output), errors="replace") as f:
            if any(line.startswith("PERF-NO-CASE") for line in f):
                say(f"run: no module case matches '{self.args.perf}': no "
                    "module perf")
                return True
        return self.keep_sections(output, (
            ("PERF-STAT", "perf-module-stat.txt"),
            ("PERF-REPORT", "perf-module-report.txt"))) and all(
            os.path.getsize(self.path(n)) for n in
            ("perf-module-stat.txt", "perf-module-report.txt"))

    def module_perf(self):
        a = self.args
        if a.module:
            say("run: no module perf with --module: scripts/host-module "
                "unloads the module after its suite")
            return
        if not (a.vm or os.path.exists("/dev/mnbench")):
            return
        say(f"perf stat and perf record of the module's '{a.perf}' "
            "(system-wide, kernel symbols)")
        if a.vm:
            out = "vm-perf-output.txt"
            # One host thread for both vCPUs: perf live-patches __schedule.
            cmd = ["scripts/vm-run", "--kernel", a.vm, "--timeout", "1800",
                   "--accel", "tcg-single", "--add", shutil.which("perf") or "perf",
                   "--", module_perf_script(self.margs, a.perf, "/tmp")]
            env = None
            what = "module perf: perf in the VM failed (vm-perf-output.txt)"
        else:
            out = "perf-module-output.txt"
            cmd = ["sh", "-c", module_perf_script(self.margs, a.perf, self.tmp)]
            env = dict(os.environ, PATH=os.path.abspath("build/bench") + ":" +
                       os.environ.get("PATH", ""))
            what = "module perf: perf stat or record of mnbench-module failed"
        with open(self.path(out), "w") as f:
            ok = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT,
                                env=env).returncode == 0
        if ok and self.keep_module_perf(out):
            if not a.vm:
                os.unlink(self.path(out))
        else:
            self.miss(what)

    def explore(self):
        # Verdicts by exploration too: every schedule within preemption
        # bound 1 of each strategy under each load (about 10 s on 2 cores).
        say("exploration to preemption bound 1 (scripts/explore)")
        cmd = ["scripts/explore", "--bound", "1", "--out", self.path("explore")]
        if self.args.strategies:
            cmd += ["--strategies", self.args.strategies]
        with open(self.path("explore.txt"), "w") as err:
            self.step("exploration: scripts/explore failed (explore.txt)",
                      cmd, stderr=err)

    def in_process(self, what, fn, *argv):
        """summarize and plot, as functions: a failure is MISSING."""
        try:
            ok = fn(list(argv)) == 0
        except Exception as e:  # a bug in one step must not lose the run
            say(f"run: {type(e).__name__}: {e}")
            ok = False
        if not ok:
            self.miss(what)

    def run(self, load_before):
        os.makedirs(self.tmp)
        self.model_suite()
        self.module_suite()
        for name in ("mnbench.json", MODULE_JSON):
            results.compact_benchmark_json(self.path(name))
        if self.args.perf is not None:
            self.model_perf()
            self.module_perf()
        self.explore()
        write_json(self.path(summary.HOST_JSON), host.collect(load_before))
        self.in_process("summary.md: scripts/summarize failed", summary.main,
                        self.tmp, self.cmdline)
        stdout = sys.stdout
        try:
            sys.stdout = open(os.devnull, "w")
            self.in_process("plots: scripts/plot failed", plot.main, self.tmp)
        finally:
            sys.stdout.close()
            sys.stdout = stdout
        if self.missing:
            with open(self.path("MISSING.txt"), "w") as f:
                f.write("Not in this run:\n" +
                        "".join(f"- {m}\n" for m in self.missing))
        os.rename(self.tmp, self.out)

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def finish(job):
    out = job.out
    # A run under results/ goes into its index (results/index.md).
    if os.path.dirname(os.path.abspath(out)) == os.path.join(TOP, "results"):
        try:
            if index.main([]) != 0:
                raise RuntimeError
        except Exception:
            say("run: results/index.md not updated")
    report = os.path.join(out, "summary.md")
    if os.path.isfile(report):
        with open(report) as f:
            sys.stdout.write(f.read())
    if job.missing:
        say(f"run written to {out}, incomplete: see {out}/MISSING.txt")
        return 1
    say(f"run written to {out}")
    return 0


def terminate(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    cmdline = " ".join(["scripts/run", *argv])   # for metadata.json
    load_before = host.loadavg()    # before this job's own build adds load
    # --out is relative to where the user is, not to the checkout.
    out = os.path.abspath(args.out) if args.out else None
    os.chdir(TOP)
    job = None
    signal.signal(signal.SIGTERM, terminate)
    try:
        # The output and the host are checked before anything is
        # installed, built or run.
        out = run_dir(out)
        if args.module:
            check_host_module()
        build(args)
        job = Job(args, out, cmdline)
        # Bad options are refused before anything is created.
        r = subprocess.run(["build/bench/mnbench", *job.suite, "--list"],
                           stdout=subprocess.DEVNULL)
        if r.returncode:
            return r.returncode
        job.run(load_before)
    except Refused as e:
        say(f"run: {e}")
        return 2
    except subprocess.CalledProcessError as e:
        return e.returncode or 1
    except KeyboardInterrupt:
        return 130
    finally:
        if job:
            job.cleanup()
    return finish(job)
