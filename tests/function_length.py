#!/usr/bin/python3
"""No C function in the tree is longer than the limit.

A function's length is the lines from its opening brace to its closing
brace, both counted. Every .c and .h file the repository tracks under
bench/, strategies/, module/ and tests/ is read; a file copied in from
elsewhere, kept as its authors wrote it, is listed in VENDORED with why,
and nothing else is left out. Exit status: 0 when every function is
within the limit, 1 listing those that are not, 2 on bad arguments.
"""
import argparse
import os
import re
import subprocess
import sys

LIMIT = 60
FOLDERS = ("bench", "strategies", "module", "tests")
SUFFIXES = (".c", ".h")
# path -> why it is not held to the project's rule.
VENDORED = {
    "tests/kselftest/kselftest_harness.h":
        "the kernel's kselftest harness, kept as in linux-source-6.1",
    "tests/kselftest/kselftest.h":
        "the kernel's kselftest helpers, kept as in linux-source-6.1",
}
# (path, function) -> why it is still long: listed on every run, and an
# entry that is no longer long is an error, so the list only shrinks.
NOT_YET_SPLIT = {
    ("tests/litmus/test_litmus.c", "check_one"):
        "older than this check; split it when it is next changed",
    ("tests/litmus/test_litmus.c", "main"):
        "older than this check; split it when it is next changed",
}

TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'
                   r"'(?:\\.|[^'\\\n])*'", re.S)
DIRECTIVE = re.compile(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", re.M)
NAME = re.compile(r"([A-Za-z_]\w*)\s*\(")


def blank(match):
    """Keep a comment's or literal's newlines, so line numbers stay."""
    text = match.group(0)
    if text.startswith(("'", '"')):
        return text[0] + " " * (len(text) - 2) + text[-1]
    return re.sub(r"[^\n]", " ", text)


def code_of(text):
    """The source without comments, literals' contents and directives."""
    return DIRECTIVE.sub(blank, TOKEN.sub(blank, text))


def functions(text):
    """(name, first line, length) of every function defined in text."""
    code = code_of(text)
    found = []
    depth = 0
    head_start = 0
    body = None
    for i, ch in enumerate(code):
        if ch == "{":
            if depth == 0:
                head = code[head_start:i]
                words = head.split()
                # extern "C" { ... } holds functions at the outer level.
                if words[-2:] == ["extern", '""']:
                    head_start = i + 1
                    continue
                body = (head, i) if re.search(r"\)[\s\w()]*$", head) \
                    and "=" not in head else None
            depth += 1
        elif ch == "}":
            if depth == 0:
                head_start = i + 1     # the end of an extern "C" block
                continue
            depth -= 1
            if depth == 0:
                if body:
                    head, start = body
                    names = NAME.findall(head)
                    first = code.count("\n", 0, start) + 1
                    last = code.count("\n", 0, i) + 1
                    if names:
                        found.append((names[0], first, last - first + 1))
                body = None
                head_start = i + 1
        elif ch == ";" and depth == 0:
            head_start = i + 1
    return found


def tracked_files(top):
    """The repository's files under FOLDERS, as paths relative to top."""
    try:
        out = subprocess.run(["git", "-C", top, "ls-files", "--", *FOLDERS],
                             check=True, capture_output=True, text=True)
        return sorted(set(out.stdout.split()))
    except (OSError, subprocess.CalledProcessError):
        pass
    paths = []
    for folder in FOLDERS:
        for root, dirs, files in os.walk(os.path.join(top, folder)):
            dirs[:] = [d for d in dirs if not d.startswith((".", "build"))]
            paths += [os.path.relpath(os.path.join(root, f), top)
                      for f in files]
    return sorted(paths)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), ".."),
        help="the source tree (default: this script's checkout)")
    parser.add_argument("--limit", type=int, default=LIMIT,
                        help="most lines a function may have (default %(default)s)")
    parser.add_argument("files", nargs="*",
                        help="check these files instead of the tree's")
    args = parser.parse_args()
    if args.limit < 1:
        parser.error("--limit must be at least 1")
    top = os.path.abspath(args.top)
    if not os.path.isdir(top):
        parser.error(f"--top {args.top}: not a directory")
    paths = args.files or [p for p in tracked_files(top)
                           if p.endswith(SUFFIXES) and p not in VENDORED]
    long_ones = []
    pending = []
    checked = 0
    for path in paths:
        full = path if os.path.isabs(path) else os.path.join(top, path)
        if os.path.islink(full):
            continue    # module/strategies: the same files again
        try:
            with open(full, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            parser.error(f"{path}: {e.strerror}")
        for name, line, length in functions(text):
            checked += 1
            if length <= args.limit:
                continue
            if (path, name) in NOT_YET_SPLIT and not args.files:
                pending.append((path, name))
                print(f"{path}:{line}: {name}() is {length} lines, "
                      f"not yet split: {NOT_YET_SPLIT[path, name]}")
            else:
                long_ones.append((path, line, name, length))
    for path, line, name, length in long_ones:
        print(f"{path}:{line}: {name}() is {length} lines, "
              f"more than {args.limit}")
    stale = [] if args.files else sorted(set(NOT_YET_SPLIT) - set(pending))
    for path, name in stale:
        print(f"{path}: {name}() is listed as not yet split but is not "
              f"over {args.limit} lines (or is gone): remove it from the list")
    print(f"{checked} functions in {len(paths)} files, "
          f"{len(long_ones)} over {args.limit} lines, "
          f"{len(pending)} listed as not yet split")
    return 1 if long_ones or stale else 0


if __name__ == "__main__":
    sys.exit(main())
