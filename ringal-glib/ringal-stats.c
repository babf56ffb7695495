/* ringal-stats.c: what an allocator's ring looks like now
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Nothing here runs on the allocation or release path: the guards already
 * say which regions are in use, so the bytes in use are measured by
 * walking the ring when someone asks, rather than counted by every release
 * (which happens on any thread and would need an atomic).  The walk reads
 * guards that the allocating thread rewrites, so it runs inside
 * enter()/leave(), on the allocator's thread.
 */

#include "config.h"

#include <string.h>

#include "ringal-allocator-private.h"
#include "ringal-stats.h"

G_DEFINE_BOXED_TYPE (RingalStats, ringal_stats, ringal_stats_copy, ringal_stats_free)

/**
 * ringal_stats_copy:
 * @self: statistics
 *
 * Copies @self.
 *
 * Returns: (transfer full): a copy of @self
 */
RingalStats *
ringal_stats_copy (const RingalStats *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

/**
 * ringal_stats_free:
 * @self: (transfer full) (nullable): statistics
 *
 * Frees @self.
 */
void
ringal_stats_free (RingalStats *self)
{
  g_free (self);
}

typedef struct {
  gsize in_use;
  gsize largest_free;
  gsize n_regions;
  gsize n_held;
  gsize held_bytes;
  gsize oldest_held_offset;
  guint64 oldest_held_lap;
} Measure;

static inline gsize
words_to_bytes (ptrdiff_t words)
{
  return (gsize) words * RINGAL_WORD;
}

/* One pass over the guards.  Bounded by the number of words, so that even
 * a broken ring cannot keep it going. */
RINGAL_GUARD_ACCESS static void
measure_ring (RingalRing *ring,
              Measure    *m)
{
  RingalGuard *guard = ring->base, *run = NULL;
  gsize steps = 0, limit = ring->capacity / RINGAL_WORD;

  *m = (Measure) { 0, 0, 0, 0, 0, G_MAXSIZE, G_MAXUINT64 };
  while (guard != ring->tail && steps++ < limit)
    {
      uintptr_t value = atomic_load_explicit (guard, memory_order_acquire);
      RingalGuard *next = (RingalGuard *) (value & ~RINGAL_GUARD_FLAGS);

      if (value & RINGAL_GUARD_LOCKED)
        {
          const RingalHeld *held = ringal_ring_find_held (ring, guard, value);

          m->n_regions++;
          m->in_use += words_to_bytes (next - guard);
          if (held != NULL)
            {
              m->n_held++;
              m->held_bytes += words_to_bytes (next - guard);
              if (held->first_lap < m->oldest_held_lap)
                {
                  m->oldest_held_lap = held->first_lap;
                  m->oldest_held_offset = words_to_bytes (guard - ring->base);
                }
            }
          if (run != NULL)
            m->largest_free = MAX (m->largest_free, words_to_bytes (guard - (run + 1)));
          run = NULL;
        }
      else if (run == NULL)
        run = guard;

      if (next <= guard)
        break;
      guard = next;
    }
  if (run != NULL)
    m->largest_free = MAX (m->largest_free, words_to_bytes (guard - (run + 1)));
}

static gsize
sample_peak (RingalAllocator *self)
{
  Measure m;

  measure_ring (self->ring, &m);
  self->peak_in_use = MAX (self->peak_in_use, m.in_use);
  self->peak_sampled_at = self->n_allocations;
  return m.in_use;
}

/* Bytes in use grow only by allocating (an open extendable buffer grows
 * too, but stats are refused while one is open), so a run of failures
 * after one sample cannot see a higher peak: only the first failure after
 * a success walks, and a producer spinning on a full ring pays once. */
void
ringal_allocator_count_failure (RingalAllocator *self)
{
  self->n_failed++;
  if (self->peak_sampled_at != self->n_allocations)
    sample_peak (self);
}

/* enter() makes the first thread to call it the owner of an unowned
 * allocator; a look at the statistics from a monitoring thread should not,
 * so that ownership goes back when the walk is done. */
static gboolean
enter_to_walk (RingalAllocator  *self,
               gboolean         *claimed,
               GError          **error)
{
  void *nobody = NULL;

  *claimed = !self->shared &&
             atomic_compare_exchange_strong_explicit (&self->owner, &nobody, ringal_current_thread (),
                                                      memory_order_acquire, memory_order_relaxed);
  if (ringal_allocator_enter (self, error))
    return TRUE;

  if (*claimed)
    atomic_store_explicit (&self->owner, NULL, memory_order_release);
  return FALSE;
}

static void
leave_after_walk (RingalAllocator *self,
                  gboolean         claimed)
{
  ringal_allocator_leave (self);
  if (claimed)
    atomic_store_explicit (&self->owner, NULL, memory_order_release);
}

/**
 * ringal_allocator_get_stats:
 * @self: an allocator
 * @error: return location for a #GError
 *
 * Takes a snapshot of @self: its capacity, the bytes and regions in use,
 * the largest free run, the peak use, and how many allocations succeeded
 * and failed.  See [struct@Ringal.Stats] for what each field counts.
 *
 * The bytes are measured by walking the ring, which takes time in
 * proportion to the number of regions; the allocation path pays nothing
 * for them.  The walk must not race with allocations, so the same rules
 * apply as for allocating: from a thread other than the allocator's owner
 * it fails with %RINGAL_ERROR_WRONG_THREAD (an allocator that has no owner
 * yet stays without one, though during the walk the caller holds it, and
 * another thread allocating for the first time at that moment is refused
 * as it would be by any owner), and while an extendable buffer (or a
 * [class@Ringal.OutputStream]) is open on @self it fails with
 * %RINGAL_ERROR_BUSY.  Shared allocators take their lock.
 *
 * Returns: (transfer full): the statistics, or %NULL on error
 */
RingalStats *
ringal_allocator_get_stats (RingalAllocator  *self,
                            GError          **error)
{
  RingalStats *stats;
  gboolean claimed;
  Measure m;

  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!enter_to_walk (self, &claimed, error))
    return NULL;

  measure_ring (self->ring, &m);
  self->peak_in_use = MAX (self->peak_in_use, m.in_use);
  self->peak_sampled_at = self->n_allocations;

  stats = g_new (RingalStats, 1);
  *stats = (RingalStats) {
    .capacity = self->ring->capacity,
    .bytes_in_use = m.in_use,
    .peak_bytes_in_use = self->peak_in_use,
    .largest_free = m.largest_free,
    .n_regions = m.n_regions,
    .n_allocations = self->n_allocations,
    .n_failed = self->n_failed,
    .n_laps = self->ring->laps,
    .n_held = m.n_held,
    .held_bytes = m.held_bytes,
    .oldest_held_offset = m.oldest_held_offset,
    .oldest_held_laps = m.n_held > 0 ? self->ring->laps - m.oldest_held_lap : 0,
  };
  leave_after_walk (self, claimed);

  return stats;
}

#define MAP_COLUMNS 64

/* One character per 1/64 of the store: '#' where some region in use lies,
 * '.' where all is free; a second line points at the head.  The shape of
 * the ring at a glance, as in the seed's README. */
RINGAL_GUARD_ACCESS static void
append_map (GString    *out,
            RingalRing *ring)
{
  char map[MAP_COLUMNS + 1];
  gsize column_bytes = ring->capacity / MAP_COLUMNS;
  RingalGuard *guard = ring->base;
  gsize steps = 0, limit = ring->capacity / RINGAL_WORD;
  gsize head_column;

  memset (map, '.', MAP_COLUMNS);
  map[MAP_COLUMNS] = '\0';
  while (guard != ring->tail && steps++ < limit)
    {
      uintptr_t value = atomic_load_explicit (guard, memory_order_acquire);
      RingalGuard *next = (RingalGuard *) (value & ~RINGAL_GUARD_FLAGS);

      if (next <= guard)
        break;
      if (value & RINGAL_GUARD_LOCKED)
        {
          gsize first = words_to_bytes (guard - ring->base) / column_bytes;
          gsize last = (words_to_bytes (next - ring->base) - 1) / column_bytes;

          memset (map + first, '#', last - first + 1);
        }
      guard = next;
    }

  head_column = words_to_bytes (ring->head - ring->base) / column_bytes;
  g_string_append_printf (out, "  [%s]  # in use, . free; %" G_GSIZE_FORMAT " bytes a column\n",
                          map, column_bytes);
  g_string_append_printf (out, "   %*s^ head\n", (int) MIN (head_column, MAP_COLUMNS - 1), "");
}

/**
 * ringal_allocator_dump:
 * @self: an allocator
 *
 * Describes the ring of @self for debugging: a map of the store, then one
 * line per region with its offset, its size (after its guard), whether it
 * is in use or free, and where the allocator's head is:
 *
 * ```
 * ring of 4096 bytes
 *   [#################....##########.................................]  # in use, . free; 64 bytes a column
 *                                  ^ head
 *   +0            1040 bytes  locked
 *   +1048          344 bytes  free
 *   +1400          544 bytes  locked
 *   +1952         2128 bytes  free  <- head
 *   +4088     tail
 * ```
 *
 * The walk follows the same rules as [method@Ringal.Allocator.get_stats];
 * when they forbid it (another thread's allocator, an open extendable
 * buffer), the text says so instead of describing the ring.
 *
 * Returns: (transfer full): the description, several lines of text
 */
char *
ringal_allocator_dump (RingalAllocator *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *regions = NULL;
  GString *out;
  gboolean claimed;
  const char *first_line_end;

  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), NULL);

  if (!enter_to_walk (self, &claimed, &error))
    return g_strdup_printf ("ring of %" G_GSIZE_FORMAT " bytes: not walked: %s\n",
                            self->ring->capacity, error->message);

  regions = ringal_ring_dump (self->ring);
  first_line_end = strchr (regions, '\n') + 1;
  out = g_string_new_len (regions, first_line_end - regions);
  append_map (out, self->ring);
  g_string_append (out, first_line_end);
  leave_after_walk (self, claimed);

  return g_string_free (out, FALSE);
}
