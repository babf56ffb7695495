/* test-threads.c: frozen buffers shared across threads
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The seed's multi-threaded test, with the contents checked: every frozen
 * buffer goes to four consumer threads as clones of one GBytes; each
 * consumer checks every byte, and the last clone to go releases the region
 * on whichever thread drops it.  Threads and channels are pthreads and C11
 * atomics, so that the test also runs under ThreadSanitizer.
 */

#include <pthread.h>
#include <sched.h>

#include "ringal-test-fixture.h"

#define N_CONSUMERS 4
#define N_MESSAGES  8192

typedef struct {
  RingalTestChannel channel;
  guint64           sum;
  guint             mismatches;
} Consumer;

static void *
consume (void *data)
{
  Consumer *consumer = data;
  GBytes *bytes;

  for (guint i = 0; (bytes = ringal_test_channel_pop (&consumer->channel)) != NULL; i++)
    {
      gsize size;
      const guint8 *message = g_bytes_get_data (bytes, &size);

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
  Consumer *consumers = g_new0 (Consumer, N_CONSUMERS);
  pthread_t threads[N_CONSUMERS];
  guint32 random = 77;
  guint64 expected = 0;
  guint full = 0;

  for (guint c = 0; c < N_CONSUMERS; c++)
    pthread_create (&threads[c], NULL, consume, &consumers[c]);

  for (guint i = 0; i < N_MESSAGES; i++)
    {
      gsize len = 1 + ringal_test_next_random (&random) % 300;
      g_autoptr(RingalBuffer) buffer = NULL;
      GBytes *bytes;

      /* A full ring is normal here: the consumers release as they go. */
      while ((buffer = ringal_allocator_fixed (f->allocator, len, NULL)) == NULL)
        {
          full++;
          sched_yield ();
        }
      ringal_test_write_pattern (buffer, len, i);
      bytes = ringal_buffer_freeze (buffer);
      for (guint c = 0; c < N_CONSUMERS; c++)
        {
#ifdef __SANITIZE_THREAD__
          /* GLib is not built for TSan, so it cannot see the hand-over
           * inside g_bytes_unref(): give each consumer GBytes of its own,
           * whose last reference is the buffer's, which it does see. */
          ringal_test_channel_push (&consumers[c].channel, ringal_buffer_freeze (buffer));
#else
          ringal_test_channel_push (&consumers[c].channel, g_bytes_ref (bytes));
#endif
        }
      g_bytes_unref (bytes);
      expected += (guint64) len * i;
    }

  for (guint c = 0; c < N_CONSUMERS; c++)
    ringal_test_channel_push (&consumers[c].channel, NULL);

  for (guint c = 0; c < N_CONSUMERS; c++)
    {
      pthread_join (threads[c], NULL);
      g_assert_cmpuint (consumers[c].mismatches, ==, 0);
      g_assert_cmpuint (consumers[c].sum, ==, expected);
    }
  g_test_message ("%u messages to %u threads, the ring was full %u times",
                  N_MESSAGES, N_CONSUMERS, full);
  g_free (consumers);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ringal_test_add ("/Ringal/Threads/freeze-broadcast", test_freeze_broadcast);

  return g_test_run ();
}
