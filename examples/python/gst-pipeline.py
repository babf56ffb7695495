#!/usr/bin/python3
# gst-pipeline.py: ring memory in a GStreamer pipeline, from Python.
#
# Three ways in: buffers allocated one by one from the "ringal" allocator,
# buffers from a stock GstBufferPool configured with it, and ring bytes
# frozen into GLib.Bytes and wrapped as a GstBuffer without a copy.  The
# sink checks every buffer's sequence number and payload.
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run: build-aux/dev demo, or from the build tree:
#   meson devenv -C _build /usr/bin/python3 examples/python/gst-pipeline.py

import struct
import sys

import gi
gi.require_version('Gst', '1.0')
gi.require_version('Ringal', '1.0')
gi.require_version('RingalGst', '1.0')
from gi.repository import Gst, Ringal, RingalGst  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 3000


def payload(sequence):
    """8 bytes of sequence number, then a few bytes that depend on it."""
    body = bytes((sequence * 7 + i) & 0xff for i in range(sequence % 200))
    return struct.pack('<II', sequence, len(body)) + body


def main():
    Gst.init(None)
    RingalGst.init()                       # registers "ringal"
    allocator = Gst.Allocator.find(RingalGst.ALLOCATOR_NAME)
    assert isinstance(allocator, RingalGst.Allocator)

    # A stock pool whose buffers are ring memory: a ring of its own, since
    # pooled buffers live as long as the pool and would take their bytes
    # from the ring that serves short-lived memory.  Without
    # max-buffers the pool grows to what the pipeline holds at once (here
    # bounded by appsrc's max-bytes and the queue): size its ring for that.
    pool_allocator = RingalGst.Allocator.new(Ringal.Allocator.new_shared(1024 * 1024))
    pool = Gst.BufferPool()
    config = pool.get_config()
    Gst.BufferPool.config_set_params(config, None, 256, 4, 0)
    Gst.BufferPool.config_set_allocator(config, pool_allocator, None)
    assert pool.set_config(config) and pool.set_active(True)

    pipeline = Gst.parse_launch(
        'appsrc name=src block=true max-bytes=65536 ! queue '
        '! fakesink name=sink signal-handoffs=true sync=false')
    src = pipeline.get_by_name('src')
    sink = pipeline.get_by_name('sink')
    seen = {'count': 0, 'ring': 0, 'bad': []}

    def on_handoff(element, buffer, pad):  # on the queue's thread
        data = buffer.extract_dup(0, buffer.get_size())
        sequence, = struct.unpack_from('<I', data)
        if sequence != seen['count'] or data != payload(sequence):
            seen['bad'].append(seen['count'])
        if buffer.peek_memory(0).is_type(RingalGst.MEMORY_TYPE):
            seen['ring'] += 1
        seen['count'] += 1

    sink.connect('handoff', on_handoff)
    pipeline.set_state(Gst.State.PLAYING)

    ring = Ringal.Allocator.get_thread_default()
    for sequence in range(N):
        data = payload(sequence)
        if sequence % 3 == 0:
            # One allocation from the ring; fill() copies the bytes in.
            buffer = Gst.Buffer.new_allocate(allocator, len(data), None)
            buffer.fill(0, data)
        elif sequence % 3 == 1:
            # From the pool, resized to what we write.
            ret, buffer = pool.acquire_buffer(None)
            assert ret == Gst.FlowReturn.OK
            buffer.fill(0, data)
            buffer.set_size(len(data))
        else:
            # Copied once into the ring, frozen, wrapped without a copy.
            frozen = ring.copy(data)       # GLib.Bytes pointing into the ring
            buffer = Gst.Buffer.new_wrapped_bytes(frozen)
        assert src.emit('push-buffer', buffer) == Gst.FlowReturn.OK

    src.emit('end-of-stream')
    message = pipeline.get_bus().timed_pop_filtered(
        Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    if message.type == Gst.MessageType.ERROR:
        raise SystemExit('pipeline error: %s' % message.parse_error()[0].message)
    pipeline.set_state(Gst.State.NULL)
    pool.set_active(False)

    print('%d buffers through appsrc ! queue ! fakesink from Python: '
          '%d GstMemory from the ring, %d wrapped ring bytes, %d fallbacks, %d bad'
          % (seen['count'], seen['ring'], N // 3,
             allocator.get_n_fallbacks() + pool_allocator.get_n_fallbacks(),
             len(seen['bad'])))
    if seen['count'] != N or seen['bad'] or seen['ring'] != N - N // 3:
        raise SystemExit('FAILED: %r' % seen['bad'][:10])


if __name__ == '__main__':
    main()
