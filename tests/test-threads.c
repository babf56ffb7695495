/* test-threads.c: frozen buffers shared across threads
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The seed's multi-threaded test, with the contents checked: every frozen
 * buffer goes to four consumer threads as clones of one GBytes; each
 * consumer checks every byte, and the last clone to go releases the region
 * on whichever thread drops it.
 */

#include "ringal-test-fixture.h"

#define N_CONSUMERS 4
#define N_MESSAGES  8192

typedef struct {
  GAsyncQueue *queue;
  guint64      sum;
  guint        mismatches;
} Consumer;

static gpointer
consume (gpointer data)
{
  Consumer *consumer = data;

  for (guint i = 0;; i++)
    {
      GBytes *bytes = g_async_queue_pop (consumer->queue);
      gsize size;
      const guint8 *message = g_bytes_get_data (bytes, &size);

      if (size == 1 && message[0] == 0xFF && i == N_MESSAGES)
        {
          g_bytes_unref (bytes);
          break;
        }
      if (!ringal_test_pattern_holds (message, size, i))
        consumer->mismatches++;
      consumer->sum += (guint64) size * i;
      g_bytes_unref (bytes);
    }
  return NULL;
}

static void
test_freeze_broadcast (RingalFixture *f,
                       gconstpointer  data)
{
  Consumer consumers[N_CONSUMERS];
  GThread *threads[N_CONSUMERS];
  guint32 random = 77;
  guint64 expected = 0;
  guint full = 0;
  GBytes *stop;

  for (guint c = 0; c < N_CONSUMERS; c++)
    {
      consumers[c] = (Consumer) { g_async_queue_new (), 0, 0 };
      threads[c] = g_thread_new ("consumer", consume, &consumers[c]);
    }

  for (guint i = 0; i < N_MESSAGES; i++)
    {
      gsize len = 1 + ringal_test_next_random (&random) % 300;
      g_autoptr(RingalBuffer) buffer = NULL;
      GBytes *bytes;

      /* A full ring is normal here: the consumers release as they go. */
      while ((buffer = ringal_allocator_fixed (f->allocator, len, NULL)) == NULL)
        {
          full++;
          g_thread_yield ();
        }
      ringal_test_write_pattern (buffer, len, i);
      bytes = ringal_buffer_freeze (buffer);
      for (guint c = 0; c < N_CONSUMERS; c++)
        g_async_queue_push (consumers[c].queue, g_bytes_ref (bytes));
      g_bytes_unref (bytes);
      expected += (guint64) len * i;
    }

  stop = g_bytes_new ("\xFF", 1);
  for (guint c = 0; c < N_CONSUMERS; c++)
    g_async_queue_push (consumers[c].queue, g_bytes_ref (stop));
  g_bytes_unref (stop);

  for (guint c = 0; c < N_CONSUMERS; c++)
    {
      g_thread_join (threads[c]);
      g_async_queue_unref (consumers[c].queue);
      g_assert_cmpuint (consumers[c].mismatches, ==, 0);
      g_assert_cmpuint (consumers[c].sum, ==, expected);
    }
  g_test_message ("%u messages to %u threads, the ring was full %u times",
                  N_MESSAGES, N_CONSUMERS, full);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ringal_test_add ("/Ringal/Threads/freeze-broadcast", test_freeze_broadcast);

  return g_test_run ();
}
