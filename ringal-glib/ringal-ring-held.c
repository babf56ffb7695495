/* ringal-ring-held.c: who holds the ring (private)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A region that the walk steps over lap after lap is held by somebody: a
 * codec's header, a queue, a wrapper the collector has not finalized.  The
 * walk notes each one it steps over in a small table, by the address of its
 * guard; a region stepped over in consecutive laps has been held all along,
 * while one that missed a lap was released and taken again in between, and
 * starts over.  The table is open addressing over a few slots: the walk
 * pays a hash and a compare or two per region it steps over, and the
 * statistics read it to name the oldest.
 */

#include "config.h"

#include "ringal-ring-internal.h"

/* How far a guard's entry may sit from its home slot. */
#define HELD_PROBES 4

static inline size_t
held_home (RingalGuard *guard)
{
  uint64_t key = (uint64_t) (uintptr_t) guard / RINGAL_WORD;

  /* Fibonacci hashing: the slot from the top bits of the product. */
  return (size_t) ((key * UINT64_C (0x9E3779B97F4A7C15)) >> (64 - RINGAL_RING_HELD_BITS));
}

static inline bool
held_current (const RingalRing *ring,
              const RingalHeld *held)
{
  return held->guard != NULL && held->last_lap + 1 >= ring->laps;
}

void
ringal_ring_note_held (RingalRing  *ring,
                       RingalGuard *guard,
                       uintptr_t    value)
{
  size_t home = held_home (guard);
  RingalHeld *slot = NULL;

  for (size_t i = 0; i < HELD_PROBES; i++)
    {
      RingalHeld *held = &ring->held[(home + i) % RINGAL_RING_HELD_SLOTS];

      if (held->guard == guard)
        {
          /* The same region, stepped over since the lap before. */
          if (held->value == value && held_current (ring, held))
            {
              held->last_lap = ring->laps;
              return;
            }
          slot = held;
          break;
        }
      if (slot == NULL && !held_current (ring, held))
        slot = held;
    }

  /* A table full of regions held longer keeps them: the oldest matter. */
  if (slot != NULL)
    *slot = (RingalHeld) { guard, value, ring->laps, ring->laps };
}

/* The entry for the region at @guard, whose guard reads @value now, if it
 * has been held since the walk first stepped over it. */
const RingalHeld *
ringal_ring_find_held (RingalRing  *ring,
                       RingalGuard *guard,
                       uintptr_t    value)
{
  size_t home = held_home (guard);

  for (size_t i = 0; i < HELD_PROBES; i++)
    {
      const RingalHeld *held = &ring->held[(home + i) % RINGAL_RING_HELD_SLOTS];

      if (held->guard == guard)
        return held->value == value && held_current (ring, held) ? held : NULL;
    }
  return NULL;
}
