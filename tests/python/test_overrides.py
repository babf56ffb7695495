#!/usr/bin/python3
# test_overrides.py: gi.overrides.Ringal, the Pythonic side of the bindings
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# memoryview(buffer) and Ringal.view(bytes) without a copy, write() and copy()
# from anything with the buffer protocol, with blocks that release,
# release() and its misuse, len/bytes/repr, and help().  Under the ASan run
# a view that outlived its buffer reads poisoned memory if the region went
# back to the ring: the views here must keep it.

import array
import ctypes
import inspect
import pydoc
import unittest

import gi

gi.require_version('Ringal', '1.0')

from gi.repository import GLib, Ringal  # noqa: E402


def pattern(length, seed=0):
    return bytes((i * 131 + seed * 29 + (i >> 8) + 7) & 0xff for i in range(length))


def address_of(view):
    """Where a writable view's bytes are."""
    window = (ctypes.c_char * len(view)).from_buffer(view)
    try:
        return ctypes.addressof(window)
    finally:
        del window


_checker = None


def read_checked(view):
    """The view's bytes, copied by memcpy in the _ringal module: under the
    ASan run that code is instrumented (CPython is not), so a view of
    memory given back to the ring is a use-after-poison report, not a read
    that happens to see the old bytes."""
    global _checker
    if _checker is None:
        _checker = Ringal.Allocator.new(1 << 20)
    return _checker.copy(view).get_data()


def churn(allocator, rounds=200, size=100):
    """Allocates and releases round the ring, overwriting every region that
    has gone back to it, until it comes to one still held (FULL)."""
    for i in range(rounds):
        try:
            buffer = allocator.fixed(size)
        except GLib.Error as error:
            if error.matches(Ringal.error_quark(), Ringal.Error.FULL):
                return
            raise
        with buffer:
            buffer.write(b'\xee' * size)


class OverrideTestCase(unittest.TestCase):

    def assertRingalError(self, code):
        test = self

        class Checker:
            def __enter__(self):
                return self

            def __exit__(self, exc_type, exc, tb):
                test.assertIsNotNone(exc, 'no GLib.Error raised, expected code %d' % code)
                test.assertIsInstance(exc, GLib.Error)
                test.assertTrue(exc.matches(Ringal.error_quark(), code),
                                'expected code %d, got %s:%d %s'
                                % (code, exc.domain, exc.code, exc.message))
                return True

        return Checker()


class OverridesLoadedTests(OverrideTestCase):

    def test_the_overrides_are_ours_and_found(self):
        self.assertEqual(Ringal.Buffer.__module__, 'gi.overrides.Ringal')
        self.assertEqual(Ringal.Allocator.__module__, 'gi.overrides.Ringal')
        buffer = Ringal.Allocator.new(4096).fixed(8)
        self.assertIsInstance(buffer, Ringal.Buffer)
        self.assertEqual(type(buffer).__module__, 'gi.overrides.Ringal')


class MemoryviewTests(OverrideTestCase):

    def test_a_view_is_the_buffer_in_place(self):
        allocator = Ringal.Allocator.new(4096)
        buffer = allocator.fixed(100)
        buffer.write(pattern(100))
        with memoryview(buffer) as view, memoryview(buffer) as again:
            self.assertFalse(view.readonly)
            self.assertEqual(view.tobytes(), pattern(100))
            self.assertEqual(address_of(view), address_of(again))
            view[0:4] = b'ABCD'
        self.assertEqual(buffer.get_data(), b'ABCD' + pattern(100)[4:])
        frozen = buffer.freeze()
        self.assertEqual(frozen.get_data(), b'ABCD' + pattern(100)[4:])

    def test_a_view_of_a_frozen_buffer_or_bytes_is_read_only_and_in_place(self):
        allocator = Ringal.Allocator.new(4096)
        buffer = allocator.fixed(64)
        buffer.write(pattern(64, 1))
        with memoryview(buffer) as writable:
            before = address_of(writable)
        frozen = buffer.freeze()
        for view in (memoryview(buffer), Ringal.view(buffer), Ringal.view(frozen)):
            with view:
                self.assertTrue(view.readonly)
                self.assertEqual(view.tobytes(), pattern(64, 1))
                with self.assertRaises(TypeError):
                    view[0] = 0
                # same bytes, no copy: a read-only view has no address for
                # ctypes, but its first byte follows the writable one's
                self.assertEqual(ctypes.string_at(before, 64), view.tobytes())
        copied = allocator.copy(pattern(10, 2))
        with Ringal.view(copied) as view:
            self.assertEqual(view.tobytes(), pattern(10, 2))
        with self.assertRaises(TypeError):
            Ringal.view(b'not ring memory')

    def test_a_view_keeps_its_memory_after_the_buffer_is_gone(self):
        allocator = Ringal.Allocator.new(4096)
        buffer = allocator.fixed(300)
        buffer.write(pattern(300, 3))
        view = memoryview(buffer)
        del buffer
        churn(allocator)
        self.assertEqual(read_checked(view), pattern(300, 3))
        view.release()
        churn(allocator)

    def test_a_view_of_bytes_keeps_them_after_the_bytes_are_gone(self):
        allocator = Ringal.Allocator.new(4096)
        frozen = allocator.copy(pattern(300, 4))
        view = Ringal.view(frozen)
        del frozen
        churn(allocator)
        self.assertEqual(read_checked(view), pattern(300, 4))

    def test_release_while_viewed_is_an_error_that_keeps_the_memory(self):
        allocator = Ringal.Allocator.new(4096)
        buffer = allocator.fixed(100)
        buffer.write(pattern(100, 5))
        view = memoryview(buffer)
        with self.assertRaisesRegex(BufferError, 'memoryview'):
            buffer.release()
        self.assertFalse(buffer.is_closed())
        churn(allocator)
        self.assertEqual(read_checked(view), pattern(100, 5))
        view.release()
        buffer.release()
        self.assertTrue(buffer.is_closed())

    def test_a_view_after_release_is_an_error(self):
        buffer = Ringal.Allocator.new(4096).fixed(10)
        buffer.release()
        with self.assertRaisesRegex(BufferError, 'released'):
            memoryview(buffer)

    def test_an_extendable_buffer_does_not_grow_under_a_view(self):
        allocator = Ringal.Allocator.new(4096)
        buffer = allocator.extendable(16)
        buffer.write(pattern(10, 6))
        with memoryview(buffer) as view:
            with self.assertRaisesRegex(BufferError, 'move'):
                buffer.write(pattern(3000))
            self.assertEqual(view.tobytes(), pattern(10, 6))
        self.assertEqual(buffer.write(pattern(3000)), 3000)
        self.assertEqual(buffer.get_data(), pattern(10, 6) + pattern(3000))

    def test_freezing_under_a_writable_view_is_an_error(self):
        buffer = Ringal.Allocator.new(4096).fixed(10)
        with memoryview(buffer):
            with self.assertRaises(BufferError):
                buffer.freeze()
        self.assertEqual(buffer.freeze().get_data(), b'')


class BufferProtocolInputTests(OverrideTestCase):

    def inputs(self, data):
        return {
            'bytes': data,
            'bytearray': bytearray(data),
            'memoryview': memoryview(data),
            'memoryview of a bytearray slice': memoryview(bytearray(b'xx' + data))[2:],
            'array.array B': array.array('B', data),
        }

    def test_write_takes_anything_with_the_buffer_protocol(self):
        allocator = Ringal.Allocator.new(1 << 20)
        for size in (0, 1, 64, 4096, 65536):
            data = pattern(size, size)
            for name, value in self.inputs(data).items():
                with self.subTest(size=size, input=name), allocator.fixed(size) as buffer:
                    self.assertEqual(buffer.write(value), size)
                    self.assertEqual(bytes(buffer), data)

    def test_copy_takes_anything_with_the_buffer_protocol(self):
        allocator = Ringal.Allocator.new(1 << 20)
        for size in (0, 1, 64, 4096, 65536):
            data = pattern(size, size + 1)
            for name, value in self.inputs(data).items():
                with self.subTest(size=size, input=name):
                    frozen = allocator.copy(value)
                    self.assertIsInstance(frozen, GLib.Bytes)
                    self.assertEqual(frozen.get_data(), data)

    def test_wider_items_are_copied_as_their_bytes(self):
        allocator = Ringal.Allocator.new(4096)
        numbers = array.array('i', [1, -2, 3])
        self.assertEqual(allocator.copy(numbers).get_data(), numbers.tobytes())
        with allocator.fixed(12) as buffer:
            self.assertEqual(buffer.write(numbers), 12)
            self.assertEqual(bytes(buffer), numbers.tobytes())

    def test_what_is_not_bytes_like_is_a_clear_error(self):
        allocator = Ringal.Allocator.new(4096)
        with allocator.fixed(16) as buffer:
            for value in ('text', 3, None, [1, 2]):
                with self.subTest(value=value):
                    with self.assertRaisesRegex(TypeError, 'bytes-like'):
                        buffer.write(value)
                    with self.assertRaisesRegex(TypeError, 'bytes-like'):
                        allocator.copy(value)
            strided = memoryview(bytearray(8))[::2]
            with self.assertRaises(BufferError):
                buffer.write(strided)
            self.assertEqual(len(buffer), 0)

    def test_errors_of_the_library_are_glib_errors(self):
        allocator = Ringal.Allocator.new(4096)
        with self.assertRingalError(Ringal.Error.TOO_LARGE):
            allocator.copy(bytearray(8192))
        with allocator.fixed(4) as buffer:
            buffer.freeze()
            with self.assertRingalError(Ringal.Error.FROZEN):
                buffer.write(bytearray(b'x'))


class ReleaseTests(OverrideTestCase):

    def test_a_released_buffer_is_closed_and_says_so(self):
        allocator = Ringal.Allocator.new(4096)
        buffer = allocator.fixed(100)
        buffer.write(pattern(100))
        buffer.release()
        self.assertTrue(buffer.is_closed())
        self.assertEqual((len(buffer), buffer.get_capacity(), buffer.get_data(), bytes(buffer)),
                         (0, 0, b'', b''))
        self.assertIn('released', repr(buffer))
        with self.assertRingalError(Ringal.Error.CLOSED):
            buffer.write(b'x')
        with self.assertRingalError(Ringal.Error.CLOSED):
            buffer.write(bytearray(b'x'))
        with self.assertRingalError(Ringal.Error.CLOSED):
            buffer.finalize()
        self.assertEqual(buffer.freeze().get_data(), b'')
        buffer.release()  # twice: harmless
        self.assertTrue(buffer.is_closed())

    def test_a_small_ring_serves_any_number_of_released_buffers_still_referenced(self):
        allocator = Ringal.Allocator.new(4096)
        kept = []
        for i in range(10000):
            buffer = allocator.fixed(100)
            buffer.write(pattern(100, i & 0xff))
            buffer.release()
            kept.append(buffer)
        # Left in the ring: the first buffer's handle, allocated before any
        # release, which shares its region (cut down to the handle).
        stats = allocator.get_stats()
        self.assertLessEqual(stats.n_regions, 1)
        self.assertLessEqual(stats.bytes_in_use, 64)

    def test_unref_is_not_for_python(self):
        buffer = Ringal.Allocator.new(4096).fixed(8)
        for method in (buffer.unref, buffer.ref):
            with self.assertRaisesRegex(TypeError, 'release'):
                method()
        self.assertFalse(buffer.is_closed())


class WithBlockTests(OverrideTestCase):

    def test_a_with_block_releases_its_buffer(self):
        allocator = Ringal.Allocator.new(4096)
        with allocator.fixed(100) as first:
            first.write(pattern(100))
        self.assertTrue(first.is_closed())
        # the first handle shares its region: its data is cut off when the
        # allocator next looks for room, the handle goes with the wrapper
        with allocator.fixed(3900) as buffer:  # fits only once the first is cut
            buffer.write(pattern(3900))
            self.assertEqual(allocator.get_stats().n_regions, 2)
        self.assertTrue(buffer.is_closed())
        self.assertEqual(allocator.get_stats().n_regions, 1)
        del first
        self.assertEqual(allocator.get_stats().n_regions, 0)

    def test_bytes_frozen_inside_the_block_keep_their_bytes(self):
        allocator = Ringal.Allocator.new(4096)
        with allocator.extendable(16) as message:
            message.write(pattern(2000, 7))
            frame = message.freeze()
        self.assertTrue(message.is_closed())
        churn(allocator, size=50)
        self.assertEqual(frame.get_data(), pattern(2000, 7))
        with Ringal.view(frame) as view:
            self.assertEqual(read_checked(view), pattern(2000, 7))
        # the bytes and the closed handle hold the region; both gone, it is back
        del frame
        del message
        self.assertEqual(allocator.get_stats().n_regions, 0)

    def test_a_with_block_around_a_frozen_buffer(self):
        allocator = Ringal.Allocator.new(4096)
        buffer = allocator.fixed(30)
        buffer.write(pattern(30, 8))
        frozen = buffer.freeze()
        with buffer:
            self.assertTrue(buffer.is_frozen())
        self.assertTrue(buffer.is_closed())
        churn(allocator)
        self.assertEqual(frozen.get_data(), pattern(30, 8))

    def test_an_exception_kept_after_the_block_does_not_keep_the_allocator_busy(self):
        allocator = Ringal.Allocator.new(4096)
        kept = None
        try:
            with allocator.extendable(16) as message:
                message.write(pattern(500))
                raise ValueError('a parse error, to log later')
        except ValueError as error:
            kept = error  # its traceback holds the frame, and the buffer
        self.assertIsNotNone(kept.__traceback__)
        with allocator.fixed(100) as other:
            self.assertEqual(other.write(pattern(100)), 100)

    def test_a_view_still_open_at_the_end_of_the_block_is_an_error(self):
        allocator = Ringal.Allocator.new(4096)
        with self.assertRaises(BufferError):
            with allocator.fixed(10) as buffer:
                view = memoryview(buffer)
        self.assertFalse(buffer.is_closed())
        view.release()
        buffer.release()


class PythonicTests(OverrideTestCase):

    def test_len_bytes_and_repr(self):
        allocator = Ringal.Allocator.new(4096)
        buffer = allocator.extendable(16)
        buffer.write(pattern(20))
        self.assertEqual(len(buffer), 20)
        self.assertEqual(bytes(buffer), pattern(20))
        self.assertRegex(repr(buffer), r'<Ringal.Buffer extendable len=20 capacity=\d+ at 0x')
        fixed = buffer.finalize()
        self.assertRegex(repr(fixed), r'<Ringal.Buffer fixed len=20 capacity=\d+ at 0x')
        fixed.freeze()
        self.assertIn('frozen', repr(fixed))
        self.assertIn('capacity=4096', repr(allocator))

    def test_stats_have_a_readable_repr(self):
        allocator = Ringal.Allocator.new(4096)
        with allocator.fixed(10):
            text = repr(allocator.get_stats())
        self.assertTrue(text.startswith('Ringal.Stats('), text)
        for field in ('capacity=4096', 'bytes_in_use=', 'n_regions=1', 'n_allocations=1', 'n_held='):
            self.assertIn(field, text)

    def test_help_shows_signatures_and_return_types(self):
        signature = inspect.signature(Ringal.Allocator.copy)
        self.assertEqual(list(signature.parameters), ['self', 'data'])
        self.assertEqual(signature.return_annotation, GLib.Bytes)
        self.assertEqual(inspect.signature(Ringal.Buffer.get_data).return_annotation, bytes)
        self.assertEqual(inspect.signature(Ringal.Buffer.write).return_annotation, int)
        text = pydoc.render_doc(Ringal.Buffer, renderer=pydoc.plaintext)
        self.assertIn('write(self, data:', text)
        self.assertIn('release(self) -> None', text)
        self.assertNotIn('get_data = gi.FunctionInfo', text)
        self.assertIn('fixed(self, size: int)', pydoc.render_doc(Ringal.Allocator, renderer=pydoc.plaintext))


if __name__ == '__main__':
    unittest.main(verbosity=2)
