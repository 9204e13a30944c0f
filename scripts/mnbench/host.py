"""What on the host would make a run's numbers unrepeatable, the way
Google Benchmark warns that CPU scaling is enabled: frequency scaling and
whether CPUs differ, turbo, SMT, a VM or emulation (TCG), and other load.

Everything is read below a root directory (normally /), so that tests
can pass a constructed /sys and /proc tree.
"""
import glob
import os
import re
import shutil
import subprocess

# A 1-minute load average at or above this, before the run, is other
# work on the machine: a CPU's worth of it competes with the suite.
BUSY_LOAD = 1.0


def read(root, path):
    try:
        with open(os.path.join(root, path.lstrip("/"))) as f:
            return f.read().strip()
    except OSError:
        return None


def loadavg(root="/"):
    """The 1-minute load average, or None."""
    text = read(root, "/proc/loadavg")
    try:
        return float(text.split()[0]) if text else None
    except ValueError:
        return None


def cpus(root):
    """The CPU numbers under /sys/devices/system/cpu, in order."""
    paths = glob.glob(os.path.join(root, "sys/devices/system/cpu/cpu[0-9]*"))
    return sorted(int(re.sub(r".*cpu", "", p)) for p in paths)


def per_cpu(root, name):
    """{cpu: value} of cpuN/NAME where the file exists."""
    out = {}
    for cpu in cpus(root):
        v = read(root, f"/sys/devices/system/cpu/cpu{cpu}/{name}")
        if v is not None:
            out[cpu] = v
    return out


def boost(root):
    """True when turbo/boost is on, False when off, None if unknown."""
    no_turbo = read(root, "/sys/devices/system/cpu/intel_pstate/no_turbo")
    if no_turbo in ("0", "1"):
        return no_turbo == "0"
    b = read(root, "/sys/devices/system/cpu/cpufreq/boost")
    if b in ("0", "1"):
        return b == "1"
    return None


def smt(root):
    """True when SMT siblings are online, False when not, None if unknown."""
    active = read(root, "/sys/devices/system/cpu/smt/active")
    if active in ("0", "1"):
        return active == "1"
    siblings = per_cpu(root, "topology/thread_siblings_list")
    if not siblings:
        return None
    return any("," in s or "-" in s for s in siblings.values())


def detect_virt(what="--vm"):
    """systemd-detect-virt's answer ("none", "kvm", "qemu", ...) about a
    VM (--vm) or a container (--container), or None without the tool. A
    container in a VM is both: they are asked apart."""
    tool = shutil.which("systemd-detect-virt")
    if not tool:
        return None
    r = subprocess.run([tool, what], capture_output=True, text=True)
    return r.stdout.strip() or None


DMI_VENDORS = ("QEMU", "KVM", "VMware", "VirtualBox", "Xen", "Microsoft",
               "Bochs", "Parallels", "innotek")


def virtualization(root, detected):
    """(kind, tcg): kind None on bare metal; tcg True under QEMU's
    emulation. DETECTED: systemd-detect-virt --vm's answer, trusted when
    it ran; without it, the CPU's hypervisor flag and the DMI vendor, and
    QEMU without kvm-clock is taken for TCG."""
    if detected:
        if detected == "none":
            return None, False
        # systemd's "qemu" is QEMU without KVM: software emulation.
        return detected, detected == "qemu"
    cpuinfo = read(root, "/proc/cpuinfo") or ""
    flags = re.search(r"^flags\s*:(.*)$", cpuinfo, re.M)
    hypervisor = bool(flags and "hypervisor" in flags.group(1).split())
    dmi = " ".join(filter(None, (read(root, f"/sys/class/dmi/id/{f}") for f in
                                 ("sys_vendor", "product_name"))))
    vendor = next((v for v in DMI_VENDORS if v.lower() in dmi.lower()), None)
    if not hypervisor and not vendor:
        return None, False
    clocks = read(root, "/sys/devices/system/clocksource/clocksource0/"
                  "available_clocksource") or ""
    if vendor == "QEMU" and "kvm-clock" not in clocks:
        return "qemu", True
    return (vendor or "vm").lower(), False


def conditions(root="/", detected=None, load_before=None, load_after=None,
               container=None):
    """The host's conditions as host.json records them. DETECTED and
    CONTAINER: systemd-detect-virt's answers (--vm, --container)."""
    governors = per_cpu(root, "cpufreq/scaling_governor")
    max_khz = per_cpu(root, "cpufreq/cpuinfo_max_freq")
    kind, tcg = virtualization(root, detected)
    return {
        "cpus": len(cpus(root)) or None,
        "governors": sorted(set(governors.values())),
        "governor_per_cpu": {str(c): g for c, g in governors.items()},
        "max_freq_mhz": sorted({int(v) // 1000 for v in max_khz.values()
                                if v.isdigit()}),
        "boost": boost(root),
        "smt": smt(root),
        "virtualization": kind,
        "tcg": tcg,
        "container": container if container != "none" else None,
        "load_before": load_before,
        "load_after": load_after,
    }


def warnings(c):
    """One line per condition that makes numbers unrepeatable."""
    out = []
    scaling = [g for g in c.get("governors") or [] if g != "performance"]
    if scaling:
        out.append(f"CPU frequency scaling is on (governor {', '.join(scaling)}): "
                   "timings follow the frequency; set the performance governor")
    mhz = c.get("max_freq_mhz") or []
    if len(mhz) > 1:
        out.append(f"CPUs differ in maximum frequency ({mhz[0]}..{mhz[-1]} MHz): "
                   "timings depend on where the threads run")
    if c.get("boost"):
        out.append("turbo/boost is on: the frequency depends on temperature "
                   "and on the other cores' load")
    if c.get("smt"):
        out.append("SMT is on: a thread's speed depends on what its sibling "
                   "hardware thread runs")
    if c.get("tcg"):
        out.append("running under QEMU TCG (emulation, no KVM): timings are "
                   "behaviour, not performance")
    elif c.get("virtualization"):
        out.append(f"running in a VM ({c['virtualization']}): the hypervisor's "
                   "scheduling and other guests change timings")
    before, after = c.get("load_before"), c.get("load_after")
    if before is not None and before >= BUSY_LOAD:
        out.append(f"the machine was busy: load average {before:.2f} before the "
                   "run" + (f", {after:.2f} after" if after is not None else "")
                   + f" on {c.get('cpus') or '?'} CPUs")
    return out


def collect(load_before=None):
    """This host's conditions now, with the load before the run."""
    return conditions("/", detect_virt("--vm"), load_before, loadavg(),
                      detect_virt("--container"))
