"""schema_version in every JSON file the Python tools write, read leniently.

A reader accepts a file without schema_version (written before it
existed: version 0) and one from a newer writer, which it reads as far as
it understands it, saying so once on stderr.
"""
import json
import os
import sys

SCHEMA_VERSION = 1


def atomic_write_text(path, text):
    """TEXT to PATH through a temporary file renamed into place, so a
    reader never sees a partial file and a failure leaves none behind."""
    tmp = f"{path}.tmp.{os.getpid()}"
    try:
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_json(path, data, indent=2):
    """DATA (a dict) with schema_version first, to PATH, atomically."""
    out = {"schema_version": SCHEMA_VERSION}
    out.update({k: v for k, v in data.items() if k != "schema_version"})
    atomic_write_text(path, json.dumps(out, indent=indent) + "\n")


def version_of(data):
    """The schema_version of a parsed file: 0 when it has none."""
    v = data.get("schema_version", 0) if isinstance(data, dict) else 0
    return v if isinstance(v, int) else 0


def read_json(path):
    """A JSON file the tools wrote, whatever its schema_version."""
    with open(path) as f:
        data = json.load(f)
    if version_of(data) > SCHEMA_VERSION:
        print(f"mnbench: {path} has schema_version {version_of(data)}, newer "
              f"than {SCHEMA_VERSION}: reading what this version knows",
              file=sys.stderr)
    return data
