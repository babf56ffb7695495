/* ringal-test-utils.c: patterns and ring checks shared by the C tests
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <sched.h>

#include "ringal-test-fixture.h"

void
ringal_test_fill (guint8  *data,
                  gsize    len,
                  guint32  seed)
{
  for (gsize i = 0; i < len; i++)
    data[i] = ringal_test_pattern_byte (seed, i);
}

gsize
ringal_test_first_mismatch (const guint8 *data,
                            gsize         len,
                            guint32       seed)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] != ringal_test_pattern_byte (seed, i))
      return i;
  return len;
}

gboolean
ringal_test_pattern_holds (const guint8 *data,
                           gsize         len,
                           guint32       seed)
{
  return ringal_test_first_mismatch (data, len, seed) == len;
}

void
ringal_test_assert_ring (RingalRing *ring,
                         const char *file,
                         int         line)
{
  char *message = NULL;

  if (!ringal_ring_check (ring, &message))
    {
      g_autofree char *dump = ringal_ring_dump (ring);

      g_error ("%s:%d: ring invariant broken: %s\n%s", file, line, message, dump);
    }
}

/* A new buffer, or the test fails. */
RingalBuffer *
ringal_test_fixed (RingalAllocator *allocator,
                   gsize            size)
{
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer = ringal_allocator_fixed (allocator, size, &error);

  g_assert_no_error (error);
  g_assert_nonnull (buffer);
  g_assert_cmpuint (ringal_buffer_get_capacity (buffer), >=, size);
  g_assert_cmpuint (ringal_buffer_get_len (buffer), ==, 0);
  return buffer;
}

RingalBuffer *
ringal_test_extendable (RingalAllocator *allocator,
                        gsize            size)
{
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer = ringal_allocator_extendable (allocator, size, &error);

  g_assert_no_error (error);
  g_assert_nonnull (buffer);
  g_assert_true (ringal_buffer_is_extendable (buffer));
  return buffer;
}

void
ringal_test_write_pattern (RingalBuffer *buffer,
                           gsize         len,
                           guint32       seed)
{
  g_autofree guint8 *bytes = g_malloc (len + 1);
  g_autoptr(GError) error = NULL;
  gsize written;

  ringal_test_fill (bytes, len, seed);
  written = ringal_buffer_write (buffer, bytes, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, len);
}

void
ringal_test_channel_push (RingalTestChannel *channel,
                          gpointer           item)
{
  gsize head = atomic_load_explicit (&channel->head, memory_order_relaxed);

  while (head - atomic_load_explicit (&channel->tail, memory_order_acquire) == RINGAL_TEST_CHANNEL_SIZE)
    sched_yield ();
  atomic_store_explicit (&channel->slots[head % RINGAL_TEST_CHANNEL_SIZE], item, memory_order_relaxed);
  atomic_store_explicit (&channel->head, head + 1, memory_order_release);
}

gpointer
ringal_test_channel_pop (RingalTestChannel *channel)
{
  gsize tail = atomic_load_explicit (&channel->tail, memory_order_relaxed);
  gpointer item;

  while (atomic_load_explicit (&channel->head, memory_order_acquire) == tail)
    sched_yield ();
  item = atomic_load_explicit (&channel->slots[tail % RINGAL_TEST_CHANNEL_SIZE], memory_order_relaxed);
  atomic_store_explicit (&channel->tail, tail + 1, memory_order_release);
  return item;
}

RingalRing *
ringal_test_ring_new (gsize capacity)
{
  RingalRingStatus status;
  RingalRing *ring = ringal_ring_new (capacity, &status);

  g_assert_nonnull (ring);
  g_assert_cmpint (status, ==, RINGAL_RING_OK);
  return ring;
}

RingalGuard *
ringal_test_ring_alloc (RingalRing       *ring,
                        gsize             size,
                        RingalRingStatus *status)
{
  return ringal_ring_reserve (ring, 0, size, RINGAL_WORD, status);
}

void
ringal_fixture_setup (RingalFixture *fixture,
                      gconstpointer  capacity)
{
  fixture->stores_before = ringal_ring_count_stores ();
  fixture->allocator = ringal_allocator_new (capacity != NULL ? GPOINTER_TO_SIZE (capacity) : 4096);
  g_assert_nonnull (fixture->allocator);
  fixture->ring = ringal_allocator_get_ring (fixture->allocator);
}

void
ringal_fixture_teardown (RingalFixture *fixture,
                         gconstpointer  capacity)
{
  g_autoptr(GError) error = NULL;
  RingalBuffer *largest;

  ringal_test_assert_ring_valid (fixture->ring);

  largest = ringal_allocator_fixed (fixture->allocator,
                                    ringal_allocator_get_max_size (fixture->allocator),
                                    &error);
  g_assert_no_error (error);
  ringal_buffer_unref (largest);

  g_clear_object (&fixture->allocator);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, fixture->stores_before);
}

/* The main() of a fuzz target built without libFuzzer: replays the files
 * it is given (the seed corpus, in the test suite, or a crasher). */
int
ringal_test_replay (int     argc,
                    char   *argv[],
                    int   (*test_one_input) (const guint8 *data,
                                             size_t        size))
{
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *contents = NULL;
      gsize length;
      g_autoptr(GError) error = NULL;

      if (!g_file_get_contents (argv[i], &contents, &length, &error))
        g_error ("%s", error->message);
      test_one_input ((const guint8 *) contents, length);
    }
  g_print ("%d inputs replayed\n", argc - 1);
  return 0;
}
