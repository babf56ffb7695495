/* ringal-ring-check.c: checking and drawing a ring (private)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * For tests, debugging and the messages that tell a user what went wrong.
 */

#include "config.h"

#include "ringal-ring-internal.h"

void
ringal_ring_report_corruption (RingalRing  *ring,
                               RingalGuard *guard,
                               uintptr_t    value)
{
  g_critical ("ringal: the ring is corrupted: the guard at +%zu holds %#" G_GINTPTR_MODIFIER
              "x, not the address of a later guard; was something written past "
              "the end of the buffer before it?",
              (size_t) (guard - ring->base) * RINGAL_WORD, (guintptr) value);
}

void
ringal_ring_report_double_release (RingalRing  *ring,
                                   RingalGuard *guard)
{
  g_critical ("ringal: the region at +%zu was released twice",
              (size_t) (guard - ring->base) * RINGAL_WORD);
}

/* Walks the whole ring and checks what must always hold: every guard lies
 * inside the store and after the previous one, the walk reaches the tail
 * guard in at most one step per word, the tail points back at the front,
 * and the head is one of the guards.  For tests and debugging; call it
 * from the allocating thread. */
RINGAL_GUARD_ACCESS bool
ringal_ring_check (RingalRing  *ring,
                   char       **message)
{
  RingalGuard *guard = ring->base;
  size_t steps = 0, limit;
  bool head_seen = ring->head == ring->tail;
  uintptr_t tail_value;

  if (ring->base == NULL)
    {
      *message = g_strdup ("the store has been freed");
      return false;
    }

  limit = ring->capacity / RINGAL_WORD;
  while (guard != ring->tail)
    {
      RingalGuard *next = ringal_guard_next (guard);

      if (guard == ring->head)
        head_seen = true;
      if (next <= guard || next > ring->tail)
        {
          *message = g_strdup_printf ("guard at +%zu points to +%td, outside (+%zu, +%zu]",
                                      (size_t) (guard - ring->base) * RINGAL_WORD,
                                      (next - ring->base) * (ptrdiff_t) RINGAL_WORD,
                                      (size_t) (guard - ring->base) * RINGAL_WORD,
                                      (size_t) (ring->tail - ring->base) * RINGAL_WORD);
          return false;
        }
      if (++steps > limit)
        {
          *message = g_strdup ("the walk does not come back to the tail");
          return false;
        }
      guard = next;
    }

  tail_value = atomic_load_explicit (ring->tail, memory_order_relaxed);
  if (tail_value != ((uintptr_t) ring->base | RINGAL_GUARD_LOCKED))
    {
      *message = g_strdup ("the tail guard does not point back at the front");
      return false;
    }

  if (!head_seen)
    {
      *message = g_strdup_printf ("the head (+%td) is not a guard",
                                  (ring->head - ring->base) * (ptrdiff_t) RINGAL_WORD);
      return false;
    }

  *message = NULL;
  return true;
}

/* One line per region: offset, payload size, state (with how many laps a
 * region stepped over has been held), and where the head is.
 * Call it from the allocating thread. */
RINGAL_GUARD_ACCESS char *
ringal_ring_dump (RingalRing *ring)
{
  GString *out = g_string_new (NULL);
  RingalGuard *guard = ring->base;
  size_t steps = 0, limit = ring->capacity / RINGAL_WORD;

  g_string_append_printf (out, "ring of %zu bytes\n", ring->capacity);
  while (guard != ring->tail && guard != NULL && steps++ <= limit)
    {
      uintptr_t value = atomic_load_explicit (guard, RINGAL_RING_ACQUIRE_ORDER);
      RingalGuard *next = (RingalGuard *) (value & ~RINGAL_GUARD_FLAGS);
      const RingalHeld *held = NULL;

      if (value & RINGAL_GUARD_LOCKED)
        held = ringal_ring_find_held (ring, guard, value);

      g_string_append_printf (out, "  +%-8zu %8td bytes  %s",
                              (size_t) (guard - ring->base) * RINGAL_WORD,
                              (next - (guard + 1)) * (ptrdiff_t) RINGAL_WORD,
                              (value & RINGAL_GUARD_LOCKED) ? "locked" : "free");
      /* Who holds the ring: stepped over, and for how many laps. */
      if (held != NULL)
        g_string_append_printf (out, ", held %" G_GUINT64_FORMAT " laps",
                                ring->laps - held->first_lap);
      g_string_append (out, guard == ring->head ? "  <- head\n" : "\n");
      if (next <= guard)
        {
          g_string_append (out, "  (broken: the next guard is not further on)\n");
          break;
        }
      guard = next;
    }
  g_string_append_printf (out, "  +%-8zu tail%s\n",
                          (size_t) (ring->tail - ring->base) * RINGAL_WORD,
                          ring->head == ring->tail ? "  <- head" : "");

  return g_string_free (out, FALSE);
}
