/* test-release.c: ringal_buffer_release(), and the handles kept apart
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "ringal-buffer-private.h"
#include "ringal-test-fixture.h"

/* Releases a buffer nobody needs any more, so that the ring keeps its
 * later handles apart, and drops it. */
static void
start_releasing (RingalAllocator *allocator)
{
  RingalBuffer *first = ringal_test_fixed (allocator, 8);

  ringal_buffer_release (first);
  ringal_buffer_unref (first);
}

static gsize
regions_in_use (RingalAllocator *allocator)
{
  g_autoptr(RingalStats) stats = ringal_allocator_get_stats (allocator, NULL);

  return stats->n_regions;
}

static void
assert_closed (RingalBuffer *buffer)
{
  GError *error = NULL;
  gsize len = 99;
  GBytes *bytes;

  g_assert_true (ringal_buffer_is_closed (buffer));
  g_assert_true (ringal_buffer_is_frozen (buffer));
  g_assert_false (ringal_buffer_is_extendable (buffer));
  (void) ringal_buffer_get_data (buffer, &len);
  g_assert_cmpuint (len, ==, 0);
  g_assert_cmpuint (ringal_buffer_get_len (buffer), ==, 0);
  g_assert_cmpuint (ringal_buffer_get_capacity (buffer), ==, 0);
  g_assert_cmpuint (ringal_buffer_get_spare (buffer), ==, 0);

  g_assert_cmpuint (ringal_buffer_write (buffer, (const guint8 *) "x", 1, &error), ==, 0);
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpuint (ringal_buffer_write (buffer, (const guint8 *) "", 0, &error), ==, 0);
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_CLOSED);
  g_clear_error (&error);

  g_assert_null (ringal_buffer_finalize (buffer, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_CLOSED);
  g_clear_error (&error);

  bytes = ringal_buffer_freeze (buffer);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 0);
  g_bytes_unref (bytes);
}

/* A released buffer is a valid, closed object: no data, no writes, and
 * releasing it again changes nothing.  A handle in its region keeps that
 * region to the last reference; from the first release on, handles live
 * apart and the region is back at once. */
static void
test_closed (RingalFixture *f,
             gconstpointer  data)
{
  RingalBuffer *in_region = ringal_test_fixed (f->allocator, 100);
  RingalBuffer *apart;

  g_assert_false (in_region->flags & RINGAL_BUFFER_APART);
  ringal_test_write_pattern (in_region, 100, 1);
  ringal_buffer_ref (in_region);  /* a binding's wrapper, say */
  ringal_buffer_release (in_region);
  assert_closed (in_region);
  ringal_buffer_release (in_region);
  assert_closed (in_region);
  g_assert_cmpuint (regions_in_use (f->allocator), ==, 1);

  apart = ringal_test_fixed (f->allocator, 100);
  g_assert_true (apart->flags & RINGAL_BUFFER_APART);
  ringal_test_write_pattern (apart, 100, 2);
  ringal_buffer_ref (apart);
  ringal_buffer_release (apart);
  assert_closed (apart);
  ringal_buffer_release (apart);
  g_assert_cmpuint (regions_in_use (f->allocator), ==, 1);

  ringal_buffer_unref (in_region);
  ringal_buffer_unref (in_region);
  g_assert_cmpuint (regions_in_use (f->allocator), ==, 0);
  ringal_buffer_unref (apart);
  ringal_buffer_unref (apart);
}

/* A handle kept apart takes the room in the ring that one in the region
 * would: sizes, capacities and max-size do not depend on where it is. */
static void
test_same_room (RingalFixture *f,
                gconstpointer  data)
{
  gsize max_size = ringal_allocator_get_max_size (f->allocator);
  RingalBuffer *in_region = ringal_test_fixed (f->allocator, 100);
  RingalBuffer *apart, *largest;
  GError *error = NULL;

  start_releasing (f->allocator);
  apart = ringal_test_fixed (f->allocator, 100);
  g_assert_true (apart->flags & RINGAL_BUFFER_APART);
  g_assert_cmpuint (ringal_buffer_get_capacity (apart), ==, ringal_buffer_get_capacity (in_region));
  ringal_buffer_unref (in_region);
  ringal_buffer_unref (apart);

  g_assert_null (ringal_allocator_fixed (f->allocator, max_size + 1, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
  g_clear_error (&error);
  largest = ringal_test_fixed (f->allocator, max_size);
  g_assert_true (largest->flags & RINGAL_BUFFER_APART);
  ringal_test_write_pattern (largest, max_size, 3);
  ringal_buffer_unref (largest);
}

/* What the bindings need: a small ring serves any number of allocations
 * whose handles are all still referenced, as long as each is released. */
static void
test_serves_while_held (RingalFixture *f,
                        gconstpointer  data)
{
  GPtrArray *held = g_ptr_array_new_with_free_func ((GDestroyNotify) ringal_buffer_unref);

  start_releasing (f->allocator);
  for (guint i = 0; i < 10000; i++)
    {
      RingalBuffer *buffer = ringal_test_fixed (f->allocator, 100);

      ringal_test_write_pattern (buffer, 100, i);
      ringal_buffer_release (buffer);
      g_ptr_array_add (held, buffer);
    }
  g_assert_cmpuint (regions_in_use (f->allocator), ==, 0);
  g_ptr_array_unref (held);
}

/* Bytes frozen from a buffer keep their region after the release; it goes
 * back with the last of them. */
static void
test_frozen_keeps_bytes (RingalFixture *f,
                         gconstpointer  data)
{
  for (guint round = 0; round < 2; round++)
    {
      RingalBuffer *buffer = ringal_test_fixed (f->allocator, 300);
      RingalBuffer *others[8];
      GBytes *bytes;

      ringal_test_write_pattern (buffer, 300, 5 + round);
      bytes = ringal_buffer_freeze (buffer);
      ringal_buffer_release (buffer);
      assert_closed (buffer);

      for (guint i = 0; i < G_N_ELEMENTS (others); i++)
        {
          others[i] = ringal_test_fixed (f->allocator, 300);
          ringal_test_write_pattern (others[i], 300, 50 + i);
        }
      ringal_test_assert_pattern (g_bytes_get_data (bytes, NULL), 300, 5 + round);
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, 300);
      for (guint i = 0; i < G_N_ELEMENTS (others); i++)
        ringal_buffer_unref (others[i]);

      ringal_buffer_unref (buffer);
      ringal_test_assert_pattern (g_bytes_get_data (bytes, NULL), 300, 5 + round);
      g_assert_cmpuint (regions_in_use (f->allocator), ==, 1);
      g_bytes_unref (bytes);
      g_assert_cmpuint (regions_in_use (f->allocator), ==, 0);
    }
}

/* Once its bytes are gone, a frozen buffer's release gives the region
 * back at once. */
static void
test_frozen_bytes_dropped (RingalFixture *f,
                           gconstpointer  data)
{
  RingalBuffer *buffer;

  start_releasing (f->allocator);
  buffer = ringal_test_fixed (f->allocator, 64);
  ringal_test_write_pattern (buffer, 64, 3);
  g_bytes_unref (ringal_buffer_freeze (buffer));
  g_assert_cmpuint (regions_in_use (f->allocator), ==, 1);

  ringal_buffer_release (buffer);
  g_assert_cmpuint (regions_in_use (f->allocator), ==, 0);
  assert_closed (buffer);
  ringal_buffer_unref (buffer);
}

/* Releasing an open extendable buffer lets the allocator serve again, in
 * either layout and after a move to the front; the handle stays valid. */
static void
test_extendable (RingalFixture *f,
                 gconstpointer  data)
{
  for (guint round = 0; round < 3; round++)
    {
      RingalBuffer *open, *next;
      GError *error = NULL;

      if (round == 2)
        {
          /* the head near the end, so that the data moves to the front */
          RingalBuffer *first = ringal_test_fixed (f->allocator, 3000);

          ringal_buffer_unref (first);
        }
      open = ringal_test_extendable (f->allocator, 16);
      ringal_test_write_pattern (open, round == 2 ? 1500 : 300, round);
      g_assert_null (ringal_allocator_fixed (f->allocator, 8, &error));
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_BUSY);
      g_clear_error (&error);

      ringal_buffer_release (open);
      assert_closed (open);
      ringal_test_assert_ring_valid (f->ring);

      next = ringal_test_fixed (f->allocator, 200);
      ringal_test_write_pattern (next, 200, 9);
      g_assert_cmpuint (regions_in_use (f->allocator), ==, (round == 0 ? 2 : 1));
      ringal_buffer_unref (next);
      ringal_buffer_unref (open);
    }
}

static gpointer
release_in_thread (gpointer data)
{
  ringal_buffer_release (data);
  return NULL;
}

/* Any thread may release: a handle kept apart gives the data back at
 * once; a handle in the region keeps it until the last reference. */
static void
test_other_thread (RingalFixture *f,
                   gconstpointer  data)
{
  RingalBuffer *in_region, *apart;

  in_region = ringal_test_fixed (f->allocator, 64);
  g_assert_false (in_region->flags & RINGAL_BUFFER_APART);

  g_thread_join (g_thread_new ("release", release_in_thread, in_region));
  assert_closed (in_region);
  g_assert_cmpuint (regions_in_use (f->allocator), ==, 1);

  apart = ringal_test_fixed (f->allocator, 64);
  g_assert_true (apart->flags & RINGAL_BUFFER_APART);
  ringal_test_write_pattern (apart, 64, 1);
  g_thread_join (g_thread_new ("release", release_in_thread, apart));
  assert_closed (apart);
  g_assert_cmpuint (regions_in_use (f->allocator), ==, 1);

  ringal_buffer_unref (in_region);
  g_assert_cmpuint (regions_in_use (f->allocator), ==, 0);
  ringal_buffer_unref (apart);
}

/* A buffer whose handle shares its region, released on another thread
 * while referenced: the allocating thread cuts the region down to the
 * handle when it next looks for room, and the last unref gives back the
 * rest, in whichever order. */
static void
test_cut_by_the_allocating_thread (RingalFixture *f,
                                   gconstpointer  data)
{
  for (guint round = 0; round < 2; round++)
    {
      RingalBuffer *big = ringal_test_fixed (f->allocator, 3000);
      RingalBuffer *next;

      g_assert_false (big->flags & RINGAL_BUFFER_APART);
      ringal_test_write_pattern (big, 3000, round);
      ringal_buffer_ref (big);
      g_thread_join (g_thread_new ("release", release_in_thread, big));
      assert_closed (big);

      /* Fits only once the region is cut down to the handle. */
      next = ringal_test_fixed (f->allocator, 3000);
      ringal_test_write_pattern (next, 3000, 7);
      ringal_test_assert_ring_valid (f->ring);
      g_assert_cmpuint (regions_in_use (f->allocator), ==, 2);

      if (round == 0)
        {
          ringal_buffer_unref (big);
          ringal_buffer_unref (big);
          ringal_buffer_unref (next);
        }
      else
        {
          ringal_buffer_unref (next);
          ringal_buffer_unref (big);
          ringal_buffer_unref (big);
        }
      g_assert_cmpuint (regions_in_use (f->allocator), ==, 0);
      ringal_test_assert_ring_valid (f->ring);

      /* a fresh ring for the next round: handles in their regions again */
      if (round == 0)
        {
          g_object_unref (f->allocator);
          f->allocator = ringal_allocator_new (4096);
          f->ring = ringal_allocator_get_ring (f->allocator);
        }
    }
}

/* A released handle outlives its allocator and its store. */
static void
test_outlives_allocator (void)
{
  RingalAllocator *allocator = ringal_allocator_new (4096);
  gsize stores = ringal_ring_count_stores ();
  RingalBuffer *buffer;

  start_releasing (allocator);
  buffer = ringal_test_fixed (allocator, 64);
  ringal_buffer_release (buffer);
  g_object_unref (allocator);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores - 1);
  assert_closed (buffer);
  ringal_buffer_unref (buffer);
}

static gpointer
unref_bytes_in_thread (gpointer data)
{
  g_bytes_unref (data);
  return NULL;
}

/* Releasing a buffer's last bytes from a frozen, closed handle: a GBytes
 * alone keeps the region, and gives it back from whatever thread. */
static void
test_bytes_outlive_handle (RingalFixture *f,
                           gconstpointer  data)
{
  RingalBuffer *buffer;
  GBytes *bytes;

  start_releasing (f->allocator);
  buffer = ringal_test_fixed (f->allocator, 32);
  ringal_test_write_pattern (buffer, 32, 8);
  bytes = ringal_buffer_freeze (buffer);
  ringal_buffer_release (buffer);
  ringal_buffer_unref (buffer);
  ringal_test_assert_pattern (g_bytes_get_data (bytes, NULL), 32, 8);
  g_thread_join (g_thread_new ("unref", unref_bytes_in_thread, bytes));
  g_assert_cmpuint (regions_in_use (f->allocator), ==, 0);
}

static void
test_null (void)
{
  if (g_test_subprocess ())
    {
      ringal_buffer_release (NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*Ringal-CRITICAL*ringal_buffer_release*self != NULL*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ringal_test_add ("/Ringal/Release/closed", test_closed);
  ringal_test_add ("/Ringal/Release/same-room", test_same_room);
  ringal_test_add ("/Ringal/Release/serves-while-held", test_serves_while_held);
  ringal_test_add ("/Ringal/Release/frozen-keeps-bytes", test_frozen_keeps_bytes);
  ringal_test_add ("/Ringal/Release/frozen-bytes-dropped", test_frozen_bytes_dropped);
  ringal_test_add ("/Ringal/Release/extendable", test_extendable);
  ringal_test_add ("/Ringal/Release/other-thread", test_other_thread);
  ringal_test_add ("/Ringal/Release/cut-by-the-allocating-thread", test_cut_by_the_allocating_thread);
  ringal_test_add ("/Ringal/Release/bytes-outlive-handle", test_bytes_outlive_handle);
  g_test_add_func ("/Ringal/Release/outlives-allocator", test_outlives_allocator);
  g_test_add_func ("/Ringal/Release/null", test_null);

  return g_test_run ();
}
