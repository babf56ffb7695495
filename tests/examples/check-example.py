#!/usr/bin/python3
# check-example.py: runs an example on input made for it and checks what it
# produced, so that the examples cannot rot.
#
#   check-example.py gjs GJS examples/gjs/netstrings.js
#   check-example.py vala _build/examples/ringal-hash
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import hashlib
import os
import random
import re
import subprocess
import sys
import tempfile


def fail(message, child=None):
    print('FAIL:', message)
    if child is not None:
        print('--- exit status', child.returncode)
        print('--- stdout\n' + child.stdout.decode(errors='replace'))
        print('--- stderr\n' + child.stderr.decode(errors='replace'))
    sys.exit(1)


def run(argv):
    print('running:', ' '.join(argv))
    try:
        child = subprocess.run(argv, capture_output=True, timeout=100)
    except subprocess.TimeoutExpired as expired:
        # A lost wake-up or a region never given back shows as a hang.
        fail('still running after %d s:\n%s' % (expired.timeout, (expired.stdout or b'').decode(errors='replace')))
    sys.stdout.write(child.stdout.decode(errors='replace'))
    sys.stdout.write(child.stderr.decode(errors='replace'))
    return child


def parse_netstrings(data):
    items = []
    offset = 0
    while offset < len(data):
        colon = data.index(b':', offset)
        length = int(data[offset:colon])
        end = colon + 1 + length
        if data[end:end + 1] != b',':
            raise ValueError('netstring at offset %d does not end with a comma' % offset)
        items.append(data[colon + 1:end])
        offset = end + 1
    return items


def check_gjs(gjs, script):
    # Enough lines to fill the example's 16 KiB ring many times over, of
    # every length, with multi-byte UTF-8, empty lines, a CR kept as data,
    # one line longer than the ring, and a last line without a newline.
    rng = random.Random(7)
    lines = []
    for i in range(3000):
        line = ''.join(rng.choice('ringal→ é,:0123456789') for _ in range(rng.randrange(0, 150)))
        lines.append(line.encode())
    lines[10] = b''
    lines[11] = b'carriage return\r'
    lines[500] = b'x' * 20000
    data = b'\n'.join(lines) + b'\nno newline at the end'
    expected = data.split(b'\n')

    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, 'lines.txt')
        framed = os.path.join(tmp, 'lines.netstrings')
        with open(source, 'wb') as f:
            f.write(data)
        child = run([gjs, '-m', script, source, framed])
        if child.returncode != 0:
            fail('the example failed', child)
        with open(framed, 'rb') as f:
            output = f.read()

    try:
        frames = parse_netstrings(output)
    except ValueError as error:
        fail('the output is not netstrings: %s' % error, child)
    if len(frames) != len(expected):
        fail('%d frames for %d lines' % (len(frames), len(expected)), child)
    for i, (frame, line) in enumerate(zip(frames, expected)):
        if frame != line:
            fail('frame %d is %r, expected %r' % (i, frame[:80], line[:80]), child)

    text = child.stdout.decode()
    if not re.search(r'lines framed +%d\b' % len(expected), text):
        fail('the summary does not count %d lines' % len(expected), child)
    if not re.search(r'lines too long +1\b', text):
        fail('the line longer than the ring was not counted', child)
    # 400 KiB through a 16 KiB ring: the reader must have waited, so
    # fixed_async() was used, and woken.
    waits = re.search(r'waited for room (\d+) times', text)
    if waits is None or int(waits.group(1)) == 0:
        fail('the reader never waited for room: fixed_async() was not exercised', child)
    print('gjs example: %d lines framed, the reader waited %s times' % (len(frames), waits.group(1)))


def check_vala(program):
    rng = random.Random(11)
    contents = {
        # Several times the example's 1 MiB ring, and not a whole number
        # of its 64 KiB chunks.
        'large.bin': rng.randbytes(3 * 1024 * 1024 + 17),
        'chunk.bin': rng.randbytes(64 * 1024),
        'empty.bin': b'',
        'text.txt': b'ringal-glib\n' * 1000,
    }
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in contents.items():
            path = os.path.join(tmp, name)
            with open(path, 'wb') as f:
                f.write(data)
            paths.append(path)
        missing = os.path.join(tmp, 'missing.bin')

        child = run([program, '--stats'] + paths)
        if child.returncode != 0:
            fail('the example failed', child)
        expected = ''.join('%s  %s\n' % (hashlib.sha256(contents[os.path.basename(path)]).hexdigest(), path)
                           for path in paths)
        if child.stdout.decode() != expected:
            fail('the output is not that of sha256sum:\n' + expected, child)
        if not re.search(r'read and hashed +%d bytes' % sum(map(len, contents.values())),
                         child.stderr.decode()):
            fail('--stats does not count every byte', child)

        # A file that cannot be read fails, and the others are still hashed.
        child = run([program, paths[3], missing, paths[2]])
        if child.returncode != 1:
            fail('a missing file did not fail the run', child)
        lines = expected.splitlines(keepends=True)
        if child.stdout.decode() != lines[3] + lines[2]:
            fail('the files around the missing one were not hashed', child)
        if missing not in child.stderr.decode():
            fail('the missing file is not named in the error', child)
    print('vala example: %d files hashed as sha256sum does' % len(paths))


def main(argv):
    if len(argv) == 4 and argv[1] == 'gjs':
        check_gjs(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == 'vala':
        check_vala(argv[2])
    else:
        print('usage: check-example.py gjs GJS SCRIPT | vala PROGRAM', file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
