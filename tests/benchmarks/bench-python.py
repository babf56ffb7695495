#!/usr/bin/python3
# bench-python.py: a message into ring memory from Python, per message
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run by run-bench.py against the uninstalled typelib.  Each message is
# kept in a FIFO window of 64 and dropped when it falls out, as a queue of
# outgoing frames would.  Prints RESULT lines as ringal-bench does.

import argparse
import collections
import time

import gi
gi.require_version('Ringal', '1.0')
from gi.repository import GLib, Ringal  # noqa: E402

WINDOW = 64


def bytes_new(allocator, message, n):
    window = collections.deque(maxlen=WINDOW)
    keep, new = window.append, GLib.Bytes.new
    for _ in range(n):
        keep(new(message))


def allocator_copy(allocator, message, n):
    window = collections.deque(maxlen=WINDOW)
    keep, copy = window.append, allocator.copy
    for _ in range(n):
        keep(copy(message))


def fixed_write_freeze(allocator, message, n):
    window = collections.deque(maxlen=WINDOW)
    keep, fixed, size = window.append, allocator.fixed, len(message)
    for _ in range(n):
        buffer = fixed(size)
        buffer.write(message)
        keep(buffer.freeze())


IMPLS = [('GLib.Bytes.new', bytes_new),
         ('allocator.copy', allocator_copy),
         ('fixed+write+freeze', fixed_write_freeze)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--ops', type=int, default=200_000)
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args()

    for size in (64, 1024):
        message = bytes(i * 131 % 251 for i in range(size))
        # A few times the live bytes: 64 messages with their handles.
        capacity = 1 << ((4 * WINDOW * (size + 64)) - 1).bit_length()
        allocator = Ringal.Allocator.new(capacity)
        for round_no in range(args.rounds):
            for k in range(len(IMPLS)):
                name, run = IMPLS[(k + round_no) % len(IMPLS)]
                run(allocator, message, max(1000, args.ops // 10))
                start = time.perf_counter_ns()
                run(allocator, message, args.ops)
                elapsed = time.perf_counter_ns() - start
                print('RESULT python %d %d %d %s %.3f %d' % (size, WINDOW, args.ops, name,
                                                             elapsed / args.ops, capacity))


if __name__ == '__main__':
    main()
