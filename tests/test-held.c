/* test-held.c: a buffer held long never stops the ring
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The seed, and the first round, failed every allocation once the head
 * came round to a region still in use, with the rest of the ring free.
 * Now the walk steps over it: a held buffer costs its own bytes.
 */

#include "config.h"

#include <string.h>

#ifdef HAVE_VALGRIND
# include <valgrind/valgrind.h>
#endif

#include "ringal-buffer-private.h"
#include "ringal-test-fixture.h"

/* Every buffer is written from a window of this, and checked against it
 * when it goes: cheaper than a pattern per buffer, as strict. */
static guint8 source[4096];

static void
fill_source (void)
{
  ringal_test_fill (source, sizeof source, 7);
}

static guint
rounds (guint plain)
{
#ifdef HAVE_VALGRIND
  /* The same paths, at Valgrind's pace. */
  if (RUNNING_ON_VALGRIND)
    return plain / 20;
#endif
  return plain;
}

typedef struct {
  RingalBuffer *buffer;
  gsize         offset;  /* its bytes are source[offset..] */
  gsize         len;
} Written;

static Written
written_new (RingalBuffer *buffer,
             gsize         offset,
             gsize         len)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (ringal_buffer_write (buffer, source + offset, len, &error), ==, len);
  g_assert_no_error (error);
  return (Written) { buffer, offset, len };
}

static void
written_check_and_free (Written *w)
{
  gsize len;
  const guint8 *data = ringal_buffer_get_data (w->buffer, &len);

  g_assert_cmpuint (len, ==, w->len);
  g_assert_cmpmem (data, len, source + w->offset, w->len);
  g_clear_pointer (&w->buffer, ringal_buffer_unref);
}

/* A FIFO churn of sizes 1 to 1024 bytes, 16 live, in a 64 KiB ring, with
 * one 100-byte buffer held from the start to the end: not one allocation
 * may fail.  (The first round failed 999 891 of 1 000 000.) */
static void
test_churn_with_held_buffer (RingalFixture *f,
                             gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autoptr(RingalStats) stats = NULL;
  Written held, window[16] = { { NULL } };
  guint n = rounds (1000000);
  gsize prefix;

  held = written_new (ringal_allocator_fixed (f->allocator, 100, NULL), 0, 100);
  for (guint i = 0; i < n; i++)
    {
      Written *slot = &window[i % G_N_ELEMENTS (window)];
      gsize len = (gsize) g_rand_int_range (rand, 1, 1025);
      g_autoptr(GError) error = NULL;
      RingalBuffer *buffer;

      if (slot->buffer != NULL)
        written_check_and_free (slot);
      buffer = ringal_allocator_fixed (f->allocator, len, &error);
      if (buffer == NULL)
        g_error ("allocation %u of %u failed: %s", i, n, error->message);
      *slot = written_new (buffer, i % 1024, len);
    }

  stats = ringal_allocator_get_stats (f->allocator, NULL);
  g_assert_cmpuint (stats->n_failed, ==, 0);
  g_assert_cmpuint (stats->n_laps, >, 10);
  /* The held buffer is the one region stepped over lap after lap. */
  g_assert_cmpuint (stats->n_held, >=, 1);
  g_assert_cmpuint (stats->oldest_held_offset, ==,
                    (gsize) ((guint8 *) ringal_buffer_data_guard (held.buffer, &prefix) -
                             (guint8 *) f->ring->base));
  g_assert_cmpuint (stats->oldest_held_laps, >=, stats->n_laps - 2);

  for (guint k = 0; k < G_N_ELEMENTS (window); k++)
    if (window[k].buffer != NULL)
      written_check_and_free (&window[k]);
  written_check_and_free (&held);
}

/* Out of order: every 7th buffer is kept 50 windows longer than the rest,
 * so that held regions come and go all over the ring. */
static void
test_out_of_order_holds (RingalFixture *f,
                         gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (34);
  g_autoptr(RingalStats) stats = NULL;
  enum { WINDOW = 8, KEPT = 64 };
  Written window[WINDOW] = { { NULL } }, kept[KEPT] = { { NULL } };
  guint n = rounds (200000), n_kept = 0;

  for (guint i = 0; i < n; i++)
    {
      gsize len = (gsize) g_rand_int_range (rand, 1, 600);
      g_autoptr(GError) error = NULL;
      RingalBuffer *buffer = ringal_allocator_fixed (f->allocator, len, &error);
      Written *slot;

      if (buffer == NULL)
        g_error ("allocation %u of %u failed: %s", i, n, error->message);
      if (i % 7 == 0)
        slot = &kept[n_kept++ % KEPT];     /* lives KEPT * 7 allocations */
      else
        slot = &window[i % WINDOW];
      if (slot->buffer != NULL)
        written_check_and_free (slot);
      *slot = written_new (buffer, (i * 13) % 2048, len);
    }

  stats = ringal_allocator_get_stats (f->allocator, NULL);
  g_assert_cmpuint (stats->n_failed, ==, 0);
  g_assert_cmpuint (stats->n_held, >, 0);
  ringal_test_assert_ring_valid (f->ring);

  for (guint k = 0; k < WINDOW; k++)
    if (window[k].buffer != NULL)
      written_check_and_free (&window[k]);
  for (guint k = 0; k < KEPT; k++)
    if (kept[k].buffer != NULL)
      written_check_and_free (&kept[k]);
}

/* An extendable buffer whose growth meets a held region moves past it
 * with every byte, and grows on behind it. */
static void
test_extendable_grows_past_held (RingalFixture *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalStats) stats = NULL;
  RingalBuffer *front, *blocker, *rest, *extendable, *fixed;
  Written held;
  gsize len, prefix;
  const guint8 *bytes;

  /* [front][blocker, held][rest ...] fills the ring. */
  front = ringal_allocator_fixed (f->allocator, 1000, NULL);
  blocker = ringal_allocator_fixed (f->allocator, 100, NULL);
  held = written_new (blocker, 100, 100);
  prefix = (gsize) (ringal_buffer_get_data (blocker, NULL) - (const guint8 *) blocker);
  stats = ringal_allocator_get_stats (f->allocator, NULL);
  rest = ringal_allocator_fixed (f->allocator, stats->largest_free - prefix, &error);
  g_assert_no_error (error);

  /* The head wraps to the front: the buffer opens just before the held
   * one, and the rest of the ring frees up behind it. */
  ringal_buffer_unref (front);
  extendable = ringal_allocator_extendable (f->allocator, 16, &error);
  g_assert_no_error (error);
  g_assert_true ((guint8 *) extendable < (guint8 *) blocker);
  ringal_buffer_unref (rest);

  for (gsize written = 0; written < 3000; written += 100)
    {
      g_assert_cmpuint (ringal_buffer_write (extendable, source + written, 100, &error), ==, 100);
      g_assert_no_error (error);
    }
  bytes = ringal_buffer_get_data (extendable, &len);
  g_assert_cmpmem (bytes, len, source, 3000);
  /* Its bytes went past the held one, which kept its own. */
  g_assert_true (bytes > (guint8 *) blocker);
  written_check_and_free (&held);
  ringal_test_assert_ring_valid (f->ring);

  fixed = ringal_buffer_finalize (extendable, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (ringal_buffer_get_data (fixed, NULL), 3000, source, 3000);
  g_assert_true (fixed == extendable);
  ringal_buffer_unref (fixed);
  ringal_buffer_unref (extendable);
}

/* A request that no free run holds fails, and the failure is learnt: the
 * next ones fail without a lap, until a release on another thread says
 * that the ring changed, after which the room it made is found at once. */
static gpointer
release_in_thread (gpointer data)
{
  ringal_buffer_unref (data);
  return NULL;
}

static void
test_full_until_released_elsewhere (RingalFixture *f,
                                    gconstpointer  data)
{
  RingalBuffer *buffers[64];
  guint n = 0, rounds_left = rounds (2000);

  while (n < G_N_ELEMENTS (buffers) &&
         (buffers[n] = ringal_allocator_fixed (f->allocator, 200, NULL)) != NULL)
    n++;
  g_assert_cmpuint (n, >, 4);
  g_assert_cmpuint (n, <, G_N_ELEMENTS (buffers));

  for (guint round = 0; round < rounds_left; round++)
    {
      g_autoptr(GError) error = NULL;
      guint victim = (round * 5) % n;
      GThread *thread;

      g_assert_null (ringal_allocator_fixed (f->allocator, 200, &error));
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
      g_assert_true (f->ring->full_known);
      /* The lap is not walked again while nothing changed. */
      g_clear_error (&error);
      g_assert_null (ringal_allocator_fixed (f->allocator, 200, &error));
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);

      thread = g_thread_new ("release", release_in_thread, buffers[victim]);
      g_thread_join (thread);
      buffers[victim] = ringal_allocator_fixed (f->allocator, 200, NULL);
      g_assert_nonnull (buffers[victim]);
    }

  for (guint k = 0; k < n; k++)
    ringal_buffer_unref (buffers[k]);
}

/* A waiter for a large request in a ring full of small regions is woken
 * by every release; a lap after each would cost it a walk over every
 * region in use.  What is released is counted instead, and the ring is
 * walked again only when that adds up to room for the request. */
static gpointer
release_list_in_thread (gpointer data)
{
  g_list_free_full (data, (GDestroyNotify) ringal_buffer_unref);
  return NULL;
}

static void
test_failure_walks_only_when_room_may_exist (RingalFixture *f,
                                             gconstpointer  data)
{
  g_autoptr(GPtrArray) buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) ringal_buffer_unref);
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer, *large;
  GList *scattered = NULL, *run = NULL;
  guint64 laps;

  while ((buffer = ringal_allocator_fixed (f->allocator, 56, NULL)) != NULL)
    g_ptr_array_add (buffers, buffer);
  g_assert_cmpuint (buffers->len, >, 500);

  /* The first failure walks (twice: before and after announcing it). */
  g_assert_null (ringal_allocator_fixed (f->allocator, 8192, NULL));
  laps = f->ring->laps;
  for (guint i = 0; i < 100; i++)
    g_assert_null (ringal_allocator_fixed (f->allocator, 8192, NULL));
  g_assert_cmpuint (f->ring->laps, ==, laps);

  /* Ten small regions here and there cannot make 8 KiB: no lap. */
  for (guint i = 0; i < 10; i++)
    scattered = g_list_prepend (scattered, g_ptr_array_steal_index_fast (buffers, 10 + i * 40));
  g_thread_join (g_thread_new ("release", release_list_in_thread, scattered));
  g_assert_null (ringal_allocator_fixed (f->allocator, 8192, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
  g_assert_cmpuint (f->ring->laps, ==, laps);

  /* 120 neighbours in a row can: the next try walks and finds them. */
  for (guint i = 0; i < 120; i++)
    run = g_list_prepend (run, g_ptr_array_steal_index (buffers, 100));
  g_thread_join (g_thread_new ("release", release_list_in_thread, run));
  large = ringal_allocator_fixed (f->allocator, 8192, NULL);
  g_assert_nonnull (large);
  g_assert_false (f->ring->full_armed);
  ringal_buffer_unref (large);
}

/* The buffer at the head stays held by the thread that waits: the room a
 * release makes anywhere else ends the wait. */
static gpointer
release_later (gpointer data)
{
  g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  ringal_buffer_unref (data);
  return NULL;
}

static void
test_waiter_holding_the_head (RingalFixture *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffers[64], *got;
  guint n = 0;
  GThread *thread;

  while (n < G_N_ELEMENTS (buffers) &&
         (buffers[n] = ringal_allocator_fixed (f->allocator, 300, NULL)) != NULL)
    n++;
  g_assert_cmpuint (n, >=, 4);
  /* The head wraps to the front: buffers[0] is where the walk starts. */

  thread = g_thread_new ("release", release_later, buffers[n / 2]);
  got = ringal_allocator_fixed_wait (f->allocator, 300, 10 * G_TIME_SPAN_SECOND, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_thread_join (thread);
  g_assert_true (got == buffers[n / 2]);  /* the same spot, same size */

  buffers[n / 2] = got;
  for (guint k = 0; k < n; k++)
    ringal_buffer_unref (buffers[k]);
}

/* Statistics and the dump name who holds the ring. */
static void
test_stats_name_the_holder (RingalFixture *f,
                            gconstpointer  data)
{
  RingalBuffer *held = ringal_allocator_fixed (f->allocator, 500, NULL);
  gsize held_offset = (gsize) ((guint8 *) held - RINGAL_WORD - (guint8 *) f->ring->base);
  g_autoptr(RingalStats) fresh = ringal_allocator_get_stats (f->allocator, NULL);
  g_autoptr(RingalStats) stats = NULL;
  g_autoptr(RingalStats) after = NULL;
  g_autofree char *dump = NULL;

  g_assert_cmpuint (fresh->n_held, ==, 0);
  g_assert_cmpuint (fresh->oldest_held_offset, ==, G_MAXSIZE);

  for (guint i = 0; i < 100; i++)
    ringal_buffer_unref (ringal_allocator_fixed (f->allocator, 1000, NULL));

  stats = ringal_allocator_get_stats (f->allocator, NULL);
  g_assert_cmpuint (stats->n_failed, ==, 0);
  g_assert_cmpuint (stats->n_laps, >=, 10);
  g_assert_cmpuint (stats->n_held, ==, 1);
  /* guard, handle and data */
  g_assert_cmpuint (stats->held_bytes, ==,
                    RINGAL_WORD + (gsize) (ringal_buffer_get_data (held, NULL) - (const guint8 *) held) +
                    ringal_buffer_get_capacity (held));
  g_assert_cmpuint (stats->oldest_held_offset, ==, held_offset);
  g_assert_cmpuint (stats->oldest_held_laps, >=, stats->n_laps - 2);

  dump = ringal_allocator_dump (f->allocator);
  g_test_message ("%s", dump);
  g_assert_nonnull (strstr (dump, "locked, held "));

  ringal_buffer_unref (held);
  after = ringal_allocator_get_stats (f->allocator, NULL);
  g_assert_cmpuint (after->n_held, ==, 0);
  g_assert_cmpuint (after->held_bytes, ==, 0);
  g_assert_cmpuint (after->oldest_held_offset, ==, G_MAXSIZE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fill_source ();

  ringal_test_add_sized ("/Ringal/Held/churn-with-held-buffer", 64 * 1024, test_churn_with_held_buffer);
  ringal_test_add_sized ("/Ringal/Held/out-of-order", 64 * 1024, test_out_of_order_holds);
  ringal_test_add_sized ("/Ringal/Held/extendable-grows-past-held", 16 * 1024, test_extendable_grows_past_held);
  ringal_test_add ("/Ringal/Held/full-until-released-elsewhere", test_full_until_released_elsewhere);
  ringal_test_add_sized ("/Ringal/Held/failure-walks-only-when-room-may-exist", 64 * 1024,
                         test_failure_walks_only_when_room_may_exist);
  ringal_test_add ("/Ringal/Held/waiter-holding-the-head", test_waiter_holding_the_head);
  ringal_test_add ("/Ringal/Held/stats-name-the-holder", test_stats_name_the_holder);

  return g_test_run ();
}
