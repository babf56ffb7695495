#!/usr/bin/python3
# bench-python.py: a message into ring memory from Python, per message
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run by run-bench.py against the uninstalled typelib and overrides.  Each
# message is kept in a FIFO window of 64 and dropped when it falls out, as a
# queue of outgoing frames would.  Prints RESULT lines as ringal-bench does.
#
# The rows: copy() of bytes, bytearray and memoryview (the overrides copy
# each once) beside GLib.Bytes.new() of the same (PyGObject converts all
# but bytes element by element); and reading a frozen buffer's bytes, as a
# new bytes (get_data()) or in place (memoryview(), Ringal.view()).

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


def of(kind, run):
    """run() with the message as another buffer-protocol type."""
    def with_kind(allocator, message, n):
        run(allocator, kind(message), n)
    return with_kind


def reader(read):
    """Reads a frozen buffer of the message's size n times: the first and
    the last byte of what read() gives."""
    def run(allocator, message, n):
        buffer = allocator.fixed(len(message))
        buffer.write(message)
        frozen = buffer.freeze()
        total = 0
        for _ in range(n):
            total += read(buffer, frozen)
        return total
    return run


def read_get_data(buffer, frozen):
    data = buffer.get_data()
    return data[0] + data[-1]


def read_memoryview(buffer, frozen):
    with memoryview(buffer) as view:
        return view[0] + view[-1]


def read_bytes_get_data(buffer, frozen):
    data = frozen.get_data()
    return data[0] + data[-1]


def read_bytes_view(buffer, frozen):
    with Ringal.view(frozen) as view:
        return view[0] + view[-1]


def fixed_write_freeze(allocator, message, n):
    window = collections.deque(maxlen=WINDOW)
    keep, fixed, size = window.append, allocator.fixed, len(message)
    for _ in range(n):
        buffer = fixed(size)
        buffer.write(message)
        keep(buffer.freeze())


IMPLS = [('GLib.Bytes.new', bytes_new),
         ('allocator.copy', allocator_copy),
         ('fixed+write+freeze', fixed_write_freeze),
         ('GLib.Bytes.new(bytearray)', of(bytearray, bytes_new)),
         ('copy(bytearray)', of(bytearray, allocator_copy)),
         ('GLib.Bytes.new(memoryview)', of(memoryview, bytes_new)),
         ('copy(memoryview)', of(memoryview, allocator_copy)),
         ('Buffer.get_data', reader(read_get_data)),
         ('memoryview(buffer)', reader(read_memoryview)),
         ('GLib.Bytes.get_data', reader(read_bytes_get_data)),
         ('Ringal.view(bytes)', reader(read_bytes_view))]

# PyGObject converts a bytearray or memoryview for GLib.Bytes.new() element
# by element, about a microsecond and a half per 64 bytes: fewer of those.
SLOW = {'GLib.Bytes.new(bytearray)', 'GLib.Bytes.new(memoryview)'}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--ops', type=int, default=200_000)
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args()

    for size in (64, 4096, 65536):
        message = bytes(i * 131 % 251 for i in range(size))
        # A few times the live bytes: 64 messages with their handles.
        capacity = 1 << ((4 * WINDOW * (size + 64)) - 1).bit_length()
        allocator = Ringal.Allocator.new(capacity)
        for round_no in range(args.rounds):
            for k in range(len(IMPLS)):
                name, run = IMPLS[(k + round_no) % len(IMPLS)]
                ops = args.ops
                if name in SLOW:
                    ops = max(100, ops * 64 // size // 4)
                # once round the ring at least, so that its pages are in
                run(allocator, message, max(100, ops // 10, capacity // (size + 64)))
                start = time.perf_counter_ns()
                run(allocator, message, ops)
                elapsed = time.perf_counter_ns() - start
                print('RESULT python %d %d %d %s %.3f %d' % (size, WINDOW, ops, name,
                                                             elapsed / ops, capacity))


if __name__ == '__main__':
    main()
