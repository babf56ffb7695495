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

#include <string.h>

#define RINGAL_RING_MIN_CAPACITY 256

/* A shareable store is a sealed memfd: see ringal-ring-store.c. */
RINGAL_GUARD_ACCESS static RingalRing *
ring_new (size_t            capacity,
          bool              shareable,
          RingalRingStatus *status)
{
  RingalRing *ring;
  RingalGuard *store;
  size_t size = RINGAL_RING_MIN_CAPACITY;
  size_t n_words;
  int fd;

  ringal_ring_barrier_init ();

  if (capacity > RINGAL_RING_MAX_CAPACITY)
    {
      *status = RINGAL_RING_TOO_LARGE;
      return NULL;
    }

  while (size < capacity)
    size <<= 1;

  store = ringal_ring_store_map (size, shareable, &fd);
  if (store == NULL)
    {
      *status = RINGAL_RING_NO_MEMORY;
      return NULL;
    }

  ring = ringal_ring_header_get ();
  if (ring == NULL)
    {
      ringal_ring_store_unmap (store, size, fd);
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
  ring->store_fd = fd;
  ring->max_words = n_words - 2;
  ring->laps = 0;
  ring->full_armed = false;
  ring->full_known = false;
  ring->full_releases = 0;
  ring->full_release_words = 0;
  ring->reclaim = NULL;
  ring->senders = NULL;
  memset (ring->held, 0, sizeof ring->held);
  ring->orphaned = false;
  ring->reclaim_cursor = NULL;
  ring->next_in_pool = NULL;
  ring->n_waiters = 0;
  ring->wake_notify = NULL;
  ring->wake_notify_data = NULL;
  atomic_store_explicit (&ring->extending, false, memory_order_relaxed);
  atomic_store_explicit (&ring->handles, RINGAL_RING_HANDLES_IN_REGION, memory_order_relaxed);
  atomic_store_explicit (&ring->n_to_cut, 0, memory_order_relaxed);

  ringal_memcheck_store_created (ring, store, size);
  ringal_memcheck_guard_created (ring->base);
  ringal_memcheck_guard_created (ring->tail);
  atomic_store_explicit (ring->base, (uintptr_t) ring->tail, memory_order_relaxed);
  /* The tail guard is never released: a walk that forgot to stop there
   * would find it locked. */
  atomic_store_explicit (ring->tail, (uintptr_t) ring->base | RINGAL_GUARD_LOCKED,
                         memory_order_relaxed);
  atomic_store_explicit (&ring->attention, 0, memory_order_relaxed);
  ring->fast_abi = ringal_ring_release_needs_fence || ringal_memcheck_active () ? 0 : RINGAL_RING_FAST_ABI;
  pthread_mutex_unlock (&ring->lock);

  ringal_ring_count_store (+1);
  *status = RINGAL_RING_OK;
  return ring;
}

RINGAL_GUARD_ACCESS RingalRing *
ringal_ring_new (size_t            capacity,
                 RingalRingStatus *status)
{
  return ring_new (capacity, false, status);
}

RINGAL_GUARD_ACCESS RingalRing *
ringal_ring_new_shareable (size_t            capacity,
                           RingalRingStatus *status)
{
  return ring_new (capacity, true, status);
}

void
ringal_ring_store_free_locked (RingalRing *ring)
{
  ringal_memcheck_store_destroyed (ring, ring->base, ring->capacity);
  ringal_ring_store_unmap (ring->base, ring->capacity, ring->store_fd);
  ring->store_fd = -1;
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

/* Announces that a lap found no room: from now on every release counts
 * what it gives back.  A release that read `attention` before FULL was set
 * has made its store visible once the heavy barrier returns (as for a
 * waiter), so a lap after this misses nothing that is not counted. */
static void
full_arm (RingalRing *ring)
{
  ringal_ring_lock (ring);
  atomic_fetch_or_explicit (&ring->attention, RINGAL_RING_ATTENTION_FULL, memory_order_seq_cst);
  ringal_ring_unlock (ring);
  ring->full_armed = true;
  ringal_ring_heavy_barrier ();
}

/* Room was found: releases go back to being one store. */
static void
full_disarm (RingalRing *ring)
{
  ringal_ring_lock (ring);
  atomic_fetch_and_explicit (&ring->attention, ~(unsigned) RINGAL_RING_ATTENTION_FULL,
                             memory_order_relaxed);
  ringal_ring_unlock (ring);
  ring->full_armed = false;
  ring->full_known = false;
}

static void
full_counts (RingalRing *ring,
             uint64_t   *releases,
             uint64_t   *words)
{
  ringal_ring_lock (ring);
  *releases = ring->full_releases;
  *words = ring->full_release_words;
  ringal_ring_unlock (ring);
}

/* Whether no run of @words payload words can exist yet.  A region that
 * is released joins at most the free runs on either side of it, so after
 * k releases of w words in all (guards included) no run is longer than
 * k + 1 of the runs the lap saw, their guards, and w. */
static bool
full_rules_out (RingalRing *ring,
                size_t      words)
{
  uint64_t releases, released_words, bound;

  full_counts (ring, &releases, &released_words);
  releases -= ring->full_base_releases;
  released_words -= ring->full_base_words;
  if (releases >= ring->capacity || released_words >= ring->capacity)
    return false;
  bound = (releases + 1) * (ring->full_largest + 1) + released_words;
  return words > bound;
}

/* Everything at the head that ringal_ring_reserve_fast() does not handle,
 * for @size bytes after a @prefix, word-aligned.  The common one is a free
 * run too small: it merges the released regions after it, and some more
 * for the allocations to come (see RINGAL_RING_GATHER_AHEAD_WORDS).  The
 * rest (a region in use at the head or after a run too small, the end of
 * the store, sizes that can never fit, an overwritten guard) goes on to
 * the lap in ringal_ring_reserve_slow(). */
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
    return ringal_ring_reserve_slow (ring, prefix, size, RINGAL_WORD, status);
  wanted = words + RINGAL_RING_GATHER_AHEAD_WORDS;

  value = atomic_load_explicit (start, RINGAL_RING_ACQUIRE_ORDER);
  if ((value & RINGAL_GUARD_LOCKED) || !ringal_guard_value_sane (ring, start, value))
    return ringal_ring_reserve_slow (ring, prefix, size, RINGAL_WORD, status);

  /* One test per region in the common case: the tail guard is locked, so a
   * set flag also stops the gathering there, and the rest is sorted out
   * after. */
  end = (RingalGuard *) value;
  while ((size_t) (end - (start + 1)) < wanted)
    {
      value = atomic_load_explicit (end, RINGAL_RING_ACQUIRE_ORDER);
      if (G_UNLIKELY ((value & RINGAL_GUARD_FLAGS) != 0 ||
                      value - (uintptr_t) (end + 1) > (uintptr_t) tail - (uintptr_t) (end + 1)))
        break;
      end = (RingalGuard *) value;
    }
  merge_free (ring, start, end);

  if ((size_t) (end - (start + 1)) >= words)
    {
      /* The ring found room again, also for the allocations that took the
       * inline path since. */
      if (G_UNLIKELY (ring->full_armed))
        full_disarm (ring);
      *status = RINGAL_RING_OK;
      return ringal_ring_take (ring, start, end, words);
    }

  /* The run ends at a region in use or at the end of the store: the lap
   * goes on from there (and reports a guard that was overwritten). */
  ring->head = end;
  return ringal_ring_reserve_slow (ring, prefix, size, RINGAL_WORD, status);
}

/* One lap of the walk, from the head round to the head again: every
 * region in use is stepped over, the released ones between them are
 * merged into runs, and the first run that holds the request is taken.
 * Alignment above a word, the wrap to the front and a run that reaches
 * over the head all happen here.  Returns NULL, with what the lap saw in
 * @lap, when no run holds the request. */
RINGAL_GUARD_ACCESS RingalGuard *
ringal_ring_reserve_lap (RingalRing *ring,
                         size_t      prefix,
                         size_t      size,
                         size_t      align,
                         RingalLap  *lap)
{
  RingalGuard *tail = ring->tail;
  RingalGuard *origin = ring->head;
  RingalGuard *start = origin, *end;
  bool wrapped = false;
  uintptr_t value;
  size_t words;

  *lap = (RingalLap) { 0, 0, false };

  for (;;)
    {
      if (start == tail)
        {
          /* A buffer is contiguous: the front comes next. */
          if (wrapped)
            return NULL;
          wrapped = true;
          ring->laps++;
          start = ring->base;
        }
      if (wrapped && start >= origin)
        return NULL;

      value = atomic_load_explicit (start, RINGAL_RING_ACQUIRE_ORDER);
      if (!ringal_guard_value_sane (ring, start, value))
        goto corrupt;
      if (value & RINGAL_GUARD_LOCKED)
        {
          /* In use: costs its own bytes, and is remembered for who holds
           * the ring. */
          ringal_ring_note_held (ring, start, value);
          lap->n_locked++;
          start = (RingalGuard *) (value & ~RINGAL_GUARD_FLAGS);
          continue;
        }

      /* A run of released regions, merged as far as the request needs. */
      words = ringal_region_words (start, prefix, size, align);
      end = (RingalGuard *) value;
      while ((size_t) (end - (start + 1)) < words && end != tail)
        {
          value = atomic_load_explicit (end, RINGAL_RING_ACQUIRE_ORDER);
          if (!ringal_guard_value_sane (ring, end, value))
            {
              merge_free (ring, start, end);
              start = end;
              goto corrupt;
            }
          if (value & RINGAL_GUARD_LOCKED)
            break;
          end = (RingalGuard *) value;
        }
      merge_free (ring, start, end);

      if ((size_t) (end - (start + 1)) >= words)
        return ringal_ring_take (ring, start, end, words);

      lap->largest = MAX (lap->largest, (size_t) (end - (start + 1)));
      start = end;
    }

corrupt:
  /* A corrupted ring is not walked into the unknown. */
  ringal_ring_report_corruption (ring, start, value);
  lap->corrupted = true;
  return NULL;
}

/* Everything ringal_ring_reserve() leaves out: alignment above a word,
 * the wrap-around to the front, runs past regions in use, sizes that can
 * never fit, and failure.
 *
 * A failure costs a lap, which steps over every region in use; a producer
 * that retries on FULL, or a waiter woken at each release, must not pay it
 * again and again while nothing that could help has changed.  So a lap
 * that finds no room is announced in `attention` (full_arm()), releases
 * count what they give back from then on, and until that adds up to
 * room for the request (full_rules_out()), it fails at once.  Room found
 * again ends the announcement. */
RINGAL_GUARD_ACCESS static RingalGuard *
reserve_anywhere (RingalRing       *ring,
                  size_t            prefix,
                  size_t            size,
                  size_t            align,
                  RingalRingStatus *status)
{
  RingalGuard *guard;
  RingalLap lap;
  uint64_t base_releases = 0, base_words = 0;

  /* Compared first, so that no arithmetic below can overflow. */
  if (size > ring->capacity ||
      ringal_region_words (ring->base, prefix, size, align) > ring->max_words)
    {
      *status = RINGAL_RING_TOO_LARGE;
      return NULL;
    }

  if (ring->full_known && full_rules_out (ring, (prefix + size + RINGAL_WORD - 1) / RINGAL_WORD))
    {
      *status = RINGAL_RING_FULL;
      return NULL;
    }

  /* While announced, the counts before a lap are where what it learns
   * starts from. */
  if (ring->full_armed)
    full_counts (ring, &base_releases, &base_words);
  guard = ringal_ring_reserve_lap (ring, prefix, size, align, &lap);

  /* Not announced during that lap: a release may have slipped by
   * uncounted, so one more lap after the announcement. */
  if (guard == NULL && !lap.corrupted && !ring->full_armed)
    {
      full_arm (ring);
      full_counts (ring, &base_releases, &base_words);
      guard = ringal_ring_reserve_lap (ring, prefix, size, align, &lap);
    }

  if (guard != NULL)
    {
      if (G_UNLIKELY (ring->full_armed))
        full_disarm (ring);
      *status = RINGAL_RING_OK;
      return guard;
    }

  if (!lap.corrupted)
    {
      ring->full_known = true;
      ring->full_largest = lap.largest;
      ring->full_base_releases = base_releases;
      ring->full_base_words = base_words;
    }
  *status = RINGAL_RING_FULL;
  return NULL;
}

/* A shareable store gets regions back from another process only when it
 * asks for them.  It asks before the lap, which would step over each
 * region released there and not taken back yet; and when the lap finds no
 * room all the same, asks to be woken at the next release, and looks again
 * while that brings something back. */
RINGAL_GUARD_ACCESS RingalGuard *
ringal_ring_reserve_slow (RingalRing       *ring,
                          size_t            prefix,
                          size_t            size,
                          size_t            align,
                          RingalRingStatus *status)
{
  RingalGuard *guard;

  ringal_ring_reclaim (ring, false);
  do
    guard = reserve_anywhere (ring, prefix, size, align, status);
  while (guard == NULL && *status == RINGAL_RING_FULL && ringal_ring_reclaim (ring, true));
  return guard;
}

/* Grows the locked region at @guard in place to at least @words payload
 * words.  It takes every released region up to the next locked one or the
 * end of the store, not just what it needs: while an extendable buffer is
 * open nothing else is allocated, and the surplus goes back when the buffer
 * is finalized.  Fails, changing nothing, when a locked region or the end
 * of the store is in the way. */
RINGAL_GUARD_ACCESS bool
ringal_ring_extend (RingalRing  *ring,
                    RingalGuard *guard,
                    size_t       words)
{
  RingalGuard *old_end = ringal_guard_next (guard);
  RingalGuard *end = old_end;

  if ((size_t) (end - (guard + 1)) >= words)
    return true;

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
    return false;

  ringal_memcheck_chunk_resize (ring, guard + 1,
                                (size_t) (old_end - (guard + 1)) * RINGAL_WORD,
                                (size_t) (end - (guard + 1)) * RINGAL_WORD);
  atomic_store_explicit (guard, (uintptr_t) end | RINGAL_GUARD_LOCKED, memory_order_relaxed);
  ring->head = end;
  return true;
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
  /* Room that a failed lap did not see. */
  ring->full_known = false;
  return split;
}

