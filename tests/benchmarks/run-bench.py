#!/usr/bin/python3
# run-bench.py: ringal-glib against the allocators, side by side
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs one ringal-bench-<allocator> process per allocator and row, round
# after round, so that every implementation of a row is measured within
# seconds of the others and a load that comes and goes hits them all alike.
# Reports medians and minima over the rounds, and ratios within the run:
# absolute times on a shared machine are noise, ratios are not.
#
#   run-bench.py --builddir _build-bench            full run
#   run-bench.py --builddir _build-bench --quick    smoke run (the 'bench' test)
#   run-bench.py ... --callgrind                    also instruction counts
#   run-bench.py ... --baseline REV                 and the library of git
#                                                   revision REV, interleaved
#
# Standard library only: it runs under Debian's /usr/bin/python3.

import argparse
import collections
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

ALLOCATORS = ['glibc', 'mimalloc', 'jemalloc', 'tcmalloc']

# (N, S, M) as the project's benchmark issue gives them.
ROWS = [
    (10_000_000, 64, 64),
    (10_000_000, 1024, 64),
    (10_000_000, 1024, 1024),
    (1_000_000, 65536, 64),
    (1_000_000, 131072, 1024),
]
SMALL_ROWS = ROWS[:3]

# Each workload's rows and the factor its N is scaled by in a full run: the
# large rows copy 32 to 64 KiB per operation, and 1M of them would take
# minutes per implementation without changing a ratio.
PLAN = {
    'fixed': [(row, 1 if row[1] <= 1024 else 0.1) for row in ROWS],
    'ext': [(row, 0.5 if row[1] <= 1024 else 0.1) for row in ROWS],
    'gbytes': [(row, 0.5 if row[1] <= 1024 else 0.1) for row in ROWS],
    'xthread': [(row, 0.2 if row[1] <= 1024 else 0.1) for row in ROWS if row[2] == 64],
    'protocol': [(row, 1) for row in ROWS[:2]],
    'held': [(row, 0.5) for row in SMALL_ROWS],
    # (ops, region size, live regions): a ring full of 64, 1024 and 16 384
    'failed': [((1_000_000, 64, m), 1) for m in (64, 1024, 16384)],
}

# The ring-size sweep: one row, the ring from 1.5 times its live set to
# 64 times (rounded up to the power of two a ring has).
SWEEP_ROW = (10_000_000, 1024, 64)
SWEEP_FACTOR = 0.5
SWEEP_IMPLS = ['bump', 'ringal-raw', 'ringal-buffer', 'glibc']
SWEEP_HANDLE = 40  # sizeof (RingalBuffer), as the bench sizes its rings

# The rows of the library, which --baseline measures with both builds.
LIBRARY_IMPLS = {
    'fixed': ['ringal-raw', 'ringal-buffer'],
    'ext': ['ringal-ext'],
    'gbytes': ['ringal-freeze', 'ringal-copy'],
    'xthread': ['ringal-raw', 'ringal-buffer'],
    'held': ['ringal-raw'],
    'failed': ['ringal-raw'],
    'protocol': ['raw'],
}
BASE_SUFFIX = '@base'

# What each ringal-glib row is compared with.
BASELINES = {
    'fixed': lambda impl: impl in ALLOCATORS,
    'xthread': lambda impl: impl in ALLOCATORS,
    'ext': lambda impl: impl.startswith('realloc-') or impl in ('GByteArray', 'GString'),
    'gbytes': lambda impl: impl.startswith('new_take-') or impl.startswith('free_func-'),
}
BASELINES['held'] = BASELINES['fixed']
FLOORS = {'fixed': 'bump', 'ext': 'bump', 'xthread': 'bump', 'gbytes': 'bump-static', 'held': 'bump'}


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def parse_results(text, into, process, suffix='', workload_as=None, size_as=None):
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0] == 'RESULT':
            workload, size, window, ops, impl, ns, capacity = fields[1:8]
            workload = workload_as or workload
            size = size_as or size
            key = (workload, int(size), int(window), impl + suffix)
            into['ns'][key].append(float(ns))
            into['capacity'][(workload, int(size), int(window))] = int(capacity)
            into['ops'][(workload, int(size), int(window))] = int(ops)
            into['process'][key] = process
        elif fields and fields[0] == 'FALLBACK':
            workload, size, window, impl, fallbacks, ops = fields[1:7]
            into['fallback'][(workload, int(size), int(window), impl + suffix)].append(int(fallbacks) / int(ops))
        elif fields and fields[0] == 'LIVE':
            workload, size, window, live = fields[1:5]
            into['live'][(workload, int(size), int(window))] = int(live)


def run(command, env=None, check=True):
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if check and result.returncode != 0:
        raise SystemExit('failed: %s\n%s%s' % (' '.join(command), result.stdout, result.stderr))
    return result


def find_executables(bench_dir):
    found = {}
    for name in ALLOCATORS:
        path = os.path.join(bench_dir, 'ringal-bench-' + name)
        if not os.path.exists(path):
            print('SKIP %s: not built (its -dev package was not installed when the '
                  'build was configured)' % name)
            continue
        check = run([path, '--check'], check=False)
        if check.returncode != 0:
            print('SKIP %s: %s' % (name, (check.stdout + check.stderr).strip()))
            continue
        print(check.stdout.strip())
        found[name] = path
    if 'glibc' not in found:
        raise SystemExit('the glibc executable is missing: nothing to compare with')
    return found


def scaled(n, factor, args):
    if args.quick:
        return max(2000, int(n * factor / 500 if n >= 10_000_000 else n * factor / 50))
    return max(1000, int(n * factor * args.scale))


def library_env(libdir):
    env = dict(os.environ)
    env['LD_LIBRARY_PATH'] = libdir + (':' + env['LD_LIBRARY_PATH'] if env.get('LD_LIBRARY_PATH') else '')
    return env


def run_checked_library(command, libdir):
    """Runs a bench process on the library in @libdir, and checks that it
    really loaded that one (the executable's RUNPATH yields to
    LD_LIBRARY_PATH, but better to see it)."""
    out = run(command, env=library_env(libdir)).stdout
    loaded = [line.split(None, 1)[1] for line in out.splitlines() if line.startswith('LIBRARY ')]
    if loaded and os.path.realpath(os.path.dirname(loaded[0])) != os.path.realpath(libdir):
        raise SystemExit('the baseline run loaded %s, not the library in %s' % (loaded[0], libdir))
    return out


def bench_rounds(args, executables, data):
    workloads = [w for w in args.workloads if w in PLAN]
    for round_no in range(args.rounds):
        for workload in workloads:
            for (n, s, m), factor in PLAN[workload]:
                base = [executables['glibc'], '--workload', workload, '--ops', str(scaled(n, factor, args)),
                        '--size', str(s), '--window', str(m), '--round', str(round_no),
                        '--passes', str(args.passes)]
                # The baseline library's rows, before or after the others in
                # turn: old and new alternate sample by sample.
                baseline = None
                if args.baseline_libdir and workload in LIBRARY_IMPLS:
                    command = base + ['--primary']
                    for impl in LIBRARY_IMPLS[workload] + (['ringal-reserve'] if workload == 'ext' and
                                                           args.baseline_has_reserve else []):
                        command += ['--impl', impl]
                    baseline = lambda command=command: parse_results(
                        run_checked_library(command, args.baseline_libdir), data, 'baseline', BASE_SUFFIX)
                if baseline and round_no % 2 == 1:
                    baseline()
                for name, path in executables.items():
                    if workload in ('protocol', 'failed') and name != 'glibc':
                        continue
                    if args.library_only and (name != 'glibc' or workload not in LIBRARY_IMPLS):
                        continue
                    command = [path] + base[1:]
                    if name == 'glibc':
                        command.append('--primary')
                    if args.library_only:
                        for impl in LIBRARY_IMPLS[workload] + (['ringal-reserve'] if workload == 'ext' else []):
                            command += ['--impl', impl]
                    parse_results(run(command).stdout, data, name)
                if baseline and round_no % 2 == 0:
                    baseline()
        if 'sweep' in args.workloads:
            bench_sweep(args, executables, data, round_no)
        log('round %d of %d done' % (round_no + 1, args.rounds))


def sweep_capacities(args):
    n, s, m = SWEEP_ROW
    live = m * (s // 2 + 2 * 8 + SWEEP_HANDLE)
    capacities = []
    capacity = 1
    while capacity < live * 1.5:
        capacity *= 2
    while capacity <= 64 * live * 2 and (not args.quick or len(capacities) < 2):
        capacities.append(capacity)
        capacity *= 2
    return live, capacities


def bench_sweep(args, executables, data, round_no):
    """The sweep row at each ring capacity; recorded as workload 'sweep'
    with the capacity where the size goes."""
    n, s, m = SWEEP_ROW
    _, capacities = sweep_capacities(args)
    for capacity in capacities:
        command = [executables['glibc'], '--workload', 'fixed', '--ops', str(scaled(n, SWEEP_FACTOR, args)),
                   '--size', str(s), '--window', str(m), '--round', str(round_no),
                   '--passes', str(args.passes), '--capacity', str(capacity), '--primary']
        for impl in SWEEP_IMPLS:
            command += ['--impl', impl]
        parse_results(run(command).stdout, data, 'glibc', workload_as='sweep', size_as=str(capacity))


def build_baseline(args):
    """A git worktree of the baseline revision, built (its library only)
    in a release build of its own; returns the directory of its library."""
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    source = os.path.join(os.path.abspath(args.builddir), 'baseline-src')
    build = os.path.join(os.path.abspath(args.builddir), 'baseline-build')
    rev = run(['git', '-C', top, 'rev-parse', '--verify', args.baseline + '^{commit}']).stdout.strip()
    if os.path.exists(source):
        run(['git', '-C', source, 'checkout', '--quiet', '--detach', rev])
    else:
        run(['git', '-C', top, 'worktree', 'add', '--quiet', '--detach', source, rev])
    if not os.path.exists(os.path.join(build, 'build.ninja')):
        run(['meson', 'setup', build, source, '--buildtype=release', '-Dintrospection=disabled',
             '-Dvapi=disabled', '-Dgstreamer=disabled', '-Ddocumentation=false', '-Dtests=false',
             '-Dexamples=false'])
    targets = run(['ninja', '-C', build, '-t', 'targets', 'all']).stdout.splitlines()
    library = [t.split(':')[0] for t in targets
               if t.startswith('ringal-glib/libringal-glib-1.0.so') and t.endswith(': c_LINKER')]
    run(['ninja', '-C', build] + library)
    symbols = run(['nm', '-D', '--defined-only', os.path.join(build, library[0])]).stdout
    args.baseline_has_reserve = ' ringal_buffer_reserve' in symbols
    log('baseline: %s built in %s' % (rev[:10], build))
    args.baseline_rev = rev
    return os.path.join(build, 'ringal-glib')


def bench_python(args, data):
    typelib = os.path.join(args.builddir, 'ringal-glib')
    if not os.path.exists(os.path.join(typelib, 'Ringal-1.0.typelib')):
        print('SKIP python: no typelib in the build (introspection disabled?)')
        return
    python = '/usr/bin/python3'
    env = dict(os.environ)
    env['GI_TYPELIB_PATH'] = typelib + (':' + env['GI_TYPELIB_PATH'] if 'GI_TYPELIB_PATH' in env else '')
    env['LD_LIBRARY_PATH'] = typelib + (':' + env['LD_LIBRARY_PATH'] if 'LD_LIBRARY_PATH' in env else '')
    # the Ringal overrides of this build (python/gi/overrides)
    overrides = os.path.join(args.builddir, 'python')
    env['PYTHONPATH'] = overrides + (':' + env['PYTHONPATH'] if 'PYTHONPATH' in env else '')
    probe = run([python, '-c', 'import gi'], env=env, check=False)
    if probe.returncode != 0:
        print('SKIP python: %s has no gi (install python3-gi)' % python)
        return
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'bench-python.py')
    ops = 2000 if args.quick else int(200_000 * args.scale)
    result = run([python, script, '--ops', str(ops), '--rounds', str(args.rounds)], env=env)
    parse_results(result.stdout, data, 'python')


def measure_rss(args, executables, data):
    """Peak RSS of each ringal-glib row, alone in its process."""
    rss = {}
    which = {'fixed': 'ringal-raw', 'ext': 'ringal-ext', 'gbytes': 'ringal-freeze', 'xthread': 'ringal-raw'}
    for workload in args.workloads:
        if workload not in which:
            continue
        for (n, s, m), factor in PLAN[workload]:
            command = [executables['glibc'], '--workload', workload, '--ops', str(scaled(n, factor, args)),
                       '--size', str(s), '--window', str(m), '--primary', '--impl', which[workload], '--rss']
            out = run(command).stdout
            for line in out.splitlines():
                if line.startswith('RSS '):
                    rss[(workload, s, m)] = int(line.split()[1])
                    rss[(workload, s, m, 'grown')] = int(line.split()[2])
                if line.startswith('RESULT '):
                    capacity = int(line.split()[7])
            rss[(workload, s, m, 'capacity')] = capacity
    # The same process with a tiny ring: what the program itself costs.
    out = run([executables['glibc'], '--ops', '1000', '--size', '64', '--window', '64',
               '--primary', '--impl', 'ringal-raw', '--rss']).stdout
    rss['base'] = int([line for line in out.splitlines() if line.startswith('RSS ')][0].split()[1])
    data['rss'] = rss


def callgrind(args, executables, data):
    """Instructions and branch mispredictions per operation, small rows."""
    if shutil.which('valgrind') is None:
        print('SKIP callgrind: valgrind is not installed')
        return
    counts = {}
    ops = 20_000 if args.quick else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        for workload in ['fixed', 'ext', 'gbytes', 'protocol']:
            if workload not in args.workloads:
                continue
            rows = [row for row, _ in PLAN[workload] if row in SMALL_ROWS]
            for (n, s, m) in rows:
                for name, path in executables.items():
                    if workload == 'protocol' and name != 'glibc':
                        continue
                    base = [path, '--workload', workload, '--size', str(s), '--window', str(m)]
                    if name == 'glibc':
                        base.append('--primary')
                    impls = run(base + ['--list']).stdout.split()
                    for impl in impls:
                        out_file = os.path.join(tmp, 'callgrind.out')
                        run(['valgrind', '--tool=callgrind', '--branch-sim=yes', '--collect-atstart=no',
                             '--callgrind-out-file=' + out_file] + base +
                            ['--ops', str(ops), '--impl', impl, '--callgrind'])
                        events = totals = None
                        with open(out_file) as f:
                            for line in f:
                                if line.startswith('events:'):
                                    events = line.split()[1:]
                                elif line.startswith('totals:') or line.startswith('summary:'):
                                    totals = [int(v) for v in line.split()[1:]]
                        per_op = {e: v / ops for e, v in zip(events, totals)}
                        counts[(workload, s, m, impl)] = per_op
            log('callgrind: %s done' % workload)
    data['callgrind'] = counts


def summarise(data):
    rows = {}
    for key, values in data['ns'].items():
        rows[key] = (statistics.median(values), min(values), len(values))
    return rows


def ratio_text(value):
    return '%.2f' % value if value is not None else '-'


def print_tables(args, data, summary, out):
    def emit(text=''):
        print(text, file=out)

    by_row = collections.defaultdict(list)
    for (workload, s, m, impl), stats in summary.items():
        by_row[(workload, s, m)].append((impl, stats))

    order = ['fixed', 'ext', 'xthread', 'gbytes', 'protocol', 'python']
    for workload in order:
        keys = sorted(k for k in by_row if k[0] == workload)
        if not keys:
            continue
        emit('### %s' % workload)
        emit()
        for key in keys:
            _, s, m = key
            capacity = data['capacity'].get(key, 0)
            ops = data['ops'].get(key, 0)
            label = {'xthread': 'queue depth', 'python': 'window'}.get(workload, 'window')
            passes = 1 if workload == 'python' else args.passes
            emit('**S = %d, %s = %d**: %s ops per round%s, in %d timed passes; rings of %s' %
                 (s, label, m, human_count(ops * passes), scale_note(workload, key, args), passes,
                  human(capacity)))
            emit()
            impls = by_row[key]
            floor = dict(impls).get(FLOORS.get(workload, ''))
            is_base = BASELINES.get(workload, lambda impl: False)
            bases = [stats[0] for impl, stats in impls if is_base(impl)]
            best = min(bases) if bases else None
            emit('| impl | ns/op median | ns/op min | vs floor | vs best baseline |')
            emit('|---|---:|---:|---:|---:|')
            for impl, (median, minimum, count) in sorted(impls, key=lambda item: item[1][0]):
                emit('| %s | %.1f | %.1f | %s | %s |' % (
                    impl, median, minimum,
                    ratio_text(median / floor[0] if floor else None),
                    ratio_text(median / best if best else None)))
            emit()


def scale_note(workload, key, args):
    for (n, s, m), factor in PLAN.get(workload, []):
        if (s, m) == key[1:]:
            ops = data_ops_for(n, factor, args)
            return ' (the issue\'s N = %s, scaled down)' % human_count(n) if ops < n else ''
    return ''


def data_ops_for(n, factor, args):
    return scaled(n, factor, args)


def human(size):
    for unit in ['B', 'KiB', 'MiB', 'GiB']:
        if size < 1024 or unit == 'GiB':
            return '%d %s' % (size, unit) if unit == 'B' else '%.1f %s' % (size, unit)
        size /= 1024


def human_count(n):
    if n >= 1_000_000:
        return '%.3gM' % (n / 1e6)
    return '%.3gk' % (n / 1e3) if n >= 1000 else str(n)


# Each path of the library, what it is measured against in its workload:
# the floor, and what a GLib program uses today.
PATHS = [
    # (name, workload, impl, floor, glibc counterpart, floor limit, glibc limit)
    ('raw', 'fixed', 'ringal-raw', 'bump', 'glibc', 1.15, 0.85),
    ('RingalBuffer', 'fixed', 'ringal-buffer', 'bump', 'g_malloc', 1.35, 0.95),
    ('copy()', 'gbytes', 'ringal-copy', 'bump-static', 'g_bytes_new-glibc', 1.20, 0.90),
    ('freeze()', 'gbytes', 'ringal-freeze', 'bump-static', 'g_bytes_new-glibc', 1.30, 0.95),
    ('ext write()', 'ext', 'ringal-ext', 'bump', 'realloc-glibc', 1.6, 1.0),
    ('ext reserve()', 'ext', 'ringal-reserve', 'bump', 'realloc-glibc', 1.2, None),
    ('xthread raw', 'xthread', 'ringal-raw', 'bump', 'glibc', None, None),
    ('xthread RingalBuffer', 'xthread', 'ringal-buffer', 'bump', 'g_malloc', None, None),
]
OTHER_ALLOCATORS = ['mimalloc', 'jemalloc', 'tcmalloc']


def targets(summary):
    """Every target of the speed issue with its ratio in this run: (what,
    (S, M), ratio, limit)."""
    out = []

    def med(workload, s, m, impl):
        stats = summary.get((workload, s, m, impl))
        return stats[0] if stats else None

    def add(what, row, a, b, limit):
        if a and b and limit is not None:
            out.append((what, row, a / b, limit))

    for what, workload, impl, floor, glibc, floor_limit, glibc_limit in PATHS:
        for (n, s, m), _ in PLAN[workload]:
            path, bump, g = med(workload, s, m, impl), med(workload, s, m, floor), med(workload, s, m, glibc)
            if (n, s, m) in SMALL_ROWS:
                add('%s vs %s' % (what, floor), (s, m), path, bump, floor_limit)
                add('%s vs %s' % (what, glibc), (s, m), path, g, glibc_limit)
                if impl == 'ringal-reserve':
                    best = min((v for v in (med(workload, s, m, 'realloc-' + a) for a in ALLOCATORS) if v),
                               default=None)
                    add('%s vs best realloc' % what, (s, m), path, best, 1.0)
            else:
                add('%s vs %s (large row)' % (what, floor), (s, m), path, bump, 1.05)
            # Never slower than glibc where the floor is faster than glibc.
            if bump and g and bump < g and ((n, s, m) not in SMALL_ROWS or
                                            (glibc_limit is None and impl != 'ringal-reserve')):
                add('%s vs %s (floor faster than it)' % (what, glibc), (s, m), path, g, 1.0)
    for (n, s, m), _ in PLAN['fixed']:
        if (n, s, m) in SMALL_ROWS:
            best = min((v for v in (med('fixed', s, m, a) for a in OTHER_ALLOCATORS) if v), default=None)
            add('raw vs best of mimalloc, jemalloc, tcmalloc', (s, m), med('fixed', s, m, 'ringal-raw'), best, 0.95)
    for key in sorted(k for k in summary if k[0] == 'python' and k[3] == 'allocator.copy'):
        _, s, m, _ = key
        add('python copy vs GLib.Bytes.new', (s, m), summary[key][0], med('python', s, m, 'GLib.Bytes.new'), 1.1)
        # Any buffer-protocol object is copied once, as bytes is.
        for kind in ('bytearray', 'memoryview'):
            other = med('python', s, m, 'copy(%s)' % kind)
            if other and s >= 65536:
                out.append(('python copy(%s) vs copy(bytes)' % kind, (s, m),
                            other / summary[key][0], 1.5))
    return out


def print_targets(results, out):
    print('| target | S, M | ratio | limit | met |', file=out)
    print('|---|---|---:|---:|---|', file=out)
    for name, (s, m), ratio, limit in results:
        print('| %s | %d, %d | %.2f | %.2f | %s |' % (name, s, m, ratio, limit,
                                                   'yes' if ratio <= limit else '**no**'), file=out)
    print(file=out)


def print_protocol(summary, out):
    def med(s, impl):
        stats = summary.get(('protocol', s, 64, impl))
        return stats[0] if stats else None

    sizes = sorted({k[1] for k in summary if k[0] == 'protocol'})
    if not sizes:
        return
    steps = [
        ('one-thread check (owner, no extendable open) and count, inline', 'core-owned', 'core'),
        ('a call that is not inlined, each way', 'core-call', 'core-owned'),
        ('the raw path, inline in the caller (ringal-raw.h): its ABI, NULL and thread tests, '
         'against the core with the one-thread check', 'raw', 'core-owned'),
        ('the raw path against the inline core', 'raw', 'core'),
        ('shared allocator (lock per allocation), one thread', 'raw-shared', 'raw'),
        ('locked RMW release (seq_cst fetch_and, WAITER bit) against '
         'the store-release + compiler barrier', 'core-rmw', 'core'),
        ('experiment: the end of the head\'s free run cached, the split guard '
         'written only before a walk', 'core-cached', 'core'),
    ]
    print('fixed(N, S, 64) on one ring; "inline core" is ringal_ring_reserve() and '
          'ringal_ring_release() inlined into the loop.', file=out)
    print(file=out)
    print('| what | S | ns/op | against | ns/op | ratio |', file=out)
    print('|---|---:|---:|---|---:|---:|', file=out)
    for s in sizes:
        for what, impl, base in steps:
            a, b = med(s, impl), med(s, base)
            if a and b:
                print('| %s | %d | %.2f | %s | %.2f | %.3f |' % (what, s, a, base, b, a / b), file=out)
    # The same release protocols with the release on the consumer's core.
    for key in sorted(k for k in summary if k[0] == 'xthread' and k[3] == 'core-rmw'):
        _, s, m, _ = key
        base = summary.get(('xthread', s, m, 'core'))
        if base:
            print('| locked RMW release, xthread (queue depth %d): release on the consumer | %d | %.2f | core | %.2f | %.3f |'
                  % (m, s, summary[key][0], base[0], summary[key][0] / base[0]), file=out)
    print(file=out)


def print_baseline(args, data, summary, out):
    """New library against the baseline's, rows measured interleaved."""
    pairs = sorted(k for k in summary if k[3].endswith(BASE_SUFFIX))
    if not pairs:
        return
    print('The library of this tree against that of `%s`, the same executable, the two '
          'builds alternating sample by sample: the ratio of the medians, and the median of '
          'the ratios of paired samples (the same pass of the same round, run back to back), '
          'which a load that comes and goes disturbs less.  Below 1 is faster now.'
          % args.baseline_rev[:10], file=out)
    print(file=out)
    print('| workload | S, M | impl | ns/op now | ns/op baseline | ratio of medians | median paired ratio |',
          file=out)
    print('|---|---|---|---:|---:|---:|---:|', file=out)
    for key in pairs:
        new_key = key[:3] + (key[3][:-len(BASE_SUFFIX)],)
        now = summary.get(new_key)
        if now:
            paired = paired_ratios(data, new_key, key)
            print('| %s | %d, %d | %s | %.2f | %.2f | %.3f | %s |' % (
                key[0], key[1], key[2], new_key[3], now[0], summary[key][0],
                now[0] / summary[key][0], '%.3f' % statistics.median(paired) if paired else '-'), file=out)
    print(file=out)


def print_held(data, summary, out):
    keys = sorted({k[:3] for k in summary if k[0] == 'held'})
    if not keys:
        return
    print('fixed(N, S, M) with every 100th buffer kept 100 windows longer and the first for '
          'the whole run.  When the ring has no room the program takes malloc() memory '
          'instead; "ring share" is the share of allocations the ring served.', file=out)
    print(file=out)
    print('| S, M | impl | ns/op median | vs floor | vs glibc | ring share |', file=out)
    print('|---|---|---:|---:|---:|---:|', file=out)
    for key in keys:
        floor = summary.get(key + ('bump',))
        glibc = summary.get(key + ('glibc',))
        for impl, stats in sorted(((k[3], v) for k, v in summary.items() if k[:3] == key), key=lambda kv: kv[1][0]):
            fallbacks = data['fallback'].get(key + (impl,))
            share = '%.1f %%' % (100 * (1 - statistics.median(fallbacks))) if fallbacks else ''
            print('| %d, %d | %s | %.1f | %s | %s | %s |' % (
                key[1], key[2], impl, stats[0], ratio_text(stats[0] / floor[0] if floor else None),
                ratio_text(stats[0] / glibc[0] if glibc else None), share), file=out)
    print(file=out)


def print_failed(data, summary, out):
    keys = sorted(k for k in summary if k[0] == 'failed')
    if not keys:
        return
    print('`ringal_allocator_alloc()` failing against a ring full of live regions, one size, '
          'no free run that holds another:', file=out)
    print(file=out)
    print('| live regions | region bytes | ring | impl | ns per failed allocation (median) | min |', file=out)
    print('|---:|---:|---:|---|---:|---:|', file=out)
    for key in keys:
        capacity = data['capacity'].get(key[:3], 0)
        live = data['live'].get(key[:3], key[2])
        print('| %d | %d | %s | %s | %.1f | %.1f |' % (
            live, capacity // key[2] - 16, human(capacity), key[3], summary[key][0], summary[key][1]), file=out)
    print(file=out)


def print_sweep(args, summary, out):
    keys = sorted({k[:3] for k in summary if k[0] == 'sweep'})
    if not keys:
        return
    live, _ = sweep_capacities(args)
    n, s, m = SWEEP_ROW
    print('fixed(N, %d, %d) with the ring (and the bump arena) at each capacity; the live set '
          'is about %s:' % (s, m, human(live)), file=out)
    print(file=out)
    print('| ring | × live set | bump | ringal-raw | ringal-buffer | glibc | raw / bump | raw / glibc | buffer / glibc |',
          file=out)
    print('|---:|---:|---:|---:|---:|---:|---:|---:|---:|', file=out)
    for key in keys:
        v = {impl: (summary.get(key + (impl,)) or (None,))[0] for impl in SWEEP_IMPLS}

        def r(a, b):
            return ratio_text(v[a] / v[b] if v[a] and v[b] else None)
        print('| %s | %.1f | %s | %s | %s | %s | %s | %s | %s |' % (
            human(key[1]), key[1] / live,
            *['%.1f' % v[i] if v[i] else '-' for i in SWEEP_IMPLS],
            r('ringal-raw', 'bump'), r('ringal-raw', 'glibc'), r('ringal-buffer', 'glibc')), file=out)
    print(file=out)


def print_callgrind(data, out):
    counts = data.get('callgrind')
    if not counts:
        return
    print('| workload | S, M | impl | instructions/op | branches/op | mispredicted/op |', file=out)
    print('|---|---|---|---:|---:|---:|', file=out)
    for (workload, s, m, impl), per_op in sorted(counts.items(), key=lambda kv: (kv[0][:3], kv[1].get('Ir', 0))):
        branches = per_op.get('Bc', 0) + per_op.get('Bi', 0)
        missed = per_op.get('Bcm', 0) + per_op.get('Bim', 0)
        print('| %s | %d, %d | %s | %.1f | %.1f | %.2f |' % (workload, s, m, impl, per_op.get('Ir', 0), branches, missed), file=out)
    print(file=out)


def print_rss(data, out):
    rss = data.get('rss')
    if not rss:
        return
    print('Each ringal-glib row alone in its process: the peak RSS (VmHWM), the same '
          'process with a 16 KiB ring (%s, the program and its libraries), and what became '
          'resident from before setup to the end of the row, before the ring is freed '
          '(/proc/self/statm; setup makes little else than the ring):' % human(rss['base'] * 1024), file=out)
    print(file=out)
    print('| workload | S, M | ring capacity | peak RSS | peak − the 16 KiB process | resident growth | growth − capacity |',
          file=out)
    print('|---|---|---:|---:|---:|---:|---:|', file=out)
    for key in sorted(k for k in rss if isinstance(k, tuple) and len(k) == 3):
        capacity = rss[key + ('capacity',)]
        grown = rss[key + ('grown',)] * 1024
        print('| %s | %d, %d | %s | %s | %s | %s | %s |' % (
            key[0], key[1], key[2], human(capacity), human(rss[key] * 1024),
            human(max(0, rss[key] - rss['base']) * 1024), human(grown),
            ('+' + human(grown - capacity)) if grown >= capacity else '-' + human(capacity - grown)), file=out)
    print(file=out)


def write_csv(summary, path):
    with open(path, 'w') as f:
        f.write('workload,size,window,impl,ns_median,ns_min\n')
        for (workload, s, m, impl), (median, minimum, _) in sorted(summary.items()):
            f.write('%s,%d,%d,%s,%.3f,%.3f\n' % (workload, s, m, impl, median, minimum))


PLOT_COLOURS = ['#d62728', '#ff9896', '#1f77b4', '#aec7e8', '#2ca02c', '#98df8a', '#9467bd', '#c5b0d5']


def paired_ratios(data, key, other):
    """The ratio of two rows sample by sample: both come from the same
    process, one sample of each per pass, in the same order."""
    a, b = data['ns'].get(key, []), data['ns'].get(other, [])
    if not a or len(a) != len(b):
        return None
    return [x / y for x, y in zip(a, b)]


def write_plot(data, summary, path):
    """Each path of the library against the floor and against what a GLib
    program uses today (glibc malloc, g_malloc, g_bytes_new, realloc), on
    every row: the ratio of medians, with whiskers from the smallest to the
    largest ratio of paired samples.  SVG, or PNG for a .png path."""
    gnuplot = shutil.which('gnuplot')
    if gnuplot is None:
        print('SKIP plot: gnuplot is not installed (gnuplot-nox)')
        return
    rows = [(s, m) for (n, s, m) in ROWS]
    paths = [p for p in PATHS if any((p[1], s, m, p[2]) in summary for s, m in rows)]
    if not paths:
        return
    with tempfile.TemporaryDirectory() as tmp:
        panels = []
        for which, title in ((3, 'the bump floor'), (4, 'glibc (malloc, g_malloc, g_bytes_new, realloc)')):
            datafile = os.path.join(tmp, 'panel%d.dat' % which)
            with open(datafile, 'w') as f:
                for r, (s, m) in enumerate(rows):
                    cells = []
                    for p in paths:
                        key, other = (p[1], s, m, p[2]), (p[1], s, m, p[which])
                        ratios = paired_ratios(data, key, other)
                        if key in summary and other in summary and ratios:
                            cells.append('%.4f %.4f %.4f' % (summary[key][0] / summary[other][0],
                                                            min(ratios), max(ratios)))
                        else:
                            cells.append('NaN NaN NaN')
                    f.write('%d %s\n' % (r, ' '.join(cells)))
            panels.append((title, datafile))
        terminal = ('pngcairo size 1200,%d font "sans,10"' if path.endswith('.png')
                    else 'svg size 1200,%d dynamic font "sans,11"') % (360 * len(panels))
        width = 0.8 / len(paths)
        script = ['set terminal ' + terminal + ' noenhanced',
                  'set output "%s"' % path,
                  'set multiplot layout %d,1' % len(panels),
                  'set style fill solid 0.85 border -1', 'set boxwidth %.4f absolute' % width,
                  'set bars 0.3',
                  'set key outside right top', 'set grid ytics', 'set logscale y 2',
                  'set datafile missing "NaN"',
                  'set xrange [-0.5:%.1f]' % (len(rows) - 0.5),
                  'set xtics (%s) nomirror' % ', '.join('"S=%d M=%d" %d' % (s, m, r)
                                                        for r, (s, m) in enumerate(rows))]
        colours = PLOT_COLOURS
        for title, datafile in panels:
            script.append('set title "each path of ringal-glib over %s (median ratio; whiskers: min and max '
                          'of paired samples; lower is better)"' % title)
            script.append('set ylabel "time / %s"' % ('floor' if 'floor' in title else 'glibc'))
            series = []
            for i, p in enumerate(paths):
                x = '($1%+.4f)' % ((i - (len(paths) - 1) / 2) * width)
                series.append('"%s" using %s:%d with boxes title "%s" lc rgb "%s"' % (
                    datafile, x, 2 + 3 * i, p[0], colours[i % len(colours)]))
                series.append('"%s" using %s:%d:%d:%d with yerrorbars notitle lc "black" pt -1' % (
                    datafile, x, 2 + 3 * i, 3 + 3 * i, 4 + 3 * i))
            script.append('plot ' + ', '.join(series) + ', 1 with lines lc "black" notitle')
        script.append('unset multiplot')
        scriptfile = os.path.join(tmp, 'plot.gp')
        with open(scriptfile, 'w') as f:
            f.write('\n'.join(script) + '\n')
        run([gnuplot, scriptfile])


def machine_line():
    model = '?'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    return '%s, %d cores, %s, Linux %s' % (model, os.cpu_count(), platform.libc_ver()[0] + ' ' + platform.libc_ver()[1],
                                         platform.release())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--builddir', required=True)
    parser.add_argument('--quick', action='store_true', help='tiny rows, one round: checks that it works')
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--passes', type=int, default=3, help='timed passes per row and round')
    parser.add_argument('--scale', type=float, default=1.0, help='multiply every N')
    parser.add_argument('--workloads', default='fixed,ext,xthread,gbytes,protocol,held,failed,sweep')
    parser.add_argument('--baseline', metavar='REV',
                        help='also measure the library of git revision REV (built in a worktree of its '
                             'own), alternating with this one sample by sample')
    parser.add_argument('--no-python', action='store_true')
    parser.add_argument('--library-only', action='store_true',
                        help='only the library\'s rows (with --baseline: old against new, quickly)')
    parser.add_argument('--callgrind', action='store_true', help='instruction counts of the small rows')
    parser.add_argument('--csv', help='write the CSV here')
    parser.add_argument('--plot', help='write the SVG plot here')
    parser.add_argument('--markdown', help='write the tables as Markdown here too')
    args = parser.parse_args()
    args.workloads = args.workloads.split(',')
    if args.quick:
        args.rounds = args.passes = 1

    bench_dir = os.path.join(args.builddir, 'tests', 'benchmarks')
    executables = find_executables(bench_dir)
    data = {'ns': collections.defaultdict(list), 'capacity': {}, 'ops': {}, 'process': {},
            'fallback': collections.defaultdict(list), 'live': {}}
    args.baseline_libdir = build_baseline(args) if args.baseline else None

    bench_rounds(args, executables, data)
    if not args.no_python and not args.library_only:
        bench_python(args, data)
    if not args.library_only:
        measure_rss(args, executables, data)
    if args.callgrind:
        callgrind(args, executables, data)

    summary = summarise(data)
    outs = [sys.stdout]
    markdown = open(args.markdown, 'w') if args.markdown else None
    if markdown:
        outs.append(markdown)
    for out in outs:
        print('Machine: %s' % machine_line(), file=out)
        print('Allocators: %s; %d rounds, medians and minima over them%s.' % (
            ', '.join(executables), args.rounds, '; QUICK smoke run, numbers mean nothing' if args.quick else ''),
            file=out)
        print(file=out)
        print('## Targets', file=out)
        print(file=out)
        print_targets(targets(summary), out)
        if args.baseline:
            print('## Against the baseline', file=out)
            print(file=out)
            print_baseline(args, data, summary, out)
        print('## Held buffers', file=out)
        print(file=out)
        print_held(data, summary, out)
        print('## Failed allocations', file=out)
        print(file=out)
        print_failed(data, summary, out)
        print('## Ring size', file=out)
        print(file=out)
        print_sweep(args, summary, out)
        print('## Protocol', file=out)
        print(file=out)
        print_protocol(summary, out)
        print('## Workloads', file=out)
        print(file=out)
        print_tables(args, data, summary, out)
        print('## Memory', file=out)
        print(file=out)
        print_rss(data, out)
        if data.get('callgrind'):
            print('## Instructions (callgrind, small rows)', file=out)
            print(file=out)
            print_callgrind(data, out)
    if markdown:
        markdown.close()
    if args.csv:
        write_csv(summary, args.csv)
    if args.plot:
        write_plot(data, summary, args.plot)
    print('bench: done')


if __name__ == '__main__':
    main()
