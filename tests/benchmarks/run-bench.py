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
}

# What each ringal-glib row is compared with.
BASELINES = {
    'fixed': lambda impl: impl in ALLOCATORS,
    'xthread': lambda impl: impl in ALLOCATORS,
    'ext': lambda impl: impl.startswith('realloc-') or impl in ('GByteArray', 'GString'),
    'gbytes': lambda impl: impl.startswith('new_take-') or impl.startswith('free_func-'),
}
FLOORS = {'fixed': 'bump', 'ext': 'bump', 'xthread': 'bump', 'gbytes': 'bump-static'}


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def parse_results(text, into, process):
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0] == 'RESULT':
            workload, size, window, ops, impl, ns, capacity = fields[1:8]
            key = (workload, int(size), int(window), impl)
            into['ns'][key].append(float(ns))
            into['capacity'][(workload, int(size), int(window))] = int(capacity)
            into['ops'][(workload, int(size), int(window))] = int(ops)
            into['process'][key] = process


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


def bench_rounds(args, executables, data):
    workloads = args.workloads
    for round_no in range(args.rounds):
        for workload in workloads:
            for (n, s, m), factor in PLAN[workload]:
                for name, path in executables.items():
                    if workload == 'protocol' and name != 'glibc':
                        continue
                    command = [path, '--workload', workload, '--ops', str(scaled(n, factor, args)),
                               '--size', str(s), '--window', str(m), '--round', str(round_no),
                               '--passes', str(args.passes)]
                    if name == 'glibc':
                        command.append('--primary')
                    parse_results(run(command).stdout, data, name)
        log('round %d of %d done' % (round_no + 1, args.rounds))


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


def targets(summary):
    """Every target of the benchmark issue with its ratio in this run."""
    out = []

    def med(workload, s, m, impl):
        stats = summary.get((workload, s, m, impl))
        return stats[0] if stats else None

    def best(workload, s, m, names):
        values = [med(workload, s, m, n) for n in names]
        values = [v for v in values if v is not None]
        return min(values) if values else None

    allocs = ALLOCATORS
    for (n, s, m), _ in PLAN['fixed']:
        b = best('fixed', s, m, allocs)
        raw, buf, bump = (med('fixed', s, m, i) for i in ('ringal-raw', 'ringal-buffer', 'bump'))
        if raw and b:
            out.append(('fixed raw vs best allocator', (s, m), raw / b, 0.95))
        if raw and bump and (n, s, m) in SMALL_ROWS:
            out.append(('fixed raw vs bump floor', (s, m), raw / bump, 1.10))
        if buf and b:
            out.append(('fixed RingalBuffer vs best allocator', (s, m), buf / b, 1.0))
    for (n, s, m), _ in PLAN['ext']:
        ext, bump = med('ext', s, m, 'ringal-ext'), med('ext', s, m, 'bump')
        b = best('ext', s, m, ['realloc-' + a for a in allocs] + ['GByteArray', 'GString'])
        if ext and bump:
            out.append(('ext vs bump floor', (s, m), ext / bump, 1.2))
        if ext and b:
            out.append(('ext vs best realloc baseline', (s, m), ext / b, 0.7))
    for (n, s, m), _ in PLAN['gbytes']:
        freeze = med('gbytes', s, m, 'ringal-freeze')
        b = best('gbytes', s, m, ['new_take-' + a for a in allocs] + ['free_func-' + a for a in allocs])
        if freeze and b:
            out.append(('gbytes freeze vs best take/free_func', (s, m), freeze / b, 0.95))
    for (n, s, m), _ in PLAN['xthread']:
        raw, buf = med('xthread', s, m, 'ringal-raw'), med('xthread', s, m, 'ringal-buffer')
        b = best('xthread', s, m, allocs)
        if raw and b:
            out.append(('xthread raw vs best allocator', (s, m), raw / b, 0.9))
        if buf and b:
            out.append(('xthread RingalBuffer vs best allocator', (s, m), buf / b, 0.9))
    for key in sorted(k for k in summary if k[0] == 'python' and k[3] == 'allocator.copy'):
        _, s, m, _ = key
        new = med('python', s, m, 'GLib.Bytes.new')
        if new:
            out.append(('python copy vs GLib.Bytes.new', (s, m), summary[key][0] / new, 1.1))
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
        ('the raw path of the shared library (PLT, NULL checks)', 'raw', 'core-call'),
        ('raw path against the inline core, all of the above', 'raw', 'core'),
        ('shared allocator (lock per allocation), one thread', 'raw-shared', 'raw'),
        ('locked RMW release (seq_cst fetch_and, WAITER bit) against '
         'the store-release + compiler barrier', 'core-rmw', 'core'),
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


# What each panel of the plot shows: the floor, ringal-glib, and each
# allocator's baseline; the rest is in the tables.
PLOT_SERIES = {
    'fixed': lambda impl: impl in ALLOCATORS or impl in ('bump', 'ringal-raw', 'ringal-buffer'),
    'ext': lambda impl: impl.startswith('realloc-') or impl in ('bump', 'ringal-ext', 'GByteArray', 'GString'),
    'xthread': lambda impl: impl in ALLOCATORS or impl in ('bump', 'ringal-raw', 'ringal-buffer'),
    'gbytes': lambda impl: (impl.startswith('free_func-') or impl in ('bump-static', 'ringal-freeze',
                                                                     'ringal-copy', 'g_bytes_new-glibc')),
}
PLOT_COLOURS = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#ff7f0e']


def plot_colour(impl, others):
    if impl.startswith('bump'):
        return '#7f7f7f'
    if impl.startswith('ringal'):
        return {'ringal-raw': '#d62728', 'ringal-buffer': '#ff9896', 'ringal-ext': '#d62728',
                'ringal-freeze': '#d62728', 'ringal-copy': '#ff9896'}.get(impl, '#d62728')
    return PLOT_COLOURS[others.index(impl) % len(PLOT_COLOURS)]


def write_plot(summary, path):
    """Each workload's rows, each implementation's median over the best
    baseline of its row: one panel per workload, log scale, ringal-glib
    in red and the bump floor in grey.  SVG, or PNG for a .png path."""
    gnuplot = shutil.which('gnuplot')
    if gnuplot is None:
        print('SKIP plot: gnuplot is not installed (gnuplot-nox)')
        return
    panels = []
    with tempfile.TemporaryDirectory() as tmp:
        for workload in ['fixed', 'ext', 'xthread', 'gbytes']:
            rows = sorted({(k[1], k[2]) for k in summary if k[0] == workload})
            if not rows:
                continue
            is_base = BASELINES[workload]
            impls = sorted({k[3] for k in summary if k[0] == workload and PLOT_SERIES[workload](k[3])},
                           key=lambda i: (not i.startswith('bump'), not i.startswith('ringal'), i))
            datafile = os.path.join(tmp, workload + '.dat')
            with open(datafile, 'w') as f:
                f.write('row ' + ' '.join('"%s"' % i for i in impls) + '\n')
                for s, m in rows:
                    best = min(v[0] for k, v in summary.items() if k[:3] == (workload, s, m) and is_base(k[3]))
                    values = [summary.get((workload, s, m, i), (float('nan'),))[0] / best for i in impls]
                    f.write('"S=%d M=%d" ' % (s, m) + ' '.join('%.4f' % v for v in values) + '\n')
            others = [i for i in impls if not i.startswith('bump') and not i.startswith('ringal')]
            panels.append((workload, datafile, [plot_colour(i, others) for i in impls]))
        terminal = ('pngcairo size 1200,%d font "sans,10"' if path.endswith('.png')
                    else 'svg size 1200,%d dynamic font "sans,11"') % (330 * len(panels))
        script = ['set terminal ' + terminal + ' noenhanced',
                  'set output "%s"' % path,
                  'set multiplot layout %d,1' % len(panels),
                  'set style data histogram', 'set style histogram cluster gap 1',
                  'set style fill solid 0.85 border -1', 'set boxwidth 0.9',
                  'set key outside right top', 'set grid ytics', 'set logscale y 2',
                  'set ylabel "time / best baseline"',
                  'set xtics nomirror']
        for workload, datafile, colours in panels:
            script.append('set title "%s: median time over the best baseline of the row (lower is better)"'
                          % workload)
            script.append('array colours[%d] = [%s]' % (len(colours), ', '.join('"%s"' % c for c in colours)))
            script.append('plot for [i=2:%d] "%s" using i:xtic(1) title columnheader(i) lc rgb colours[i-1], '
                          '1 with lines lc "black" notitle' % (len(colours) + 1, datafile))
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
    parser.add_argument('--workloads', default='fixed,ext,xthread,gbytes,protocol')
    parser.add_argument('--no-python', action='store_true')
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
    data = {'ns': collections.defaultdict(list), 'capacity': {}, 'ops': {}, 'process': {}}

    bench_rounds(args, executables, data)
    if not args.no_python:
        bench_python(args, data)
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
        write_plot(summary, args.plot)
    print('bench: done')


if __name__ == '__main__':
    main()
