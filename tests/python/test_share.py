#!/usr/bin/python3
# test_share.py: a ring shared between two Python processes, through
# Ringal.Sender and Ringal.Receiver
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The script is also the other process: `--child MODE FD N` runs it on the
# socket FD.

import hashlib
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import unittest

import gi

gi.require_version('GLib', '2.0')
gi.require_version('Gio', '2.0')
gi.require_version('Ringal', '1.0')
from gi.repository import Gio, GLib, Ringal  # noqa: E402


def connection(fd):
    return Gio.Socket.new_from_fd(fd).connection_factory_create_connection()


def record(seq, size):
    body = bytes((seq * 131 + i * 7) & 0xff for i in range(size))
    return struct.pack('<II', seq, size) + body


def check_record(data, seq):
    got_seq, size = struct.unpack_from('<II', data)
    if got_seq != seq or size != len(data) - 8 or data != record(seq, size):
        raise AssertionError('record %d is not what was sent' % seq)


def child_receive(conn, hold):
    receiver = Ringal.Receiver.new(conn)
    digest = hashlib.sha256()
    held = []
    seq = 0
    while True:
        frame = receiver.receive_bytes(None)
        if frame is None:
            break
        data = frame.get_data()
        check_record(data, seq)
        digest.update(data)
        seq += 1
        if seq <= hold:
            held.append(frame)
            if seq == hold:
                print('holding %d' % hold, flush=True)
                if os.environ.get('RINGAL_TEST_HOLD_FOREVER'):
                    signal.pause()
                time.sleep(0.2)
                held.clear()
        del frame
    print('received %d %s' % (seq, digest.hexdigest()), flush=True)


def child_send(conn, n):
    allocator = Ringal.Allocator.new_shareable(1 << 20)
    sender = Ringal.Sender.new(allocator, conn)
    for seq in range(n):
        sender.send_bytes(allocator.copy(record(seq, 40 + seq % 300)), None)
    print('sent %d' % n, flush=True)
    os._exit(0)


class TwoProcesses(unittest.TestCase):
    def spawn(self, mode, count, env=None):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        child = subprocess.Popen(
            [sys.executable, __file__, '--child', mode, str(theirs.fileno()), str(count)],
            pass_fds=(theirs.fileno(),), stdout=subprocess.PIPE, text=True,
            env=dict(os.environ, **(env or {})))
        theirs.close()
        self.addCleanup(child.stdout.close)
        self.addCleanup(lambda: child.poll() is None and child.kill())
        return child, connection(ours.detach())

    def in_use(self, allocator):
        return allocator.get_stats().bytes_in_use

    def wait_all_back(self, allocator):
        deadline = time.monotonic() + 10
        while self.in_use(allocator) > 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertEqual(self.in_use(allocator), 0)

    def test_python_to_python(self):
        # 64 KiB of ring for 4 MiB of records: only releases make room.
        allocator = Ringal.Allocator.new_shareable(64 * 1024)
        child, conn = self.spawn('receive', 10)
        sender = Ringal.Sender.new(allocator, conn)
        digest = hashlib.sha256()
        total = 0
        seq = 0
        while total < 4 * 1024 * 1024:
            data = record(seq, (seq * 977) % 3000)
            buffer = allocator.fixed_wait(len(data), 20 * 1000 * 1000, None)
            buffer.write(data)
            sender.send_bytes(buffer.freeze(), None)
            digest.update(data)
            total += len(data)
            seq += 1
        del buffer, sender
        self.assertEqual(child.stdout.readline(), 'holding 10\n')
        self.assertEqual(child.stdout.readline(), 'received %d %s\n' % (seq, digest.hexdigest()))
        self.assertEqual(child.wait(), 0)
        self.wait_all_back(allocator)

    def test_killed_receiver(self):
        allocator = Ringal.Allocator.new_shareable(64 * 1024)
        child, conn = self.spawn('receive', 20, {'RINGAL_TEST_HOLD_FOREVER': '1'})
        sender = Ringal.Sender.new(allocator, conn)
        for seq in range(20):
            sender.send_bytes(allocator.copy(record(seq, 1000)), None)
        self.assertEqual(child.stdout.readline(), 'holding 20\n')
        self.assertEqual(sender.get_n_held(), 20)
        self.assertGreater(self.in_use(allocator), 20 * 1000)
        child.send_signal(signal.SIGKILL)
        self.assertEqual(child.wait(), -signal.SIGKILL)
        self.wait_all_back(allocator)
        with self.assertRaises(GLib.Error) as caught:
            sender.send_bytes(allocator.copy(b'x'), None)
        self.assertTrue(caught.exception.matches(Gio.io_error_quark(),
                                                 Gio.IOErrorEnum.CONNECTION_CLOSED))

    def test_receive_from_python(self):
        child, conn = self.spawn('send', 500)
        receiver = Ringal.Receiver.new(conn)
        frames = []
        while (frame := receiver.receive_bytes(None)) is not None:
            frames.append(frame)
        self.assertEqual(child.stdout.readline(), 'sent 500\n')
        self.assertEqual(child.wait(), 0)
        # The sender has gone; its bytes have not.
        for seq, frame in enumerate(frames):
            check_record(frame.get_data(), seq)
        self.assertEqual(len(frames), 500)

    def test_shareable_property(self):
        allocator = Ringal.Allocator(capacity=100, shareable=True)
        self.assertTrue(allocator.is_shareable())
        self.assertTrue(allocator.props.shareable)
        self.assertEqual(allocator.props.capacity, os.sysconf('SC_PAGESIZE'))
        self.assertFalse(Ringal.Allocator.new(4096).is_shareable())

    def test_not_ring_bytes(self):
        allocator = Ringal.Allocator.new_shareable(4096)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        sender = Ringal.Sender.new(allocator, connection(ours.detach()))
        with self.assertRaises(GLib.Error) as caught:
            sender.send_bytes(GLib.Bytes.new(b'not in the ring'), None)
        self.assertTrue(caught.exception.matches(Ringal.error_quark(),
                                                 Ringal.Error.INVALID_ARGUMENT))
        theirs.close()


if __name__ == '__main__':
    if len(sys.argv) == 5 and sys.argv[1] == '--child':
        mode, fd, count = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        if mode == 'send':
            child_send(connection(fd), count)
        else:
            child_receive(connection(fd), count)
        sys.exit(0)
    unittest.main(verbosity=2)
