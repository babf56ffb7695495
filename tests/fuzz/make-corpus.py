#!/usr/bin/python3
# make-corpus.py: writes the seed corpus of fuzz-ring.c, the seed's own test
# workloads spelled in its byte-code.  Run from this directory; the output
# is committed under corpus/.
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import os

# operation bytes (fuzz-ring.c: LLVMFuzzerTestOneInput's switch)
FIXED, EXT, WRITE, FINALIZE, FREEZE, CLONE, RELEASE, ARRAY, ARRAY_CHANGE, RAW, RELEASE_ALL, \
    RELEASE_BUFFER = 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
# size indexes (fuzz-ring.c: sizes[]); past the table: max - 1, max, max + 1
S = {0: 0, 1: 1, 8: 3, 64: 10, 100: 12, 255: 13, 256: 14, 1000: 16, 4000: 18,
     'maxsize': 19, 'max-1': 22, 'max': 23, 'max+1': 24}


def write(name, capacity_shift, ops):
    with open(os.path.join('corpus', name), 'wb') as f:
        f.write(bytes([capacity_shift] + ops))


# exhaust and recover: fixed buffers until full, release all, again
write('exhaust-recover', 4, [FIXED, S[256]] * 20 + [RELEASE_ALL] + [FIXED, S[256]] * 20)
# sliding window of fixed buffers
window = []
for i in range(200):
    window += [FIXED, [S[1], S[8], S[64], S[100], S[255]][i % 5], WRITE, 0, i % 10, RELEASE, 0]
write('sliding-window', 3, window)
# extendable buffers written in pieces and finalized, in a window
ext = []
for i in range(100):
    ext += [EXT, S[8], WRITE, 255, 2 + i % 5, WRITE, 255, 3 + i % 4, FINALIZE, 255]
    if i % 3 == 2:
        ext += [RELEASE, 0]
write('extendable-window', 4, ext)
# growth across the end of the store
write('wrap-growth', 2, [FIXED, S[1000], RELEASE, 0, EXT, S[8]] + [WRITE, 0, 7] * 6 + [FINALIZE, 0])
# frozen bytes and clones released in any order
frozen = []
for i in range(60):
    frozen += [FIXED, S[100], WRITE, 0, 6, FREEZE, 0, i % 2, CLONE, 0, RELEASE, i % 7]
write('freeze-clones', 3, frozen)
# arrays of several element sizes and alignments, filled, emptied
arrays = []
for element, align in ((0, 1), (2, 2), (3, 3), (4, 4), (5, 5), (1, 6), (0, 7)):
    arrays += [ARRAY, element, align, 3, ARRAY_CHANGE, 0, 0, 0, 2, ARRAY_CHANGE, 0, 0, 0, 1,
               ARRAY_CHANGE, 0, 1, 0, ARRAY_CHANGE, 0, 2]
write('arrays', 5, arrays + [RELEASE_ALL])
# raw blocks, and the largest sizes
write('raw-and-limits', 3, [RAW, S[64], RAW, S[1], RAW, S['max'], RELEASE, 0, RAW, S['max+1'],
                            FIXED, S['max'], FIXED, S['max+1'], FIXED, S['maxsize'], RELEASE_ALL,
                            EXT, S['max-1'], RELEASE_ALL])
# one buffer held from the start while a FIFO window goes round and round:
# the walk must step over it, and extendable buffers must grow past it
held = [FIXED, S[100], WRITE, 0, 6, FIXED, S[64]]
for i in range(150):
    held += [FIXED, [S[1], S[64], S[100], S[255], S[256]][i % 5], RELEASE, 1]
    if i % 10 == 9:
        held += [EXT, S[8], WRITE, 2, 8, WRITE, 2, 9, FINALIZE, 2, RELEASE, 1]
write('held-window', 3, held + [RELEASE_ALL])
# buffers given back with ringal_buffer_release() while their handles live
# on: handles kept apart from then on, regions cut to the handle, frozen
# bytes that outlive the release, an open extendable buffer released
released = []
for i in range(80):
    released += [FIXED, [S[64], S[100], S[255]][i % 3], WRITE, 0, 5, RELEASE_BUFFER, 0, i % 2]
    if i % 5 == 0:
        released += [FIXED, S[100], WRITE, 0, 6, FREEZE, 0, 0, RELEASE_BUFFER, 0, 0]
    if i % 7 == 0:
        released += [EXT, S[8], WRITE, 0, 7, RELEASE_BUFFER, 0, 1, WRITE, 0, 3]
    if i % 4 == 3:
        released += [RELEASE, 0, RELEASE, 0]
write('released-buffers', 3, released + [RELEASE_ALL])
