#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Barrier mutants: each killed, or listed as redundant with its reason.

Checks docs/strategies.md "Barriers, each justified" against the sources
and tests/mutants/mutant_list.h: every ordering primitive in the safe
strategies has an inventory row, every MN_BARRIER mutant has a verdict,
and the verdicts hold: "killed: MODEL" must be found by exploration under
MODEL, "pending: MODEL" is allowed only while test_mutants lacks MODEL,
"not known: why" says what the search could not decide and why.
"""
import argparse
import re
import subprocess
import sys
from collections import Counter

PRIMS = r'\b(smp_rmb|smp_wmb|smp_mb|smp_load_acquire|smp_store_release|' \
        r'READ_ONCE|WRITE_ONCE|raw_read_seqcount|read_seqcount_retry|' \
        r'raw_write_seqcount_begin|raw_write_seqcount_end|rcu_read_lock|' \
        r'rcu_read_unlock|synchronize_rcu|rcu_dereference|' \
        r'rcu_assign_pointer|xchg|cmpxchg|atomic_\w+)\s*\('
FILES = ['counter.c', 'seqcount.c', 'interval.c', 'uaccess.c',
         'helpers/locked_map.c']


def fail(msg):
    print('FAIL: ' + msg)
    return 1


def section(doc):
    m = re.search(r'^## Barriers, each justified\n(.*?)(?=^## |\Z)', doc,
                  re.S | re.M)
    if not m:
        sys.exit('docs/strategies.md has no "Barriers, each justified"')
    return m.group(1)


def rows(text, head):
    m = re.search(r'^### ' + head + r'\n(.*?)(?=^### |\Z)', text, re.S | re.M)
    out = []
    for line in (m.group(1) if m else '').splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if line.startswith('|') and not set(cells[0]) <= set('-') \
           and cells[0] not in ('file', 'mutant'):
            out.append(cells)
    return out


def source_counts(root):
    counts = Counter()
    for f in FILES:
        text = open(f'{root}/strategies/{f}').read()
        text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        for p in re.findall(PRIMS, text):
            counts[(f, p)] += 1
    return counts


def explore(binary, name, model):
    cmd = [binary, '--explore', '--mutant', name, '--bound', '1',
           '--replays', '1']
    if model != 'sc':
        cmd += ['--memory-model', model]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def has_model(binary, model):
    if model == 'sc':
        return True
    r = subprocess.run([binary, '--explore', '--mutant', '-none-',
                        '--memory-model', model],
                       capture_output=True, text=True)
    return 'unknown mutant' in r.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('root', help='the source tree')
    ap.add_argument('test_mutants', help='the test_mutants program')
    a = ap.parse_args()
    try:
        doc = section(open(f'{a.root}/docs/strategies.md').read())
        listed = open(f'{a.root}/tests/mutants/mutant_list.h').read()
    except OSError as e:
        sys.exit(str(e))
    errors = 0
    barriers = set(re.findall(r'^MN_BARRIER\((\w+)\)', listed, re.M))
    inv = Counter((r[0], r[2]) for r in rows(doc, 'Inventory'))
    src = source_counts(a.root)
    for key in sorted(set(inv) | set(src)):
        if inv[key] != src[key]:
            errors += fail(f'{key[0]}: {src[key]} x {key[1]} in the source, '
                           f'{inv[key]} in the inventory')
    verdicts = {r[0]: r[1] for r in rows(doc, 'Verdicts')}
    for name in sorted(barriers ^ set(verdicts)):
        errors += fail(f'{name}: a barrier mutant without a verdict'
                       if name in barriers else
                       f'{name}: a verdict for no barrier mutant')
    for name in sorted(barriers & set(verdicts)):
        kind, _, arg = verdicts[name].partition(':')
        arg = arg.strip()
        if kind == 'redundant' and arg:
            print(f'{name}: redundant ({arg[:60]}...)')
        elif kind == 'not known' and arg:
            print(f'{name}: not known ({arg[:60]}...)')
        elif kind == 'killed':
            rc, out = explore(a.test_mutants, name, arg)
            if rc:
                errors += fail(f'{name}: not killed under {arg}\n{out}')
            else:
                print(f'{name}: killed under {arg}')
        elif kind == 'pending' and arg:
            if has_model(a.test_mutants, arg):
                errors += fail(f'{name}: pending on {arg}, which is here')
            else:
                print(f'{name}: pending ({arg} not in the explorer yet)')
        else:
            errors += fail(f'{name}: verdict "{verdicts[name]}" is none of '
                           'killed: M, redundant: why, not known: why, '
                       'pending: M')
    print('barrier mutants: ' + ('FAIL' if errors else 'ok'))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
