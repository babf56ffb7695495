/* ringal-stats.h: what an allocator's ring looks like now
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__RINGAL_GLIB_INSIDE__) && !defined(RINGAL_GLIB_COMPILATION)
#error "Only <ringal-glib/ringal-glib.h> can be included directly."
#endif

#include <glib-object.h>

#include <ringal-glib/ringal-version-macros.h>
#include <ringal-glib/ringal-allocator.h>

G_BEGIN_DECLS

#define RINGAL_TYPE_STATS (ringal_stats_get_type ())

/**
 * RingalStats:
 * @capacity: the size of the store in bytes
 * @bytes_in_use: the bytes of the store taken by regions in use, their
 *   guards and handles included
 * @peak_bytes_in_use: the most @bytes_in_use seen so far.  Sampled, not
 *   tracked: it is measured at every [method@Ringal.Allocator.get_stats]
 *   call and at the first failed allocation after a successful one, so a
 *   peak between two samples that ended without a failure is missed
 * @largest_free: the largest run of released regions, in bytes from after
 *   its first guard: an upper bound on the largest allocation that could
 *   succeed now (a buffer's handle takes some of it)
 * @n_regions: the regions in use: buffers, arrays and raw blocks (an
 *   extendable buffer that moved to the front of the ring counts twice)
 * @n_allocations: the allocations that succeeded since the allocator was
 *   made: buffers, arrays, raw blocks and copies
 * @n_failed: the allocations refused with %RINGAL_ERROR_FULL or
 *   %RINGAL_ERROR_TOO_LARGE (or, for the raw path, %NULL for those
 *   reasons).  Requests refused as %RINGAL_ERROR_BUSY,
 *   %RINGAL_ERROR_WRONG_THREAD or %RINGAL_ERROR_INVALID_ARGUMENT, and
 *   extendable buffers that could not grow, are not counted
 * @n_laps: how many times allocation has gone round the ring, back to the
 *   front of the store.  Since: 0.2
 * @n_held: the regions in use that allocation has stepped over on its way
 *   round and that are still in use: buffers held while newer ones come
 *   and go.  Up to 64 are tracked, the oldest first.  Since: 0.2
 * @held_bytes: the bytes of the store those regions take, guards and
 *   handles included.  Since: 0.2
 * @oldest_held_offset: where in the store the region held longest starts
 *   (its guard's offset, as [method@Ringal.Allocator.dump] shows it), or
 *   %G_MAXSIZE when @n_held is 0.  Since: 0.2
 * @oldest_held_laps: how many laps that region has been held through: 0
 *   when allocation has stepped over it in this lap only.  Since: 0.2
 *
 * A snapshot of an allocator, from [method@Ringal.Allocator.get_stats].
 *
 * A buffer held long does not stop the ring: allocation steps over it and
 * uses the free memory behind it, so it costs its own bytes, and the runs
 * on either side of it are shorter while it lives.  @n_held, @held_bytes
 * and the oldest held region tell who holds the ring when it fills up.
 *
 * The counters cost the allocation path one increment; everything about
 * bytes and regions is measured when the snapshot is taken, by walking
 * the ring, so that allocating and releasing pay nothing for it.
 */
typedef struct _RingalStats RingalStats;

struct _RingalStats
{
  gsize   capacity;
  gsize   bytes_in_use;
  gsize   peak_bytes_in_use;
  gsize   largest_free;
  gsize   n_regions;
  guint64 n_allocations;
  guint64 n_failed;
  guint64 n_laps;
  gsize   n_held;
  gsize   held_bytes;
  gsize   oldest_held_offset;
  guint64 oldest_held_laps;
};

RINGAL_AVAILABLE_IN_ALL
GType        ringal_stats_get_type        (void) G_GNUC_CONST;
RINGAL_AVAILABLE_IN_ALL
RingalStats *ringal_stats_copy            (const RingalStats *self) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
void         ringal_stats_free            (RingalStats       *self);

RINGAL_AVAILABLE_IN_ALL
RingalStats *ringal_allocator_get_stats   (RingalAllocator   *self,
                                           GError           **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
char        *ringal_allocator_dump        (RingalAllocator   *self) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RingalStats, ringal_stats_free)

G_END_DECLS
