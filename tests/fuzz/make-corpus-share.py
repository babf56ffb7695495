#!/usr/bin/python3
# make-corpus-share.py: writes the seed corpus of fuzz-share.c.  Run from
# this directory; the output is committed under corpus-share/.
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import struct

# ringal-share-private.h
HELLO, VERSION, WAKE = 0x4f4c4852, 2, ord('W')
STORE = 16 * 1024  # fuzz-share.c: STORE_SIZE

# fuzz-share.c: what the sender by hand does after its HELLO
PUSH, PUSH_ANY, WRITE, SET_SENT = range(4)

# fuzz-share.c: the sender's operations
SEND, RELEASE, RELEASE_ANY, SET_WRITTEN, DRAIN = range(5)


def message(kind, version, offset, length):
    return struct.pack('<IIQQ', kind, version, offset, length)


def push(offset, length):
    return bytes([PUSH]) + struct.pack('<HH', offset, length)


def push_any(offset, length):
    return bytes([PUSH_ANY]) + struct.pack('<QQ', offset, length)


def write_socket(data):
    return bytes([WRITE, len(data)]) + bytes(data)


def write(name, data):
    with open(os.path.join('corpus-share', name), 'wb') as f:
        f.write(bytes(data))


os.makedirs('corpus-share', exist_ok=True)
for old in os.listdir('corpus-share'):
    os.remove(os.path.join('corpus-share', old))

good = b''.join(push((i * 392) % STORE, 100 + i) + write_socket([WAKE]) for i in range(30))
write('receiver-good', bytes([0, 1]) + good)
write('receiver-held', bytes([0, 3]) + good)
write('receiver-quiet', bytes([0, 1]) + b''.join(push(i * 8, 8) for i in range(40)))
write('receiver-no-hello', bytes([0, 0]) + message(0x53594252, 0, 0, 16))
write('receiver-garbage', bytes([0, 1]) + bytes(range(7, 250, 3)))
write('receiver-not-a-wake-up', bytes([0, 1]) + good[:20] + write_socket(b'W?W'))
write('receiver-past-end', bytes([0, 3]) + good[:20] + push(STORE - 8, 9))
write('receiver-overflow', bytes([0, 1]) + push_any(8, (1 << 64) - 4))
write('receiver-truncated', bytes([0, 0]) + message(HELLO, VERSION, STORE, 64)[:10])
write('receiver-second-hello', bytes([0, 1]) + good[:20] + write_socket(message(HELLO, VERSION, STORE, 64)[:7]))
write('receiver-too-many', bytes([0, 3]) + push(64, 8) * 70)
write('receiver-liar', bytes([0, 1]) + push(64, 8) + bytes([SET_SENT]) + struct.pack('<Q', 1 << 40))
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
