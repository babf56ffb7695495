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

static RingalBuffer *
fixed_from (RingalAllocator *allocator,
            gsize            size)
{
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer = ringal_allocator_fixed (allocator, size, &error);

  g_assert_no_error (error);
  return buffer;
}

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

/* One allocator, one thread at a time: a second thread is refused, and
 * disown() hands the allocator over. */
typedef struct {
  RingalAllocator *allocator;
  RingalError      code;  /* 0 for success */
  gboolean         disown;
} Attempt;

static void *
attempt_in_thread (void *data)
{
  Attempt *attempt = data;
  GError *error = NULL;
  RingalBuffer *buffer = ringal_allocator_fixed (attempt->allocator, 100, &error);
  GBytes *bytes;

  if (attempt->code == 0)
    {
      g_assert_no_error (error);
      ringal_buffer_unref (buffer);
    }
  else
    {
      g_assert_null (buffer);
      g_assert_error (error, RINGAL_ERROR, (gint) attempt->code);
      g_clear_error (&error);
      g_assert_null (ringal_allocator_extendable (attempt->allocator, 10, &error));
      g_assert_error (error, RINGAL_ERROR, (gint) attempt->code);
      g_clear_error (&error);
      bytes = ringal_allocator_copy (attempt->allocator, (const guint8 *) "x", 1, &error);
      g_assert_null (bytes);
      g_assert_error (error, RINGAL_ERROR, (gint) attempt->code);
      g_clear_error (&error);
    }
  if (attempt->disown)
    ringal_allocator_disown (attempt->allocator);
  return NULL;
}

static void
attempt (RingalAllocator *allocator,
         RingalError      code,
         gboolean         disown)
{
  Attempt data = { allocator, code, disown };
  pthread_t thread;

  pthread_create (&thread, NULL, attempt_in_thread, &data);
  pthread_join (thread, NULL);
}

static void
test_one_thread_rule (RingalFixture *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RingalBuffer *mine = fixed_from (f->allocator, 10);
  RingalAllocator *other;

  /* The first thread to allocate owns it; others are refused. */
  attempt (f->allocator, RINGAL_ERROR_WRONG_THREAD, FALSE);

  /* Handed over and back. */
  ringal_allocator_disown (f->allocator);
  attempt (f->allocator, 0, TRUE);
  ringal_buffer_unref (mine);  /* releasing is fine from anywhere */
  mine = fixed_from (f->allocator, 10);
  ringal_buffer_unref (mine);

  /* Handed over for good: now this thread is the one refused. */
  other = ringal_allocator_new (4096);
  ringal_buffer_unref (fixed_from (other, 10));
  ringal_allocator_disown (other);
  attempt (other, 0, FALSE);
  g_assert_null (ringal_allocator_fixed (other, 10, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_WRONG_THREAD);
  g_object_unref (other);  /* dropping it is fine from anywhere too */
}

/* A thread's own allocator belongs to it from the start. */
static void *
thread_default_owner (void *data)
{
  RingalAllocator **out = data;

  *out = g_object_ref (ringal_allocator_get_thread_default ());
  return NULL;
}

static void
test_thread_default_owned (void)
{
  RingalAllocator *theirs = NULL;
  g_autoptr(GError) error = NULL;
  pthread_t thread;

  pthread_create (&thread, NULL, thread_default_owner, &theirs);
  pthread_join (thread, NULL);
  /* The thread is gone, but its allocator was never disowned. */
  g_assert_null (ringal_allocator_fixed (theirs, 10, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_WRONG_THREAD);
  g_object_unref (theirs);
}

/* A shared allocator serialises threads: four of them churn through one
 * ring, each checking every byte of its own buffers. */
#define SHARED_THREADS 4

typedef struct {
  RingalAllocator *allocator;
  guint            index;
  gsize            full;
  gsize            mismatches;
} Churner;

static void
release_window (Churner      *churner,
                RingalBuffer **window,
                guint32       *seeds,
                gsize          n)
{
  for (gsize i = 0; i < n; i++)
    if (window[i] != NULL)
      {
        if (!ringal_test_pattern_holds (ringal_buffer_get_data (window[i], NULL),
                                        ringal_buffer_get_len (window[i]), seeds[i]))
          churner->mismatches++;
        g_clear_pointer (&window[i], ringal_buffer_unref);
      }
}

static void *
churn_shared (void *data)
{
  Churner *churner = data;
  const guint rounds = g_test_slow () ? 400000 : 40000;
  RingalBuffer *window[8] = { NULL };
  guint32 seeds[8] = { 0 };
  guint32 random = 17 + churner->index;

  for (guint i = 0; i < rounds; i++)
    {
      guint slot = i % G_N_ELEMENTS (window);
      gsize len = 1 + ringal_test_next_random (&random) % 400;
      guint32 seed = churner->index << 24 | i;
      RingalBuffer *buffer;

      release_window (churner, window + slot, seeds + slot, 1);
      while ((buffer = ringal_allocator_fixed (churner->allocator, len, NULL)) == NULL)
        {
          /* The threads together may hold the whole ring: one that finds
           * it full lets its own window go first, as a producer would
           * hand it on, so that the others can go on. */
          churner->full++;
          release_window (churner, window, seeds, G_N_ELEMENTS (window));
          sched_yield ();
        }
      ringal_test_write_pattern (buffer, len, seed);
      window[slot] = buffer;
      seeds[slot] = seed;
    }

  release_window (churner, window, seeds, G_N_ELEMENTS (window));
  return NULL;
}

static void
test_shared_allocator (void)
{
  gsize stores = ringal_ring_count_stores ();
  RingalAllocator *allocator = ringal_allocator_new_shared (64 * 1024);
  Churner churners[SHARED_THREADS];
  pthread_t threads[SHARED_THREADS];
  gsize full = 0;

  g_assert_true (ringal_allocator_is_shared (allocator));
  for (guint t = 0; t < SHARED_THREADS; t++)
    {
      churners[t] = (Churner) { allocator, t, 0, 0 };
      pthread_create (&threads[t], NULL, churn_shared, &churners[t]);
    }
  for (guint t = 0; t < SHARED_THREADS; t++)
    {
      pthread_join (threads[t], NULL);
      g_assert_cmpuint (churners[t].mismatches, ==, 0);
      full += churners[t].full;
    }
  g_test_message ("%d threads shared one ring; it was full %" G_GSIZE_FORMAT " times",
                  SHARED_THREADS, full);

  ringal_test_assert_ring_valid (ringal_allocator_get_ring (allocator));
  g_object_unref (allocator);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
}

/* The memory-ordering stress: a producer frames a million buffers and
 * hands each, frozen, to two consumers that check every byte and release;
 * when the ring is full the producer blocks in fixed_wait() until a
 * consumer's release wakes it.  A lost wake-up would show as the wait's
 * timeout; a missing release/acquire pair, under TSan, as a race. */
typedef struct {
  RingalTestChannel channel;
  gsize             checked;
  gsize             mismatches;
} StressConsumer;

static void *
stress_consume (void *data)
{
  StressConsumer *consumer = data;
  GBytes *bytes;

  /* Messages come in order: the i-th carries the pattern of seed i. */
  while ((bytes = ringal_test_channel_pop (&consumer->channel)) != NULL)
    {
      gsize size;
      const guint8 *message = g_bytes_get_data (bytes, &size);

      if (!ringal_test_pattern_holds (message, size, (guint32) consumer->checked))
        consumer->mismatches++;
      consumer->checked++;
      g_bytes_unref (bytes);
    }
  return NULL;
}

static void
test_stress_producer_two_consumers (void)
{
  const gsize n = g_test_slow () ? 10000000 : 1000000;
  /* Smaller than what the consumers' queues can hold: the ring fills. */
  RingalAllocator *allocator = ringal_allocator_new (4096);
  StressConsumer *consumers = g_new0 (StressConsumer, 2);
  gsize stores = ringal_ring_count_stores ();
  guint32 random = 2024;
  gsize waited = 0;
  pthread_t threads[2];

  for (guint c = 0; c < 2; c++)
    pthread_create (&threads[c], NULL, stress_consume, &consumers[c]);

  for (gsize i = 0; i < n; i++)
    {
      gsize len = 1 + ringal_test_next_random (&random) % 200;
      g_autoptr(GError) error = NULL;
      RingalBuffer *buffer;
      GBytes *bytes;

      buffer = ringal_allocator_fixed (allocator, len, NULL);
      if (buffer == NULL)
        {
          waited++;
          buffer = ringal_allocator_fixed_wait (allocator, len, 10 * G_USEC_PER_SEC, NULL, &error);
          g_assert_no_error (error);
        }
      ringal_test_write_pattern (buffer, len, (guint32) i);

      bytes = ringal_buffer_freeze (buffer);
      for (guint c = 0; c < 2; c++)
        {
#ifdef __SANITIZE_THREAD__
          /* See test_freeze_broadcast(): GBytes of their own under TSan. */
          ringal_test_channel_push (&consumers[c].channel, ringal_buffer_freeze (buffer));
#else
          ringal_test_channel_push (&consumers[c].channel, g_bytes_ref (bytes));
#endif
        }
      g_bytes_unref (bytes);
      ringal_buffer_unref (buffer);
    }

  for (guint c = 0; c < 2; c++)
    {
      ringal_test_channel_push (&consumers[c].channel, NULL);
      pthread_join (threads[c], NULL);
      g_assert_cmpuint (consumers[c].checked, ==, n);
      g_assert_cmpuint (consumers[c].mismatches, ==, 0);
    }
  g_test_message ("%" G_GSIZE_FORMAT " buffers to two consumers; the producer "
                  "waited for room %" G_GSIZE_FORMAT " times", n, waited);
  g_assert_cmpuint (waited, >, 0);

  g_object_unref (allocator);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores - 1);
  g_free (consumers);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ringal_test_add ("/Ringal/Threads/freeze-broadcast", test_freeze_broadcast);
  ringal_test_add ("/Ringal/Threads/one-thread-rule", test_one_thread_rule);
  g_test_add_func ("/Ringal/Threads/thread-default-owned", test_thread_default_owned);
  g_test_add_func ("/Ringal/Threads/shared-allocator", test_shared_allocator);
  g_test_add_func ("/Ringal/Threads/stress-producer-two-consumers", test_stress_producer_two_consumers);

  return g_test_run ();
}
