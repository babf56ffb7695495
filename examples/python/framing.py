#!/usr/bin/python3
# framing.py: the C framing demo in a few lines of Python.  A producer puts
# each record into ring memory with one call and hands the frozen GLib.Bytes
# to a consumer thread, which checks it and drops it; dropping it gives the
# region back to the producer's ring.
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run: build-aux/dev demo

import queue
import struct
import sys
import threading
import time
import zlib

import gi

gi.require_version('Ringal', '1.0')
from gi.repository import GLib, Ringal  # noqa: E402

N_FRAMES = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
frames = queue.Queue()  # unbounded: the ring itself is the bound
stats = {'full': 0, 'bytes': 0, 'checked': 0, 'bad': 0}


def produce():
    allocator = Ringal.Allocator.new(64 * 1024)
    for seq in range(N_FRAMES):
        payload = f'sensor={seq % 17} temperature={seq % 40 - 5} note={"x" * (seq % 200)}'.encode()
        frame = struct.pack('<II', seq, len(payload)) + payload + struct.pack('<I', zlib.crc32(payload))
        while True:
            try:
                frozen = allocator.copy(frame)  # one call: copy into the ring, freeze
                break
            except GLib.Error as e:
                if not e.matches(Ringal.error_quark(), Ringal.Error.FULL):
                    raise
                stats['full'] += 1  # the consumer has not caught up: wait for it
                time.sleep(0)
        stats['bytes'] += frozen.get_size()
        frames.put(frozen)
    frames.put(None)


def consume():
    while (frozen := frames.get()) is not None:
        data = frozen.get_data()
        seq, length = struct.unpack_from('<II', data)
        (crc,) = struct.unpack_from('<I', data, 8 + length)
        if seq != stats['checked'] or crc != zlib.crc32(data[8:8 + length]):
            stats['bad'] += 1
        stats['checked'] += 1
        del frozen, data  # the region goes back to the ring here


start = time.monotonic()
threads = [threading.Thread(target=produce), threading.Thread(target=consume)]
for t in threads:
    t.start()
for t in threads:
    t.join()
seconds = time.monotonic() - start

print('ringal-glib framing demo (Python)')
print(f'  frames framed     {N_FRAMES} ({stats["bytes"]} bytes) in a 64 KiB ring')
print(f'  frames checked    {stats["checked"]}, {stats["bad"]} bad')
print(f'  ring-full retries {stats["full"]}')
print(f'  time              {seconds:.3f} s, {stats["checked"] / seconds:.0f} frames/s')
sys.exit(0 if stats['bad'] == 0 and stats['checked'] == N_FRAMES else 1)
