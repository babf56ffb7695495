#!/usr/bin/python3
# share-consumer.py: checks the frames a producer in another process sends
# through a shareable ring (examples/c/share-producer.c starts it).
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The socket is the fd named by RINGAL_SHARE_FD.  Each frame arrives as a
# GLib.Bytes over a read-only mapping of the producer's ring; dropping it
# gives the region back to the producer, with no message.

import os
import struct
import sys

import gi

gi.require_version('Gio', '2.0')
gi.require_version('Ringal', '1.0')
from gi.repository import Gio, Ringal  # noqa: E402

MAGIC = 0x52474C31
HEADER = struct.Struct('<III')


def checksum(data):
    h = 2166136261
    for byte in data:
        h = ((h ^ byte) * 16777619) & 0xffffffff
    return h


def main():
    fd = int(os.environ['RINGAL_SHARE_FD'])
    connection = Gio.Socket.new_from_fd(fd).connection_factory_create_connection()
    receiver = Ringal.Receiver.new(connection)
    frames = size = bad = 0
    while (frame := receiver.receive_bytes(None)) is not None:
        data = frame.get_data()
        del frame  # the region goes back to the producer now
        magic, sequence, length = HEADER.unpack_from(data)
        payload = data[HEADER.size:HEADER.size + length]
        (summed,) = struct.unpack_from('<I', data, HEADER.size + length)
        if (magic != MAGIC or sequence != frames or len(data) != HEADER.size + length + 4
                or summed != checksum(payload)):
            bad += 1
        frames += 1
        size += len(data)
    print('  frames checked    %d (%d bytes) by a Python consumer, %d bad' % (frames, size, bad),
          flush=True)
    return 0 if bad == 0 and frames > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
