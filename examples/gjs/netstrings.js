// netstrings.js: frames every line of a text file as a netstring
// ("12:hello world!,") in ring memory, and writes the frames to another
// file, all in one main loop.
//
// SPDX-FileCopyrightText: 2026 The ringal-glib authors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The reader puts each line into a fixed ring buffer and hands the buffer
// to the writer, which writes its bytes to the stream and then calls
// release(): the region goes back to the ring at once.  When the ring is
// full the reader waits for room with fixed_async(), made a promise with
// Gio._promisify() (the GJS idiom for a GIO-style _async/_finish pair),
// while the writer drains it.
//
// GJS drops a wrapper's reference only when its garbage collector gets to
// it, which may be never in a short program: release() is what gives the
// memory back, and nothing here calls System.gc().  Frozen GLib.Bytes (and
// arrays from their toArray()) have no release(): they keep their region
// until the collector frees them, so in GJS keep to buffers you release.
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

// The frames between reader and writer, in order: ring buffers, or plain
// Uint8Arrays for lines longer than the ring; null ends them.
const frames = [];
let wakeWriter = null;

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
                handToWriter(frame);
                stats.tooLong++;
                stats.lines++;
                continue;
            }
            if (!error.matches(Ringal.Error, Ringal.Error.FULL))
                throw error;

            // Full: room comes back as the writer releases what it wrote.
            stats.waits++;
            buffer = await allocator.fixed_async(size, null);
        }

        buffer.write(header);
        buffer.write(line);
        buffer.write(COMMA);
        handToWriter(buffer);
        stats.lines++;
    }
    handToWriter(null);
}

// Writes the frames in order.  An async write needs its bytes until it
// completes, and GJS hands an array to it in a temporary copy that does not
// last that long: a GLib.Bytes does.  Each ring buffer goes back as soon as
// its bytes are copied out.
async function writeFrames(output) {
    for (;;) {
        const frame = await nextFrame();
        if (frame === null)
            break;

        const bytes = new GLib.Bytes(frame instanceof Ringal.Buffer ? frame.get_data() : frame);
        if (frame instanceof Ringal.Buffer)
            frame.release();
        const size = bytes.get_size();
        const written = await output.write_bytes_async(bytes, GLib.PRIORITY_DEFAULT, null);
        if (written < size) {
            await output.write_all_async(bytes.toArray().subarray(written),
                GLib.PRIORITY_DEFAULT, null);
        }
        stats.bytes += size;
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
