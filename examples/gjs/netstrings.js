// netstrings.js: frames every line of a text file as a netstring
// ("12:hello world!,") in ring memory, and writes the frames to another
// file, all in one main loop.
//
// SPDX-FileCopyrightText: 2026 The ringal-glib authors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The reader puts each line into a fixed ring buffer, freezes it and hands
// the GLib.Bytes to the writer, which passes it to write_bytes_async(): the
// frame goes from the ring to the stream without another copy.  When the
// ring is full the reader waits for room with fixed_async() while the
// writer drains it.
//
// Two GJS habits keep a ring turning:
//
// - GJS gives a buffer back to the ring when its garbage collector
//   finalizes the wrapper, not when the last reference goes, so a program
//   that recycles a small ring asks for a collection (System.gc()) when it
//   has to wait for room, and once the writer has caught up.
// - Do not call methods on the frozen GLib.Bytes (get_size(), get_data(),
//   new_from_bytes()...): GJS 1.74 then never lets go of that GBytes, and
//   its region stays taken for good.  Passing it to functions is fine, and
//   so is toArray(); the frames here carry their size alongside.
//
// Run, from the source tree after `meson setup _build && ninja -C _build`:
//
//   env LD_LIBRARY_PATH=_build/ringal-glib GI_TYPELIB_PATH=_build/ringal-glib \
//       gjs -m examples/gjs/netstrings.js README.md /tmp/README.netstrings

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Ringal from 'gi://Ringal?version=1.0';
import System from 'system';

Gio._promisify(Ringal.Allocator.prototype, 'fixed_async', 'fixed_finish');
Gio._promisify(Gio.DataInputStream.prototype, 'read_line_async', 'read_line_finish');
Gio._promisify(Gio.OutputStream.prototype, 'write_bytes_async', 'write_bytes_finish');
Gio._promisify(Gio.OutputStream.prototype, 'write_all_async', 'write_all_finish');
Gio._promisify(Gio.OutputStream.prototype, 'close_async', 'close_finish');

// Small, so that a file of a few hundred lines fills it: a ring is meant
// to be recycled, not to hold a whole file.
const RING_CAPACITY = 16 * 1024;

const encoder = new TextEncoder();
const COMMA = encoder.encode(',');

const stats = {lines: 0, bytes: 0, waits: 0, tooLong: 0};

// The frames between reader and writer, in order, as {bytes, size};
// null ends them.
const frames = [];
let wakeWriter = null;
let readerWaits = false;

function handToWriter(frame) {
    frames.push(frame);
    wakeWriter?.();
    wakeWriter = null;
}

async function nextFrame() {
    while (frames.length === 0)
        await new Promise(resolve => (wakeWriter = resolve));
    return frames.shift();
}

// Reads lines and frames each one as `<length>:<line>,` in a ring buffer.
async function frameLines(input, allocator) {
    const lines = Gio.DataInputStream.new(input);

    for (;;) {
        const [line] = await lines.read_line_async(GLib.PRIORITY_DEFAULT, null);
        if (line === null)
            break;

        const header = encoder.encode(`${line.length}:`);
        const size = header.length + line.length + COMMA.length;
        let buffer;
        try {
            buffer = allocator.fixed(size);
        } catch (error) {
            if (error.matches(Ringal.Error, Ringal.Error.TOO_LARGE)) {
                // Longer than the whole ring: an ordinary GLib.Bytes will do.
                const frame = new Uint8Array(size);
                frame.set(header);
                frame.set(line, header.length);
                frame.set(COMMA, header.length + line.length);
                handToWriter({bytes: new GLib.Bytes(frame), size});
                stats.tooLong++;
                stats.lines++;
                continue;
            }
            if (!error.matches(Ringal.Error, Ringal.Error.FULL))
                throw error;

            // Full: what the writer is done with may only be waiting for
            // the collector; the rest comes back as it writes.
            stats.waits++;
            readerWaits = true;
            System.gc();
            buffer = await allocator.fixed_async(size, null);
            readerWaits = false;
        }

        buffer.write(header);
        buffer.write(line);
        buffer.write(COMMA);
        handToWriter({bytes: buffer.freeze(), size});
        stats.lines++;
    }
    handToWriter(null);
}

// Writes the frames in order, straight from ring memory.
async function writeFrames(output) {
    for (;;) {
        let frame = await nextFrame();
        if (frame === null)
            break;

        const written = await output.write_bytes_async(frame.bytes, GLib.PRIORITY_DEFAULT, null);
        if (written < frame.size) {
            // A short write: the rest, from a view of the same ring bytes.
            await output.write_all_async(frame.bytes.toArray().subarray(written),
                GLib.PRIORITY_DEFAULT, null);
        }
        stats.bytes += frame.size;
        frame = null;
        // Written out while the reader waits: let the collector give the
        // regions back, all at once rather than one collection a frame.
        if (readerWaits && frames.length === 0)
            System.gc();
    }
    await output.close_async(GLib.PRIORITY_DEFAULT, null);
}

async function main([inputPath, outputPath]) {
    if (!inputPath || !outputPath) {
        printerr('usage: gjs -m netstrings.js INPUT OUTPUT');
        return 2;
    }
    const allocator = Ringal.Allocator.new(RING_CAPACITY);
    const input = Gio.File.new_for_commandline_arg(inputPath).read(null);
    const output = Gio.File.new_for_commandline_arg(outputPath).replace(
        null, false, Gio.FileCreateFlags.REPLACE_DESTINATION, null);
    const start = GLib.get_monotonic_time();

    await Promise.all([frameLines(input, allocator), writeFrames(output)]);

    const seconds = (GLib.get_monotonic_time() - start) / 1e6;
    print('ringal-glib netstrings example (GJS)');
    print(`  lines framed      ${stats.lines} (${stats.bytes} bytes written to ${outputPath})`);
    print(`  ring              ${allocator.capacity / 1024} KiB; waited for room ${stats.waits} times`);
    print(`  lines too long    ${stats.tooLong} (framed outside the ring)`);
    print(`  time              ${seconds.toFixed(3)} s`);
    return 0;
}

const loop = new GLib.MainLoop(null, false);
let status = 1;
main(ARGV).then(code => {
    status = code;
}).catch(error => {
    printerr(`netstrings.js: ${error.message}`);
}).finally(() => loop.quit());
loop.run();
System.exit(status);
