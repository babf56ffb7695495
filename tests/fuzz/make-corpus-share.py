#!/usr/bin/python3
# make-corpus-share.py: writes the seed corpus of fuzz-share.c.  Run from
# this directory; the output is committed under corpus-share/.
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import struct

# ringal-share-private.h
HELLO, BYTES = 0x4f4c4852, 0x53594252
STORE = 16 * 1024  # fuzz-share.c: STORE_SIZE

# fuzz-share.c: the sender's operations
SEND, RELEASE, RELEASE_ANY, SET_WRITTEN, DRAIN = range(5)


def message(kind, version, offset, length):
    return struct.pack('<IIQQ', kind, version, offset, length)


def write(name, data):
    with open(os.path.join('corpus-share', name), 'wb') as f:
        f.write(bytes(data))


os.makedirs('corpus-share', exist_ok=True)

good = b''.join(message(BYTES, 0, (i * 392) % STORE, 100 + i) for i in range(30))
write('receiver-good', bytes([0, 1]) + good)
write('receiver-held', bytes([0, 3]) + good)
write('receiver-no-hello', bytes([0, 0]) + message(BYTES, 0, 0, 16))
write('receiver-garbage', bytes([0, 1]) + bytes(range(7, 250, 3)))
write('receiver-past-end', bytes([0, 3]) + good[:48] + message(BYTES, 0, STORE - 8, 9))
write('receiver-overflow', bytes([0, 1]) + message(BYTES, 0, 8, (1 << 64) - 4))
write('receiver-truncated', bytes([0, 1]) + good[:34])
write('receiver-second-hello', bytes([0, 1]) + good[:24] + message(HELLO, 1, STORE, 64))
write('receiver-too-many', bytes([0, 3]) + message(BYTES, 0, 64, 8) * 70)
write('receiver-wake-at', bytes([0, 5, 20]) + good)
write('receiver-wake-late', bytes([0, 7, 200]) + good)

window = [1]
for i in range(80):
    window += [SEND, i % 40, RELEASE, 0, DRAIN]
write('sender-window', window)
write('sender-fill', [1] + [SEND, 60] * 30 + [DRAIN] + [RELEASE, 0] * 30 + [DRAIN])
write('sender-never-sent', [1, SEND, 10, RELEASE_ANY] + list(struct.pack('<Q', 8)) + [DRAIN])
write('sender-twice', [1, SEND, 10, SEND, 3, RELEASE, 0, DRAIN, RELEASE, 0, DRAIN])
write('sender-liar', [1, SEND, 5, SET_WRITTEN] + list(struct.pack('<Q', 1 << 40)) + [DRAIN])
write('sender-full-after-releases', [1] + [SEND, 10, RELEASE, 0, DRAIN] * 5 + [SEND, 200] * 6 + [DRAIN])
write('sender-wrap', [1] + [SEND, 1, RELEASE, 0] * 600 + [DRAIN])
