# Ringal.py: what PyGObject cannot generate for the Ringal namespace
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# memoryview(buffer) without a copy, write() and copy() from any object with
# the buffer protocol with one copy, with blocks that release, len(),
# bytes(), readable reprs, and signatures that help() can show.

from gi.repository import GLib

from ..module import get_introspection_module
from ..overrides import override
from . import _ringal

Ringal = get_introspection_module('Ringal')

__all__ = []

_BytesLike = 'bytes | bytearray | memoryview | array.array'


def view(data: 'GLib.Bytes | Buffer') -> memoryview:
    """A memoryview of ring memory, without a copy.

    For a GLib.Bytes (frozen from a buffer, or from Allocator.copy()) the view
    is read-only; for a Buffer it is memoryview(buffer).  The view keeps the
    memory alive until it is released (view.release(), a with block, or its
    last reference).
    """
    if isinstance(data, Ringal.Buffer):
        return memoryview(data)
    return _ringal.view_bytes(data)


__all__.append('view')


class Allocator(Ringal.Allocator):
    """A ring allocator for short-lived buffers.

    with allocator.fixed(64) as buffer:
        buffer.write(header)
        frame = buffer.freeze()   # GLib.Bytes in ring memory, kept
    # the buffer is released here; frame keeps its bytes
    """

    def fixed(self, size: int) -> 'Buffer':
        """A buffer of at least size bytes.  Use it in a with block, or call
        release() when done, to give the memory back at once."""
        return super().fixed(size)

    def extendable(self, size: int) -> 'Buffer':
        """A buffer that grows as it is written to.  Until it is finalized,
        frozen or released, the allocator serves nothing else."""
        return super().extendable(size)

    def copy(self, data: _BytesLike) -> GLib.Bytes:
        """The bytes of data, copied once into ring memory and frozen.  Takes
        any object with the buffer protocol."""
        return _ringal.copy(self, data)

    def get_stats(self) -> 'Stats':
        """A snapshot of the allocator: bytes and regions in use, counters."""
        return super().get_stats()

    def get_capacity(self) -> int:
        """The size of the store in bytes."""
        return super().get_capacity()

    def get_max_size(self) -> int:
        """The largest buffer the allocator can ever hand out, in bytes."""
        return super().get_max_size()

    def __repr__(self):
        return '<Ringal.Allocator capacity=%d%s at 0x%x>' % (
            self.get_capacity(), ' shared' if self.is_shared() else '', id(self))


Allocator = override(Allocator)
__all__.append('Allocator')


class Buffer(Ringal.Buffer, _ringal.BufferExporter):
    """A byte buffer in ring memory.

    memoryview(buffer) views the written bytes in place (writable until the
    buffer is frozen); len(buffer) and bytes(buffer) work as for bytes.  In a
    with block the buffer is released at the end, also on an exception.
    """

    def write(self, data: _BytesLike) -> int:
        """Appends data (any object with the buffer protocol), copied once.
        Returns how many bytes were written: a fixed buffer takes what fits.
        Raises GLib.Error (Ringal.Error.CLOSED once released, FROZEN once
        frozen, FULL or TOO_LARGE when an extendable buffer cannot grow), or
        BufferError when an extendable buffer that may move has views."""
        return _ringal.write(self, data)

    def get_data(self) -> bytes:
        """A copy of the written bytes; memoryview(buffer) gives them
        without one.  A released buffer has none."""
        if self.is_closed():
            return b''
        return bytes(memoryview(self))

    def get_len(self) -> int:
        """How many bytes have been written."""
        return super().get_len()

    def get_capacity(self) -> int:
        """How many bytes the buffer can hold now."""
        return super().get_capacity()

    def get_spare(self) -> int:
        """How many more bytes fit without growing."""
        return super().get_spare()

    def is_extendable(self) -> bool:
        """Whether this is an open extendable buffer."""
        return super().is_extendable()

    def is_frozen(self) -> bool:
        """Whether the buffer takes no more writes (frozen or released)."""
        return super().is_frozen()

    def is_closed(self) -> bool:
        """Whether the buffer has been released."""
        return super().is_closed()

    def finalize(self) -> 'Buffer':
        """Closes an extendable buffer: the capacity it did not use goes back,
        and the allocator serves others again.  Returns the buffer."""
        return super().finalize()

    def freeze(self) -> GLib.Bytes:
        """The written bytes as a read-only GLib.Bytes in ring memory, without
        a copy; the buffer takes no more writes.  The bytes outlive a
        release() of the buffer."""
        if _ringal.exports(self) and not self.is_frozen():
            raise BufferError('a buffer cannot be frozen while a writable memoryview '
                              'of it exists: release the view first')
        return super().freeze()

    def release(self) -> None:
        """Gives the buffer's memory back to the ring now.  The buffer stays a
        valid, closed object: no data, writes raise Ringal.Error.CLOSED.
        GLib.Bytes frozen from it keep their bytes.  Releasing twice is
        harmless; releasing while a memoryview of it exists is a BufferError."""
        _ringal.release(self)

    def unref(self):
        raise TypeError('Python counts the references of a Ringal.Buffer itself: '
                        'use release() or a with block to give its memory back now')

    ref = unref

    def __enter__(self) -> 'Buffer':
        return self

    def __exit__(self, exc_type, exc_value, traceback) -> bool:
        self.release()
        return False

    def __len__(self) -> int:
        return self.get_len()

    def __bytes__(self) -> bytes:
        return self.get_data()

    def __repr__(self):
        if self.is_closed():
            state = 'released'
        elif self.is_extendable():
            state = 'extendable'
        elif self.is_frozen():
            state = 'frozen'
        else:
            state = 'fixed'
        return '<Ringal.Buffer %s len=%d capacity=%d at 0x%x>' % (
            state, self.get_len(), self.get_capacity(), id(self))


Buffer = override(Buffer)
__all__.append('Buffer')


class Stats(Ringal.Stats):
    """A snapshot of an allocator, from Allocator.get_stats()."""

    def __repr__(self):
        # every field the typelib lists, in order: new ones show up too
        names = [field.get_name() for field in Ringal.Stats.__info__.get_fields()]
        return 'Ringal.Stats(%s)' % ', '.join(
            '%s=%d' % (name, getattr(self, name)) for name in names)


Stats = override(Stats)
__all__.append('Stats')
