/* test-ringal.vala: the Ringal contract as Vala sees it, through the vapi
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Compiled against the generated ringal-glib-1.0.vapi, so it checks the
 * GIR as much as the library: the typed catch clauses only compile if the
 * GIR marks Ringal.Error as an error domain, and `yield fixed_async` only
 * if it pairs fixed_async with fixed_finish.  Buffers hold patterns that
 * differ from byte to byte and from buffer to buffer, so an array passed
 * with the wrong length or a stale copy shows.
 *
 * meson test -C _build vala, or by hand:
 *   _build/tests/vala/test-ringal-vala --tap
 */

const size_t MIB = 1024 * 1024;
const size_t DEFAULT_CAPACITY = 512 * 1024;

/* Failing helpers: g_error() aborts with the message, as g_assert does. */

void check_size (string what, size_t actual, size_t expected) {
    if (actual != expected)
        error ("%s: expected %" + size_t.FORMAT + ", got %" + size_t.FORMAT, what, expected, actual);
}

void check_data (string what, uint8[] actual, uint8[] expected) {
    if (actual.length != expected.length)
        error ("%s: %d bytes, expected %d", what, actual.length, expected.length);
    for (int i = 0; i < expected.length; i++) {
        if (actual[i] != expected[i])
            error ("%s differ at offset %d: %u != %u", what, i, actual[i], expected[i]);
    }
}

void check_buffer (string what, Ringal.Buffer buffer, uint8[] expected) {
    check_size (what + ": get_len ()", buffer.get_len (), expected.length);
    check_data (what, buffer.get_data (), expected);
}

void check_bytes (string what, Bytes bytes, uint8[] expected) {
    check_size (what + ": get_size ()", bytes.get_size (), expected.length);
    check_data (what, bytes.get_data (), expected);
}

[NoReturn]
void unexpected (string what, GLib.Error e) {
    error ("%s: unexpected error %s:%d: %s", what, e.domain.to_string (), e.code, e.message);
}

/* Bytes that differ from their neighbours and from other seeds, so that a
 * shifted, truncated or stale copy does not compare equal. */
uint8[] pattern (size_t length, uint seed = 0) {
    var bytes = new uint8[length];
    for (size_t i = 0; i < length; i++)
        bytes[i] = (uint8) ((i * 131 + seed * 29 + (i >> 8) + 7) & 0xff);
    return bytes;
}

uint8[] concat (uint8[] a, uint8[] b) {
    var bytes = new uint8[a.length + b.length];
    /* An empty Vala array may be NULL, and memcpy () wants no NULL. */
    if (a.length > 0)
        Memory.copy (bytes, a, a.length);
    if (b.length > 0)
        Memory.copy ((uint8*) bytes + a.length, b, b.length);
    return bytes;
}

/* Fixed buffers of @size, each with its own pattern (seeds from 0), until
 * the ring is full. */
Ringal.Buffer[] fill_until_full (Ringal.Allocator allocator, size_t size) {
    Ringal.Buffer[] buffers = {};
    for (uint seed = 0; seed < 10000; seed++) {
        try {
            var buffer = allocator.fixed (size);
            check_size ("a write to a new buffer", buffer.write (pattern (size, seed)), size);
            buffers += (owned) buffer;
        } catch (Ringal.Error.FULL e) {
            return buffers;
        } catch (GLib.Error e) {
            unexpected ("fill_until_full", e);
        }
    }
    error ("10000 buffers of %" + size_t.FORMAT + " bytes never filled the ring", size);
}

/* Once every buffer is gone, a buffer of the largest size must fit. */
void check_everything_released (Ringal.Allocator allocator) {
    var max_size = allocator.get_max_size ();
    try {
        var buffer = allocator.fixed (max_size);
        var data = pattern (max_size, 99);
        check_size ("write of max-size bytes", buffer.write (data), max_size);
        check_buffer ("the largest buffer", buffer, data);
    } catch (GLib.Error e) {
        error ("the largest buffer does not fit, so a region was not released: %s", e.message);
    }
}

/* Whether @address is inside a mapping of this process: the store is
 * mapped on its own, so it shows when it goes. */
bool is_mapped (void* address) {
    string maps;
    try {
        FileUtils.get_contents ("/proc/self/maps", out maps);
    } catch (FileError e) {
        error ("/proc/self/maps: %s", e.message);
    }
    var where = (uint64) (uintptr) address;
    foreach (unowned string line in maps.strip ().split ("\n")) {
        var range = line.split (" ", 2)[0].split ("-");
        if (range.length == 2 && uint64.parse (range[0], 16) <= where && where < uint64.parse (range[1], 16))
            return true;
    }
    return false;
}

/* Polls @condition for what another thread finishes after join() returns,
 * such as the destructors of its thread-local data. */
bool wait_until (owned SourceFunc condition) {
    var deadline = get_monotonic_time () + 10 * TimeSpan.SECOND;
    while (!condition ()) {
        if (get_monotonic_time () > deadline)
            return false;
        Thread.usleep (5000);
    }
    return true;
}

/* Set by one thread, seen by another. */
class Flag {
    private int raised = 0;

    public void raise () {
        AtomicInt.set (ref raised, 1);
    }

    public bool is_raised () {
        return AtomicInt.get (ref raised) == 1;
    }
}

/* Drops @held on a thread of its own after @delay_ms, raising @released
 * just before: the last references go there, as a consumer's would. */
Thread<void> release_later (owned Ringal.Buffer[] held, uint delay_ms, Flag released) {
    return new Thread<void> ("releaser", () => {
        Thread.usleep (delay_ms * 1000);
        released.raise ();
        held = null;
    });
}

/* Runs @loop until something quits it, or fails after 30 s: a lost
 * wake-up fails the test instead of hanging it. */
void run_loop (MainLoop loop, string what) {
    var guard = Timeout.add_seconds (30, () => {
        error ("%s: still waiting after 30 s", what);
    });
    loop.run ();
    Source.remove (guard);
}

/* Construction */

void test_new_rounds_capacity_up () {
    size_t[,] cases = {
        { 4096, 4096 }, { 4097, 8192 }, { 1, 256 }, { 255, 256 },
        { 256, 256 }, { 257, 512 }, { 5000, 8192 }, { MIB, MIB },
    };
    for (int i = 0; i < cases.length[0]; i++) {
        var allocator = new Ringal.Allocator (cases[i, 0]);
        var what = "capacity for %" + size_t.FORMAT;
        check_size (what.printf (cases[i, 0]), allocator.get_capacity (), cases[i, 1]);
        check_size ("the capacity property", (size_t) allocator.capacity, cases[i, 1]);
        assert_false (allocator.is_shared ());
    }
}

void test_try_new () {
    try {
        var allocator = new Ringal.Allocator.try_new (5000);
        check_size ("try_new (5000) capacity", allocator.get_capacity (), 8192);
    } catch (GLib.Error e) {
        unexpected ("try_new (5000)", e);
    }

    try {
        new Ringal.Allocator.try_new (0);
        assert_not_reached ();
    } catch (Ringal.Error.INVALID_ARGUMENT e) {
        assert_true (e.message.contains ("0"));
    } catch (GLib.Error e) {
        unexpected ("try_new (0)", e);
    }

    try {
        new Ringal.Allocator.try_new (size_t.MAX / 4 + 1);
        assert_not_reached ();
    } catch (Ringal.Error.TOO_LARGE e) {
    } catch (GLib.Error e) {
        unexpected ("try_new (G_MAXSIZE / 4 + 1)", e);
    }

    /* Accepted as a capacity, but no machine maps 2^60 bytes. */
    try {
        new Ringal.Allocator.try_new ((size_t) 1 << 60);
        assert_not_reached ();
    } catch (Ringal.Error.NO_MEMORY e) {
    } catch (GLib.Error e) {
        unexpected ("try_new (2^60)", e);
    }
}

void test_new_with_zero_capacity_is_a_critical () {
    Test.expect_message ("Ringal", LogLevelFlags.LEVEL_CRITICAL, "*capacity*cannot be 0*");
    Ringal.Allocator? allocator = new Ringal.Allocator (0);
    Test.assert_expected_messages ();
    assert_null (allocator);

    Test.expect_message ("Ringal", LogLevelFlags.LEVEL_CRITICAL, "*capacity*cannot be 0*");
    Ringal.Allocator? shared = new Ringal.Allocator.shared (0);
    Test.assert_expected_messages ();
    assert_null (shared);
}

void test_object_new_gets_the_default_store () {
    var allocator = (Ringal.Allocator) Object.new (typeof (Ringal.Allocator));
    check_size ("capacity of Object.new ()", allocator.get_capacity (), DEFAULT_CAPACITY);
    try {
        check_bytes ("copy ()", allocator.copy (pattern (77, 1)), pattern (77, 1));
    } catch (GLib.Error e) {
        unexpected ("copy ()", e);
    }
}

void test_object_construction_sets_the_capacity () {
    try {
        var allocator = (Ringal.Allocator) Object.new (typeof (Ringal.Allocator), capacity: 8192);
        allocator.init ();
        check_size ("capacity of Object (capacity: 8192)", allocator.get_capacity (), 8192);
        check_bytes ("copy ()", allocator.copy (pattern (77, 2)), pattern (77, 2));
    } catch (GLib.Error e) {
        unexpected ("Object (capacity: 8192)", e);
    }
    var bad = (Ringal.Allocator) Object.new (typeof (Ringal.Allocator), capacity: 0);
    try {
        bad.init ();
        assert_not_reached ();
    } catch (Ringal.Error.INVALID_ARGUMENT e) {
    } catch (GLib.Error e) {
        unexpected ("init () of capacity 0", e);
    }
    try {
        bad.fixed (10);
        assert_not_reached ();
    } catch (Ringal.Error.INVALID_ARGUMENT e) {
    } catch (GLib.Error e) {
        unexpected ("fixed () of an allocator of capacity 0", e);
    }
}

void test_properties_are_read_only_and_match_the_getters () {
    var allocator = new Ringal.Allocator (4096);
    foreach (unowned string name in new string[] { "capacity", "max-size" }) {
        var pspec = allocator.get_class ().find_property (name);
        assert_nonnull (pspec);
        assert_true (pspec.value_type == typeof (ulong));
        assert_true (ParamFlags.READABLE in pspec.flags);
        /* capacity is set at construction only */
        assert_true ((ParamFlags.WRITABLE in pspec.flags) == (name == "capacity"));
        assert_true ((ParamFlags.CONSTRUCT_ONLY in pspec.flags) == (name == "capacity"));
    }

    ulong capacity, max_size;
    allocator.get ("capacity", out capacity, "max-size", out max_size);
    check_size ("capacity through g_object_get ()", capacity, 4096);
    check_size ("max-size through g_object_get ()", max_size, allocator.get_max_size ());
    check_size ("the max_size property", (size_t) allocator.max_size, allocator.get_max_size ());
}

void test_max_size_is_exact () {
    var allocator = new Ringal.Allocator (4096);
    var max_size = allocator.get_max_size ();
    assert_true (max_size > 2048 && max_size < 4096);

    try {
        allocator.fixed (max_size + 1);
        assert_not_reached ();
    } catch (Ringal.Error.TOO_LARGE e) {
    } catch (GLib.Error e) {
        unexpected ("fixed (max-size + 1)", e);
    }
    try {
        allocator.extendable (max_size + 1);
        assert_not_reached ();
    } catch (Ringal.Error.TOO_LARGE e) {
    } catch (GLib.Error e) {
        unexpected ("extendable (max-size + 1)", e);
    }
    check_everything_released (allocator);
}

void test_version_constants () {
    check_size ("VERSION", Ringal.VERSION,
                (Ringal.MAJOR_VERSION << 16) | (Ringal.MINOR_VERSION << 8) | Ringal.MICRO_VERSION);
    assert_cmpstr (Ringal.VERSION_S, CompareOperator.EQ,
                   "%d.%d.%d".printf (Ringal.MAJOR_VERSION, Ringal.MINOR_VERSION, Ringal.MICRO_VERSION));
}

void test_error_quark () {
    assert_true (Ringal.Error.quark () == Quark.from_string ("ringal-error-quark"));
    /* The codes are those of the C enum, which starts at 1. */
    assert_cmpint (Ringal.Error.FULL, CompareOperator.EQ, 1);
    assert_cmpint (Ringal.Error.WRONG_THREAD, CompareOperator.EQ, 8);
}

/* Fixed buffers */

void test_fixed_write_short_write_and_read_back () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var buffer = allocator.fixed (100);
        check_size ("a new buffer's length", buffer.get_len (), 0);
        assert_false (buffer.is_extendable ());
        assert_false (buffer.is_frozen ());
        var capacity = buffer.get_capacity ();
        assert_true (capacity >= 100 && capacity < 200);
        check_size ("a new buffer's spare", buffer.get_spare (), capacity);

        check_size ("first write", buffer.write (pattern (40)), 40);
        check_size ("spare after 40 bytes", buffer.get_spare (), capacity - 40);
        check_buffer ("after one write", buffer, pattern (40));

        /* A fixed buffer takes what fits, as a stream's short write. */
        var rest = pattern (capacity, 1);
        check_size ("short write", buffer.write (rest), capacity - 40);
        check_size ("write to a full buffer", buffer.write (pattern (5, 2)), 0);
        check_size ("spare when full", buffer.get_spare (), 0);
        check_size ("capacity when full", buffer.get_capacity (), capacity);
        check_buffer ("after the short write", buffer, concat (pattern (40), rest[0 : (int) capacity - 40]));
    } catch (GLib.Error e) {
        unexpected ("fixed buffer", e);
    }
}

void test_fixed_of_zero_bytes () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var buffer = allocator.fixed (0);
        check_size ("length", buffer.get_len (), 0);
        var room = size_t.min (buffer.get_capacity (), 64);
        check_size ("write of nothing", buffer.write (new uint8[0]), 0);
        check_size ("short write", buffer.write (pattern (64, 3)), room);
        check_buffer ("zero-sized buffer", buffer, pattern (room, 3));
    } catch (GLib.Error e) {
        unexpected ("fixed (0)", e);
    }
}

void test_fixed_buffers_do_not_overlap_until_full () {
    var allocator = new Ringal.Allocator (8192);
    var held = fill_until_full (allocator, 300);
    assert_true (held.length >= 8192 / 400);
    /* Each holds its own pattern: none was written over by another. */
    for (uint seed = 0; seed < held.length; seed++)
        check_buffer ("buffer %u".printf (seed), held[seed], pattern (300, seed));

    try {
        allocator.fixed (300);
        assert_not_reached ();
    } catch (Ringal.Error.FULL e) {
        assert_true (e.message.contains ("8192"));
    } catch (GLib.Error e) {
        unexpected ("fixed () on a full ring", e);
    }

    held = null;
    check_everything_released (allocator);
}

void test_finalize_of_a_fixed_buffer_is_not_extendable () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var buffer = allocator.fixed (64);
        buffer.write (pattern (30));
        var capacity = buffer.get_capacity ();
        try {
            buffer.finalize ();
            assert_not_reached ();
        } catch (Ringal.Error.NOT_EXTENDABLE e) {
        }
        check_buffer ("after the failed finalize", buffer, pattern (30));
        check_size ("capacity after the failed finalize", buffer.get_capacity (), capacity);
    } catch (GLib.Error e) {
        unexpected ("finalize of a fixed buffer", e);
    }
}

/* Extendable buffers */

void test_extendable_grows_and_finalizes () {
    var allocator = new Ringal.Allocator (64 * 1024);
    try {
        var buffer = allocator.extendable (16);
        assert_true (buffer.is_extendable ());
        uint8[] expected = {};
        for (uint seed = 0; seed < 300; seed++) {
            var chunk = pattern (1 + (seed * 37) % 97, seed);
            check_size ("write %u".printf (seed), buffer.write (chunk), chunk.length);
            expected = concat (expected, chunk);
        }
        assert_true (expected.length > 10000);
        check_buffer ("the open buffer", buffer, expected);
        /* It has taken over the free space after it. */
        var open_capacity = buffer.get_capacity ();
        assert_true (open_capacity >= expected.length);

        var fixed = buffer.finalize ();
        /* The same buffer, now fixed, with a reference of its own. */
        assert_true (fixed == buffer);
        assert_false (fixed.is_extendable ());
        assert_false (buffer.is_extendable ());
        check_buffer ("the finalized buffer", fixed, expected);
        /* What it did not use went back to the ring. */
        assert_true (fixed.get_capacity () >= expected.length);
        assert_true (fixed.get_capacity () < expected.length + 64);
        assert_true (fixed.get_capacity () < open_capacity);

        /* A finalized buffer is fixed: it takes what fits and no more. */
        check_size ("write to the finalized buffer", fixed.write (pattern (200, 1)),
                    fixed.get_capacity () - expected.length);

        /* The allocator serves other requests again. */
        check_bytes ("copy () after finalize", allocator.copy (pattern (90, 2)), pattern (90, 2));
    } catch (GLib.Error e) {
        unexpected ("extendable buffer", e);
    }
}

void test_extendable_moves_to_the_front_at_the_end () {
    var allocator = new Ringal.Allocator (4096);
    try {
        /* Take the ring's position to well past the middle, then free it. */
        allocator.fixed (2500);
        var buffer = allocator.extendable (16);
        check_size ("first write", buffer.write (pattern (1000, 1)), 1000);
        var before = (uint8*) buffer.get_data ();
        /* More than fits between it and the end of the store. */
        check_size ("second write", buffer.write (pattern (1400, 2)), 1400);
        var after = (uint8*) buffer.get_data ();
        assert_true (after != before);
        /* Its bytes moved to the front, before its own handle. */
        assert_true ((void*) after < (void*) buffer);
        check_buffer ("the moved buffer", buffer, concat (pattern (1000, 1), pattern (1400, 2)));

        var fixed = buffer.finalize ();
        check_buffer ("the moved buffer, finalized", fixed, concat (pattern (1000, 1), pattern (1400, 2)));
    } catch (GLib.Error e) {
        unexpected ("extendable buffer reaching the end", e);
    }
    check_everything_released (allocator);
}

void test_extendable_makes_the_allocator_busy () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var buffer = allocator.extendable (8);
        try {
            allocator.fixed (8);
            assert_not_reached ();
        } catch (Ringal.Error.BUSY e) {
        }
        try {
            allocator.extendable (8);
            assert_not_reached ();
        } catch (Ringal.Error.BUSY e) {
        }
        try {
            allocator.copy (pattern (3));
            assert_not_reached ();
        } catch (Ringal.Error.BUSY e) {
        }
        /* Waiting cannot help, so it does not wait. */
        try {
            allocator.fixed_wait (8, -1);
            assert_not_reached ();
        } catch (Ringal.Error.BUSY e) {
        }

        buffer.write (pattern (20));
        var fixed = buffer.finalize ();
        check_size ("fixed () after finalize", allocator.fixed (8).get_len (), 0);
        check_buffer ("the finalized buffer", fixed, pattern (20));
        /* Both references: finalize () returned a new one. */
        fixed = null;
        buffer = null;

        /* Dropping an open extendable buffer ends it too.  (Nothing is
         * held here: see test_drop_open_extendable_then_allocate.) */
        var dropped = allocator.extendable (8);
        dropped.write (pattern (100, 1));
        dropped = null;
        check_bytes ("copy () after the drop", allocator.copy (pattern (10, 2)), pattern (10, 2));
    } catch (GLib.Error e) {
        unexpected ("busy allocator", e);
    }
    check_everything_released (allocator);
}

/* Dropping an open extendable buffer closes it as finalize () does: the
 * allocator starts again where the buffer began, so the next allocation
 * does not wrap to the front and meet the buffer held there. */
void test_drop_open_extendable_then_allocate () {
    foreach (var finalize_first in new bool[] { true, false }) {
        var allocator = new Ringal.Allocator (4096);
        string? full = null;
        try {
            var held = allocator.fixed (64);
            var open = allocator.extendable (16);
            open.write (pattern (100));
            if (finalize_first)
                open.finalize ();
            open = null;
            try {
                check_bytes ("copy ()", allocator.copy (pattern (10, 1)), pattern (10, 1));
            } catch (Ringal.Error.FULL e) {
                full = e.message;
            }
            held = null;
        } catch (GLib.Error e) {
            unexpected ("drop of an open extendable buffer", e);
        }
        check_everything_released (allocator);

        if (full != null)
            Test.fail_printf ("allocating after dropping an %s extendable buffer: %s",
                              finalize_first ? "finalized" : "open", full);
    }
}

void test_finalize_twice_is_not_extendable () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var buffer = allocator.extendable (8);
        buffer.write (pattern (50));
        var fixed = buffer.finalize ();
        try {
            buffer.finalize ();
            assert_not_reached ();
        } catch (Ringal.Error.NOT_EXTENDABLE e) {
        }
        try {
            fixed.finalize ();
            assert_not_reached ();
        } catch (Ringal.Error.NOT_EXTENDABLE e) {
        }
        check_buffer ("after the second finalize", fixed, pattern (50));
    } catch (GLib.Error e) {
        unexpected ("finalize twice", e);
    }
}

void test_extendable_failed_write_changes_nothing () {
    var allocator = new Ringal.Allocator (4096);
    try {
        /* Three buffers; the first is released, so the ring comes round
         * to its region and opens the extendable buffer there, right
         * before the second, which stops it. */
        var first = allocator.fixed (1500);
        var blocker = allocator.fixed (1500);
        var last = allocator.fixed (900);
        blocker.write (pattern (1500, 9));
        first = null;
        var buffer = allocator.extendable (16);
        assert_true ((void*) buffer < (void*) blocker);
        check_size ("first write", buffer.write (pattern (1000, 1)), 1000);
        var capacity = buffer.get_capacity ();
        var data = (uint8*) buffer.get_data ();

        try {
            buffer.write (pattern (1000, 2));
            assert_not_reached ();
        } catch (Ringal.Error.FULL e) {
        }
        check_buffer ("after the failed write", buffer, pattern (1000, 1));
        check_size ("capacity after the failed write", buffer.get_capacity (), capacity);
        assert_true ((uint8*) buffer.get_data () == data);

        /* Past what it could ever hold: TOO_LARGE, and still nothing changes. */
        try {
            buffer.write (pattern (allocator.get_max_size (), 3));
            assert_not_reached ();
        } catch (Ringal.Error.TOO_LARGE e) {
        }
        check_buffer ("after the too large write", buffer, pattern (1000, 1));

        /* Releasing the blocker makes room: the same write succeeds. */
        check_buffer ("the blocker", blocker, pattern (1500, 9));
        blocker = null;
        check_size ("the write, again", buffer.write (pattern (1000, 2)), 1000);
        check_buffer ("after the write", buffer, concat (pattern (1000, 1), pattern (1000, 2)));
        assert_true ((uint8*) buffer.get_data () == data);
        last = null;
    } catch (GLib.Error e) {
        unexpected ("failed write", e);
    }
    check_everything_released (allocator);
}

/* Freezing and copying */

/* release (): the memory goes back now, the handle stays valid. */
void test_release_closes_the_buffer () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var buffer = allocator.fixed (50);
        buffer.write (pattern (50));
        buffer.release ();
        assert_true (buffer.is_closed ());
        assert_true (buffer.is_frozen ());
        check_size ("length after release", buffer.get_len (), 0);
        check_size ("capacity after release", buffer.get_capacity (), 0);
        check_size ("data after release", buffer.get_data ().length, 0);
        try {
            buffer.write (pattern (1));
            assert_not_reached ();
        } catch (Ringal.Error.CLOSED e) {
        }
        try {
            buffer.finalize ();
            assert_not_reached ();
        } catch (Ringal.Error.CLOSED e) {
        }
        check_size ("frozen after release", buffer.freeze ().get_size (), 0);
        buffer.release ();
        assert_true (buffer.is_closed ());
    } catch (GLib.Error e) {
        unexpected ("release", e);
    }
}

void test_released_buffers_held_cost_the_ring_nothing () {
    var allocator = new Ringal.Allocator (4096);
    var held = new GenericArray<Ringal.Buffer> ();
    try {
        for (uint i = 0; i < 10000; i++) {
            var buffer = allocator.fixed (100);
            buffer.write (pattern (100, i));
            buffer.release ();
            held.add (buffer);
        }
        /* Left in the ring: the first buffer's handle, allocated before
         * any release, which shares its region (cut down to the handle). */
        var stats = allocator.get_stats ();
        assert_true (stats.n_regions <= 1 && stats.bytes_in_use <= 64);
    } catch (GLib.Error e) {
        unexpected ("fixed () after releases", e);
    }
}

void test_release_keeps_frozen_bytes_and_frees_the_allocator () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var message = allocator.extendable (16);
        message.write (pattern (1000, 4));
        var frame = message.freeze ();
        message.release ();
        for (uint i = 0; i < 15; i++)
            allocator.fixed (100).write (pattern (100, 9));
        check_bytes ("bytes frozen before the release", frame, pattern (1000, 4));

        var open = allocator.extendable (16);
        open.write (pattern (300));
        open.release ();
        check_bytes ("copy () after releasing an open buffer", allocator.copy (pattern (20, 5)), pattern (20, 5));
    } catch (GLib.Error e) {
        unexpected ("release of frozen and open buffers", e);
    }
}

void test_freeze_is_zero_copy () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var buffer = allocator.fixed (600);
        buffer.write (pattern (500, 4));
        unowned uint8[] data = buffer.get_data ();
        var frozen = buffer.freeze ();
        assert_true (buffer.is_frozen ());
        check_bytes ("frozen", frozen, pattern (500, 4));
        /* The GBytes points at the buffer's bytes in the ring. */
        assert_true ((uint8*) frozen.get_data () == (uint8*) data);
        assert_true ((uint8*) buffer.get_data () == (uint8*) data);

        /* Freezing again gives another GBytes over the same bytes. */
        var again = buffer.freeze ();
        assert_true ((uint8*) again.get_data () == (uint8*) data);
        assert_true (again.compare (frozen) == 0);

        try {
            buffer.write (pattern (1));
            assert_not_reached ();
        } catch (Ringal.Error.FROZEN e) {
        }
        check_buffer ("after the refused write", buffer, pattern (500, 4));
    } catch (GLib.Error e) {
        unexpected ("freeze", e);
    }
}

void test_freeze_finalizes_an_open_extendable_buffer () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var buffer = allocator.extendable (8);
        buffer.write (pattern (700, 3));
        var frozen = buffer.freeze ();
        assert_false (buffer.is_extendable ());
        assert_true (buffer.is_frozen ());
        check_bytes ("frozen", frozen, pattern (700, 3));
        assert_true ((uint8*) frozen.get_data () == (uint8*) buffer.get_data ());
        /* No longer busy. */
        check_bytes ("copy ()", allocator.copy (pattern (20, 5)), pattern (20, 5));
    } catch (GLib.Error e) {
        unexpected ("freeze of an extendable buffer", e);
    }
}

void test_frozen_bytes_keep_the_region () {
    var allocator = new Ringal.Allocator (4096);
    Bytes frozen;
    try {
        var buffer = allocator.fixed (2000);
        buffer.write (pattern (2000, 6));
        frozen = buffer.freeze ();
    } catch (GLib.Error e) {
        unexpected ("freeze", e);
    }
    /* The buffer is gone; its bytes are not. */
    check_bytes ("frozen after the buffer went", frozen, pattern (2000, 6));
    try {
        allocator.fixed (allocator.get_max_size ());
        assert_not_reached ();
    } catch (Ringal.Error.FULL e) {
    } catch (GLib.Error e) {
        unexpected ("fixed (max-size) while the bytes live", e);
    }
    frozen = null;
    check_everything_released (allocator);
}

void test_freeze_of_an_empty_buffer () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var frozen = allocator.fixed (10).freeze ();
        check_size ("size", frozen.get_size (), 0);
        frozen = allocator.extendable (10).freeze ();
        check_size ("size of an empty extendable buffer", frozen.get_size (), 0);
    } catch (GLib.Error e) {
        unexpected ("empty freeze", e);
    }
    check_everything_released (allocator);
}

void test_copy () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var data = pattern (333, 7);
        var frozen = allocator.copy (data);
        check_bytes ("copy ()", frozen, data);
        /* A copy, not the caller's array. */
        assert_true ((uint8*) frozen.get_data () != (uint8*) data);
        check_size ("copy of nothing", allocator.copy (new uint8[0]).get_size (), 0);
    } catch (GLib.Error e) {
        unexpected ("copy ()", e);
    }
    try {
        allocator.copy (pattern (allocator.get_max_size () + 1));
        assert_not_reached ();
    } catch (Ringal.Error.TOO_LARGE e) {
    } catch (GLib.Error e) {
        unexpected ("copy () too large", e);
    }

    var held = fill_until_full (allocator, 200);
    try {
        allocator.copy (pattern (200));
        assert_not_reached ();
    } catch (Ringal.Error.FULL e) {
    } catch (GLib.Error e) {
        unexpected ("copy () into a full ring", e);
    }
    held = null;
    check_everything_released (allocator);
}

void test_buffers_released_in_order_never_fill_the_ring () {
    var allocator = new Ringal.Allocator (4096);
    Queue<Bytes>? window = new Queue<Bytes> ();
    uint oldest = 0;
    try {
        for (uint seed = 0; seed < 3000; seed++) {
            window.push_tail (allocator.copy (pattern (50 + (seed * 53) % 400, seed)));
            if (window.length > 4) {
                check_bytes ("bytes %u".printf (oldest), window.pop_head (),
                             pattern (50 + (oldest * 53) % 400, oldest));
                oldest++;
            }
        }
    } catch (GLib.Error e) {
        unexpected ("a window of five", e);
    }
    /* Not clear (): g_queue_clear () would not unref them. */
    window = null;
    check_everything_released (allocator);
}

void test_buffer_references () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var buffer = allocator.fixed (3000);
        buffer.write (pattern (3000, 8));
        /* Assigning an owned reference takes one: ringal_buffer_ref (). */
        Ringal.Buffer other = buffer;
        Ringal.Buffer third = buffer.ref ();
        assert_true (other == buffer && third == buffer);
        buffer = null;
        other = null;
        check_buffer ("through the last reference", third, pattern (3000, 8));
        try {
            allocator.fixed (3000);
            assert_not_reached ();
        } catch (Ringal.Error.FULL e) {
        }
        third = null;
    } catch (GLib.Error e) {
        unexpected ("references", e);
    }
    check_everything_released (allocator);
}

/* Threads */

void test_an_allocator_belongs_to_one_thread () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var mine = allocator.fixed (64);
        mine.write (pattern (64));
        var caught = new Flag ();
        new Thread<void> ("intruder", () => {
            try {
                allocator.fixed (64);
            } catch (Ringal.Error.WRONG_THREAD e) {
                caught.raise ();
            } catch (GLib.Error e) {
                unexpected ("fixed () on another thread", e);
            }
            try {
                allocator.copy (pattern (1));
                assert_not_reached ();
            } catch (Ringal.Error.WRONG_THREAD e) {
            } catch (GLib.Error e) {
                unexpected ("copy () on another thread", e);
            }
            /* Buffers may be used on any thread. */
            check_buffer ("the owner's buffer, from another thread", mine, pattern (64));
        }).join ();
        assert_true (caught.is_raised ());

        /* The owner goes on. */
        mine = null;
        check_bytes ("copy () on the owner's thread", allocator.copy (pattern (9, 1)), pattern (9, 1));
    } catch (GLib.Error e) {
        unexpected ("thread rule", e);
    }
    check_everything_released (allocator);
}

void test_disown_hands_the_allocator_over () {
    var allocator = new Ringal.Allocator (4096);
    try {
        allocator.copy (pattern (10));
        allocator.disown ();

        var taken = new Flag ();
        var handed_back = new Flag ();
        var released = new Flag ();
        var thread = new Thread<void> ("new owner", () => {
            try {
                check_bytes ("copy () by the new owner", allocator.copy (pattern (100, 1)), pattern (100, 1));
                taken.raise ();
                while (!handed_back.is_raised ())
                    Thread.usleep (1000);
                allocator.disown ();
                released.raise ();
            } catch (GLib.Error e) {
                unexpected ("copy () after disown", e);
            }
        });
        while (!taken.is_raised ())
            Thread.usleep (1000);
        /* The other thread owns it now. */
        try {
            allocator.copy (pattern (5));
            assert_not_reached ();
        } catch (Ringal.Error.WRONG_THREAD e) {
        }
        handed_back.raise ();
        thread.join ();
        assert_true (released.is_raised ());
        check_bytes ("copy () after it was handed back", allocator.copy (pattern (10, 2)), pattern (10, 2));
    } catch (GLib.Error e) {
        unexpected ("disown", e);
    }
}

void test_a_shared_allocator_serves_every_thread () {
    var allocator = new Ringal.Allocator.shared (64 * 1024);
    assert_true (allocator.is_shared ());
    var checked = new Flag[4];
    Thread<void>[] threads = {};
    for (uint t = 0; t < 4; t++) {
        var done = new Flag ();
        checked[t] = done;
        var seed = t;
        threads += new Thread<void> ("sharer", () => {
            for (uint i = 0; i < 300; i++) {
                Bytes? frozen = null;
                while (frozen == null) {
                    try {
                        if (i % 2 == 0) {
                            frozen = allocator.copy (pattern (50 + i, seed));
                        } else {
                            var buffer = allocator.fixed (50 + i);
                            buffer.write (pattern (50 + i, seed));
                            frozen = buffer.freeze ();
                        }
                    } catch (Ringal.Error.FULL e) {
                        /* Other threads' bytes may not be gone yet. */
                        Thread.yield ();
                    } catch (GLib.Error e) {
                        unexpected ("a shared allocation", e);
                    }
                }
                check_bytes ("thread %u, bytes %u".printf (seed, i), frozen, pattern (50 + i, seed));
            }
            done.raise ();
        });
    }
    foreach (var thread in threads)
        thread.join ();
    foreach (var done in checked)
        assert_true (done.is_raised ());
    check_everything_released (allocator);
}

void test_bytes_released_on_another_thread_go_back () {
    var allocator = new Ringal.Allocator (4096);
    var queue = new AsyncQueue<Bytes> ();
    var go = new Flag ();
    var consumer = new Thread<void> ("consumer", () => {
        var frozen = queue.pop ();
        while (!go.is_raised ())
            Thread.usleep (1000);
        check_bytes ("on the consumer thread", frozen, pattern (2000, 5));
        /* The last reference goes here. */
    });
    try {
        var buffer = allocator.fixed (2000);
        buffer.write (pattern (2000, 5));
        queue.push (buffer.freeze ());
        buffer = null;
        /* The consumer holds the only reference now. */
        try {
            allocator.fixed (allocator.get_max_size ());
            assert_not_reached ();
        } catch (Ringal.Error.FULL e) {
        }
    } catch (GLib.Error e) {
        unexpected ("hand-over", e);
    }
    go.raise ();
    consumer.join ();
    check_everything_released (allocator);
}

void test_thread_default_is_one_allocator_per_thread () {
    unowned var mine = Ringal.Allocator.get_thread_default ();
    assert_true (Ringal.Allocator.get_thread_default () == mine);
    check_size ("capacity of the thread default", mine.get_capacity (),
                Ringal.Allocator.get_default_capacity ());

    Ringal.Allocator? theirs = null;
    var same_twice = new Flag ();
    new Thread<void> ("other", () => {
        unowned var other = Ringal.Allocator.get_thread_default ();
        if (Ringal.Allocator.get_thread_default () == other)
            same_twice.raise ();
        /* Allocating works there: the thread owns it. */
        try {
            check_bytes ("copy () on the other thread", other.copy (pattern (30, 2)), pattern (30, 2));
        } catch (GLib.Error e) {
            unexpected ("the other thread's default", e);
        }
        theirs = other;
    }).join ();
    assert_true (same_twice.is_raised ());
    assert_nonnull (theirs);
    assert_true (theirs != mine);
}

void test_bytes_outlive_a_finished_threads_default () {
    Bytes? frozen = null;
    void* store = null;
    new Thread<void> ("short-lived", () => {
        try {
            var buffer = Ringal.Allocator.get_thread_default ().extendable (8);
            buffer.write (pattern (5000, 4));
            frozen = buffer.freeze ();
            store = (void*) frozen.get_data ();
        } catch (GLib.Error e) {
            unexpected ("thread default", e);
        }
    }).join ();
    /* The thread's allocator goes with the thread; its bytes do not. */
    check_bytes ("bytes of a finished thread", frozen, pattern (5000, 4));
    assert_true (is_mapped (store));
    frozen = null;
    /* join () may return before the thread's destructors have dropped its
     * allocator, so the store may go a moment later. */
    assert_true (wait_until (() => !is_mapped (store)));
}

void test_default_capacity () {
    /* meson sets RINGAL_DEFAULT_CAPACITY=128k for this test. */
    var from_env = Environment.get_variable ("RINGAL_DEFAULT_CAPACITY");
    var before = Ringal.Allocator.get_default_capacity ();
    if (from_env == null)
        check_size ("default capacity without RINGAL_DEFAULT_CAPACITY", before, DEFAULT_CAPACITY);
    else if (from_env == "128k")
        check_size ("default capacity from RINGAL_DEFAULT_CAPACITY=128k", before, 128 * 1024);

    Ringal.Allocator.set_default_capacity (8192);
    check_size ("default capacity after set", Ringal.Allocator.get_default_capacity (), 8192);
    size_t capacity = 0;
    new Thread<void> ("new thread", () => {
        capacity = Ringal.Allocator.get_thread_default ().get_capacity ();
    }).join ();
    Ringal.Allocator.set_default_capacity (before);
    check_size ("capacity of a thread default made after set", capacity, 8192);
    check_size ("default capacity restored", Ringal.Allocator.get_default_capacity (), before);
}

/* Waiting for room, blocking */

void test_fixed_wait_times_out () {
    var allocator = new Ringal.Allocator (4096);
    var held = fill_until_full (allocator, 200);
    var start = get_monotonic_time ();
    try {
        allocator.fixed_wait (200, 20 * 1000);
        assert_not_reached ();
    } catch (Ringal.Error.FULL e) {
        assert_true (get_monotonic_time () - start >= 20 * 1000);
    } catch (GLib.Error e) {
        unexpected ("fixed_wait () with a timeout", e);
    }
    /* A timeout of 0 does not wait. */
    try {
        allocator.fixed_wait (200, 0);
        assert_not_reached ();
    } catch (Ringal.Error.FULL e) {
    } catch (GLib.Error e) {
        unexpected ("fixed_wait () with no timeout", e);
    }
    held = null;
    check_everything_released (allocator);
}

void test_fixed_wait_is_woken_by_a_release () {
    var allocator = new Ringal.Allocator (4096);
    var released = new Flag ();
    var releaser = release_later (fill_until_full (allocator, 200), 30, released);
    try {
        var buffer = allocator.fixed_wait (200, -1, null);
        /* The room can only have come from the other thread's release. */
        assert_true (released.is_raised ());
        check_size ("write", buffer.write (pattern (200, 6)), 200);
        check_buffer ("the buffer waited for", buffer, pattern (200, 6));
    } catch (GLib.Error e) {
        unexpected ("fixed_wait ()", e);
    }
    releaser.join ();
    check_everything_released (allocator);
}

void test_fixed_wait_can_be_cancelled () {
    var allocator = new Ringal.Allocator (4096);
    var held = fill_until_full (allocator, 200);
    var cancellable = new Cancellable ();
    var canceller = new Thread<void> ("canceller", () => {
        Thread.usleep (20 * 1000);
        cancellable.cancel ();
    });
    try {
        allocator.fixed_wait (200, -1, cancellable);
        assert_not_reached ();
    } catch (IOError.CANCELLED e) {
    } catch (GLib.Error e) {
        unexpected ("cancelled fixed_wait ()", e);
    }
    canceller.join ();
    assert_true (held.length > 0);
}

void test_waiting_cannot_mend_too_large () {
    var allocator = new Ringal.Allocator (4096);
    try {
        allocator.fixed_wait (MIB, -1);
        assert_not_reached ();
    } catch (Ringal.Error.TOO_LARGE e) {
    } catch (GLib.Error e) {
        unexpected ("fixed_wait () too large", e);
    }
}

/* Waiting for room, in a main loop */

async void fixed_async_woken_by_a_release () {
    var allocator = new Ringal.Allocator (4096);
    var released = new Flag ();
    var releaser = release_later (fill_until_full (allocator, 200), 30, released);
    try {
        var buffer = yield allocator.fixed_async (200, null);
        assert_true (released.is_raised ());
        check_size ("write", buffer.write (pattern (200, 7)), 200);
        check_buffer ("the buffer waited for", buffer, pattern (200, 7));
    } catch (GLib.Error e) {
        unexpected ("fixed_async ()", e);
    }
    releaser.join ();
    check_everything_released (allocator);
}

void test_fixed_async_is_woken_by_a_release () {
    var loop = new MainLoop ();
    fixed_async_woken_by_a_release.begin ((obj, result) => {
        fixed_async_woken_by_a_release.end (result);
        loop.quit ();
    });
    run_loop (loop, "fixed_async ()");
}

async void fixed_async_cancelled () {
    var allocator = new Ringal.Allocator (4096);
    var held = fill_until_full (allocator, 200);
    var cancellable = new Cancellable ();
    Timeout.add (20, () => {
        cancellable.cancel ();
        return Source.REMOVE;
    });
    try {
        yield allocator.fixed_async (200, cancellable);
        assert_not_reached ();
    } catch (IOError.CANCELLED e) {
    } catch (GLib.Error e) {
        unexpected ("cancelled fixed_async ()", e);
    }
    assert_true (held.length > 0);
}

void test_fixed_async_can_be_cancelled () {
    var loop = new MainLoop ();
    fixed_async_cancelled.begin ((obj, result) => {
        fixed_async_cancelled.end (result);
        loop.quit ();
    });
    run_loop (loop, "cancelled fixed_async ()");
}

async void fixed_async_without_waiting () {
    var allocator = new Ringal.Allocator (4096);
    try {
        /* Room now: no wait; the cancellable defaults to null. */
        var buffer = yield allocator.fixed_async (100);
        check_size ("write", buffer.write (pattern (100, 8)), 100);
        check_buffer ("the buffer", buffer, pattern (100, 8));
    } catch (GLib.Error e) {
        unexpected ("fixed_async () with room", e);
    }
    /* Errors that waiting cannot mend come back at once. */
    try {
        yield allocator.fixed_async (MIB, null);
        assert_not_reached ();
    } catch (Ringal.Error.TOO_LARGE e) {
    } catch (GLib.Error e) {
        unexpected ("fixed_async () too large", e);
    }
    try {
        var open = allocator.extendable (8);
        try {
            yield allocator.fixed_async (8, null);
            assert_not_reached ();
        } catch (Ringal.Error.BUSY e) {
        }
        open.write (pattern (8));
    } catch (GLib.Error e) {
        unexpected ("fixed_async () while busy", e);
    }
}

void test_fixed_async_without_waiting () {
    var loop = new MainLoop ();
    fixed_async_without_waiting.begin ((obj, result) => {
        fixed_async_without_waiting.end (result);
        loop.quit ();
    });
    run_loop (loop, "fixed_async () with room");
}

/* Lifetimes */

/* Drops the only reference to @allocator and checks that it went. */
void drop_allocator (owned Ringal.Allocator allocator) {
    var finalized = new Flag ();
    allocator.weak_ref ((object) => finalized.raise ());
    allocator = null;
    assert_true (finalized.is_raised ());
}

void test_bytes_outlive_their_allocator () {
    var allocator = new Ringal.Allocator (16384);
    Bytes[] frozen = {};
    try {
        for (uint seed = 0; seed < 5; seed++)
            frozen += allocator.copy (pattern (1000 + seed, seed));
        var buffer = allocator.extendable (16);
        buffer.write (pattern (3000, 7));
        frozen += buffer.freeze ();
    } catch (GLib.Error e) {
        unexpected ("copies", e);
    }
    drop_allocator ((owned) allocator);
    /* Churn the heap, so that freed memory would be reused. */
    var junk = new GenericArray<Bytes> ();
    for (int i = 0; i < 200; i++)
        junk.add (new Bytes (pattern (10240, 100 + i)));
    for (uint seed = 0; seed < 5; seed++)
        check_bytes ("copy %u".printf (seed), frozen[seed], pattern (1000 + seed, seed));
    check_bytes ("frozen extendable", frozen[5], pattern (3000, 7));
}

void test_buffers_outlive_their_allocator_and_take_writes () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var fixed = allocator.fixed (600);
        fixed.write (pattern (300));
        drop_allocator ((owned) allocator);

        check_buffer ("after the allocator went", fixed, pattern (300));
        check_size ("write", fixed.write (pattern (300, 1)), 300);
        var frozen = fixed.freeze ();
        fixed = null;
        check_bytes ("frozen", frozen, concat (pattern (300), pattern (300, 1)));
    } catch (GLib.Error e) {
        unexpected ("buffer without its allocator", e);
    }

    allocator = new Ringal.Allocator (4096);
    try {
        var open = allocator.extendable (16);
        open.write (pattern (100));
        drop_allocator ((owned) allocator);
        /* An open extendable buffer still grows. */
        check_size ("write", open.write (pattern (3000, 1)), 3000);
        var fixed = open.finalize ();
        open = null;
        check_buffer ("finalized", fixed, concat (pattern (100), pattern (3000, 1)));
    } catch (GLib.Error e) {
        unexpected ("extendable buffer without its allocator", e);
    }
}

void test_store_goes_with_the_last_buffer () {
    var allocator = new Ringal.Allocator (64 * 1024);
    try {
        var buffer = allocator.fixed (100);
        buffer.write (pattern (100));
        var frozen = buffer.freeze ();
        void* store = (void*) frozen.get_data ();
        drop_allocator ((owned) allocator);
        assert_true (is_mapped (store));
        frozen = null;
        assert_true (is_mapped (store));
        check_buffer ("the last buffer", buffer, pattern (100));
        buffer = null;
        assert_false (is_mapped (store));
    } catch (GLib.Error e) {
        unexpected ("last buffer", e);
    }

    /* With no buffer left, the store goes with the allocator. */
    allocator = new Ringal.Allocator (64 * 1024);
    void* empty_store = null;
    try {
        empty_store = (void*) allocator.fixed (100).get_data ();
    } catch (GLib.Error e) {
        unexpected ("fixed ()", e);
    }
    assert_true (is_mapped (empty_store));
    drop_allocator ((owned) allocator);
    assert_false (is_mapped (empty_store));
}

/* Arrays: elements go in and out as bytes, in ring memory. */
void test_array_elements_as_bytes () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var array = allocator.array (4, 4, 5);
        check_size ("get_element_size ()", array.get_element_size (), 4);
        assert_true (array.append_data (pattern (12, 1)));
        assert_true (array.insert_data (0, pattern (4, 2)));
        var expected = new ByteArray ();
        expected.append (pattern (4, 2));
        expected.append (pattern (12, 1));
        check_data ("get_data ()", array.get_data (), expected.data);
        check_bytes ("get_element (1)", array.get_element (1), pattern (4, 1));
        assert_true (array.remove_index (0));
        assert_true (array.remove_index_fast (0));
        check_size ("get_len ()", array.get_len (), 2);
        try {
            array.append_data (pattern (16, 3));
            Test.fail_printf ("an array took more than its capacity");
        } catch (Ringal.Error.CAPACITY_EXCEEDED e) {
        }
        check_size ("get_len () after a refused append", array.get_len (), 2);
    } catch (GLib.Error e) {
        unexpected ("array", e);
    }
    check_everything_released (allocator);
}

void test_stats_and_dump () {
    var allocator = new Ringal.Allocator (4096);
    try {
        var held = allocator.fixed (100);
        var stats = allocator.get_stats ();
        check_size ("capacity", stats.capacity, 4096);
        check_size ("n_regions", stats.n_regions, 1);
        assert_true (stats.bytes_in_use >= 100);
        assert_true (stats.n_allocations >= 1);
        assert_true (allocator.dump ().contains ("locked"));
        check_size ("n_held before a lap", stats.n_held, 0);
        for (int i = 0; i < 100; i++) {
            allocator.fixed (500);
        }
        stats = allocator.get_stats ();
        check_size ("n_failed with a held buffer", (size_t) stats.n_failed, 0);
        check_size ("n_held", stats.n_held, 1);
        check_size ("oldest_held_offset", stats.oldest_held_offset, 0);
        assert_true (stats.n_laps >= 10);
        assert_true (stats.oldest_held_laps + 2 >= stats.n_laps);
        assert_true (allocator.dump ().contains ("locked, held"));
        held = null;
        check_size ("n_regions after release", allocator.get_stats ().n_regions, 0);
    } catch (GLib.Error e) {
        unexpected ("stats", e);
    }
}

void test_output_stream_steals_ring_bytes () {
    var allocator = new Ringal.Allocator (8192);
    var stream = new Ringal.OutputStream (allocator);
    try {
        stream.write_all (pattern (3000, 4), null);
        check_size ("get_data_size ()", stream.get_data_size (), 3000);
        stream.close ();
        check_bytes ("steal_as_bytes ()", stream.steal_as_bytes (), pattern (3000, 4));
    } catch (GLib.Error e) {
        unexpected ("output stream", e);
    }
}

/* A shared allocator serves two threads at once. */
void test_shared_allocator_serves_threads () {
    var allocator = new Ringal.Allocator.shared (64 * 1024);
    assert_true (allocator.is_shared ());
    var threads = new Thread<int>[2];
    for (uint t = 0; t < 2; t++) {
        uint seed = t;
        threads[t] = new Thread<int> ("copier", () => {
            int good = 0;
            for (uint i = 0; i < 500; i++) {
                try {
                    var expected = pattern (50 + i % 100, seed);
                    var bytes = allocator.copy (expected);
                    /* a named array: Vala leaks a temporary passed as void* */
                    if (Memory.cmp (bytes.get_data (), expected, expected.length) == 0)
                        good++;
                } catch (Ringal.Error.FULL e) {
                    Thread.yield ();
                    i--;
                } catch (GLib.Error e) {
                    unexpected ("copy () on a shared allocator", e);
                }
            }
            return good;
        });
    }
    foreach (var thread in threads)
        assert_cmpint (thread.join (), CompareOperator.EQ, 500);
}

int main (string[] args) {
    Test.init (ref args);

    Test.add_func ("/ringal/vala/construction/new-rounds-capacity-up", test_new_rounds_capacity_up);
    Test.add_func ("/ringal/vala/release/closes-the-buffer", test_release_closes_the_buffer);
    Test.add_func ("/ringal/vala/release/held-cost-nothing", test_released_buffers_held_cost_the_ring_nothing);
    Test.add_func ("/ringal/vala/release/frozen-bytes-and-open-buffers", test_release_keeps_frozen_bytes_and_frees_the_allocator);
    Test.add_func ("/ringal/vala/construction/try-new", test_try_new);
    Test.add_func ("/ringal/vala/construction/new-with-zero-capacity", test_new_with_zero_capacity_is_a_critical);
    Test.add_func ("/ringal/vala/construction/object-new", test_object_new_gets_the_default_store);
    Test.add_func ("/ringal/vala/construction/properties", test_properties_are_read_only_and_match_the_getters);
    Test.add_func ("/ringal/vala/construction/object-capacity", test_object_construction_sets_the_capacity);
    Test.add_func ("/ringal/vala/construction/max-size", test_max_size_is_exact);
    Test.add_func ("/ringal/vala/construction/version", test_version_constants);
    Test.add_func ("/ringal/vala/construction/error-quark", test_error_quark);

    Test.add_func ("/ringal/vala/fixed/write-short-write-read", test_fixed_write_short_write_and_read_back);
    Test.add_func ("/ringal/vala/fixed/zero-size", test_fixed_of_zero_bytes);
    Test.add_func ("/ringal/vala/fixed/no-overlap-until-full", test_fixed_buffers_do_not_overlap_until_full);
    Test.add_func ("/ringal/vala/fixed/finalize-not-extendable", test_finalize_of_a_fixed_buffer_is_not_extendable);

    Test.add_func ("/ringal/vala/extendable/grow-and-finalize", test_extendable_grows_and_finalizes);
    Test.add_func ("/ringal/vala/extendable/move-to-front", test_extendable_moves_to_the_front_at_the_end);
    Test.add_func ("/ringal/vala/extendable/busy", test_extendable_makes_the_allocator_busy);
    Test.add_func ("/ringal/vala/extendable/finalize-twice", test_finalize_twice_is_not_extendable);
    Test.add_func ("/ringal/vala/extendable/failed-write", test_extendable_failed_write_changes_nothing);
    Test.add_func ("/ringal/vala/extendable/drop-open-then-allocate", test_drop_open_extendable_then_allocate);

    Test.add_func ("/ringal/vala/freeze/zero-copy", test_freeze_is_zero_copy);
    Test.add_func ("/ringal/vala/freeze/extendable", test_freeze_finalizes_an_open_extendable_buffer);
    Test.add_func ("/ringal/vala/freeze/bytes-keep-region", test_frozen_bytes_keep_the_region);
    Test.add_func ("/ringal/vala/freeze/empty", test_freeze_of_an_empty_buffer);
    Test.add_func ("/ringal/vala/freeze/copy", test_copy);
    Test.add_func ("/ringal/vala/freeze/in-order", test_buffers_released_in_order_never_fill_the_ring);
    Test.add_func ("/ringal/vala/freeze/references", test_buffer_references);

    Test.add_func ("/ringal/vala/threads/wrong-thread", test_an_allocator_belongs_to_one_thread);
    Test.add_func ("/ringal/vala/threads/disown", test_disown_hands_the_allocator_over);
    Test.add_func ("/ringal/vala/threads/shared", test_a_shared_allocator_serves_every_thread);
    Test.add_func ("/ringal/vala/threads/release-elsewhere", test_bytes_released_on_another_thread_go_back);
    Test.add_func ("/ringal/vala/threads/thread-default", test_thread_default_is_one_allocator_per_thread);
    Test.add_func ("/ringal/vala/threads/thread-default-lifetime", test_bytes_outlive_a_finished_threads_default);
    Test.add_func ("/ringal/vala/threads/default-capacity", test_default_capacity);

    Test.add_func ("/ringal/vala/wait/timeout", test_fixed_wait_times_out);
    Test.add_func ("/ringal/vala/wait/woken", test_fixed_wait_is_woken_by_a_release);
    Test.add_func ("/ringal/vala/wait/cancelled", test_fixed_wait_can_be_cancelled);
    Test.add_func ("/ringal/vala/wait/too-large", test_waiting_cannot_mend_too_large);
    Test.add_func ("/ringal/vala/async/woken", test_fixed_async_is_woken_by_a_release);
    Test.add_func ("/ringal/vala/async/cancelled", test_fixed_async_can_be_cancelled);
    Test.add_func ("/ringal/vala/async/no-wait", test_fixed_async_without_waiting);

    Test.add_func ("/ringal/vala/lifetime/bytes-outlive-allocator", test_bytes_outlive_their_allocator);
    Test.add_func ("/ringal/vala/lifetime/buffers-outlive-allocator", test_buffers_outlive_their_allocator_and_take_writes);
    Test.add_func ("/ringal/vala/lifetime/store", test_store_goes_with_the_last_buffer);
    Test.add_func ("/ringal/vala/array/elements-as-bytes", test_array_elements_as_bytes);
    Test.add_func ("/ringal/vala/stats-and-dump", test_stats_and_dump);
    Test.add_func ("/ringal/vala/output-stream", test_output_stream_steals_ring_bytes);
    Test.add_func ("/ringal/vala/threads/shared-allocator", test_shared_allocator_serves_threads);

    return Test.run ();
}
