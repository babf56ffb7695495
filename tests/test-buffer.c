/* test-buffer.c: fixed and extendable buffers, finalize and freeze
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The buffer scenarios of the seed's tests, with every byte checked, and
 * the regression tests for the seed's extendable-buffer defects.
 */

#include <string.h>

#include "ringal-buffer-private.h"
#include "ringal-test-fixture.h"

typedef struct {
  RingalBuffer *buffer;
  guint32       seed;
} Tagged;

static RingalBuffer *
finalize_or_fail (RingalBuffer *extendable)
{
  g_autoptr(GError) error = NULL;
  RingalBuffer *fixed = ringal_buffer_finalize (extendable, &error);

  g_assert_no_error (error);
  g_assert_true (fixed == extendable);
  g_assert_false (ringal_buffer_is_extendable (fixed));
  ringal_buffer_unref (extendable);
  return fixed;
}

static void
assert_buffer_pattern (RingalBuffer *buffer,
                       gsize         len,
                       guint32       seed)
{
  gsize got;
  const guint8 *data = ringal_buffer_get_data (buffer, &got);

  g_assert_cmpuint (got, ==, len);
  ringal_test_assert_pattern (data, len, seed);
}

static gboolean
buffers_overlap (RingalBuffer *a,
                 RingalBuffer *b)
{
  const guint8 *da = ringal_buffer_get_data (a, NULL);
  const guint8 *db = ringal_buffer_get_data (b, NULL);

  return da < db + ringal_buffer_get_capacity (b) && db < da + ringal_buffer_get_capacity (a);
}

static void
test_fixed_alloc (RingalFixture *f,
                  gconstpointer  data)
{
  static const char message[] = "hello world, short message";
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer = ringal_test_fixed (f->allocator, 256);
  gsize written, len;

  written = ringal_buffer_write (buffer, (const guint8 *) message, strlen (message), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, strlen (message));
  g_assert_cmpuint (ringal_buffer_get_len (buffer), ==, written);
  g_assert_cmpuint (ringal_buffer_get_spare (buffer), >=, 256 - written);
  g_assert_cmpuint (ringal_buffer_get_spare (buffer), ==,
                    ringal_buffer_get_capacity (buffer) - written);
  g_assert_cmpmem (ringal_buffer_get_data (buffer, &len), len, message, strlen (message));
  g_assert_false (ringal_buffer_is_extendable (buffer));
  g_assert_false (ringal_buffer_is_frozen (buffer));

  ringal_buffer_unref (buffer);
}

/* A fixed buffer takes what fits, like a short write, and then nothing. */
static void
test_fixed_short_write (RingalFixture *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer = ringal_test_fixed (f->allocator, 30);
  gsize capacity = ringal_buffer_get_capacity (buffer);
  g_autofree guint8 *bytes = g_malloc (capacity + 100);

  ringal_test_fill (bytes, capacity + 100, 5);
  g_assert_cmpuint (ringal_buffer_write (buffer, bytes, 10, &error), ==, 10);
  g_assert_cmpuint (ringal_buffer_write (buffer, bytes + 10, capacity + 90, &error), ==, capacity - 10);
  g_assert_no_error (error);
  g_assert_cmpuint (ringal_buffer_get_spare (buffer), ==, 0);
  g_assert_cmpuint (ringal_buffer_write (buffer, bytes, 1, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (ringal_buffer_write (buffer, bytes, G_MAXSIZE, &error), ==, 0);
  g_assert_no_error (error);
  assert_buffer_pattern (buffer, capacity, 5);

  ringal_buffer_unref (buffer);
}

/* A size of 0 is a buffer of its own, as malloc (0) is. */
static void
test_fixed_empty (RingalFixture *f,
                  gconstpointer  data)
{
  RingalBuffer *a = ringal_test_fixed (f->allocator, 0);
  RingalBuffer *b = ringal_test_fixed (f->allocator, 0);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ringal_buffer_get_data (a, NULL) != ringal_buffer_get_data (b, NULL));
  g_assert_cmpuint (ringal_buffer_write (a, NULL, 0, &error), ==, 0);
  g_assert_no_error (error);
  bytes = ringal_buffer_freeze (a);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 0);

  ringal_buffer_unref (a);
  ringal_buffer_unref (b);
}

/* Buffers that fill the store: the next fails with FULL, and after all are
 * released the ring serves again, three times over. */
static void
run_multi_alloc (RingalFixture *f,
                 gboolean       extendable)
{
  GPtrArray *buffers = g_ptr_array_new ();

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GError) error = NULL;
      RingalBuffer *buffer;

      for (;;)
        {
          buffer = extendable
            ? ringal_allocator_extendable (f->allocator, 64, &error)
            : ringal_allocator_fixed (f->allocator, 64, &error);
          if (buffer == NULL)
            break;
          ringal_test_write_pattern (buffer, 64, round * 1000 + buffers->len);
          if (extendable)
            buffer = finalize_or_fail (buffer);
          g_ptr_array_add (buffers, buffer);
        }
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
      g_assert_cmpuint (buffers->len, >=, 4096 / (64 + 48 + 8));
      ringal_test_assert_ring_valid (f->ring);

      for (guint i = 0; i < buffers->len; i++)
        {
          assert_buffer_pattern (buffers->pdata[i], 64, round * 1000 + i);
          ringal_buffer_unref (buffers->pdata[i]);
        }
      g_ptr_array_set_size (buffers, 0);
    }

  g_ptr_array_unref (buffers);
}

static void
test_fixed_multi_alloc (RingalFixture *f,
                        gconstpointer  data)
{
  run_multi_alloc (f, FALSE);
}

static void
test_extendable_multi_alloc (RingalFixture *f,
                             gconstpointer  data)
{
  run_multi_alloc (f, TRUE);
}

/* The seed's continuous tests: 8192 messages of 64 to 255 bytes, a window
 * of the latest ones kept alive, never a failure. */
static void
run_continuous (RingalFixture *f,
                gboolean       extendable,
                gsize          window)
{
  GQueue live = G_QUEUE_INIT;
  guint32 random = 0xC0FFEE;

  for (guint32 i = 0; i < 8192; i++)
    {
      gsize len = 64 + ringal_test_next_random (&random) % 192;
      Tagged *tagged = g_new (Tagged, 1);

      if (g_queue_get_length (&live) == window)
        {
          Tagged *oldest = g_queue_pop_head (&live);

          assert_buffer_pattern (oldest->buffer, ringal_buffer_get_len (oldest->buffer), oldest->seed);
          ringal_buffer_unref (oldest->buffer);
          g_free (oldest);
        }

      tagged->seed = i;
      if (extendable)
        {
          tagged->buffer = ringal_test_extendable (f->allocator, 128);
          /* in pieces, to grow it several times */
          for (gsize done = 0; done < len; done += 16)
            {
              guint8 piece[16];

              for (gsize k = 0; k < 16; k++)
                piece[k] = ringal_test_pattern_byte (i, done + k);
              g_assert_cmpuint (ringal_buffer_write (tagged->buffer, piece, MIN (16, len - done), NULL),
                                ==, MIN (16, len - done));
            }
          tagged->buffer = finalize_or_fail (tagged->buffer);
        }
      else
        {
          tagged->buffer = ringal_test_fixed (f->allocator, 128 + len % 128);
          ringal_test_write_pattern (tagged->buffer, len, i);
        }
      assert_buffer_pattern (tagged->buffer, len, i);
      g_queue_push_tail (&live, tagged);

      if (i % 64 == 0)
        ringal_test_assert_ring_valid (f->ring);
    }

  while (!g_queue_is_empty (&live))
    {
      Tagged *tagged = g_queue_pop_head (&live);

      assert_buffer_pattern (tagged->buffer, ringal_buffer_get_len (tagged->buffer), tagged->seed);
      ringal_buffer_unref (tagged->buffer);
      g_free (tagged);
    }
}

static void
test_fixed_continuous (RingalFixture *f,
                       gconstpointer  data)
{
  run_continuous (f, FALSE, 4);
  run_continuous (f, FALSE, 8);
}

static void
test_extendable_continuous (RingalFixture *f,
                            gconstpointer  data)
{
  run_continuous (f, TRUE, 4);
  run_continuous (f, TRUE, 8);
}

/* The seed's single extendable test: grow 7 bytes at a time to nearly the
 * whole store. */
static void
test_extendable_alloc (RingalFixture *f,
                       gconstpointer  data)
{
  RingalBuffer *buffer = ringal_test_extendable (f->allocator, 64);
  gsize max = ringal_allocator_get_max_size (f->allocator);
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  while (len + 7 <= max)
    {
      guint8 piece[7];

      for (gsize k = 0; k < 7; k++)
        piece[k] = ringal_test_pattern_byte (3, len + k);
      g_assert_cmpuint (ringal_buffer_write (buffer, piece, 7, &error), ==, 7);
      g_assert_no_error (error);
      len += 7;
    }
  assert_buffer_pattern (buffer, len, 3);
  g_assert_cmpuint (len, >, max - 7);

  buffer = finalize_or_fail (buffer);
  assert_buffer_pattern (buffer, len, 3);
  ringal_buffer_unref (buffer);
}

/* While an extendable buffer is open, the allocator serves nothing else. */
static void
test_extendable_busy (RingalFixture *f,
                      gconstpointer  data)
{
  RingalBuffer *open = ringal_test_extendable (f->allocator, 16);
  RingalBuffer *fixed;
  GError *error = NULL;

  g_assert_null (ringal_allocator_fixed (f->allocator, 8, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_null (ringal_allocator_extendable (f->allocator, 8, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_null (ringal_allocator_copy (f->allocator, (const guint8 *) "x", 1, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_BUSY);
  g_clear_error (&error);

  /* Finalizing frees the allocator again... */
  fixed = finalize_or_fail (open);
  ringal_buffer_unref (fixed);

  /* ...and so does dropping an open buffer without finalizing it. */
  open = ringal_test_extendable (f->allocator, 16);
  ringal_test_write_pattern (open, 300, 1);
  ringal_buffer_unref (open);
  fixed = ringal_test_fixed (f->allocator, 8);
  ringal_buffer_unref (fixed);
}

/* Dropping an open extendable buffer closes it as finalize does: the
 * allocator starts again where the buffer began, instead of past all the
 * space it had taken over, where the next allocation would wrap to the
 * front and meet a buffer held there. */
static void
test_extendable_dropped_open (RingalFixture *f,
                              gconstpointer  data)
{
  RingalBuffer *held = ringal_test_fixed (f->allocator, 64);
  RingalBuffer *open = ringal_test_extendable (f->allocator, 16);
  RingalBuffer *next;

  ringal_test_write_pattern (open, 100, 2);
  g_assert_cmpuint (ringal_buffer_get_capacity (open), >, 2000);  /* took the free run */
  ringal_buffer_unref (open);

  next = ringal_test_fixed (f->allocator, 10);
  g_assert_true ((gpointer) next > (gpointer) held);
  ringal_buffer_unref (next);
  ringal_buffer_unref (held);
}

/* finalize on anything but an open extendable buffer is an error that
 * changes nothing. */
static void
test_finalize_twice (RingalFixture *f,
                     gconstpointer  data)
{
  RingalBuffer *buffer = ringal_test_extendable (f->allocator, 16);
  RingalBuffer *fixed;
  GError *error = NULL;

  ringal_test_write_pattern (buffer, 100, 9);
  fixed = finalize_or_fail (buffer);

  g_assert_null (ringal_buffer_finalize (fixed, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_NOT_EXTENDABLE);
  g_clear_error (&error);
  assert_buffer_pattern (fixed, 100, 9);
  ringal_buffer_unref (fixed);

  fixed = ringal_test_fixed (f->allocator, 16);
  g_assert_null (ringal_buffer_finalize (fixed, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_NOT_EXTENDABLE);
  g_clear_error (&error);
  ringal_buffer_unref (fixed);
}

/* Finalizing gives back what the buffer took over but did not use. */
static void
test_finalize_trims (RingalFixture *f,
                     gconstpointer  data)
{
  RingalBuffer *buffer = ringal_test_extendable (f->allocator, 16);
  RingalBuffer *others[8];

  ringal_test_write_pattern (buffer, 200, 4);
  g_assert_cmpuint (ringal_buffer_get_capacity (buffer), >, 2000);  /* took the free run */
  buffer = finalize_or_fail (buffer);
  g_assert_cmpuint (ringal_buffer_get_capacity (buffer), <, 200 + 4 * RINGAL_WORD);

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    others[i] = ringal_test_fixed (f->allocator, 300);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_false (buffers_overlap (buffer, others[i]));
  assert_buffer_pattern (buffer, 200, 4);

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    ringal_buffer_unref (others[i]);
  ringal_buffer_unref (buffer);
}

/* D1: the seed's growth in place rewrote the guard without the LOCKED
 * bit, so the grown buffer's memory was handed out again. */
static void
test_regression_grow_keeps_lock (RingalFixture *f,
                                 gconstpointer  data)
{
  RingalBuffer *grown = ringal_test_extendable (f->allocator, 16);
  GPtrArray *others = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  RingalBuffer *other;

  ringal_test_write_pattern (grown, 200, 0xAA);
  g_assert_cmpuint (ringal_buffer_get_capacity (grown), >=, 200);
  g_assert_true (ringal_guard_is_locked (((RingalGuard *) grown) - 1));
  grown = finalize_or_fail (grown);
  g_assert_true (ringal_guard_is_locked (((RingalGuard *) grown) - 1));

  while ((other = ringal_allocator_fixed (f->allocator, 200, &error)) != NULL)
    {
      ringal_test_write_pattern (other, 200, 0x55 + others->len);
      g_assert_false (buffers_overlap (grown, other));
      g_ptr_array_add (others, other);
    }
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
  g_assert_cmpuint (others->len, >, 0);
  ringal_test_assert_ring_valid (f->ring);

  assert_buffer_pattern (grown, 200, 0xAA);
  for (guint i = 0; i < others->len; i++)
    {
      assert_buffer_pattern (others->pdata[i], 200, 0x55 + i);
      ringal_buffer_unref (others->pdata[i]);
    }
  g_ptr_array_unref (others);
  ringal_buffer_unref (grown);
}

/* D2, success: a buffer that reaches the end of the store moves to the
 * front with every byte, and its handle stays where it was. */
static void
test_regression_wrap_moves_bytes (RingalFixture *f,
                                  gconstpointer  data)
{
  RingalBuffer *first = ringal_test_fixed (f->allocator, 3000);
  RingalBuffer *moving, *others[4];
  const guint8 *before;

  ringal_buffer_unref (first);  /* the head is now near the end */
  moving = ringal_test_extendable (f->allocator, 8);
  ringal_test_write_pattern (moving, 500, 7);
  before = ringal_buffer_get_data (moving, NULL);

  /* 500 + 1000 bytes do not fit before the end: the data moves */
  {
    g_autofree guint8 *bytes = g_malloc (1500);

    ringal_test_fill (bytes, 1500, 7);
    g_assert_cmpuint (ringal_buffer_write (moving, bytes + 500, 1000, NULL), ==, 1000);
  }
  g_assert_true (ringal_buffer_get_data (moving, NULL) < before);
  g_assert_true (ringal_buffer_get_data (moving, NULL) == (const guint8 *) (f->ring->base + 1));
  assert_buffer_pattern (moving, 1500, 7);
  ringal_test_assert_ring_valid (f->ring);

  moving = finalize_or_fail (moving);
  assert_buffer_pattern (moving, 1500, 7);

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      others[i] = ringal_test_fixed (f->allocator, 200);
      ringal_test_write_pattern (others[i], 200, 100 + i);
      g_assert_false (buffers_overlap (moving, others[i]));
    }
  assert_buffer_pattern (moving, 1500, 7);
  ringal_test_assert_ring_valid (f->ring);

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      assert_buffer_pattern (others[i], 200, 100 + i);
      ringal_buffer_unref (others[i]);
    }
  ringal_buffer_unref (moving);
}

/* D2, failure: the seed released the old region and lost every byte when
 * the front had no room; here the write fails and nothing changes.  A
 * buffer held at the front is what stands in the way, so the error is
 * FULL: releasing it could help. */
static void
test_regression_failed_growth_keeps_bytes (RingalFixture *f,
                                           gconstpointer  data)
{
  RingalBuffer *held = ringal_test_fixed (f->allocator, 64);
  RingalBuffer *first = ringal_test_fixed (f->allocator, 1400);
  RingalBuffer *buffer;
  g_autofree guint8 *more = g_malloc (200);
  GError *error = NULL;
  const guint8 *data_before;
  gsize capacity_before;

  ringal_buffer_unref (first);
  buffer = ringal_test_extendable (f->allocator, 8);
  ringal_test_write_pattern (buffer, 2400, 11);
  data_before = ringal_buffer_get_data (buffer, NULL);
  capacity_before = ringal_buffer_get_capacity (buffer);

  ringal_test_fill (more, 200, 12);
  g_assert_cmpuint (ringal_buffer_write (buffer, more, 200, &error), ==, 0);
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
  g_clear_error (&error);

  g_assert_true (ringal_buffer_get_data (buffer, NULL) == data_before);
  g_assert_cmpuint (ringal_buffer_get_capacity (buffer), ==, capacity_before);
  assert_buffer_pattern (buffer, 2400, 11);
  ringal_test_assert_ring_valid (f->ring);

  /* More than the allocator can ever hold is TOO_LARGE, also unchanged. */
  g_assert_cmpuint (ringal_buffer_write (buffer, more, G_MAXSIZE, &error), ==, 0);
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
  g_clear_error (&error);
  assert_buffer_pattern (buffer, 2400, 11);

  buffer = finalize_or_fail (buffer);
  assert_buffer_pattern (buffer, 2400, 11);
  ringal_buffer_unref (buffer);
  ringal_buffer_unref (held);
}

/* The handle stays where an extendable buffer was opened: the bytes get
 * the store from there to the end, or from the front up to there.  Past
 * that nothing can be released to help, so the error is TOO_LARGE, both
 * before the move to the front and after it. */
static void
test_extendable_bounded_by_itself (RingalFixture *f,
                                   gconstpointer  data)
{
  RingalBuffer *first = ringal_test_fixed (f->allocator, 2000);
  RingalBuffer *buffer;
  g_autofree guint8 *more = g_malloc (3000);
  GError *error = NULL;
  gsize len = 1500;

  ringal_buffer_unref (first);
  buffer = ringal_test_extendable (f->allocator, 16);
  ringal_test_write_pattern (buffer, len, 3);
  ringal_test_fill (more, 3000, 4);

  /* Neither after it nor before it: TOO_LARGE, nothing changed. */
  g_assert_cmpuint (ringal_buffer_write (buffer, more, 1500, &error), ==, 0);
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
  g_clear_error (&error);
  assert_buffer_pattern (buffer, len, 3);

  /* Grow until it has moved to the front and met its own handle. */
  while (ringal_buffer_write (buffer, more, 100, &error) == 100)
    {
      g_assert_no_error (error);
      len += 100;
    }
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_true (ringal_buffer_get_data (buffer, NULL) == (const guint8 *) (f->ring->base + 1));
  g_assert_cmpuint (len, >=, ringal_allocator_get_max_size (f->allocator) / 2 - 100);
  ringal_test_assert_ring_valid (f->ring);

  buffer = finalize_or_fail (buffer);
  ringal_buffer_unref (buffer);
}

static void
test_too_large (RingalFixture *f,
                gconstpointer  data)
{
  gsize sizes[] = { ringal_allocator_get_max_size (f->allocator) + 1, 4096, 1 << 20,
                    G_MAXSIZE / 2, G_MAXSIZE };
  RingalBuffer *largest;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      GError *error = NULL;

      g_assert_null (ringal_allocator_fixed (f->allocator, sizes[i], &error));
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
      g_clear_error (&error);
      g_assert_null (ringal_allocator_extendable (f->allocator, sizes[i], &error));
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
      g_clear_error (&error);
    }

  largest = ringal_test_fixed (f->allocator, ringal_allocator_get_max_size (f->allocator));
  ringal_test_write_pattern (largest, ringal_allocator_get_max_size (f->allocator), 1);
  ringal_buffer_unref (largest);
}

/* freeze points into the ring, shuts the buffer to writes, and keeps the
 * region until the buffer and every GBytes are gone. */
static void
test_freeze (RingalFixture *f,
             gconstpointer  data)
{
  RingalBuffer *buffer = ringal_test_fixed (f->allocator, 100);
  gsize prefix;
  RingalGuard *guard = ringal_buffer_data_guard (buffer, &prefix);
  GBytes *bytes, *again;
  GError *error = NULL;
  gsize size;

  ringal_test_write_pattern (buffer, 100, 21);
  bytes = ringal_buffer_freeze (buffer);
  g_assert_true (ringal_buffer_is_frozen (buffer));
  g_assert_true (g_bytes_get_data (bytes, &size) == ringal_buffer_get_data (buffer, NULL));
  g_assert_cmpuint (size, ==, 100);
  ringal_test_assert_pattern (g_bytes_get_data (bytes, NULL), 100, 21);

  g_assert_cmpuint (ringal_buffer_write (buffer, (const guint8 *) "x", 1, &error), ==, 0);
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FROZEN);
  g_clear_error (&error);
  g_assert_cmpuint (ringal_buffer_get_len (buffer), ==, 100);

  again = ringal_buffer_freeze (buffer);
  g_assert_true (g_bytes_get_data (again, NULL) == g_bytes_get_data (bytes, NULL));

  /* A reference of the caller's own keeps the region as the bytes do. */
  g_assert_true (ringal_buffer_ref (buffer) == buffer);
  ringal_buffer_unref (buffer);
  g_assert_true (ringal_guard_is_locked (guard));

  ringal_buffer_unref (buffer);
  g_assert_true (ringal_guard_is_locked (guard));
  g_bytes_unref (again);
  g_assert_true (ringal_guard_is_locked (guard));
  ringal_test_assert_pattern (g_bytes_get_data (bytes, NULL), 100, 21);
  g_bytes_unref (bytes);
  g_assert_false (ringal_guard_is_locked (guard));
}

/* Freezing an open extendable buffer finalizes it. */
static void
test_freeze_extendable (RingalFixture *f,
                        gconstpointer  data)
{
  RingalBuffer *buffer = ringal_test_extendable (f->allocator, 8);
  RingalBuffer *other;
  GBytes *bytes;

  ringal_test_write_pattern (buffer, 700, 31);
  bytes = ringal_buffer_freeze (buffer);
  g_assert_false (ringal_buffer_is_extendable (buffer));
  ringal_buffer_unref (buffer);

  other = ringal_test_fixed (f->allocator, 500);
  ringal_test_assert_pattern (g_bytes_get_data (bytes, NULL), 700, 31);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 700);
  ringal_buffer_unref (other);
  g_bytes_unref (bytes);
}

static void
test_copy (RingalFixture *f,
           gconstpointer  data)
{
  guint8 message[77];
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  ringal_test_fill (message, sizeof message, 41);
  bytes = ringal_allocator_copy (f->allocator, message, sizeof message, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, sizeof message);
  ringal_test_assert_pattern (g_bytes_get_data (bytes, NULL), sizeof message, 41);
  /* in ring memory, not a copy on the heap */
  g_assert_true ((const guint8 *) g_bytes_get_data (bytes, NULL) > (const guint8 *) f->ring->base);
  g_assert_true ((const guint8 *) g_bytes_get_data (bytes, NULL) < (const guint8 *) f->ring->tail);
  g_bytes_unref (bytes);
}

/* Documented: a fixed buffer's capacity is its size rounded up to a
 * word, and a write may fill all of it. */
static void
test_fixed_rounds_to_a_word (RingalFixture *f,
                             gconstpointer  data)
{
  guint8 bytes[2 * RINGAL_WORD] = { 0 };

  for (gsize size = 1; size <= RINGAL_WORD + 1; size++)
    {
      g_autoptr(RingalBuffer) buffer = ringal_test_fixed (f->allocator, size);
      gsize rounded = (size + RINGAL_WORD - 1) / RINGAL_WORD * RINGAL_WORD;

      g_assert_cmpuint (ringal_buffer_get_capacity (buffer), ==, rounded);
      g_assert_cmpuint (ringal_buffer_write (buffer, bytes, sizeof bytes, NULL), ==, rounded);
    }
}

/* Written in place: reserve() points at the end, commit() adds what was
 * written there, in several steps and across growth and the move to the
 * front, every byte kept. */
static void
test_reserve_commit_extendable (RingalFixture *f,
                                gconstpointer  data)
{
  RingalBuffer *first = ringal_test_fixed (f->allocator, 2500);
  RingalBuffer *buffer;
  g_autofree guint8 *bytes = g_malloc (1800);
  g_autoptr(GError) error = NULL;
  const guint8 *opened_at;
  gsize len = 0;

  ringal_test_fill (bytes, 1800, 21);
  ringal_buffer_unref (first);  /* the head is now near the end */
  buffer = ringal_test_extendable (f->allocator, 8);
  opened_at = ringal_buffer_get_data (buffer, NULL);

  /* 100 bytes at a time, each 40 written in place of 100 reserved first */
  while (len < 1800)
    {
      guint8 *room = ringal_buffer_reserve (buffer, 100, &error);
      gsize step = MIN (100, 1800 - len);

      g_assert_no_error (error);
      g_assert_nonnull (room);
      g_assert_true (room == ringal_buffer_get_data (buffer, NULL) + len);
      g_assert_cmpuint (ringal_buffer_get_spare (buffer), >=, 100);
      g_assert_cmpuint (ringal_buffer_get_len (buffer), ==, len);
      memcpy (room, bytes + len, MIN (40, step));
      ringal_buffer_commit (buffer, MIN (40, step));
      memcpy (room + 40, bytes + len + 40, step - MIN (40, step));
      ringal_buffer_commit (buffer, step - MIN (40, step));
      len += step;
      assert_buffer_pattern (buffer, len, 21);
    }
  /* it moved to the front on the way, with every byte */
  g_assert_true (ringal_buffer_get_data (buffer, NULL) < opened_at);
  ringal_test_assert_ring_valid (f->ring);

  /* committing nothing is fine */
  g_assert_nonnull (ringal_buffer_reserve (buffer, 0, &error));
  ringal_buffer_commit (buffer, 0);
  assert_buffer_pattern (buffer, 1800, 21);

  buffer = finalize_or_fail (buffer);
  assert_buffer_pattern (buffer, 1800, 21);
  ringal_buffer_unref (buffer);
}

/* An extendable buffer opens over the whole free run at the head: it
 * grows within it without a walk, and closing gives the rest back. */
static void
test_extendable_opens_over_the_run (RingalFixture *f,
                                    gconstpointer  data)
{
  RingalBuffer *buffer, *next;
  const guint8 *at;
  gsize capacity;

  /* the fast path is the owning thread's: take the allocator first */
  ringal_buffer_unref (ringal_test_fixed (f->allocator, 8));
  buffer = ringal_test_extendable (f->allocator, 8);
  capacity = ringal_buffer_get_capacity (buffer);
  at = ringal_buffer_get_data (buffer, NULL);

  /* the run from the head to the end of the store */
  g_assert_cmpuint (capacity, >=, f->ring->capacity - 256);
  ringal_test_write_pattern (buffer, 1000, 13);
  g_assert_true (ringal_buffer_get_data (buffer, NULL) == at);
  g_assert_cmpuint (ringal_buffer_get_capacity (buffer), ==, capacity);

  buffer = finalize_or_fail (buffer);
  g_assert_cmpuint (ringal_buffer_get_capacity (buffer), <, 1000 + 4 * RINGAL_WORD);
  next = ringal_test_fixed (f->allocator, 64);
  g_assert_true (ringal_buffer_get_data (next, NULL) > at + 1000);
  g_assert_true (ringal_buffer_get_data (next, NULL) < at + 1000 + 8 * RINGAL_WORD + RINGAL_BUFFER_PREFIX);
  assert_buffer_pattern (buffer, 1000, 13);
  ringal_test_assert_ring_valid (f->ring);

  ringal_buffer_unref (next);
  ringal_buffer_unref (buffer);
}

/* A fixed buffer gives the room it has and says when it has not; a failed
 * or a frozen reserve() changes nothing. */
static void
test_reserve_fixed (RingalFixture *f,
                    gconstpointer  data)
{
  RingalBuffer *buffer = ringal_test_fixed (f->allocator, 64);
  gsize capacity = ringal_buffer_get_capacity (buffer);
  GError *error = NULL;
  GBytes *bytes;
  guint8 *room;

  room = ringal_buffer_reserve (buffer, capacity, &error);
  g_assert_no_error (error);
  g_assert_true (room == ringal_buffer_get_data (buffer, NULL));
  ringal_test_fill (room, 10, 8);
  ringal_buffer_commit (buffer, 10);
  assert_buffer_pattern (buffer, 10, 8);

  g_assert_null (ringal_buffer_reserve (buffer, capacity - 9, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_NOT_EXTENDABLE);
  g_clear_error (&error);
  g_assert_null (ringal_buffer_reserve (buffer, G_MAXSIZE, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_NOT_EXTENDABLE);
  g_clear_error (&error);
  g_assert_cmpuint (ringal_buffer_get_capacity (buffer), ==, capacity);
  assert_buffer_pattern (buffer, 10, 8);

  /* exactly what is left still works */
  g_assert_nonnull (ringal_buffer_reserve (buffer, capacity - 10, &error));
  g_assert_no_error (error);

  bytes = ringal_buffer_freeze (buffer);
  g_assert_null (ringal_buffer_reserve (buffer, 1, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FROZEN);
  g_clear_error (&error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 10);

  g_bytes_unref (bytes);
  ringal_buffer_unref (buffer);
}

/* Committing past the room there is, or to a frozen buffer, is a
 * programming error: a critical, and the length stays. */
static void
test_commit_past_reserved (RingalFixture *f,
                           gconstpointer  data)
{
  RingalBuffer *buffer = ringal_test_fixed (f->allocator, 32);
  gsize capacity = ringal_buffer_get_capacity (buffer);
  GBytes *bytes;

  g_assert_nonnull (ringal_buffer_reserve (buffer, 32, NULL));
  ringal_buffer_commit (buffer, 20);
  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*len <= self->capacity - self->len*");
  ringal_buffer_commit (buffer, capacity - 19);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (ringal_buffer_get_len (buffer), ==, 20);

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*len <= self->capacity - self->len*");
  ringal_buffer_commit (buffer, G_MAXSIZE);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (ringal_buffer_get_len (buffer), ==, 20);

  bytes = ringal_buffer_freeze (buffer);
  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*FROZEN*");
  ringal_buffer_commit (buffer, 1);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (ringal_buffer_get_len (buffer), ==, 20);

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*self != NULL*");
  ringal_buffer_commit (NULL, 1);
  g_test_assert_expected_messages ();
  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*self != NULL*");
  g_assert_null (ringal_buffer_reserve (NULL, 1, NULL));
  g_test_assert_expected_messages ();

  g_bytes_unref (bytes);
  ringal_buffer_unref (buffer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ringal_test_add ("/Ringal/Buffer/fixed-alloc", test_fixed_alloc);
  ringal_test_add ("/Ringal/Buffer/fixed-short-write", test_fixed_short_write);
  ringal_test_add ("/Ringal/Buffer/fixed-empty", test_fixed_empty);
  ringal_test_add ("/Ringal/Buffer/fixed-multi-alloc", test_fixed_multi_alloc);
  ringal_test_add ("/Ringal/Buffer/fixed-continuous", test_fixed_continuous);
  ringal_test_add ("/Ringal/Buffer/extendable-alloc", test_extendable_alloc);
  ringal_test_add ("/Ringal/Buffer/extendable-multi-alloc", test_extendable_multi_alloc);
  ringal_test_add ("/Ringal/Buffer/extendable-continuous", test_extendable_continuous);
  ringal_test_add ("/Ringal/Buffer/extendable-busy", test_extendable_busy);
  ringal_test_add ("/Ringal/Buffer/extendable-dropped-open", test_extendable_dropped_open);
  ringal_test_add ("/Ringal/Buffer/finalize-twice", test_finalize_twice);
  ringal_test_add ("/Ringal/Buffer/finalize-trims", test_finalize_trims);
  ringal_test_add ("/Ringal/Buffer/regression/grow-keeps-lock", test_regression_grow_keeps_lock);
  ringal_test_add ("/Ringal/Buffer/regression/wrap-moves-bytes", test_regression_wrap_moves_bytes);
  ringal_test_add ("/Ringal/Buffer/regression/failed-growth-keeps-bytes",
                   test_regression_failed_growth_keeps_bytes);
  ringal_test_add ("/Ringal/Buffer/extendable-bounded-by-itself", test_extendable_bounded_by_itself);
  ringal_test_add ("/Ringal/Buffer/too-large", test_too_large);
  ringal_test_add ("/Ringal/Buffer/freeze", test_freeze);
  ringal_test_add ("/Ringal/Buffer/freeze-extendable", test_freeze_extendable);
  ringal_test_add ("/Ringal/Buffer/copy", test_copy);
  ringal_test_add ("/Ringal/Buffer/fixed-rounds-to-a-word", test_fixed_rounds_to_a_word);
  ringal_test_add ("/Ringal/Buffer/reserve-commit-extendable", test_reserve_commit_extendable);
  ringal_test_add ("/Ringal/Buffer/reserve-fixed", test_reserve_fixed);
  ringal_test_add ("/Ringal/Buffer/extendable-opens-over-the-run", test_extendable_opens_over_the_run);
  ringal_test_add ("/Ringal/Buffer/commit-past-reserved", test_commit_past_reserved);

  return g_test_run ();
}
