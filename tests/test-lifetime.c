/* test-lifetime.c: dropping an allocator while its buffers live
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The seed either leaked the store or blocked in Drop until every buffer
 * came back (D10), and recomputed the store's size by walking the ring
 * (D11).  Here dropping the allocator returns at once, buffers keep their
 * bytes, and the store is freed with the last of them, on any thread.
 * Run once with membarrier(2) and once with the fallback fences.
 */

#include <pthread.h>

#include "ringal-test-utils.h"

static RingalAllocator *
allocator_new_or_fail (gsize capacity)
{
  RingalAllocator *allocator = ringal_allocator_new (capacity);

  g_assert_nonnull (allocator);
  return allocator;
}

static RingalBuffer *
filled_buffer (RingalAllocator *allocator,
               gsize            len,
               guint32          seed)
{
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer = ringal_allocator_fixed (allocator, len, &error);

  g_assert_no_error (error);
  ringal_test_write_pattern (buffer, len, seed);
  return buffer;
}

static void
test_buffer_outlives_allocator (void)
{
  gsize stores = ringal_ring_count_stores ();
  RingalAllocator *allocator = allocator_new_or_fail (4096);
  RingalBuffer *a = filled_buffer (allocator, 300, 1);
  RingalBuffer *b = filled_buffer (allocator, 700, 2);

  g_object_unref (allocator);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores + 1);

  ringal_test_assert_pattern (ringal_buffer_get_data (a, NULL), 300, 1);
  ringal_test_assert_pattern (ringal_buffer_get_data (b, NULL), 700, 2);
  ringal_buffer_unref (a);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores + 1);
  ringal_test_assert_pattern (ringal_buffer_get_data (b, NULL), 700, 2);
  ringal_buffer_unref (b);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
}

static void
test_bytes_outlive_allocator (void)
{
  gsize stores = ringal_ring_count_stores ();
  RingalAllocator *allocator = allocator_new_or_fail (4096);
  RingalBuffer *buffer = filled_buffer (allocator, 1000, 3);
  GBytes *bytes = ringal_buffer_freeze (buffer);
  GBytes *clone = g_bytes_ref (bytes);

  ringal_buffer_unref (buffer);
  g_object_unref (allocator);
  g_bytes_unref (bytes);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores + 1);
  ringal_test_assert_pattern (g_bytes_get_data (clone, NULL), 1000, 3);
  g_bytes_unref (clone);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
}

/* An extendable buffer left open keeps working after its allocator went:
 * it can still grow, and it frees the store when it goes. */
static void
test_open_extendable_outlives_allocator (void)
{
  gsize stores = ringal_ring_count_stores ();
  RingalAllocator *allocator = allocator_new_or_fail (8192);
  RingalBuffer *other = filled_buffer (allocator, 100, 4);
  RingalBuffer *open = ringal_allocator_extendable (allocator, 8, NULL);
  RingalBuffer *fixed;

  g_object_unref (allocator);
  ringal_test_write_pattern (open, 3000, 5);
  ringal_buffer_unref (other);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores + 1);

  fixed = ringal_buffer_finalize (open, NULL);
  ringal_buffer_unref (open);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores + 1);
  ringal_test_assert_pattern (ringal_buffer_get_data (fixed, NULL), 3000, 5);
  ringal_buffer_unref (fixed);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
}

static gpointer
unref_bytes_in_thread (gpointer data)
{
  GPtrArray *all = data;

  for (guint i = 0; i < all->len; i++)
    ringal_test_assert_pattern (g_bytes_get_data (all->pdata[i], NULL),
                                g_bytes_get_size (all->pdata[i]), i);
  g_ptr_array_unref (all);
  return NULL;
}

/* The last release happens on another thread, which then frees the store. */
static void
test_last_release_on_other_thread (void)
{
  gsize stores = ringal_ring_count_stores ();
  RingalAllocator *allocator = allocator_new_or_fail (64 * 1024);
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GThread *thread;

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(RingalBuffer) buffer = filled_buffer (allocator, 10 + i * 7, i);

      g_ptr_array_add (all, ringal_buffer_freeze (buffer));
    }
  g_object_unref (allocator);

  thread = g_thread_new ("releaser", unref_bytes_in_thread, all);
  g_thread_join (thread);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
}

/* A thread that frames messages with its own thread-default allocator and
 * exits while the main thread still holds them: the thread's exit neither
 * blocks nor frees their memory. */
static gpointer
producer_thread (gpointer data)
{
  RingalAllocator *allocator = ringal_allocator_get_thread_default ();
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(RingalBuffer) buffer = filled_buffer (allocator, 64 + i, i);

      g_ptr_array_add (out, ringal_buffer_freeze (buffer));
    }
  return out;
}

static void
test_thread_default_outlived (void)
{
  gsize stores = ringal_ring_count_stores ();
  GThread *thread = g_thread_new ("producer", producer_thread, NULL);
  GPtrArray *messages = g_thread_join (thread);

  /* The thread is gone, and its allocator with it; the store is not. */
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores + 1);
  for (guint i = 0; i < messages->len; i++)
    ringal_test_assert_pattern (g_bytes_get_data (messages->pdata[i], NULL), 64 + i, i);
  g_ptr_array_unref (messages);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
}

/* Many rounds of allocators dying while another thread releases their
 * buffers: each store is freed exactly once, whichever side comes last.
 * The hand-over uses pthreads and C11 atomics, so that ThreadSanitizer sees
 * every edge and would report a free racing with a release. */
static void *
racing_releaser (void *data)
{
  RingalTestChannel *channel = data;
  GBytes *bytes;

  while ((bytes = ringal_test_channel_pop (channel)) != NULL)
    g_bytes_unref (bytes);
  return NULL;
}

static void
test_orphan_races (void)
{
  gsize stores = ringal_ring_count_stores ();
  RingalTestChannel *channel = g_new0 (RingalTestChannel, 1);
  pthread_t thread;

  pthread_create (&thread, NULL, racing_releaser, channel);
  for (guint round = 0; round < 5000; round++)
    {
      RingalAllocator *allocator = allocator_new_or_fail (4096);

      for (guint i = 0; i < 1 + round % 5; i++)
        {
          g_autoptr(RingalBuffer) buffer = filled_buffer (allocator, 32, i);

          ringal_test_channel_push (channel, ringal_buffer_freeze (buffer));
        }
      g_object_unref (allocator);
    }
  ringal_test_channel_push (channel, NULL);
  pthread_join (thread, NULL);
  g_free (channel);

  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ringal/Lifetime/buffer-outlives-allocator", test_buffer_outlives_allocator);
  g_test_add_func ("/Ringal/Lifetime/bytes-outlive-allocator", test_bytes_outlive_allocator);
  g_test_add_func ("/Ringal/Lifetime/open-extendable-outlives-allocator",
                   test_open_extendable_outlives_allocator);
  g_test_add_func ("/Ringal/Lifetime/last-release-on-other-thread", test_last_release_on_other_thread);
  g_test_add_func ("/Ringal/Lifetime/thread-default-outlived", test_thread_default_outlived);
  g_test_add_func ("/Ringal/Lifetime/orphan-races", test_orphan_races);

  return g_test_run ();
}
