/* gst-test-utils.h: helpers shared by the GStreamer tests
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * These tests use the installed API only (libringal-glib and
 * libringal-gst as users see them), so the helpers go through
 * statistics, not the ring's internals.
 */

#pragma once

#include <ringal-gst/ringal-gst.h>

static inline guint32
gst_test_next_random (guint32 *state)
{
  /* xorshift32: deterministic, so a failure replays */
  guint32 x = *state ? *state : 0x9e3779b9u;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

static inline guint8
gst_test_pattern_byte (guint32 seed,
                       gsize   i)
{
  return (guint8) ((seed * 2654435761u) >> 24) ^ (guint8) (i * 31 + (i >> 8));
}

static inline void
gst_test_fill (guint8  *data,
               gsize    len,
               guint32  seed)
{
  for (gsize i = 0; i < len; i++)
    data[i] = gst_test_pattern_byte (seed, i);
}

static inline gboolean
gst_test_pattern_holds (const guint8 *data,
                        gsize         len,
                        guint32       seed)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] != gst_test_pattern_byte (seed, i))
      return FALSE;
  return TRUE;
}

static inline RingalStats *
gst_test_ring_stats (RingalAllocator *ring)
{
  g_autoptr(GError) error = NULL;
  RingalStats *stats = ringal_allocator_get_stats (ring, &error);

  g_assert_no_error (error);
  return stats;
}

/* Bytes of the ring in locked regions, guards and headers included. */
static inline gsize
gst_test_ring_bytes_in_use (RingalAllocator *ring)
{
  g_autoptr(RingalStats) stats = gst_test_ring_stats (ring);

  return stats->bytes_in_use;
}

static inline gsize
gst_test_ring_regions (RingalAllocator *ring)
{
  g_autoptr(RingalStats) stats = gst_test_ring_stats (ring);

  return stats->n_regions;
}

/* Nothing lost: the largest block the ring can hold still fits. */
static inline void
gst_test_assert_ring_whole (RingalAllocator *ring)
{
  g_autoptr(GError) error = NULL;
  gpointer block = ringal_allocator_try_alloc (ring, ringal_allocator_get_max_size (ring), &error);

  g_assert_no_error (error);
  ringal_release (block);
}
