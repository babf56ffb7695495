/* ringal-test-utils.h: patterns and ring checks shared by the C tests
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <ringal-glib/ringal-glib.h>

#include "ringal-allocator-private.h"
#include "ringal-ring.h"

G_BEGIN_DECLS

/* Deterministic sizes: the same run every time. */
static inline guint32
ringal_test_next_random (guint32 *state)
{
  guint32 x = *state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

/* The byte at @offset of a buffer tagged @seed: neighbours differ, and so
 * do buffers with different seeds, so overlap and stale reuse show. */
static inline guint8
ringal_test_pattern_byte (guint32 seed,
                          gsize   offset)
{
  guint32 x = seed * 2654435761u + (guint32) offset * 40503u;

  return (guint8) (x ^ (x >> 13) ^ (x >> 24));
}

void     ringal_test_fill          (guint8       *data,
                                    gsize         len,
                                    guint32       seed);
gboolean ringal_test_pattern_holds (const guint8 *data,
                                    gsize         len,
                                    guint32       seed);
gsize    ringal_test_first_mismatch(const guint8 *data,
                                    gsize         len,
                                    guint32       seed);

int      ringal_test_replay        (int           argc,
                                    char         *argv[],
                                    int         (*test_one_input) (const guint8 *data,
                                                                   size_t        size));

void     ringal_test_assert_ring   (RingalRing   *ring,
                                    const char   *file,
                                    int           line);

/* Fails the test, with a dump of the ring, when an invariant is broken. */
#define ringal_test_assert_ring_valid(ring) \
  ringal_test_assert_ring ((ring), __FILE__, __LINE__)

#define ringal_test_assert_pattern(data, len, seed) \
  G_STMT_START { \
    gsize _len = (len); \
    gsize _bad = ringal_test_first_mismatch ((data), _len, (seed)); \
    if (_bad != _len) \
      g_error ("%s:%d: pattern %u broken at byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT, \
               __FILE__, __LINE__, (guint) (seed), _bad, _len); \
  } G_STMT_END

/* A new buffer of at least @size bytes, or the test fails. */
RingalBuffer *ringal_test_fixed      (RingalAllocator *allocator,
                                      gsize            size);
RingalBuffer *ringal_test_extendable (RingalAllocator *allocator,
                                      gsize            size);

/* Fills a buffer to its length with the pattern of @seed. */
void     ringal_test_write_pattern (RingalBuffer *buffer,
                                    gsize         len,
                                    guint32       seed);

/* A single-producer single-consumer channel of pointers built on C11
 * atomics, which ThreadSanitizer understands (GLib's GAsyncQueue locks with
 * raw futexes, which it does not).  Waiting spins with sched_yield(). */
#define RINGAL_TEST_CHANNEL_SIZE 64

typedef struct {
  gpointer _Atomic slots[RINGAL_TEST_CHANNEL_SIZE];
  atomic_size_t    head;
  atomic_size_t    tail;
} RingalTestChannel;

void     ringal_test_channel_push (RingalTestChannel *channel,
                                   gpointer           item);
gpointer ringal_test_channel_pop  (RingalTestChannel *channel);

/* Reserves and releases straight on the ring, the way the tests of the
 * core need it. */
RingalRing  *ringal_test_ring_new     (gsize        capacity);
RingalGuard *ringal_test_ring_alloc   (RingalRing  *ring,
                                       gsize        size,
                                       RingalRingStatus *status);

G_END_DECLS
