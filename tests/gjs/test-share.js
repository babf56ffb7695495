// test-share.js: a ring shared between two GJS processes, through
// Ringal.Sender and Ringal.Receiver, printing TAP
//
// SPDX-FileCopyrightText: 2026 The ringal-glib authors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The script is also the other process: `-- child MODE SOCKET-PATH N`
// connects to SOCKET-PATH and receives or sends N records.

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Ringal from 'gi://Ringal?version=1.0';
import System from 'system';

const script = GLib.filename_from_uri(import.meta.url)[0];

// A record: its number (4 bytes), its length, then bytes made from both.
function record(seq, size) {
    const data = new Uint8Array(8 + size);
    const view = new DataView(data.buffer);
    view.setUint32(0, seq, true);
    view.setUint32(4, size, true);
    for (let i = 0; i < size; i++)
        data[8 + i] = (seq * 131 + i * 7) & 0xff;
    return data;
}

function checkRecord(data, seq) {
    const expected = record(seq, data.length - 8);
    if (data.length < 8 || new DataView(data.buffer, data.byteOffset).getUint32(0, true) !== seq)
        throw new Error(`record ${seq}: wrong header`);
    for (let i = 0; i < data.length; i++) {
        if (data[i] !== expected[i])
            throw new Error(`record ${seq} differs at offset ${i}`);
    }
}

function checksum(sum, data) {
    for (const byte of data)
        sum = (sum * 31 + byte) >>> 0;
    return sum;
}

function connect(path) {
    const client = new Gio.SocketClient();
    return client.connect(Gio.UnixSocketAddress.new(path), null);
}

function childReceive(connection) {
    const receiver = Ringal.Receiver.new(connection);
    let sum = 0, seq = 0;
    for (;;) {
        let frame = receiver.receive_bytes(null);
        if (frame === null)
            break;
        // toArray(), not get_data(): in GJS 1.74 the array get_data()
        // returns keeps the bytes, and so the sender's region, for good.
        const data = frame.toArray();
        checkRecord(data, seq);
        sum = checksum(sum, data);
        seq++;
        frame = null;
        // The region goes back when the wrapper is collected.
        if (seq % 8 === 0)
            System.gc();
    }
    print(`received ${seq} ${sum}`);
}

function childSend(connection, n) {
    const allocator = Ringal.Allocator.new_shareable(1 << 20);
    const sender = Ringal.Sender.new(allocator, connection);
    for (let seq = 0; seq < n; seq++)
        sender.send_bytes(allocator.copy(record(seq, 40 + seq % 300)), null);
    print(`sent ${n}`);
    System.exit(0);
}

// Listens on a socket in a fresh directory and starts the child on it.
function spawn(mode, n) {
    const dir = GLib.dir_make_tmp('ringal-share-XXXXXX');
    const path = GLib.build_filenamev([dir, 'socket']);
    const listener = new Gio.SocketListener();
    listener.add_address(Gio.UnixSocketAddress.new(path), Gio.SocketType.STREAM,
        Gio.SocketProtocol.DEFAULT, null);
    const child = Gio.Subprocess.new(['gjs', '-m', script, 'child', mode, path, `${n}`],
        Gio.SubprocessFlags.STDOUT_PIPE);
    const [connection] = listener.accept(null);
    listener.close();
    GLib.unlink(path);
    GLib.rmdir(dir);
    const out = new Gio.DataInputStream({base_stream: child.get_stdout_pipe()});
    return {child, connection, readLine: () => out.read_line_utf8(null)[0]};
}

function bytesInUse(allocator) {
    return allocator.get_stats().bytes_in_use;
}

function gjsToGjs() {
    // 64 KiB of ring for about 600 KiB: only releases make room.
    const allocator = Ringal.Allocator.new_shareable(64 * 1024);
    const {child, connection, readLine} = spawn('receive', 0);
    let sender = Ringal.Sender.new(allocator, connection);
    let sum = 0;
    const n = 1000;
    for (let seq = 0; seq < n; seq++) {
        const data = record(seq, (seq * 977) % 1200);
        let buffer;
        try {
            buffer = allocator.fixed_wait(data.length, 20 * 1000 * 1000, null);
        } catch (e) {
            throw new Error(`${e.message} at ${seq}: ${sender.get_n_held()} held, ${allocator.dump()}`);
        }
        buffer.write(data);
        sender.send_bytes(buffer.freeze(), null);
        buffer = null;
        sum = checksum(sum, data);
        // Our wrappers of the buffer and its bytes hold the region too,
        // until they are collected.
        if (seq % 8 === 0)
            System.gc();
    }
    // The child sees the end now, not when the collector comes.
    sender.close();
    const line = readLine();
    if (line !== `received ${n} ${sum}`)
        throw new Error(`the child says "${line}", not "received ${n} ${sum}"`);
    child.wait_check(null);
    for (let i = 0; i < 1000 && bytesInUse(allocator) > 0; i++) {
        System.gc();
        GLib.usleep(10000);
    }
    if (bytesInUse(allocator) !== 0)
        throw new Error(`${bytesInUse(allocator)} bytes still in use`);
}

function receiveFromGjs() {
    const {child, connection, readLine} = spawn('send', 300);
    const receiver = Ringal.Receiver.new(connection);
    const frames = [];
    for (let frame; (frame = receiver.receive_bytes(null)) !== null;)
        frames.push(frame);
    if (readLine() !== 'sent 300')
        throw new Error('the child did not send 300 records');
    child.wait_check(null);
    // The sender has gone; its bytes have not.
    if (frames.length !== 300)
        throw new Error(`received ${frames.length} records, not 300`);
    frames.forEach((frame, seq) => checkRecord(frame.toArray(), seq));
}

if (ARGV[0] === 'child') {
    const connection = connect(ARGV[2]);
    if (ARGV[1] === 'send')
        childSend(connection, Number(ARGV[3]));
    else
        childReceive(connection);
} else {
    const tests = [['GJS to GJS, every byte checked', gjsToGjs],
        ['receive from GJS after it exits', receiveFromGjs]];
    let failures = 0;
    print(`1..${tests.length}`);
    tests.forEach(([name, fn], index) => {
        try {
            fn();
            print(`ok ${index + 1} - ${name}`);
        } catch (error) {
            failures++;
            print(`not ok ${index + 1} - ${name}`);
            for (const line of `${error}\n${error?.stack ?? ''}`.trimEnd().split('\n'))
                print(`# ${line}`);
        }
    });
    System.exit(failures > 0 ? 1 : 0);
}
