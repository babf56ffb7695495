/* hash-file.vala: SHA-256 of files, reading on one thread and hashing on
 * another, the chunks handed over in ring memory.
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The main thread reads each file into fixed ring buffers, freezes them and
 * queues the GLib.Bytes; the hasher thread feeds them to a GLib.Checksum
 * and drops them, which gives the memory back to the reader's ring, from
 * the hasher's thread.  When the hasher falls behind, the ring fills and
 * the reader waits for room with fixed_wait ().  Its output is that of
 * sha256sum, so the two can be compared.
 *
 * Run, after `meson setup _build && ninja -C _build`:
 *
 *   _build/examples/ringal-hash --stats README.md
 */

/* Fifteen chunks in flight at most (each has a few bytes of bookkeeping):
 * the ring, not the queue, is the bound. */
const size_t CHUNK_SIZE = 64 * 1024;
const size_t RING_CAPACITY = 1024 * 1024;

class Hasher {
    private AsyncQueue<Bytes> chunks = new AsyncQueue<Bytes> ();
    private Thread<string> thread;

    public Hasher () {
        thread = new Thread<string> ("hasher", hash_chunks);
    }

    private string hash_chunks () {
        var checksum = new Checksum (ChecksumType.SHA256);
        for (;;) {
            var chunk = chunks.pop ();
            /* An empty chunk ends the file. */
            if (chunk.get_size () == 0)
                break;
            checksum.update (chunk.get_data (), chunk.get_size ());
            /* Dropping the chunk here gives its region back to the ring. */
        }
        return checksum.get_string ();
    }

    public void push (owned Bytes chunk) {
        chunks.push ((owned) chunk);
    }

    public string finish () {
        push (new Bytes (null));
        return thread.join ();
    }
}

class Stats {
    public uint64 bytes;
    public uint chunks;
    public uint waits;
}

/* Reads @file into ring buffers and hands them to a hasher thread. */
string hash_file (File file, Ringal.Allocator ring, Stats stats, Cancellable? cancellable) throws Error {
    var input = file.read (cancellable);
    var hasher = new Hasher ();
    var chunk = new uint8[CHUNK_SIZE];
    string? hash = null;

    try {
        ssize_t n;
        while ((n = input.read (chunk, cancellable)) > 0) {
            Ringal.Buffer buffer;
            try {
                buffer = ring.fixed ((size_t) n);
            } catch (Ringal.Error.FULL e) {
                /* The hasher holds every region: wait for it.  The reader
                 * holds none, as the rule for waiting wants. */
                stats.waits++;
                buffer = ring.fixed_wait ((size_t) n, -1, cancellable);
            }
            buffer.write (chunk[0 : (int) n]);
            hasher.push (buffer.freeze ());
            stats.bytes += n;
            stats.chunks++;
        }
    } finally {
        /* Even after an error: the thread must end. */
        hash = hasher.finish ();
    }
    return hash;
}

int main (string[] args) {
    var show_stats = args.length > 1 && args[1] == "--stats";
    var paths = args[show_stats ? 2 : 1 : args.length];
    if (paths.length == 0) {
        printerr ("usage: ringal-hash [--stats] FILE...\n");
        return 2;
    }

    var ring = new Ringal.Allocator (RING_CAPACITY);
    var stats = new Stats ();
    var status = 0;
    var start = get_monotonic_time ();

    foreach (unowned string path in paths) {
        try {
            var hash = hash_file (File.new_for_commandline_arg (path), ring, stats, null);
            print ("%s  %s\n", hash, path);
        } catch (Error e) {
            printerr ("ringal-hash: %s: %s\n", path, e.message);
            status = 1;
        }
    }

    if (show_stats) {
        var seconds = (get_monotonic_time () - start) / 1e6;
        printerr ("ringal-glib hashing example (Vala)\n");
        printerr ("  read and hashed   %" + uint64.FORMAT + " bytes in %u chunks of up to %" +
                  size_t.FORMAT + " KiB\n", stats.bytes, stats.chunks, CHUNK_SIZE / 1024);
        printerr ("  ring              %" + size_t.FORMAT + " KiB; the reader waited for room %u times\n",
                  ring.get_capacity () / 1024, stats.waits);
        printerr ("  time              %.3f s\n", seconds);
    }
    return status;
}
