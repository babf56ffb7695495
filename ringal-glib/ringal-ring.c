/* ringal-ring.c: the guard ring (private)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The store and the allocation walk.  See ringal-ring.h for the layout and
 * the memory-ordering rules; what a release may have to do, waiting, the
 * pool of ring headers and the checks live in files of their own.
 */

#include "config.h"

#include "ringal-ring.h"

#include "ringal-ring-internal.h"

#include <sys/mman.h>

#define RINGAL_RING_MIN_CAPACITY 256

/* A ring streams through its whole store, one page after another: from
 * this size on, ask for huge pages, so that it costs few TLB misses. */
#define RINGAL_RING_HUGE_PAGES_FROM (4 * 1024 * 1024)

RINGAL_GUARD_ACCESS RingalRing *
ringal_ring_new (size_t            capacity,
                 RingalRingStatus *status)
{
  RingalRing *ring;
  RingalGuard *store;
  size_t size = RINGAL_RING_MIN_CAPACITY;
  size_t n_words;

  ringal_ring_barrier_init ();

  if (capacity > RINGAL_RING_MAX_CAPACITY)
    {
      *status = RINGAL_RING_TOO_LARGE;
      return NULL;
    }

  while (size < capacity)
    size <<= 1;

  /* mmap rather than malloc: page aligned, untouched pages cost nothing,
   * and an impossible size fails here instead of aborting. */
  store = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (store == MAP_FAILED)
    {
      *status = RINGAL_RING_NO_MEMORY;
      return NULL;
    }
#ifdef MADV_HUGEPAGE
  if (size >= RINGAL_RING_HUGE_PAGES_FROM)
    madvise (store, size, MADV_HUGEPAGE);
#endif

  ring = ringal_ring_header_get ();
  if (ring == NULL)
    {
      munmap (store, size);
      *status = RINGAL_RING_NO_MEMORY;
      return NULL;
    }

  n_words = size / RINGAL_WORD;

  /* Under the lock: a late release of the ring that had this header
   * before may be looking at it. */
  pthread_mutex_lock (&ring->lock);
  ring->base = store;
  ring->tail = store + n_words - 1;
  ring->head = store;
  ring->capacity = size;
  ring->max_words = n_words - 2;
  ring->orphaned = false;
  ring->reclaim_cursor = NULL;
  ring->next_in_pool = NULL;
  ring->n_waiters = 0;
  ring->wake_notify = NULL;
  ring->wake_notify_data = NULL;
  atomic_store_explicit (&ring->extending, false, memory_order_relaxed);
  atomic_store_explicit (&ring->handles, RINGAL_RING_HANDLES_FIRST, memory_order_relaxed);

  ringal_memcheck_store_created (ring, store, size);
  ringal_memcheck_guard_created (ring->base);
  ringal_memcheck_guard_created (ring->tail);
  atomic_store_explicit (ring->base, (uintptr_t) ring->tail, memory_order_relaxed);
  /* The tail guard is never released: a walk that forgot to stop there
   * would find it locked. */
  atomic_store_explicit (ring->tail, (uintptr_t) ring->base | RINGAL_GUARD_LOCKED,
                         memory_order_relaxed);
  atomic_store_explicit (&ring->attention, 0, memory_order_relaxed);
  pthread_mutex_unlock (&ring->lock);

  ringal_ring_count_store (+1);
  *status = RINGAL_RING_OK;
  return ring;
}

void
ringal_ring_store_free_locked (RingalRing *ring)
{
  ringal_memcheck_store_destroyed (ring, ring->base, ring->capacity);
  munmap (ring->base, ring->capacity);
  ring->base = ring->tail = ring->head = NULL;
  ring->reclaim_cursor = NULL;
  ring->orphaned = false;
  atomic_store_explicit (&ring->attention, 0, memory_order_relaxed);
  ringal_ring_count_store (-1);
}

size_t
ringal_ring_max_size (const RingalRing *ring,
                      size_t            prefix,
                      size_t            align)
{
  uintptr_t data = (uintptr_t) ringal_region_data (ring->base, prefix, align);
  uintptr_t limit = (uintptr_t) ring->tail;

  return data < limit ? (size_t) (limit - data) : 0;
}

/* Makes the free regions from @start up to @end one region.  The guards in
 * between become plain payload words, so a head among them moves back to
 * @start, the guard that now stands for them. */
RINGAL_GUARD_ACCESS static void
merge_free (RingalRing  *ring,
            RingalGuard *start,
            RingalGuard *end)
{
  atomic_store_explicit (start, (uintptr_t) end, memory_order_relaxed);
  if (ring->head > start && ring->head < end)
    ring->head = start;
}

/* Everything at the head that ringal_ring_reserve_fast() does not handle,
 * for @size bytes after a @prefix, word-aligned: the head at the tail guard
 * (wrap around), sizes that can never fit, a region in use (full), an
 * overwritten guard (report it), or a free run too small.  That one merges
 * the released regions after it, and some more for the allocations to come
 * (see RINGAL_RING_GATHER_AHEAD_WORDS). */
RINGAL_GUARD_ACCESS RingalGuard *
ringal_ring_reserve_next (RingalRing       *ring,
                          size_t            prefix,
                          size_t            size,
                          RingalRingStatus *status)
{
  RingalGuard *start = ring->head;
  RingalGuard *tail = ring->tail;
  RingalGuard *end;
  uintptr_t value;
  size_t words, wanted;

  /* Compared first, so that no sum below can overflow. */
  if (start == tail || size > ring->capacity ||
      (words = ringal_region_words (start, prefix, size, RINGAL_WORD)) > ring->max_words)
    return ringal_ring_reserve_slow (ring, prefix, size, RINGAL_WORD, false, status);
  wanted = words + RINGAL_RING_GATHER_AHEAD_WORDS;

  value = atomic_load_explicit (start, RINGAL_RING_ACQUIRE_ORDER);
  if (!ringal_guard_value_sane (ring, start, value))
    {
      ringal_ring_report_corruption (ring, start, value);
      *status = RINGAL_RING_FULL;
      return NULL;
    }
  if (value & RINGAL_GUARD_LOCKED)
    {
      *status = RINGAL_RING_FULL;
      return NULL;
    }

  /* One test per region in the common case: the tail guard is locked, so a
   * set flag also stops the walk there, and the rest is sorted out after. */
  end = (RingalGuard *) value;
  while ((size_t) (end - (start + 1)) < wanted)
    {
      value = atomic_load_explicit (end, RINGAL_RING_ACQUIRE_ORDER);
      if (G_UNLIKELY ((value & RINGAL_GUARD_FLAGS) != 0 ||
                      value - (uintptr_t) (end + 1) > (uintptr_t) tail - (uintptr_t) (end + 1)))
        {
          if (end != tail && !ringal_guard_value_sane (ring, end, value))
            ringal_ring_report_corruption (ring, end, value);
          break;
        }
      end = (RingalGuard *) value;
    }
  merge_free (ring, start, end);

  if ((size_t) (end - (start + 1)) >= words)
    {
      *status = RINGAL_RING_OK;
      return ringal_ring_take (ring, start, end, words);
    }
  if (end == tail)
    return ringal_ring_reserve_slow (ring, prefix, size, RINGAL_WORD, false, status);

  *status = RINGAL_RING_FULL;
  return NULL;
}

/* Everything ringal_ring_reserve() leaves out: alignment above a word, the
 * wrap-around to the front, sizes that can never fit, and (@from_front) the
 * relocation of an extendable buffer, which must land before it. */
RINGAL_GUARD_ACCESS RingalGuard *
ringal_ring_reserve_slow (RingalRing       *ring,
                          size_t            prefix,
                          size_t            size,
                          size_t            align,
                          bool              from_front,
                          RingalRingStatus *status)
{
  RingalGuard *tail = ring->tail;
  RingalGuard *start, *end;
  uintptr_t value;
  size_t words;
  bool wrapped = from_front;

  /* Compared first, so that no arithmetic below can overflow. */
  if (size > ring->capacity ||
      ringal_region_words (ring->base, prefix, size, align) > ring->max_words)
    {
      *status = RINGAL_RING_TOO_LARGE;
      return NULL;
    }

  start = from_front ? ring->base : ring->head;
  if (start == tail)
    {
      start = ring->base;
      wrapped = true;
    }

  for (;;)
    {
      value = atomic_load_explicit (start, RINGAL_RING_ACQUIRE_ORDER);
      if (!ringal_guard_value_sane (ring, start, value))
        goto corrupt;
      if (value & RINGAL_GUARD_LOCKED)
        goto full;
      end = (RingalGuard *) value;
      words = ringal_region_words (start, prefix, size, align);

      while ((size_t) (end - (start + 1)) < words && end != tail)
        {
          value = atomic_load_explicit (end, RINGAL_RING_ACQUIRE_ORDER);
          if (!ringal_guard_value_sane (ring, end, value))
            {
              start = end;
              goto corrupt;
            }
          if (value & RINGAL_GUARD_LOCKED)
            {
              merge_free (ring, start, end);
              goto full;
            }
          end = (RingalGuard *) value;
        }

      if ((size_t) (end - (start + 1)) >= words)
        break;

      /* The end of the store: a buffer is contiguous, so start over at the
       * front, once.  Everything up to the end is merged into one free
       * region on the way, and (unlike the seed) the second pass may run
       * past the old head: an empty ring serves any size that fits. */
      merge_free (ring, start, tail);
      if (wrapped)
        goto full;
      wrapped = true;
      start = ring->base;
    }

  *status = RINGAL_RING_OK;
  return ringal_ring_take (ring, start, end, words);

corrupt:
  ringal_ring_report_corruption (ring, start, value);
full:
  *status = RINGAL_RING_FULL;
  return NULL;
}

/* Grows the locked region at @guard in place to at least @words payload
 * words.  It takes every released region up to the next locked one or the
 * end of the store, not just what it needs: while an extendable buffer is
 * open nothing else is allocated, and the surplus goes back when the buffer
 * is finalized.  On failure nothing is changed, and @blocker is the locked
 * guard (or the tail) that stopped it. */
RINGAL_GUARD_ACCESS RingalRingExtend
ringal_ring_extend (RingalRing   *ring,
                    RingalGuard  *guard,
                    size_t        words,
                    RingalGuard **blocker)
{
  RingalGuard *old_end = ringal_guard_next (guard);
  RingalGuard *end = old_end;

  if ((size_t) (end - (guard + 1)) >= words)
    return RINGAL_RING_EXTEND_OK;

  while (end != ring->tail)
    {
      uintptr_t value = atomic_load_explicit (end, RINGAL_RING_ACQUIRE_ORDER);

      if (!ringal_guard_value_sane (ring, end, value))
        {
          ringal_ring_report_corruption (ring, end, value);
          break;
        }
      if (value & RINGAL_GUARD_LOCKED)
        break;
      end = (RingalGuard *) value;
    }

  if ((size_t) (end - (guard + 1)) < words)
    {
      *blocker = end;
      return end == ring->tail ? RINGAL_RING_EXTEND_AT_TAIL : RINGAL_RING_EXTEND_BLOCKED;
    }

  ringal_memcheck_chunk_resize (ring, guard + 1,
                                (size_t) (old_end - (guard + 1)) * RINGAL_WORD,
                                (size_t) (end - (guard + 1)) * RINGAL_WORD);
  atomic_store_explicit (guard, (uintptr_t) end | RINGAL_GUARD_LOCKED, memory_order_relaxed);
  ring->head = end;
  return RINGAL_RING_EXTEND_OK;
}

/* The first region in use from the front of the store, or the tail. */
RINGAL_GUARD_ACCESS RingalGuard *
ringal_ring_first_locked (RingalRing *ring)
{
  RingalGuard *guard = ring->base;

  while (guard != ring->tail)
    {
      uintptr_t value = atomic_load_explicit (guard, RINGAL_RING_ACQUIRE_ORDER);

      if ((value & RINGAL_GUARD_LOCKED) || !ringal_guard_value_sane (ring, guard, value))
        break;
      guard = (RingalGuard *) value;
    }
  return guard;
}

/* Cuts the locked region at @guard down to @words payload words and gives
 * the rest back as a free region, when the rest is worth a guard.  Returns
 * the region's (new) end.
 *
 * The rest joins the released region right after it, if there is one, as
 * the next allocation from there would merge them anyway: closing an
 * extendable buffer leaves a small rest in front of the run it did not
 * take, and the allocation after it then finds one run.  A head that was
 * at the joined region's guard moves back to the rest's. */
RINGAL_GUARD_ACCESS RingalGuard *
ringal_ring_shrink (RingalRing  *ring,
                    RingalGuard *guard,
                    size_t       words)
{
  RingalGuard *end = ringal_guard_next (guard);
  RingalGuard *split = guard + 1 + words;
  RingalGuard *rest_end = end;

  if (split > end || (size_t) (end - split) < RINGAL_RING_MIN_SPLIT_WORDS)
    return end;

  if (end != ring->tail)
    {
      uintptr_t value = atomic_load_explicit (end, RINGAL_RING_ACQUIRE_ORDER);

      /* An overwritten guard is left for the next walk to report. */
      if (!(value & RINGAL_GUARD_LOCKED) && ringal_guard_value_sane (ring, end, value))
        rest_end = (RingalGuard *) value;
    }

  ringal_memcheck_chunk_resize (ring, guard + 1,
                                (size_t) (end - (guard + 1)) * RINGAL_WORD,
                                words * RINGAL_WORD);
  ringal_memcheck_guard_created (split);
  atomic_store_explicit (split, (uintptr_t) rest_end, memory_order_relaxed);
  atomic_store_explicit (guard, (uintptr_t) split | RINGAL_GUARD_LOCKED, memory_order_relaxed);
  if (ring->head > split && ring->head < rest_end)
    ring->head = split;
  return split;
}

