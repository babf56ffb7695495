/* test-raw.c: the raw C fast path, ringal_allocator_alloc/ringal_release
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gio/gio.h>
#include <pthread.h>
#include <sched.h>

#include "ringal-test-fixture.h"

/* The raw block's header: one word, the ring. */
#define RAW_PREFIX RINGAL_WORD

static guint8 *
alloc_or_fail (RingalAllocator *allocator,
               gsize            size)
{
  g_autoptr(GError) error = NULL;
  guint8 *mem = ringal_allocator_try_alloc (allocator, size, &error);

  g_assert_no_error (error);
  g_assert_nonnull (mem);
  g_assert_cmpuint ((guintptr) mem % RINGAL_WORD, ==, 0);
  return mem;
}

static void
test_alloc_release (RingalFixture *f,
                    gconstpointer  data)
{
  guint8 *blocks[16];

  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      blocks[i] = ringal_allocator_alloc (f->allocator, 1 + i * 13);
      g_assert_nonnull (blocks[i]);
      g_assert_cmpuint ((guintptr) blocks[i] % RINGAL_WORD, ==, 0);
      ringal_test_fill (blocks[i], 1 + i * 13, i);
    }
  ringal_test_assert_ring_valid (f->ring);
  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      ringal_test_assert_pattern (blocks[i], 1 + i * 13, i);
      ringal_release (blocks[i]);
    }
}

/* Interleaved with buffers and arrays, in a window that wraps round the
 * ring many times: every block keeps its bytes. */
static void
test_churn_with_buffers (RingalFixture *f,
                         gconstpointer  data)
{
  struct { guint8 *mem; RingalBuffer *buffer; gsize len; guint32 seed; } window[6] = { { 0 } };
  guint32 random = 11;

  for (guint32 i = 1; i < 20000; i++)
    {
      guint slot = i % G_N_ELEMENTS (window);
      gsize len = ringal_test_next_random (&random) % 400;

      if (window[slot].mem != NULL)
        {
          ringal_test_assert_pattern (window[slot].mem, window[slot].len, window[slot].seed);
          ringal_release (window[slot].mem);
          window[slot].mem = NULL;
        }
      if (window[slot].buffer != NULL)
        {
          ringal_test_assert_pattern (ringal_buffer_get_data (window[slot].buffer, NULL),
                                      window[slot].len, window[slot].seed);
          g_clear_pointer (&window[slot].buffer, ringal_buffer_unref);
        }

      window[slot].len = len;
      window[slot].seed = i;
      if (i % 3)
        {
          window[slot].mem = alloc_or_fail (f->allocator, len);
          ringal_test_fill (window[slot].mem, len, i);
        }
      else
        {
          window[slot].buffer = ringal_allocator_fixed (f->allocator, len, NULL);
          g_assert_nonnull (window[slot].buffer);
          ringal_test_write_pattern (window[slot].buffer, len, i);
        }
    }
  ringal_test_assert_ring_valid (f->ring);

  for (guint k = 0; k < G_N_ELEMENTS (window); k++)
    {
      ringal_release (window[k].mem);
      g_clear_pointer (&window[k].buffer, ringal_buffer_unref);
    }
}

/* malloc (0) gives a pointer of its own; so does this. */
static void
test_zero_size (RingalFixture *f,
                gconstpointer  data)
{
  gpointer a = alloc_or_fail (f->allocator, 0);
  gpointer b = alloc_or_fail (f->allocator, 0);

  g_assert_true (a != b);
  ringal_release (a);
  ringal_release (b);
  ringal_release (NULL);
}

/* The largest block fills the ring exactly; a byte more never fits. */
static void
test_limits (RingalFixture *f,
             gconstpointer  data)
{
  gsize max = ringal_ring_max_size (f->ring, RAW_PREFIX, RINGAL_WORD);
  gsize sizes[] = { max + 1, 4096, G_MAXSIZE / 2, G_MAXSIZE - 7, G_MAXSIZE };
  g_autoptr(RingalStats) stats = NULL;
  guint8 *mem;

  g_assert_cmpuint (max, ==, 4096 - 3 * RINGAL_WORD);
  mem = alloc_or_fail (f->allocator, max);
  ringal_test_fill (mem, max, 3);
  ringal_test_assert_ring_valid (f->ring);
  ringal_test_assert_pattern (mem, max, 3);
  /* and the ring is full */
  g_assert_null (ringal_allocator_alloc (f->allocator, 0));
  ringal_release (mem);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      GError *error = NULL;

      g_assert_null (ringal_allocator_alloc (f->allocator, sizes[i]));
      g_assert_null (ringal_allocator_try_alloc (f->allocator, sizes[i], &error));
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
      g_clear_error (&error);
    }

  /* the raw path is counted like every other allocation */
  stats = ringal_allocator_get_stats (f->allocator, NULL);
  g_assert_cmpuint (stats->n_allocations, ==, 1);
  g_assert_cmpuint (stats->n_failed, ==, 1 + 2 * G_N_ELEMENTS (sizes));
}

/* NULL for every reason; try_alloc() says which. */
static void
test_failures (RingalFixture *f,
               gconstpointer  data)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func (ringal_release);
  RingalBuffer *open, *closed;
  GError *error = NULL;
  gpointer mem;

  /* FULL */
  while ((mem = ringal_allocator_alloc (f->allocator, 500)) != NULL)
    g_ptr_array_add (blocks, mem);
  g_assert_cmpuint (blocks->len, >=, 7);
  g_assert_null (ringal_allocator_try_alloc (f->allocator, 500, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
  g_clear_error (&error);
  /* releasing the one at the head makes room again */
  g_ptr_array_remove_index (blocks, 0);
  mem = alloc_or_fail (f->allocator, 500);
  g_ptr_array_add (blocks, mem);
  g_ptr_array_set_size (blocks, 0);

  /* BUSY */
  open = ringal_allocator_extendable (f->allocator, 8, NULL);
  g_assert_null (ringal_allocator_alloc (f->allocator, 8));
  g_assert_null (ringal_allocator_try_alloc (f->allocator, 8, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_BUSY);
  g_clear_error (&error);
  closed = ringal_buffer_finalize (open, NULL);
  ringal_buffer_unref (open);
  ringal_buffer_unref (closed);

  g_ptr_array_unref (blocks);
}

static void *
alloc_in_thread (void *data)
{
  RingalAllocator *allocator = data;
  GError *error = NULL;
  gpointer mem = ringal_allocator_alloc (allocator, 16);

  g_assert_null (mem);
  g_assert_null (ringal_allocator_try_alloc (allocator, 16, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_WRONG_THREAD);
  g_clear_error (&error);
  return NULL;
}

static void
test_wrong_thread (RingalFixture *f,
                   gconstpointer  data)
{
  pthread_t thread;
  gpointer mine = alloc_or_fail (f->allocator, 16);  /* this thread owns it now */

  pthread_create (&thread, NULL, alloc_in_thread, f->allocator);
  pthread_join (thread, NULL);
  ringal_release (mine);
}

typedef struct {
  RingalTestChannel channel;
  guint             mismatches;
  guint             released;
} Consumer;

static void *
consume (void *data)
{
  Consumer *consumer = data;
  guint8 *mem;

  while ((mem = ringal_test_channel_pop (&consumer->channel)) != NULL)
    {
      /* length and seed travel in the block itself */
      guint32 seed = *(guint32 *) mem;
      guint32 len = *(guint32 *) (mem + 4);

      if (!ringal_test_pattern_holds (mem + 8, len, seed))
        consumer->mismatches++;
      ringal_release (mem);
      consumer->released++;
    }
  return NULL;
}

/* A producer allocates, fills and hands over; a consumer thread checks
 * and releases.  Under TSan this proves the hand-back through the guard:
 * the consumer's reads happen before the producer's reuse. */
static void
test_release_from_another_thread (RingalFixture *f,
                                  gconstpointer  data)
{
  Consumer consumer = { 0 };
  pthread_t thread;
  guint32 random = 3;
  guint full = 0;

  pthread_create (&thread, NULL, consume, &consumer);
  for (guint32 i = 0; i < 20000; i++)
    {
      guint32 len = ringal_test_next_random (&random) % 300;
      guint8 *mem;

      while ((mem = ringal_allocator_alloc (f->allocator, 8 + len)) == NULL)
        {
          full++;
          sched_yield ();
        }
      *(guint32 *) mem = i;
      *(guint32 *) (mem + 4) = len;
      ringal_test_fill (mem + 8, len, i);
      ringal_test_channel_push (&consumer.channel, mem);
    }
  ringal_test_channel_push (&consumer.channel, NULL);
  pthread_join (thread, NULL);

  g_assert_cmpuint (consumer.mismatches, ==, 0);
  g_assert_cmpuint (consumer.released, ==, 20000);
  g_test_message ("the ring was full %u times", full);
}

/* Blocks outlive their allocator; the last release frees the store. */
static void
test_outlive_allocator (void)
{
  gsize stores = ringal_ring_count_stores ();
  RingalAllocator *allocator = ringal_allocator_new (4096);
  guint8 *a = ringal_allocator_alloc (allocator, 100);
  guint8 *b = ringal_allocator_alloc (allocator, 200);

  ringal_test_fill (a, 100, 1);
  ringal_test_fill (b, 200, 2);
  g_object_unref (allocator);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores + 1);
  ringal_test_assert_pattern (a, 100, 1);
  ringal_release (a);
  ringal_test_assert_pattern (b, 200, 2);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores + 1);
  ringal_release (b);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
}

static void
test_null_self (void)
{
  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*self != NULL*");
  g_assert_null (ringal_allocator_alloc (NULL, 8));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*RINGAL_IS_ALLOCATOR*");
  g_assert_null (ringal_allocator_try_alloc (NULL, 8, NULL));
  g_test_assert_expected_messages ();
}

/* The inline fast path of ringal-raw.h allocates and releases on its own
 * only where the library lets it; elsewhere, or with the door shut, the
 * same calls go through the library, with the same results. */
static void
test_inline_fast_path (RingalFixture *f,
                       gconstpointer  data)
{
#ifdef _RINGAL_FAST_PATH_ABI
  guint64 before = f->allocator->n_allocations;
  guint8 *mem;

  if (f->ring->fast_abi != _RINGAL_FAST_PATH_ABI)
    {
      g_test_skip ("the library watches every allocation here (Valgrind, ASan, or no membarrier)");
      return;
    }
  g_assert_cmpuint (f->allocator->fast_abi, ==, _RINGAL_FAST_PATH_ABI);

  for (guint shut = 0; shut < 2; shut++)
    {
      f->allocator->fast_abi = shut ? 0 : _RINGAL_FAST_PATH_ABI;
      mem = ringal_allocator_alloc (f->allocator, 100);
      g_assert_nonnull (mem);
      g_assert_true (*((RingalRing **) mem - 1) == f->ring);
      g_assert_true (ringal_guard_is_locked ((RingalGuard *) mem - 2));
      g_assert_cmpuint (ringal_guard_payload_words ((RingalGuard *) mem - 2) * RINGAL_WORD, >=, 100 + RAW_PREFIX);
      g_assert_cmpuint (f->allocator->n_allocations, ==, before + 1 + shut);
      ringal_test_fill (mem, 100, 9 + shut);
      ringal_test_assert_ring_valid (f->ring);
      ringal_test_assert_pattern (mem, 100, 9 + shut);
      ringal_release (mem);
      g_assert_false (ringal_guard_is_locked ((RingalGuard *) mem - 2));
      ringal_test_assert_ring_valid (f->ring);
    }
  f->allocator->fast_abi = _RINGAL_FAST_PATH_ABI;
#else
  g_test_skip ("no inline fast path with this compiler");
#endif
}

static gpointer
release_later (gpointer mem)
{
  g_usleep (20 * 1000);
  ringal_release (mem);
  return NULL;
}

/* A release on another thread, inline, wakes the owner waiting for room:
 * the release sees `attention` and calls into the library. */
static void
test_inline_release_wakes_waiter (RingalFixture *f,
                                  gconstpointer  data)
{
  g_autoptr(GPtrArray) blocks = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer;
  GThread *releaser;
  guint8 *mem;

  while ((mem = ringal_allocator_alloc (f->allocator, 200)) != NULL)
    g_ptr_array_add (blocks, mem);
  g_assert_cmpuint (blocks->len, >, 4);

  /* the oldest, at the head once the allocator comes round */
  releaser = g_thread_new ("releaser", release_later, blocks->pdata[0]);
  buffer = ringal_allocator_fixed_wait (f->allocator, 100, 10 * G_USEC_PER_SEC, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (buffer);
  g_thread_join (releaser);

  ringal_buffer_unref (buffer);
  for (guint i = 1; i < blocks->len; i++)
    ringal_release (blocks->pdata[i]);
}

/* Aligned blocks: every alignment up to a page, each filled to its last
 * byte with a neighbour right after it, released in a scrambled order. */
static void
test_aligned (RingalFixture *f,
              gconstpointer  data)
{
  static const gsize aligns[] = { 1, 2, 8, 16, 32, 64, 128, 512, 4096 };
  gpointer blocks[G_N_ELEMENTS (aligns) * 2];
  gsize sizes[G_N_ELEMENTS (blocks)];
  GError *error = NULL;

  for (gsize round = 0; round < 20; round++)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (blocks); i++)
        {
          gsize align = aligns[i % G_N_ELEMENTS (aligns)];

          sizes[i] = 1 + (round * 37 + i * 11) % 200;
          blocks[i] = ringal_allocator_try_alloc_aligned (f->allocator, sizes[i], align, &error);
          g_assert_no_error (error);
          g_assert_cmpuint ((guintptr) blocks[i] % align, ==, 0);
          ringal_test_fill (blocks[i], sizes[i], (guint32) (round * 100 + i));
        }
      ringal_test_assert_ring_valid (f->ring);
      for (gsize k = 0; k < G_N_ELEMENTS (blocks); k++)
        {
          gsize i = (k * 7 + round) % G_N_ELEMENTS (blocks);

          ringal_test_assert_pattern (blocks[i], sizes[i], (guint32) (round * 100 + i));
          ringal_release (blocks[i]);
        }
    }

  /* Plain and aligned blocks mixed, released by the same function. */
  blocks[0] = ringal_allocator_alloc (f->allocator, 10);
  blocks[1] = ringal_allocator_try_alloc_aligned (f->allocator, 10, 256, NULL);
  ringal_release (blocks[1]);
  ringal_release (blocks[0]);
}

static void
test_aligned_errors (RingalFixture *f,
                     gconstpointer  data)
{
  static const gsize bad[] = { 0, 3, 24, 8192 };
  GError *error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (ringal_allocator_try_alloc_aligned (f->allocator, 10, bad[i], &error));
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  g_assert_null (ringal_allocator_try_alloc_aligned (f->allocator, 4096, 64, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
  g_clear_error (&error);
}

/* Fills the ring with 200-byte raw blocks until it is full. */
static GPtrArray *
fill_raw (RingalAllocator *allocator)
{
  GPtrArray *held = g_ptr_array_new_with_free_func (ringal_release);
  gpointer mem;

  while ((mem = ringal_allocator_try_alloc (allocator, 200, NULL)) != NULL)
    g_ptr_array_add (held, mem);
  return held;
}

typedef struct {
  GPtrArray    *held;
  GCancellable *cancellable;
  atomic_bool   done;
} RawLater;

static void *
raw_release_later (void *data)
{
  RawLater *later = data;

  g_usleep (30 * 1000);
  atomic_store (&later->done, true);
  if (later->held != NULL)
    g_ptr_array_remove_range (later->held, 0, 4);
  if (later->cancellable != NULL)
    g_cancellable_cancel (later->cancellable);
  return NULL;
}

/* The aligned wait sleeps until a release on another thread makes room;
 * it ends on a cancellation, on its timeout, and at once on errors that
 * waiting cannot mend. */
static void
test_aligned_wait (RingalFixture *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) held = fill_raw (f->allocator);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RawLater later = { held, NULL, false };
  GError *error = NULL;
  gpointer mem;
  pthread_t thread;
  gint64 start;

  /* released on another thread, with a timeout too long to add */
  pthread_create (&thread, NULL, raw_release_later, &later);
  mem = ringal_allocator_alloc_aligned_wait (f->allocator, 300, 64, G_MAXINT64, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (atomic_load (&later.done));
  g_assert_cmpuint (GPOINTER_TO_SIZE (mem) % 64, ==, 0);
  pthread_join (thread, NULL);

  /* the timeout */
  start = g_get_monotonic_time ();
  g_assert_null (ringal_allocator_alloc_aligned_wait (f->allocator, 2000, 64, 20 * 1000, NULL, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 20 * 1000);
  g_clear_error (&error);

  /* cancelled on another thread */
  later = (RawLater) { NULL, cancellable, false };
  pthread_create (&thread, NULL, raw_release_later, &later);
  g_assert_null (ringal_allocator_alloc_aligned_wait (f->allocator, 2000, 64, -1, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (atomic_load (&later.done));
  g_clear_error (&error);
  pthread_join (thread, NULL);

  /* hopeless: no wait */
  g_assert_null (ringal_allocator_alloc_aligned_wait (f->allocator, 1 << 20, 64, -1, NULL, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_null (ringal_allocator_alloc_aligned_wait (f->allocator, 100, 3, -1, NULL, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  ringal_release (mem);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ringal_test_add ("/Ringal/Raw/alloc-release", test_alloc_release);
  ringal_test_add ("/Ringal/Raw/churn-with-buffers", test_churn_with_buffers);
  ringal_test_add ("/Ringal/Raw/zero-size", test_zero_size);
  ringal_test_add_sized ("/Ringal/Raw/aligned", 64 * 1024, test_aligned);
  ringal_test_add ("/Ringal/Raw/aligned-errors", test_aligned_errors);
  ringal_test_add ("/Ringal/Raw/aligned-wait", test_aligned_wait);
  ringal_test_add ("/Ringal/Raw/limits", test_limits);
  ringal_test_add ("/Ringal/Raw/failures", test_failures);
  ringal_test_add ("/Ringal/Raw/wrong-thread", test_wrong_thread);
  ringal_test_add ("/Ringal/Raw/release-from-another-thread", test_release_from_another_thread);
  g_test_add_func ("/Ringal/Raw/outlive-allocator", test_outlive_allocator);
  g_test_add_func ("/Ringal/Raw/null-self", test_null_self);
  ringal_test_add ("/Ringal/Raw/inline-fast-path", test_inline_fast_path);
  ringal_test_add ("/Ringal/Raw/inline-release-wakes-waiter", test_inline_release_wakes_waiter);

  return g_test_run ();
}
