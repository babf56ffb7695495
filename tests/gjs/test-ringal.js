// test-ringal.js: a smoke test of the Ringal contract from GJS, printing TAP
//
// SPDX-FileCopyrightText: 2026 The ringal-glib authors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Run against the uninstalled build (meson sets the paths):
//
//   env LD_LIBRARY_PATH=$PWD/_build/ringal-glib \
//       GI_TYPELIB_PATH=$PWD/_build/ringal-glib \
//       gjs -m tests/gjs/test-ringal.js

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Ringal from 'gi://Ringal?version=1.0';
import System from 'system';

// A tiny TAP runner: Debian ships no test framework for GJS.

const tests = [];

function test(name, fn) {
    tests.push({name, fn});
}

class AssertionError extends Error {}

function assert(condition, message) {
    if (!condition)
        throw new AssertionError(message ?? 'assertion failed');
}

function assertEqual(actual, expected, what = 'value') {
    if (actual !== expected)
        throw new AssertionError(`${what}: expected ${expected}, got ${actual}`);
}

function assertBytesEqual(actual, expected, what = 'bytes') {
    // Never interpolate a Uint8Array: GJS 1.74 decodes it as UTF-8 text.
    assert(actual instanceof Uint8Array,
        `${what}: not a Uint8Array but ${Object.prototype.toString.call(actual)}`);
    assertEqual(actual.length, expected.length, `${what} length`);
    for (let i = 0; i < expected.length; i++) {
        if (actual[i] !== expected[i])
            throw new AssertionError(`${what} differ at offset ${i}: ${actual[i]} != ${expected[i]}`);
    }
}

// Runs fn, which must throw a GLib.Error of the Ringal domain with @code.
function assertRingalError(code, fn, what = 'call') {
    let error = null;
    try {
        fn();
    } catch (e) {
        error = e;
    }
    assert(error !== null, `${what}: no error thrown, expected Ringal.Error code ${code}`);
    assert(error instanceof GLib.Error, `${what}: threw a non-GLib error: ${error}`);
    assert(error.matches(Ringal.Error, code),
        `${what}: expected Ringal.Error code ${code}, ` +
        `got ${error.domain}:${error.code} ${error.message}`);
}

// Bytes that differ from their neighbours and from other seeds, so a shifted
// or stale copy does not compare equal.
function pattern(length, seed = 0) {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++)
        bytes[i] = (i * 131 + seed * 29 + (i >> 8) + 7) & 0xff;
    return bytes;
}

function concat(...arrays) {
    const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
    let offset = 0;
    for (const a of arrays) {
        out.set(a, offset);
        offset += a.length;
    }
    return out;
}

// Fixed buffers of @size, each with its own pattern, until the ring is FULL.
// Returns the buffers and the error that stopped it.
function fillUntilFull(allocator, size) {
    const buffers = [];
    for (let seed = 0; seed < 10000; seed++) {
        let buffer;
        try {
            buffer = allocator.fixed(size);
        } catch (error) {
            return {buffers, error};
        }
        buffer.write(pattern(size, seed));
        buffers.push(buffer);
    }
    throw new AssertionError('the ring never filled up');
}

// The tests.

test('allocator capacity is rounded up to a power of two of at least 256', () => {
    for (const [asked, expected] of [[4096, 4096], [4097, 8192], [1, 256], [257, 512]]) {
        const allocator = Ringal.Allocator.new(asked);
        assertEqual(allocator.capacity, expected, `capacity for ${asked}`);
        assertEqual(allocator.get_capacity(), expected, `get_capacity() for ${asked}`);
    }
});

test('max-size property is a little less than the capacity', () => {
    const allocator = Ringal.Allocator.new(4096);
    const maxSize = allocator.max_size;
    assertEqual(allocator.get_max_size(), maxSize, 'get_max_size()');
    assertEqual(allocator.maxSize, maxSize, 'maxSize');
    assert(maxSize > 2048 && maxSize < 4096, `max-size ${maxSize} out of range`);
    assertRingalError(Ringal.Error.TOO_LARGE, () => allocator.fixed(maxSize + 1), 'fixed(max-size + 1)');
    assertEqual(allocator.fixed(maxSize).get_capacity() >= maxSize, true, 'fixed(max-size) fits');
});

test('capacity is set at construction only', () => {
    const pspec = GObject.Object.find_property.call(Ringal.Allocator, 'capacity');
    assert(pspec.flags & GObject.ParamFlags.CONSTRUCT_ONLY, 'capacity is not construct-only');
    assertEqual(Ringal.Allocator.new(4096).capacity, 4096, 'capacity');
});

test('capacity is a construct property', () => {
    const allocator = new Ringal.Allocator({capacity: 8192});
    assert(allocator.init(null), 'init() of a good capacity');
    assertEqual(allocator.get_capacity(), 8192, 'capacity');
    assertEqual(allocator.shared, false, 'shared');
    assertBytesEqual(allocator.copy(pattern(10)).toArray(), pattern(10), 'copied bytes');
    assertEqual(new Ringal.Allocator({capacity: 4096, shared: true}).shared, true, 'shared');
});

test('a bad construct capacity is a clear error', () => {
    const allocator = new Ringal.Allocator({capacity: 0});
    assertRingalError(Ringal.Error.INVALID_ARGUMENT, () => allocator.init(null), 'init()');
    assertRingalError(Ringal.Error.INVALID_ARGUMENT, () => allocator.fixed(10), 'fixed()');
});

test('try_new(0) throws INVALID_ARGUMENT', () => {
    assertRingalError(Ringal.Error.INVALID_ARGUMENT, () => Ringal.Allocator.try_new(0), 'try_new(0)');
});

test('try_new of an impossible store throws NO_MEMORY', () => {
    // Below G_MAXSIZE / 4, so accepted, but no machine maps 2^60 bytes.
    assertRingalError(Ringal.Error.NO_MEMORY, () => Ringal.Allocator.try_new(2 ** 60), 'try_new(2^60)');
});

test('fixed buffer writes, short writes and reads back', () => {
    const allocator = Ringal.Allocator.new(4096);
    const buffer = allocator.fixed(100);
    assertEqual(buffer.get_len(), 0, 'initial length');
    assertEqual(buffer.is_extendable(), false, 'is_extendable()');
    const capacity = buffer.get_capacity();
    assert(capacity >= 100, `capacity ${capacity} < 100`);
    assertEqual(buffer.write(pattern(40)), 40, 'first write');
    assertEqual(buffer.get_spare(), capacity - 40, 'spare');
    const rest = pattern(capacity, 1);
    assertEqual(buffer.write(rest), capacity - 40, 'short write');
    assertEqual(buffer.write(pattern(5, 2)), 0, 'write to a full buffer');
    assertBytesEqual(buffer.get_data(), concat(pattern(40), rest.subarray(0, capacity - 40)),
        'get_data()');
    assertEqual(buffer.get_len(), capacity, 'length');
    assertEqual(buffer.get_spare(), 0, 'spare when full');
});

test('extendable buffer grows past its initial size and finalizes', () => {
    const allocator = Ringal.Allocator.new(64 * 1024);
    const buffer = allocator.extendable(16);
    assertEqual(buffer.is_extendable(), true, 'is_extendable()');
    const chunks = [];
    for (let seed = 0; seed < 300; seed++) {
        const chunk = pattern(1 + (seed * 37) % 97, seed);
        assertEqual(buffer.write(chunk), chunk.length, `write ${seed}`);
        chunks.push(chunk);
    }
    const expected = concat(...chunks);
    assert(expected.length > 10000, 'too little data to need growing');
    assertBytesEqual(buffer.get_data(), expected, 'open buffer');

    const fixed = buffer.finalize();
    assertEqual(fixed.is_extendable(), false, 'finalized is_extendable()');
    assertEqual(buffer.is_extendable(), false, 'the same buffer is finalized');
    assertBytesEqual(fixed.get_data(), expected, 'finalized buffer');
    assert(fixed.get_capacity() >= expected.length, 'finalized capacity below length');
});

test('freeze gives GLib.Bytes whose toArray() matches', () => {
    const allocator = Ringal.Allocator.new(4096);
    const buffer = allocator.extendable(8);
    buffer.write(pattern(700, 3));
    const frozen = buffer.freeze();
    assert(frozen instanceof GLib.Bytes, `freeze() returned ${frozen}`);
    assertEqual(frozen.get_size(), 700, 'size');
    assertBytesEqual(frozen.toArray(), pattern(700, 3), 'toArray()');
    assertEqual(buffer.is_frozen(), true, 'is_frozen()');
    assertEqual(buffer.is_extendable(), false, 'freezing finalized it');
    assertBytesEqual(allocator.copy(pattern(50, 4)).toArray(), pattern(50, 4), 'copy()');
});

test('write after freeze throws FROZEN', () => {
    const allocator = Ringal.Allocator.new(4096);
    const buffer = allocator.fixed(64);
    buffer.write(pattern(10));
    buffer.freeze();
    assertRingalError(Ringal.Error.FROZEN, () => buffer.write(pattern(1)), 'write()');
    assertBytesEqual(buffer.get_data(), pattern(10), 'data after the failed write');
});

test('allocating while an extendable buffer is open throws BUSY', () => {
    const allocator = Ringal.Allocator.new(4096);
    const buffer = allocator.extendable(8);
    assertRingalError(Ringal.Error.BUSY, () => allocator.fixed(8), 'fixed()');
    assertRingalError(Ringal.Error.BUSY, () => allocator.extendable(8), 'extendable()');
    assertRingalError(Ringal.Error.BUSY, () => allocator.copy(pattern(3)), 'copy()');
    buffer.write(pattern(20));
    const fixed = buffer.finalize();
    assertEqual(allocator.fixed(8).get_len(), 0, 'fixed() after finalize');
    assertBytesEqual(fixed.get_data(), pattern(20), 'data');
});

test('finalize of a fixed or finalized buffer throws NOT_EXTENDABLE', () => {
    const allocator = Ringal.Allocator.new(4096);
    assertRingalError(Ringal.Error.NOT_EXTENDABLE, () => allocator.fixed(8).finalize(), 'fixed buffer');
    const buffer = allocator.extendable(8);
    buffer.finalize();
    assertRingalError(Ringal.Error.NOT_EXTENDABLE, () => buffer.finalize(), 'second finalize');
});

test('a full ring throws FULL and recovers once everything is released', () => {
    const allocator = Ringal.Allocator.new(8192);
    const count = (() => {
        // In a function of its own, so that nothing on the stack keeps a
        // buffer alive for the collector.
        const {buffers, error} = fillUntilFull(allocator, 300);
        assert(error instanceof GLib.Error && error.matches(Ringal.Error, Ringal.Error.FULL),
            `filling stopped with ${error}`);
        buffers.forEach((buffer, seed) =>
            assertBytesEqual(buffer.get_data(), pattern(300, seed), `buffer ${seed}`));
        assertRingalError(Ringal.Error.FULL, () => allocator.fixed(300), 'fixed() on a full ring');
        return buffers.length;
    })();
    assert(count >= 8192 / 400, `only ${count} buffers fit`);
    // Buffers go back to the ring when the collector finalizes their wrappers.
    System.gc();
    const big = allocator.fixed(allocator.max_size);
    assertEqual(big.write(pattern(allocator.max_size, 5)), allocator.max_size, 'largest write');
    assertBytesEqual(big.get_data(), pattern(allocator.max_size, 5), 'largest buffer');
});

// release(): the memory goes back now, not when the collector runs.

test('a 4 KiB ring serves 10 000 allocations released with release(), without the collector', () => {
    const allocator = Ringal.Allocator.new(4096);
    const kept = [];  // every wrapper stays reachable: no collector could help
    for (let i = 0; i < 10000; i++) {
        const buffer = allocator.fixed(100);
        assertEqual(buffer.write(pattern(100, i)), 100, `write ${i}`);
        buffer.release();
        kept.push(buffer);
    }
    // Left in the ring: the first buffer's handle, allocated before any
    // release, which shares its region (cut down to the handle).
    const stats = allocator.get_stats();
    assert(stats.n_regions <= 1 && stats.bytes_in_use <= 64,
        `${stats.n_regions} regions, ${stats.bytes_in_use} bytes in use`);
    assertEqual(stats.n_allocations, 10000, 'allocations');
});

test('a released buffer is closed: no data, writes throw CLOSED, release twice is harmless', () => {
    const allocator = Ringal.Allocator.new(4096);
    const buffer = allocator.fixed(50);
    buffer.write(pattern(50));
    buffer.release();
    assert(buffer.is_closed(), 'is_closed()');
    assertEqual(buffer.get_len(), 0, 'length');
    assertEqual(buffer.get_capacity(), 0, 'capacity');
    assertBytesEqual(buffer.get_data() ?? new Uint8Array(0), new Uint8Array(0), 'data');
    assertRingalError(Ringal.Error.CLOSED, () => buffer.write(pattern(1)), 'write after release');
    assertRingalError(Ringal.Error.CLOSED, () => buffer.finalize(), 'finalize after release');
    assertEqual(buffer.freeze().get_size(), 0, 'freeze after release');
    buffer.release();
    assert(buffer.is_closed(), 'still closed after a second release');
});

test('bytes frozen before release() keep their bytes', () => {
    const allocator = Ringal.Allocator.new(4096);
    const buffer = allocator.extendable(16);
    buffer.write(pattern(1000, 4));
    const frame = buffer.freeze();
    buffer.release();
    // as many as fit in the rest of the ring, each released at once
    for (let i = 0; i < 15; i++) {
        const other = allocator.fixed(100);
        other.write(new Uint8Array(100).fill(0xee));
        other.release();
    }
    assertBytesEqual(frame.toArray(), pattern(1000, 4), 'frozen bytes');
});

test('releasing an open extendable buffer lets the allocator serve again', () => {
    const allocator = Ringal.Allocator.new(4096);
    const open = allocator.extendable(16);
    open.write(pattern(300));
    assertRingalError(Ringal.Error.BUSY, () => allocator.fixed(8), 'fixed() while open');
    open.release();
    const next = allocator.fixed(200);
    assertEqual(next.write(pattern(200, 1)), 200, 'write after the release');
    next.release();
});

test('a held buffer does not stop the ring, and the stats name it', () => {
    const allocator = Ringal.Allocator.new(4096);
    const held = allocator.fixed(100);
    held.write(new Uint8Array(100).fill(9));
    for (let i = 0; i < 200; i++) {
        allocator.fixed(500).write(new Uint8Array(500).fill(i & 0xff));
        System.gc();  // the wrapper goes, and with it the buffer
    }
    const stats = allocator.get_stats();
    assertEqual(stats.n_failed, 0, 'failed allocations with a buffer held');
    assert(stats.n_laps >= 20, `only ${stats.n_laps} laps`);
    assert(stats.n_held >= 1, 'the held buffer is not named');
    assertEqual(stats.oldest_held_offset, 0, 'offset of the oldest held region');
    assert(stats.oldest_held_laps >= stats.n_laps - 2, `held for ${stats.oldest_held_laps} laps`);
    assert(allocator.dump().includes('locked, held'), 'the dump does not mark it');
    assertEqual(held.get_data().length, 100, 'the held buffer kept its length');
});

test('stats count allocations, bytes in use and failures', () => {
    const allocator = Ringal.Allocator.new(4096);
    let stats = allocator.get_stats();
    assert(stats instanceof Ringal.Stats, `get_stats() returned ${stats}`);
    assertEqual(stats.capacity, 4096, 'capacity');
    assertEqual(stats.bytes_in_use, 0, 'bytes in use when fresh');
    assertEqual(stats.n_regions, 0, 'regions when fresh');
    const {buffers} = fillUntilFull(allocator, 500);
    stats = allocator.get_stats();
    assertEqual(stats.n_allocations, buffers.length, 'allocations');
    assertEqual(stats.n_failed, 1, 'failed allocations');
    assertEqual(stats.n_regions, buffers.length, 'regions in use');
    assert(stats.bytes_in_use > buffers.length * 500, `bytes in use ${stats.bytes_in_use}`);
    assert(stats.peak_bytes_in_use >= stats.bytes_in_use, 'peak below bytes in use');
    assert(stats.largest_free < 500, `largest free run ${stats.largest_free} on a full ring`);
});

test('dump describes the ring', () => {
    const allocator = Ringal.Allocator.new(4096);
    const buffer = allocator.fixed(100);
    const lines = allocator.dump().split('\n');
    assertEqual(lines[0], 'ring of 4096 bytes', 'first line');
    assert(lines.some(line => line.endsWith('locked')), 'no locked region in the dump');
    assert(lines.some(line => line.endsWith('<- head')), 'no head in the dump');
    assertEqual(buffer.get_len(), 0, 'buffer length');
});

test('output stream writes, closes and steals as bytes', () => {
    const allocator = Ringal.Allocator.new(64 * 1024);
    const stream = Ringal.OutputStream.new(allocator);
    assert(stream instanceof Gio.OutputStream, `new() returned ${stream}`);
    const chunks = [];
    for (let seed = 0; seed < 30; seed++) {
        const chunk = pattern(1 + seed * 41, seed);
        assertEqual(stream.write_bytes(new GLib.Bytes(chunk), null), chunk.length, `write ${seed}`);
        chunks.push(chunk);
    }
    const expected = concat(...chunks);
    assertEqual(stream.get_data_size(), expected.length, 'data size');
    assertRingalError(Ringal.Error.BUSY, () => allocator.fixed(8), 'fixed() while the stream is open');
    assert(stream.close(null), 'close() failed');
    assertBytesEqual(stream.steal_as_bytes().toArray(), expected, 'stolen bytes');
    assertEqual(allocator.fixed(8).get_len(), 0, 'fixed() after close');
});

test('output stream splices a file', () => {
    const allocator = Ringal.Allocator.new(256 * 1024);
    const dir = GLib.dir_make_tmp('ringal-gjs-XXXXXX');
    const path = GLib.build_filenamev([dir, 'input']);
    const data = pattern(100000, 6);
    GLib.file_set_contents(path, data);
    try {
        const stream = Ringal.OutputStream.new(allocator);
        const spliced = stream.splice(Gio.File.new_for_path(path).read(null),
            Gio.OutputStreamSpliceFlags.CLOSE_SOURCE | Gio.OutputStreamSpliceFlags.CLOSE_TARGET, null);
        assertEqual(spliced, data.length, 'bytes spliced');
        assertBytesEqual(stream.steal_as_bytes().toArray(), data, 'spliced bytes');
    } finally {
        GLib.unlink(path);
        GLib.rmdir(dir);
    }
});

test('a full ring fails the stream with NO_SPACE and keeps what was written', () => {
    const allocator = Ringal.Allocator.new(4096);
    const stream = Ringal.OutputStream.new(allocator);
    const data = pattern(10000, 7);
    let written = 0;
    let error = null;
    try {
        while (written < data.length)
            written += stream.write(data.subarray(written), null);
    } catch (e) {
        error = e;
    }
    assert(error instanceof GLib.Error && error.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.NO_SPACE),
        `expected NO_SPACE, got ${error}`);
    assert(written > 3000, `only ${written} bytes fitted`);
    stream.close(null);
    assertBytesEqual(stream.steal_as_bytes().toArray(), data.subarray(0, written), 'kept bytes');
});

test('arrays take and give elements as bytes', () => {
    const allocator = Ringal.Allocator.new(4096);
    const array = allocator.array(4, 4, 3);
    assert(array.append_data(new Uint8Array([1, 0, 0, 0, 3, 0, 0, 0])), 'append_data()');
    assert(array.insert_data(1, new Uint8Array([2, 0, 0, 0])), 'insert_data()');
    assertBytesEqual(array.get_data(), new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]), 'get_data()');
    assertBytesEqual(array.get_element(1).toArray(), new Uint8Array([2, 0, 0, 0]), 'get_element(1)');
    assertRingalError(Ringal.Error.CAPACITY_EXCEEDED, () => array.append_data(new Uint8Array(4)),
        'append to a full array');
    assertRingalError(Ringal.Error.INVALID_ARGUMENT, () => allocator.array(4, 3, 1), 'alignment 3');
    assert(array.remove_index(0), 'remove_index()');
    assertEqual(array.get_len(), 2, 'length after a removal');
});

test('array element size, fast removal and errors from error_quark', () => {
    const allocator = Ringal.Allocator.new(4096);
    const array = allocator.array(2, 2, 4);
    assertEqual(array.get_element_size(), 2, 'element size');
    array.append_data(new Uint8Array([1, 1, 2, 2, 3, 3]));
    assert(array.remove_index_fast(0), 'remove_index_fast()');
    // the last element took the place of the first
    assertBytesEqual(array.get_data(), new Uint8Array([3, 3, 2, 2]), 'after remove_index_fast()');
    let error = null;
    try {
        array.get_element(9);
    } catch (e) {
        error = e;
    }
    assert(error !== null && error.matches(Ringal.error_quark(), Ringal.Error.INVALID_ARGUMENT),
        `get_element(9): ${error}`);
});

test('thread rules: the thread default, disown, shared allocators, default capacity', () => {
    const mine = Ringal.Allocator.get_thread_default();
    assert(mine === Ringal.Allocator.get_thread_default(), 'one thread-default allocator per thread');
    assertEqual(mine.capacity, Ringal.Allocator.get_default_capacity(), 'its capacity');
    const before = Ringal.Allocator.get_default_capacity();
    Ringal.Allocator.set_default_capacity(8192);
    assertEqual(Ringal.Allocator.get_default_capacity(), 8192, 'set_default_capacity()');
    Ringal.Allocator.set_default_capacity(before);

    const allocator = Ringal.Allocator.new(4096);
    allocator.fixed(8);
    allocator.disown();          // the next thread to allocate takes it: here, this one again
    assertBytesEqual(allocator.copy(pattern(9)).toArray(), pattern(9), 'after disown()');
    assert(!allocator.is_shared(), 'a plain allocator is not shared');
    assert(Ringal.Allocator.new_shared(4096).is_shared(), 'new_shared()');
});

test('fixed_wait times out with FULL, and cannot mend TOO_LARGE', () => {
    const allocator = Ringal.Allocator.new(4096);
    const held = fillUntilFull(allocator, 200);
    const start = GLib.get_monotonic_time();
    assertRingalError(Ringal.Error.FULL, () => allocator.fixed_wait(200, 20000, null), 'fixed_wait()');
    assert(GLib.get_monotonic_time() - start >= 20000, 'returned before its timeout');
    assertRingalError(Ringal.Error.TOO_LARGE, () => allocator.fixed_wait(1 << 20, -1, null),
        'fixed_wait() of too much');
    assert(held.buffers.length > 0, 'the ring was never full');
});

Gio._promisify(Ringal.Allocator.prototype, 'fixed_async', 'fixed_finish');

test('fixed_async waits in the main loop until a release makes room', async () => {
    const allocator = Ringal.Allocator.new(4096);
    let held = fillUntilFull(allocator, 200);
    let released = false;
    // Release everything a little later, from the main loop: the wrappers
    // go when the collector finalizes them.
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 50, () => {
        held = null;
        released = true;
        System.gc();
        return GLib.SOURCE_REMOVE;
    });
    const buffer = await allocator.fixed_async(200, null);
    assert(released, 'the buffer came before anything was released');
    assert(buffer.get_capacity() >= 200, 'capacity');
    assertEqual(buffer.write(pattern(200, 3)), 200, 'write');
    assertBytesEqual(buffer.get_data(), pattern(200, 3), 'data');
});

test('fixed_async as a promise resolves once buffers are released, without the collector', async () => {
    const allocator = Ringal.Allocator.new(4096);
    const {buffers} = fillUntilFull(allocator, 200);
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 20, () => {
        buffers.forEach(buffer => buffer.release());
        return GLib.SOURCE_REMOVE;
    });
    const buffer = await allocator.fixed_async(200, null);
    assert(buffers.every(held => held.is_closed()), 'resolved before the release');
    assertEqual(buffer.write(pattern(200, 6)), 200, 'write');
    assertBytesEqual(buffer.get_data(), pattern(200, 6), 'data');
    buffer.release();
});

test('fixed_async can be cancelled', async () => {
    const allocator = Ringal.Allocator.new(4096);
    const held = fillUntilFull(allocator, 200);
    const cancellable = new Gio.Cancellable();
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 20, () => {
        cancellable.cancel();
        return GLib.SOURCE_REMOVE;
    });
    let error = null;
    try {
        await allocator.fixed_async(200, cancellable);
    } catch (e) {
        error = e;
    }
    assert(error !== null && error.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED),
        `expected CANCELLED, got ${error}`);
    assert(held.buffers.length > 0, 'the ring was never full');
});

// Run them, in a main loop so that tests may await.

async function runAll() {
    let failures = 0;
    print(`1..${tests.length}`);
    for (const [index, {name, fn}] of tests.entries()) {
        try {
            await fn();
            print(`ok ${index + 1} - ${name}`);
        } catch (error) {
            failures++;
            print(`not ok ${index + 1} - ${name}`);
            const text = error instanceof GLib.Error
                ? `GLib.Error ${error.domain}:${error.code}: ${error.message}\n${error.stack ?? ''}`
                : `${error}\n${error?.stack ?? ''}`;
            for (const line of text.trimEnd().split('\n'))
                print(`# ${line}`);
        }
    }
    return failures;
}

const loop = new GLib.MainLoop(null, false);
let failures = 1;
runAll().then(count => {
    failures = count;
    loop.quit();
});
loop.run();
System.exit(failures > 0 ? 1 : 0);
