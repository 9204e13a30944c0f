"""Host conditions on constructed /sys and /proc trees: each condition
that makes numbers unrepeatable gives one warning line, a quiet host none."""
import pytest

from mnbench import host

QUIET_CPUINFO = "processor\t: 0\nflags\t\t: fpu sse2 avx2\n"


def tree(tmp_path, files):
    for path, text in files.items():
        p = tmp_path / path.lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text + "\n")
    return str(tmp_path)


def quiet_host(cpus=2, governor="performance", khz="3000000"):
    files = {"/proc/cpuinfo": QUIET_CPUINFO, "/proc/loadavg": "0.05 0.1 0.1 1/99 7",
             "/sys/devices/system/cpu/smt/active": "0",
             "/sys/devices/system/cpu/intel_pstate/no_turbo": "1"}
    for c in range(cpus):
        d = f"/sys/devices/system/cpu/cpu{c}"
        files[f"{d}/cpufreq/scaling_governor"] = governor
        files[f"{d}/cpufreq/cpuinfo_max_freq"] = khz
        files[f"{d}/topology/thread_siblings_list"] = str(c)
    return files


def warnings_of(root, **kw):
    c = host.conditions(root, **kw)
    return c, host.warnings(c)


def test_a_quiet_bare_metal_host_has_no_warning(tmp_path):
    root = tree(tmp_path, quiet_host())
    c, w = warnings_of(root, load_before=host.loadavg(root), load_after=0.5)
    assert w == []
    assert c["cpus"] == 2 and c["governors"] == ["performance"]
    assert c["boost"] is False and c["smt"] is False
    assert c["virtualization"] is None and c["load_before"] == 0.05


@pytest.mark.parametrize("change,word", [
    ({"/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor": "powersave"},
     "governor powersave"),
    ({"/sys/devices/system/cpu/cpu1/cpufreq/cpuinfo_max_freq": "2000000"},
     "2000..3000 MHz"),
    ({"/sys/devices/system/cpu/intel_pstate/no_turbo": "0"}, "turbo/boost"),
    ({"/sys/devices/system/cpu/smt/active": "1"}, "SMT"),
    ({"/proc/cpuinfo": QUIET_CPUINFO.replace("avx2", "avx2 hypervisor")},
     "in a VM (vm)"),
    ({"/sys/class/dmi/id/sys_vendor": "QEMU",
      "/sys/devices/system/clocksource/clocksource0/available_clocksource":
      "kvm-clock tsc acpi_pm"}, "in a VM (qemu)"),
    ({"/sys/class/dmi/id/sys_vendor": "QEMU",
      "/sys/devices/system/clocksource/clocksource0/available_clocksource":
      "tsc acpi_pm"}, "QEMU TCG"),
])
def test_each_condition_is_one_line(tmp_path, change, word):
    files = quiet_host()
    files.update(change)
    _, w = warnings_of(tree(tmp_path, files))
    assert len(w) == 1 and word in w[0], w


def test_boost_and_smt_from_other_files(tmp_path):
    files = quiet_host()
    del files["/sys/devices/system/cpu/intel_pstate/no_turbo"]
    del files["/sys/devices/system/cpu/smt/active"]
    files["/sys/devices/system/cpu/cpufreq/boost"] = "1"
    files["/sys/devices/system/cpu/cpu0/topology/thread_siblings_list"] = "0-1"
    c, w = warnings_of(tree(tmp_path, files))
    assert c["boost"] is True and c["smt"] is True and len(w) == 2


def test_nothing_to_read_is_unknown_not_a_warning(tmp_path):
    c, w = warnings_of(str(tmp_path))
    assert c["boost"] is None and c["smt"] is None and c["cpus"] is None
    assert w == []


@pytest.mark.parametrize("detected,word", [("kvm", "in a VM (kvm)"),
                                           ("qemu", "QEMU TCG"),
                                           ("none", None)])
def test_systemd_detect_virt_is_trusted(tmp_path, detected, word):
    files = quiet_host()
    files["/proc/cpuinfo"] = QUIET_CPUINFO.replace("avx2", "hypervisor")
    _, w = warnings_of(tree(tmp_path, files), detected=detected,
                       container="docker")
    assert [x for x in w if word and word in x] == ([w[0]] if word else [])
    assert len(w) == (1 if word else 0)


def test_load_before_the_run(tmp_path):
    files = quiet_host()
    files["/proc/loadavg"] = "2.50 1.0 0.5 3/120 99"
    root = tree(tmp_path, files)
    _, w = warnings_of(root, load_before=host.loadavg(root), load_after=4.0)
    assert w == ["the machine was busy: load average 2.50 before the run, "
                 "4.00 after on 2 CPUs"]
    _, w = warnings_of(root, load_before=0.99, load_after=4.0)
    assert w == []
