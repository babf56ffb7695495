/* test-stats.c: statistics and the dump of an allocator
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <pthread.h>
#include <string.h>

#include "ringal-buffer-private.h"
#include "ringal-test-fixture.h"

static RingalStats *
stats_or_fail (RingalAllocator *allocator)
{
  g_autoptr(GError) error = NULL;
  RingalStats *stats = ringal_allocator_get_stats (allocator, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stats);
  g_assert_cmpuint (stats->capacity, ==, ringal_allocator_get_capacity (allocator));
  g_assert_cmpuint (stats->bytes_in_use, <=, stats->capacity);
  g_assert_cmpuint (stats->peak_bytes_in_use, >=, stats->bytes_in_use);
  g_assert_cmpuint (stats->largest_free, <, stats->capacity);
  return stats;
}

/* The bytes a fixed buffer of @size takes in the ring: guard, handle and
 * data rounded to words (no tail small enough to be absorbed here). */
static gsize
fixed_footprint (gsize size)
{
  return RINGAL_WORD + RINGAL_BUFFER_PREFIX + (size + RINGAL_WORD - 1) / RINGAL_WORD * RINGAL_WORD;
}

static void
test_fresh (RingalFixture *f,
            gconstpointer  data)
{
  g_autoptr(RingalStats) stats = stats_or_fail (f->allocator);

  g_assert_cmpuint (stats->capacity, ==, 4096);
  g_assert_cmpuint (stats->bytes_in_use, ==, 0);
  g_assert_cmpuint (stats->peak_bytes_in_use, ==, 0);
  /* one free region between the first guard and the tail guard */
  g_assert_cmpuint (stats->largest_free, ==, 4096 - 2 * RINGAL_WORD);
  g_assert_cmpuint (stats->n_regions, ==, 0);
  g_assert_cmpuint (stats->n_allocations, ==, 0);
  g_assert_cmpuint (stats->n_failed, ==, 0);
}

static void
test_in_use (RingalFixture *f,
             gconstpointer  data)
{
  RingalBuffer *a = ringal_allocator_fixed (f->allocator, 100, NULL);
  RingalBuffer *b = ringal_allocator_fixed (f->allocator, 1000, NULL);
  RingalBuffer *c = ringal_allocator_fixed (f->allocator, 8, NULL);
  gsize in_use = fixed_footprint (100) + fixed_footprint (1000) + fixed_footprint (8);
  RingalStats *stats = stats_or_fail (f->allocator);

  g_assert_cmpuint (stats->bytes_in_use, ==, in_use);
  g_assert_cmpuint (stats->peak_bytes_in_use, ==, in_use);
  g_assert_cmpuint (stats->n_regions, ==, 3);
  g_assert_cmpuint (stats->n_allocations, ==, 3);
  g_assert_cmpuint (stats->largest_free, ==, 4096 - 2 * RINGAL_WORD - in_use);
  ringal_stats_free (stats);

  /* a hole in the middle: the run after c is still the largest */
  ringal_buffer_unref (b);
  stats = stats_or_fail (f->allocator);
  g_assert_cmpuint (stats->bytes_in_use, ==, fixed_footprint (100) + fixed_footprint (8));
  g_assert_cmpuint (stats->peak_bytes_in_use, ==, in_use);
  g_assert_cmpuint (stats->n_regions, ==, 2);
  g_assert_cmpuint (stats->largest_free, ==, 4096 - 2 * RINGAL_WORD - in_use);
  ringal_stats_free (stats);

  /* released neighbours count as one run: a and b together */
  ringal_buffer_unref (a);
  stats = stats_or_fail (f->allocator);
  g_assert_cmpuint (stats->n_regions, ==, 1);
  g_assert_cmpuint (stats->largest_free, ==, 4096 - 2 * RINGAL_WORD - in_use);
  ringal_stats_free (stats);

  ringal_buffer_unref (c);
  stats = stats_or_fail (f->allocator);
  g_assert_cmpuint (stats->bytes_in_use, ==, 0);
  g_assert_cmpuint (stats->n_regions, ==, 0);
  g_assert_cmpuint (stats->peak_bytes_in_use, ==, in_use);
  g_assert_cmpuint (stats->largest_free, ==, 4096 - 2 * RINGAL_WORD);
  ringal_stats_free (stats);
}

/* A hole larger than the run at the end is the largest free run. */
static void
test_largest_free_hole (RingalFixture *f,
                        gconstpointer  data)
{
  RingalBuffer *a = ringal_allocator_fixed (f->allocator, 3000, NULL);
  RingalBuffer *b = ringal_allocator_fixed (f->allocator, 100, NULL);
  g_autoptr(RingalStats) stats = NULL;

  ringal_buffer_unref (a);
  stats = stats_or_fail (f->allocator);
  g_assert_cmpuint (stats->largest_free, ==, fixed_footprint (3000) - RINGAL_WORD);
  g_assert_cmpuint (stats->bytes_in_use, ==, fixed_footprint (100));
  ringal_buffer_unref (b);
}

static void
test_failures (RingalFixture *f,
               gconstpointer  data)
{
  GPtrArray *buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) ringal_buffer_unref);
  RingalBuffer *buffer, *open, *closed;
  RingalStats *stats;
  GError *error = NULL;
  guint n = 0;

  /* TOO_LARGE counts */
  g_assert_null (ringal_allocator_fixed (f->allocator, 5000, &error));
  g_clear_error (&error);
  /* FULL counts */
  while ((buffer = ringal_allocator_fixed (f->allocator, 300, &error)) != NULL)
    {
      g_ptr_array_add (buffers, buffer);
      n++;
    }
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
  g_clear_error (&error);
  g_assert_null (ringal_allocator_fixed (f->allocator, 300, NULL));

  stats = stats_or_fail (f->allocator);
  g_assert_cmpuint (stats->n_allocations, ==, n);
  g_assert_cmpuint (stats->n_failed, ==, 3);
  g_assert_cmpuint (stats->n_regions, ==, n);
  ringal_stats_free (stats);
  g_ptr_array_set_size (buffers, 0);

  /* BUSY does not count */
  open = ringal_allocator_extendable (f->allocator, 10, NULL);
  g_assert_null (ringal_allocator_fixed (f->allocator, 10, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_BUSY);
  g_clear_error (&error);
  closed = ringal_buffer_finalize (open, NULL);
  ringal_buffer_unref (open);
  ringal_buffer_unref (closed);

  stats = stats_or_fail (f->allocator);
  g_assert_cmpuint (stats->n_allocations, ==, n + 1);
  g_assert_cmpuint (stats->n_failed, ==, 3);
  ringal_stats_free (stats);

  g_ptr_array_unref (buffers);
}

/* The peak is sampled at stats calls and at failures, not tracked. */
static void
test_peak_sampling (RingalFixture *f,
                    gconstpointer  data)
{
  GPtrArray *buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) ringal_buffer_unref);
  RingalBuffer *buffer;
  RingalStats *stats;
  gsize full_in_use = 0;

  /* a peak that ends without a sample is not seen */
  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (buffers, ringal_allocator_fixed (f->allocator, 200, NULL));
  g_ptr_array_set_size (buffers, 0);
  stats = stats_or_fail (f->allocator);
  g_assert_cmpuint (stats->peak_bytes_in_use, ==, 0);
  ringal_stats_free (stats);

  /* a full ring is sampled when the allocation fails */
  while ((buffer = ringal_allocator_fixed (f->allocator, 200, NULL)) != NULL)
    {
      g_ptr_array_add (buffers, buffer);
      full_in_use += fixed_footprint (200);
    }
  g_ptr_array_set_size (buffers, 0);
  stats = stats_or_fail (f->allocator);
  g_assert_cmpuint (stats->bytes_in_use, ==, 0);
  g_assert_cmpuint (stats->peak_bytes_in_use, >=, full_in_use);
  g_assert_cmpuint (stats->peak_bytes_in_use, <=, 4096);
  ringal_stats_free (stats);

  g_ptr_array_unref (buffers);
}

static void
test_busy (RingalFixture *f,
           gconstpointer  data)
{
  RingalBuffer *open = ringal_allocator_extendable (f->allocator, 10, NULL);
  g_autofree char *dump = NULL;
  GError *error = NULL;
  RingalBuffer *closed;

  g_assert_null (ringal_allocator_get_stats (f->allocator, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_BUSY);
  g_clear_error (&error);

  dump = ringal_allocator_dump (f->allocator);
  g_assert_nonnull (strstr (dump, "not walked"));
  g_assert_nonnull (strstr (dump, "extendable"));

  closed = ringal_buffer_finalize (open, NULL);
  ringal_buffer_unref (open);
  ringal_buffer_unref (closed);
}

typedef struct {
  RingalAllocator *allocator;
  RingalError      code;
  gboolean         dump_walked;
} Attempt;

static void *
stats_in_thread (void *data)
{
  Attempt *attempt = data;
  GError *error = NULL;
  RingalStats *stats = ringal_allocator_get_stats (attempt->allocator, &error);
  g_autofree char *dump = ringal_allocator_dump (attempt->allocator);

  if (attempt->code == 0)
    {
      g_assert_no_error (error);
      g_assert_nonnull (stats);
    }
  else
    {
      g_assert_null (stats);
      g_assert_error (error, RINGAL_ERROR, (gint) attempt->code);
      g_clear_error (&error);
    }
  attempt->dump_walked = strstr (dump, "not walked") == NULL;
  ringal_stats_free (stats);
  return NULL;
}

static void
run_in_thread (Attempt *attempt)
{
  pthread_t thread;

  pthread_create (&thread, NULL, stats_in_thread, attempt);
  pthread_join (thread, NULL);
}

static void
test_threads (void)
{
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new (4096);
  g_autoptr(RingalAllocator) shared = ringal_allocator_new_shared (4096);
  g_autoptr(RingalBuffer) buffer = NULL;
  Attempt attempt = { allocator, 0, FALSE };

  /* an allocator nobody owns yet: another thread may look, and does not
   * become its owner by looking */
  run_in_thread (&attempt);
  g_assert_true (attempt.dump_walked);
  buffer = ringal_allocator_fixed (allocator, 10, NULL);
  g_assert_nonnull (buffer);

  /* owned by this thread now: another thread may not look */
  attempt = (Attempt) { allocator, RINGAL_ERROR_WRONG_THREAD, FALSE };
  run_in_thread (&attempt);
  g_assert_false (attempt.dump_walked);

  /* a shared allocator may be looked at from anywhere */
  attempt = (Attempt) { shared, 0, FALSE };
  run_in_thread (&attempt);
  g_assert_true (attempt.dump_walked);
}

static void
test_dump (RingalFixture *f,
           gconstpointer  data)
{
  RingalBuffer *a = ringal_allocator_fixed (f->allocator, 1000, NULL);
  RingalBuffer *b = ringal_allocator_fixed (f->allocator, 100, NULL);
  gsize head = fixed_footprint (1000) + fixed_footprint (100);
  g_autofree char *dump = NULL;
  g_autofree char *head_line = g_strdup_printf ("   %*s^ head", (int) (head / 64), "");
  g_autofree char *a_size = g_strdup_printf (" %" G_GSIZE_FORMAT " bytes", fixed_footprint (1000) - RINGAL_WORD);
  g_auto(GStrv) lines = NULL;

  ringal_buffer_unref (a);
  dump = ringal_allocator_dump (f->allocator);
  g_test_message ("%s", dump);
  lines = g_strsplit (dump, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 8);
  g_assert_cmpstr (lines[0], ==, "ring of 4096 bytes");
  /* a (free) up to column 16, b (locked) in columns 16..18; 64 bytes a column */
  g_assert_true (g_str_has_prefix (lines[1], "  [................###..."));
  g_assert_nonnull (strstr (lines[1], "64 bytes a column"));
  g_assert_cmpstr (lines[2], ==, head_line);
  g_assert_true (g_str_has_prefix (lines[3], "  +0 "));
  g_assert_true (g_str_has_suffix (lines[3], " free"));
  g_assert_nonnull (strstr (lines[3], a_size));
  g_assert_true (g_str_has_suffix (lines[4], "locked"));
  g_assert_true (g_str_has_suffix (lines[5], "free  <- head"));
  g_assert_true (g_str_has_prefix (lines[6], "  +4088"));

  ringal_buffer_unref (b);
}

static void
test_boxed (RingalFixture *f,
            gconstpointer  data)
{
  g_autoptr(RingalStats) stats = stats_or_fail (f->allocator);
  g_autoptr(RingalStats) copy = g_boxed_copy (RINGAL_TYPE_STATS, stats);
  g_autoptr(RingalStats) direct = ringal_stats_copy (stats);

  g_assert_true (copy != stats);
  g_assert_cmpmem (copy, sizeof *copy, stats, sizeof *stats);
  g_assert_true (direct != stats);
  g_assert_cmpmem (direct, sizeof *direct, stats, sizeof *stats);
  ringal_stats_free (NULL);
}

static void
test_null_self (void)
{
  g_autoptr(GError) error = NULL;

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*RINGAL_IS_ALLOCATOR*");
  g_assert_null (ringal_allocator_get_stats (NULL, &error));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*RINGAL_IS_ALLOCATOR*");
  g_assert_null (ringal_allocator_dump (NULL));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ringal_test_add ("/Ringal/Stats/fresh", test_fresh);
  ringal_test_add ("/Ringal/Stats/in-use", test_in_use);
  ringal_test_add ("/Ringal/Stats/largest-free-hole", test_largest_free_hole);
  ringal_test_add ("/Ringal/Stats/failures", test_failures);
  ringal_test_add ("/Ringal/Stats/peak-sampling", test_peak_sampling);
  ringal_test_add ("/Ringal/Stats/busy", test_busy);
  ringal_test_add ("/Ringal/Stats/dump", test_dump);
  ringal_test_add ("/Ringal/Stats/boxed", test_boxed);
  g_test_add_func ("/Ringal/Stats/threads", test_threads);
  g_test_add_func ("/Ringal/Stats/null-self", test_null_self);

  return g_test_run ();
}
