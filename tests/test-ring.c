/* test-ring.c: the guard ring itself, without GObject
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The allocation scenarios of the seed's own tests, run on the core, with
 * every region filled with a pattern that is checked before release and an
 * invariant walk of the ring after each step; then one regression test for
 * each defect of the seed that lives in the core.
 */

#include <pthread.h>
#include <sched.h>

#include "ringal-test-utils.h"

#define SEED_RING_SIZE 4096

typedef struct {
  RingalGuard *guard;
  gsize        size;
  guint32      seed;
} Region;

static guint8 *
region_data (RingalGuard *guard)
{
  return (guint8 *) (guard + 1);
}

static Region
alloc_filled (RingalRing *ring,
              gsize       size,
              guint32     seed)
{
  RingalRingStatus status;
  Region region = { ringal_test_ring_alloc (ring, size, &status), size, seed };

  g_assert_nonnull (region.guard);
  g_assert_cmpint (status, ==, RINGAL_RING_OK);
  g_assert_cmpuint (ringal_guard_payload_words (region.guard) * RINGAL_WORD, >=, size);
  ringal_test_fill (region_data (region.guard), size, seed);
  return region;
}

static void
release_checked (RingalRing *ring,
                 Region     *region)
{
  ringal_test_assert_pattern (region_data (region->guard), region->size, region->seed);
  ringal_ring_release (ring, region->guard);
  region->guard = NULL;
}

/* Frees the ring and checks that it really went. */
static void
ring_free_checked (RingalRing *ring)
{
  gsize stores = ringal_ring_count_stores ();

  ringal_test_assert_ring_valid (ring);
  ringal_ring_orphan (ring);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores - 1);
}

static void
test_init (void)
{
  RingalRing *ring = ringal_test_ring_new (SEED_RING_SIZE);
  RingalRingStatus status;

  g_assert_cmpuint (ring->capacity, ==, SEED_RING_SIZE);
  g_assert_true (ring->head == ring->base);
  g_assert_true (ringal_guard_next (ring->base) == ring->tail);
  g_assert_true (ring->tail == ring->base + SEED_RING_SIZE / RINGAL_WORD - 1);
  g_assert_true (ringal_guard_next (ring->tail) == ring->base);
  g_assert_cmpuint (ringal_guard_payload_words (ring->base), ==, SEED_RING_SIZE / RINGAL_WORD - 2);
  g_assert_cmpuint (ringal_ring_max_size (ring, 0, RINGAL_WORD), ==, SEED_RING_SIZE - 2 * RINGAL_WORD);
  ring_free_checked (ring);

  /* Rounded up to a power of two, and to the minimum. */
  ring = ringal_test_ring_new (SEED_RING_SIZE + 1);
  g_assert_cmpuint (ring->capacity, ==, 2 * SEED_RING_SIZE);
  ring_free_checked (ring);
  ring = ringal_test_ring_new (1);
  g_assert_cmpuint (ring->capacity, ==, 256);
  ring_free_checked (ring);

  /* D9: the seed wrote through a failed allocation and could round past
   * what a Layout may hold. */
  g_assert_null (ringal_ring_new (G_MAXSIZE, &status));
  g_assert_cmpint (status, ==, RINGAL_RING_TOO_LARGE);
  g_assert_null (ringal_ring_new (RINGAL_RING_MAX_CAPACITY + 1, &status));
  g_assert_cmpint (status, ==, RINGAL_RING_TOO_LARGE);
  g_assert_null (ringal_ring_new (RINGAL_RING_MAX_CAPACITY, &status));
  g_assert_cmpint (status, ==, RINGAL_RING_NO_MEMORY);
  g_assert_null (ringal_ring_new ((gsize) 1 << 47, &status));
  g_assert_cmpint (status, ==, RINGAL_RING_NO_MEMORY);
}

static void
test_single_alloc (void)
{
  RingalRing *ring = ringal_test_ring_new (SEED_RING_SIZE);
  Region region = alloc_filled (ring, 1024, 1);

  g_assert_true (region.guard == ring->base);
  g_assert_true (ring->head == ringal_guard_next (region.guard));
  g_assert_true (ringal_guard_is_locked (region.guard));
  g_assert_cmpuint (ringal_guard_payload_words (region.guard), ==, 1024 / RINGAL_WORD);
  ringal_test_assert_ring_valid (ring);

  release_checked (ring, &region);
  g_assert_false (ringal_guard_is_locked (ring->base));
  ring_free_checked (ring);
}

/* Regions that fill the store exactly: the next one fails, and after
 * releasing them all the ring serves again. */
static void
test_exhaust_and_recover (void)
{
  RingalRing *ring = ringal_test_ring_new (SEED_RING_SIZE);
  const gsize n = 16;
  /* n regions of one guard plus payload, and the tail guard, fill the store */
  const gsize size = (SEED_RING_SIZE - RINGAL_WORD) / n - RINGAL_WORD;
  Region regions[16];
  RingalRingStatus status;

  for (gsize round = 0; round < 3; round++)
    {
      for (gsize i = 0; i < n; i++)
        regions[i] = alloc_filled (ring, size - (i == n - 1 ? RINGAL_WORD : 0),
                                   (guint32) (round * 100 + i));
      ringal_test_assert_ring_valid (ring);

      g_assert_null (ringal_test_ring_alloc (ring, 1, &status));
      g_assert_cmpint (status, ==, RINGAL_RING_FULL);
      ringal_test_assert_ring_valid (ring);

      for (gsize i = 0; i < n; i++)
        release_checked (ring, &regions[i]);
      ringal_test_assert_ring_valid (ring);
    }

  ring_free_checked (ring);
}

/* The seed's sliding window: thousands of random sizes, at most a few
 * alive, in FIFO order; nothing may fail and no byte may change. */
static void
run_sliding_window (gsize capacity,
                    gsize max_size,
                    gsize window,
                    gsize iterations)
{
  RingalRing *ring = ringal_test_ring_new (capacity);
  GQueue live = G_QUEUE_INIT;
  guint32 random = 0x2545F491;

  for (gsize i = 0; i < iterations; i++)
    {
      gsize size = ringal_test_next_random (&random) % max_size;
      Region *region = g_new (Region, 1);

      if (g_queue_get_length (&live) == window)
        {
          Region *oldest = g_queue_pop_head (&live);

          release_checked (ring, oldest);
          g_free (oldest);
        }

      *region = alloc_filled (ring, size, (guint32) i);
      g_queue_push_tail (&live, region);
      ringal_test_assert_ring_valid (ring);
    }

  while (!g_queue_is_empty (&live))
    {
      Region *region = g_queue_pop_head (&live);

      release_checked (ring, region);
      g_free (region);
    }
  ring_free_checked (ring);
}

static void
test_continuous_alloc (void)
{
  run_sliding_window (SEED_RING_SIZE, 256, 4, 8192);
  run_sliding_window (SEED_RING_SIZE, 1024, 2, 8192);
  run_sliding_window (64 * 1024, 1024, 32, 20000);
}

/* A region still in use does not stop the allocator: the walk steps over
 * it to the free run behind it.  (The seed, and the first round, stopped
 * at the first region in use and failed with the rest of the ring free.) */
static void
test_steps_over_held (void)
{
  RingalRing *ring = ringal_test_ring_new (SEED_RING_SIZE);
  Region a = alloc_filled (ring, 1000, 1);
  Region b = alloc_filled (ring, 1000, 2);
  Region c = alloc_filled (ring, 1000, 3);
  Region d = alloc_filled (ring, 1000, 4);
  RingalGuard *hole = b.guard;
  Region e;
  RingalRingStatus status;

  /* The head is at the end of the store; the one free run is b's, behind
   * a, which is still in use. */
  release_checked (ring, &b);
  g_assert_null (ringal_test_ring_alloc (ring, 1500, &status));
  g_assert_cmpint (status, ==, RINGAL_RING_FULL);
  ringal_test_assert_ring_valid (ring);

  e = alloc_filled (ring, 900, 5);
  g_assert_true (e.guard == hole);
  ringal_test_assert_ring_valid (ring);

  release_checked (ring, &a);
  release_checked (ring, &c);
  release_checked (ring, &d);
  release_checked (ring, &e);
  ring_free_checked (ring);
}

/* Beyond the seed: once everything is released, the largest size succeeds
 * wherever the head is.  The seed stops its walk at the old head and
 * reports full on an empty ring. */
static void
test_full_capacity_recovery (void)
{
  RingalRing *ring = ringal_test_ring_new (SEED_RING_SIZE);
  gsize max = ringal_ring_max_size (ring, 0, RINGAL_WORD);

  for (gsize offset = 0; offset < SEED_RING_SIZE - 64; offset += 40)
    {
      Region skip, big;

      if (offset > 0)
        {
          skip = alloc_filled (ring, offset, (guint32) offset);
          release_checked (ring, &skip);
        }
      big = alloc_filled (ring, max, (guint32) offset + 1);
      ringal_test_assert_ring_valid (ring);
      release_checked (ring, &big);
    }

  /* The same with many small regions released in a scrambled order. */
  for (gsize round = 0; round < 50; round++)
    {
      Region small[12];
      guint32 random = (guint32) round * 7919 + 1;
      Region big;

      for (gsize i = 0; i < G_N_ELEMENTS (small); i++)
        small[i] = alloc_filled (ring, 8 + ringal_test_next_random (&random) % 200,
                                 (guint32) (round * 100 + i));
      /* 5 is prime to 12: a permutation that changes with the round */
      for (gsize i = 0; i < G_N_ELEMENTS (small); i++)
        release_checked (ring, &small[(i * 5 + round) % G_N_ELEMENTS (small)]);
      big = alloc_filled (ring, max, (guint32) round);
      release_checked (ring, &big);
      ringal_test_assert_ring_valid (ring);
    }

  ring_free_checked (ring);
}

/* D8: the seed's walk underflows on a request larger than the ring. */
static void
test_too_large (void)
{
  RingalRing *ring = ringal_test_ring_new (1024);
  gsize max = ringal_ring_max_size (ring, 0, RINGAL_WORD);
  gsize sizes[] = { max + 1, 1024, 4096, G_MAXSIZE / 2, G_MAXSIZE - 7, G_MAXSIZE };
  RingalRingStatus status;
  Region region;

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_assert_null (ringal_test_ring_alloc (ring, sizes[i], &status));
      g_assert_cmpint (status, ==, RINGAL_RING_TOO_LARGE);
      /* with a prefix and a large alignment, the arithmetic must not wrap */
      g_assert_null (ringal_ring_reserve (ring, 4096, sizes[i], 4096, &status));
      g_assert_cmpint (status, ==, RINGAL_RING_TOO_LARGE);
    }
  g_assert_null (ringal_ring_reserve (ring, 8, max, RINGAL_WORD, &status));
  g_assert_cmpint (status, ==, RINGAL_RING_TOO_LARGE);
  ringal_test_assert_ring_valid (ring);

  /* A too-large request is reported as such even when the head is locked. */
  region = alloc_filled (ring, 100, 1);
  g_assert_null (ringal_test_ring_alloc (ring, max + 1, &status));
  g_assert_cmpint (status, ==, RINGAL_RING_TOO_LARGE);
  release_checked (ring, &region);

  region = alloc_filled (ring, max, 2);
  release_checked (ring, &region);
  ring_free_checked (ring);
}

/* D3: aligned data must not run into the next guard.  The seed reserved
 * size + 1 words from the guard but placed the data up to 7 words in. */
static void
test_alignment (void)
{
  RingalRing *ring = ringal_test_ring_new (64 * 1024);
  gsize aligns[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096 };
  guint32 random = 99;

  for (gsize round = 0; round < 200; round++)
    {
      gsize align = aligns[round % G_N_ELEMENTS (aligns)];
      gsize size = 1 + ringal_test_next_random (&random) % 300;
      gsize prefix = RINGAL_WORD * (ringal_test_next_random (&random) % 4);
      RingalRingStatus status;
      RingalGuard *guard, *after;
      guint8 *data;

      guard = ringal_ring_reserve (ring, prefix, size, align, &status);
      g_assert_nonnull (guard);
      data = ringal_region_data (guard, prefix, align);
      g_assert_cmpuint ((guintptr) data % align, ==, 0);
      g_assert_cmpuint ((guintptr) data, >=, (guintptr) (guard + 1) + prefix);
      g_assert_cmpuint ((guintptr) (data + size), <=, (guintptr) ringal_guard_next (guard));

      /* Fill all of it, and put a neighbour right after it. */
      ringal_test_fill (data, size, (guint32) round);
      after = ringal_test_ring_alloc (ring, 64, &status);
      g_assert_nonnull (after);
      ringal_test_fill (region_data (after), 64, (guint32) round + 1000);
      ringal_test_assert_ring_valid (ring);

      ringal_test_assert_pattern (data, size, (guint32) round);
      ringal_test_assert_pattern (region_data (after), 64, (guint32) round + 1000);
      ringal_ring_release (ring, guard);
      ringal_ring_release (ring, after);
    }

  ring_free_checked (ring);
}

/* D11 and the lifetime rule: the store goes with its last region, never
 * before, and it is never walked to find its own size. */
static void
test_orphan (void)
{
  gsize stores = ringal_ring_count_stores ();
  RingalRing *ring = ringal_test_ring_new (SEED_RING_SIZE);
  Region a, b;

  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores + 1);
  ringal_ring_orphan (ring);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);

  ring = ringal_test_ring_new (SEED_RING_SIZE);
  a = alloc_filled (ring, 100, 1);
  b = alloc_filled (ring, 2000, 2);
  ringal_ring_orphan (ring);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores + 1);

  release_checked (ring, &b);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores + 1);
  release_checked (ring, &a);
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
}

/* D7: the seed released with a relaxed RMW and checked with a relaxed
 * load.  Here regions cross to another thread and come back; the consumer
 * checks every byte before it releases, and the producer overwrites the
 * memory right after it sees the release.  The queue between them only
 * orders producer to consumer: nothing but the guard carries the
 * consumer's reads to the producer, so under ThreadSanitizer a missing
 * release/acquire pair on the guard shows as a data race on the payload
 * (the relaxed variant is reported; see the notes in ringal-ring.h). */

#define QUEUE_SIZE 64

typedef struct {
  RingalGuard *_Atomic guard;
  atomic_size_t        size;
  atomic_uint          seed;
} Slot;

typedef struct {
  RingalRing    *ring;
  Slot           slots[QUEUE_SIZE];
  atomic_size_t  head;      /* producer to consumer: release/acquire */
  atomic_size_t  tail;      /* consumer to producer: relaxed, flow control only */
  atomic_bool    done;
  gsize          consumed;
  gsize          mismatches;
} CrossThread;

static void *
consumer_thread (void *data)
{
  CrossThread *ct = data;

  for (;;)
    {
      gsize tail = atomic_load_explicit (&ct->tail, memory_order_relaxed);
      Slot *slot = &ct->slots[tail % QUEUE_SIZE];
      RingalGuard *guard;

      if (atomic_load_explicit (&ct->head, memory_order_acquire) == tail)
        {
          if (atomic_load_explicit (&ct->done, memory_order_acquire) &&
              atomic_load_explicit (&ct->head, memory_order_acquire) == tail)
            break;
          sched_yield ();
          continue;
        }

      guard = atomic_load_explicit (&slot->guard, memory_order_relaxed);
      if (!ringal_test_pattern_holds (region_data (guard),
                                      atomic_load_explicit (&slot->size, memory_order_relaxed),
                                      atomic_load_explicit (&slot->seed, memory_order_relaxed)))
        ct->mismatches++;
      ringal_ring_release (ct->ring, guard);
      atomic_store_explicit (&ct->tail, tail + 1, memory_order_relaxed);
      ct->consumed++;
    }

  return NULL;
}

static void
test_cross_thread_release (void)
{
  CrossThread *ct = g_new0 (CrossThread, 1);
  const gsize n = g_test_slow () ? 2000000 : 200000;
  guint32 random = 7;
  gsize full = 0;
  pthread_t thread;

  ct->ring = ringal_test_ring_new (64 * 1024);
  pthread_create (&thread, NULL, consumer_thread, ct);

  for (gsize i = 0; i < n; i++)
    {
      gsize size = 1 + ringal_test_next_random (&random) % 512;
      gsize head = atomic_load_explicit (&ct->head, memory_order_relaxed);
      Slot *slot = &ct->slots[head % QUEUE_SIZE];
      RingalRingStatus status;
      RingalGuard *guard;

      while (head - atomic_load_explicit (&ct->tail, memory_order_relaxed) == QUEUE_SIZE)
        sched_yield ();

      while ((guard = ringal_test_ring_alloc (ct->ring, size, &status)) == NULL)
        {
          g_assert_cmpint (status, ==, RINGAL_RING_FULL);
          full++;
          sched_yield ();
        }
      /* The producer writes the whole region: a race with the consumer's
       * last reads of it shows here. */
      ringal_test_fill (region_data (guard), size, (guint32) i);

      atomic_store_explicit (&slot->size, size, memory_order_relaxed);
      atomic_store_explicit (&slot->seed, (guint32) i, memory_order_relaxed);
      atomic_store_explicit (&slot->guard, guard, memory_order_relaxed);
      atomic_store_explicit (&ct->head, head + 1, memory_order_release);
    }

  atomic_store_explicit (&ct->done, true, memory_order_release);
  pthread_join (thread, NULL);

  g_test_message ("%" G_GSIZE_FORMAT " regions crossed threads, %" G_GSIZE_FORMAT
                  " allocations found the ring full", ct->consumed, full);
  g_assert_cmpuint (ct->consumed, ==, n);
  g_assert_cmpuint (ct->mismatches, ==, 0);
  ring_free_checked (ct->ring);
  g_free (ct);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ringal/Ring/init", test_init);
  g_test_add_func ("/Ringal/Ring/single-alloc", test_single_alloc);
  g_test_add_func ("/Ringal/Ring/exhaust-and-recover", test_exhaust_and_recover);
  g_test_add_func ("/Ringal/Ring/continuous-alloc", test_continuous_alloc);
  g_test_add_func ("/Ringal/Ring/steps-over-held", test_steps_over_held);
  g_test_add_func ("/Ringal/Ring/full-capacity-recovery", test_full_capacity_recovery);
  g_test_add_func ("/Ringal/Ring/too-large", test_too_large);
  g_test_add_func ("/Ringal/Ring/alignment", test_alignment);
  g_test_add_func ("/Ringal/Ring/orphan", test_orphan);
  g_test_add_func ("/Ringal/Ring/cross-thread-release", test_cross_thread_release);

  return g_test_run ();
}
