#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Barrier mutants: each killed, or listed as redundant with its reason.

Checks docs/strategies.md "Barriers, each justified" against the sources
and tests/mutants/mutant_list.h: every ordering primitive in the safe
strategies has an inventory row, every MN_BARRIER mutant has a verdict,
and the verdicts hold.

A verdict is one of
  killed: MODEL, LOAD, N invalidators, bound K, replay SCHEDULE
      the cell the mutant dies in: test_mutants' search of it must find
      the mutant at exactly SCHEDULE, and the unmutated strategy (the
      one the mutant's file includes) must be safe in the same cell;
  redundant: WHY
      what orders the access without the primitive;
  not killed: unknown whether redundant; WHAT WAS SEARCHED
      the search has not shown the bug, and no argument says there is
      none: it is not argued away;
  (either of these two is wrong if the mutant dies in its own cell
  under lkmm at bound 1, which is searched;)
  pending: MODEL
      allowed only while the explorer lacks MODEL.
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


CELL = re.compile(r'(?P<model>sc|tso|lkmm), (?P<load>[a-z]+), '
                  r'(?P<inv>[0-9]+) invalidators?, bound (?P<bound>[0-9]+), '
                  r'replay (?P<replay>[0-9:,]+)$')


def cell_args(cell):
    return ['--memory-model', cell['model'], '--load', cell['load'],
            '--invalidators', cell['inv'], '--bound', cell['bound']]


def explore(binary, name, cell):
    cmd = [binary, '--explore', '--mutant', name, '--replays', '1']
    r = subprocess.run(cmd + cell_args(cell), capture_output=True,
                       text=True)
    return r.returncode, r.stdout + r.stderr


def base_strategy(root, name):
    """The strategy the mutant's file includes ("seqcount.c")."""
    text = open(f'{root}/tests/mutants/{name}.c').read()
    m = re.search(r'^#include "(\w+)\.c"', text, re.M)
    return m.group(1) if m else None


def base_safe(model_bin, strategy, cell):
    cmd = [model_bin, '--explore', '--strategy', strategy] + cell_args(cell)
    r = subprocess.run(cmd, capture_output=True, text=True)
    out = r.stdout + r.stderr
    return r.returncode == 0 and re.search(r'^verdict: safe ', out, re.M), out


def survives(a, name):
    """0 if the mutant's own cell under lkmm, bound 1, does not kill it."""
    cmd = [a.test_mutants, '--explore', '--mutant', name, '--replays', '1',
           '--memory-model', 'lkmm', '--bound', '1']
    r = subprocess.run(cmd, capture_output=True, text=True)
    if ' NOT FOUND after ' in r.stdout:
        return 0
    return fail(f'{name}: killed in its own cell under lkmm, bound 1, '
                f'yet not listed as killed\n{r.stdout}{r.stderr}')


def has_model(binary, model):
    if model == 'sc':
        return True
    r = subprocess.run([binary, '--explore', '--mutant', '-none-',
                        '--memory-model', model],
                       capture_output=True, text=True)
    return 'unknown mutant' in r.stderr


def check_killed(a, name, arg):
    """0 if the cell arg kills the mutant as the verdict says, else 1."""
    cell = CELL.match(arg)
    if not cell:
        return fail(f'{name}: "killed: {arg}" is not "MODEL, LOAD, '
                    'N invalidators, bound K, replay SCHEDULE"')
    rc, out = explore(a.test_mutants, name, cell)
    if rc:
        return fail(f'{name}: not killed in {arg}\n{out}')
    found = re.search(r' found after .*schedule (\S+?),? *$', out, re.M)
    if not found or found.group(1) != cell['replay']:
        return fail(f'{name}: killed in that cell, but at schedule '
                    f'{found.group(1) if found else "?"}, not '
                    f'{cell["replay"]} as the verdict says')
    base = base_strategy(a.root, name)
    if not base:
        return fail(f'{name}: its file includes no strategy')
    ok, out = base_safe(a.mnbench_model, base, cell)
    if not ok:
        return fail(f'{name}: {base} itself is not safe in that cell, so '
                    f'the kill shows nothing\n{out}')
    print(f'{name}: killed: {arg} ({base} safe there)')
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('root', help='the source tree')
    ap.add_argument('test_mutants', help='the test_mutants program')
    ap.add_argument('mnbench_model', help='the mnbench-model program')
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
            errors += survives(a, name)
            print(f'{name}: redundant ({arg[:60]}...)')
        elif kind == 'not killed' and \
                arg.startswith('unknown whether redundant;') and \
                arg.partition(';')[2].strip():
            errors += survives(a, name)
            print(f'{name}: not killed ({arg[:60]}...)')
        elif kind == 'killed':
            errors += check_killed(a, name, arg)
        elif kind == 'pending' and arg:
            if has_model(a.test_mutants, arg):
                errors += fail(f'{name}: pending on {arg}, which is here')
            else:
                print(f'{name}: pending ({arg} not in the explorer yet)')
        else:
            errors += fail(f'{name}: verdict "{verdicts[name]}" is none of '
                           'killed: CELL, redundant: why, not killed: '
                           'unknown whether redundant; what was searched, '
                           'pending: M')
    print('barrier mutants: ' + ('FAIL' if errors else 'ok'))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
