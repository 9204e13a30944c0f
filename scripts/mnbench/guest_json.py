"""mnbench-module's JSON report in a VM guest's stdout, among the other
lines there (vm-run's, the shell's, the kernel's on the console)."""
import json
import re

# A kernel log line on the guest's console: "[   12.345678] ...".
KERNEL_LINE = re.compile(r"^\s*\[\s*\d+\.\d+\].*$\n?", re.M)


def module_report(text):
    """The last JSON object in TEXT with a "benchmarks" list, decoded from
    each '{' on, so that text before and after it is skipped; if kernel
    log lines landed inside it, decoded again without them. None if there
    is none."""
    dec = json.JSONDecoder()
    for t in (text, KERNEL_LINE.sub("", text)):
        found, i = None, t.find("{")
        while i >= 0:
            try:
                d, end = dec.raw_decode(t, i)
            except ValueError:
                i = t.find("{", i + 1)
                continue
            if isinstance(d, dict) and isinstance(d.get("benchmarks"), list):
                found = d
            i = t.find("{", end)
        if found is not None:
            return found
    return None
