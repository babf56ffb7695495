#!/usr/bin/python3
# gst-ring-share.py: how many of a pipeline's buffers are ring memory when
# ringal is GStreamer's default allocator.
#
# Each pipeline runs to EOS with "ringal" set as the default allocator; a
# probe on every source pad counts the buffers whose first memory is ring
# memory (a buffer is counted at every pad it leaves).  Pipelines whose
# elements keep some buffers (an encoder's header, an application's
# samples, a queue) show whether a held buffer stops the ring or only
# costs its own bytes.
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run from the build tree:
#   meson devenv -C _build /usr/bin/python3 tests/benchmarks/gst-ring-share.py

import sys

import gi
gi.require_version('Gst', '1.0')
gi.require_version('RingalGst', '1.0')
from gi.repository import Gst, RingalGst  # noqa: E402

KEEP_EVERY = 20

PIPELINES = [
    # opusenc keeps its 224-byte header buffer for the whole stream
    'audiotestsrc wave=ticks num-buffers=300 ! audio/x-raw,rate=48000 ! opusenc ! fakesink',
    # the application keeps every 20th buffer to the end (see KEEP_EVERY)
    'audiotestsrc num-buffers=2000 samplesperbuffer=256 ! queue ! '
    'fakesink name=keeper signal-handoffs=true sync=false',
    # a queue that holds a few hundred buffers before the sink takes them
    'audiotestsrc num-buffers=3000 samplesperbuffer=128 ! queue max-size-buffers=400 ! '
    'fakesink sync=false',
]


def run(description):
    pipeline = Gst.parse_launch(description)
    counts = {'ring': 0, 'system': 0}

    def count(pad, info):
        buffer = info.get_buffer()
        if buffer.n_memory() > 0:
            ring = buffer.peek_memory(0).is_type(RingalGst.MEMORY_TYPE)
            counts['ring' if ring else 'system'] += 1
        return Gst.PadProbeReturn.OK

    elements = []
    pipeline.iterate_elements().foreach(elements.append)
    for element in elements:
        pads = []
        element.iterate_src_pads().foreach(pads.append)
        for pad in pads:
            pad.add_probe(Gst.PadProbeType.BUFFER, count)

    kept = []
    keeper = pipeline.get_by_name('keeper')
    if keeper is not None:
        def keep(sink, buffer, pad):
            if buffer.offset % KEEP_EVERY == 0:
                kept.append(buffer.copy())  # a new reference, same memory
        keeper.connect('handoff', keep)

    pipeline.set_state(Gst.State.PLAYING)
    message = pipeline.get_bus().timed_pop_filtered(
        60 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if message is None or message.type == Gst.MessageType.ERROR:
        sys.exit('%s: did not reach EOS' % description)
    return counts


def main():
    Gst.init(None)
    RingalGst.init()
    Gst.Allocator.set_default(Gst.Allocator.find(RingalGst.ALLOCATOR_NAME))
    for description in PIPELINES:
        counts = run(description)
        total = counts['ring'] + counts['system']
        print('%5.1f %% ring memory (%d of %d buffers): %s'
              % (100.0 * counts['ring'] / max(total, 1), counts['ring'], total, description))


if __name__ == '__main__':
    main()
