/* ringal-ring.c: the guard ring (private)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * See ringal-ring.h for the layout and the memory-ordering rules.
 */

#include "config.h"

#include "ringal-ring.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef __linux__
# include <linux/membarrier.h>
# include <sys/syscall.h>
#endif

#define RINGAL_RING_MIN_CAPACITY 256

/* A ring streams through its whole store, one page after another: from
 * this size on, ask for huge pages, so that it costs few TLB misses. */
#define RINGAL_RING_HUGE_PAGES_FROM (4 * 1024 * 1024)

bool ringal_ring_release_needs_fence = true;

static pthread_once_t barrier_once = PTHREAD_ONCE_INIT;
static bool membarrier_ready;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static RingalRing *pool_first;

static atomic_size_t n_live_stores;

static void
heavy_barrier_setup (void)
{
#if defined(__linux__) && defined(__NR_membarrier)
  /* RINGAL_NO_MEMBARRIER lets the tests run the fallback too. */
  if (getenv ("RINGAL_NO_MEMBARRIER") == NULL &&
      syscall (__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0)
    membarrier_ready = true;
#endif
  ringal_ring_release_needs_fence = !membarrier_ready;
}

/* The expensive half of the Dekker pair whose cheap half is the compiler
 * barrier in ringal_ring_release(): once it returns, every thread has either
 * made its earlier stores visible to us or will see our earlier stores. */
static void
heavy_barrier (void)
{
#if defined(__linux__) && defined(__NR_membarrier)
  if (membarrier_ready)
    {
      if (syscall (__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
        g_error ("membarrier(PRIVATE_EXPEDITED) failed after registration");
      return;
    }
#endif
  /* Without membarrier every release pays for its own fence. */
  ringal_ring_store_load_barrier ();
}

static RingalRing *
ring_header_get (void)
{
  pthread_condattr_t attr;
  RingalRing *ring;

  pthread_mutex_lock (&pool_lock);
  ring = pool_first;
  if (ring != NULL)
    pool_first = ring->next_in_pool;
  pthread_mutex_unlock (&pool_lock);

  if (ring == NULL)
    {
      if (posix_memalign ((void **) &ring, RINGAL_RING_STORE_ALIGN, sizeof *ring) != 0)
        return NULL;
      memset (ring, 0, sizeof *ring);
      pthread_mutex_init (&ring->lock, NULL);
      pthread_condattr_init (&attr);
      pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);  /* as g_get_monotonic_time() */
      pthread_cond_init (&ring->wake_cond, &attr);
      pthread_condattr_destroy (&attr);
    }

  return ring;
}

/* Headers are never freed: a release may still read `attention` after its
 * store made the ring die (see ringal-ring.h). */
static void
ring_header_put (RingalRing *ring)
{
  pthread_mutex_lock (&pool_lock);
  ring->next_in_pool = pool_first;
  pool_first = ring;
  pthread_mutex_unlock (&pool_lock);
}

RINGAL_GUARD_ACCESS RingalRing *
ringal_ring_new (size_t            capacity,
                 RingalRingStatus *status)
{
  RingalRing *ring;
  RingalGuard *store;
  size_t size = RINGAL_RING_MIN_CAPACITY;
  size_t n_words;

  pthread_once (&barrier_once, heavy_barrier_setup);

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

  ring = ring_header_get ();
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

  atomic_fetch_add_explicit (&n_live_stores, 1, memory_order_relaxed);
  *status = RINGAL_RING_OK;
  return ring;
}

static void
store_free_locked (RingalRing *ring)
{
  ringal_memcheck_store_destroyed (ring, ring->base, ring->capacity);
  munmap (ring->base, ring->capacity);
  ring->base = ring->tail = ring->head = NULL;
  ring->reclaim_cursor = NULL;
  ring->orphaned = false;
  atomic_store_explicit (&ring->attention, 0, memory_order_relaxed);
  atomic_fetch_sub_explicit (&n_live_stores, 1, memory_order_relaxed);
}

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

/* How many stores exist in the process: lets tests see a store go. */
size_t
ringal_ring_count_stores (void)
{
  return atomic_load_explicit (&n_live_stores, memory_order_relaxed);
}

/* Frees the store if no region is locked any more.  Nothing allocates in an
 * orphaned ring once its last extendable buffer is closed, and released
 * regions stay released, so the walk resumes where the previous one found
 * a locked region: every guard is visited once over the ring's last days. */
RINGAL_GUARD_ACCESS static bool
reclaim_locked (RingalRing *ring)
{
  RingalGuard *guard;

  if (atomic_load_explicit (&ring->extending, memory_order_acquire))
    return false;

  guard = ring->reclaim_cursor != NULL ? ring->reclaim_cursor : ring->base;
  while (guard != ring->tail)
    {
      uintptr_t value = atomic_load_explicit (guard, RINGAL_RING_ACQUIRE_ORDER);

      /* A corrupted ring is leaked rather than walked into the unknown. */
      if ((value & RINGAL_GUARD_LOCKED) || !ringal_guard_value_sane (ring, guard, value))
        {
          ring->reclaim_cursor = guard;
          return false;
        }
      guard = (RingalGuard *) value;
    }

  store_free_locked (ring);
  return true;
}

static void
wake_locked (RingalRing *ring)
{
  ring->wake_seq++;
  pthread_cond_broadcast (&ring->wake_cond);
  if (ring->wake_notify != NULL)
    ring->wake_notify (ring->wake_notify_data);
}

void
ringal_ring_release_slow (RingalRing *ring)
{
  bool freed = false;

  pthread_mutex_lock (&ring->lock);
  if (ring->n_waiters > 0)
    wake_locked (ring);
  if (ring->orphaned && ring->base != NULL)
    freed = reclaim_locked (ring);
  pthread_mutex_unlock (&ring->lock);

  if (freed)
    ring_header_put (ring);
}

void
ringal_ring_add_waiter (RingalRing *ring)
{
  pthread_mutex_lock (&ring->lock);
  if (ring->n_waiters++ == 0)
    atomic_fetch_or_explicit (&ring->attention, RINGAL_RING_ATTENTION_WAITERS,
                              memory_order_seq_cst);
  pthread_mutex_unlock (&ring->lock);

  /* A release that read `attention` before WAITERS was set has made its
   * store visible by now: the waiter's next try sees the room it made. */
  heavy_barrier ();
}

void
ringal_ring_remove_waiter (RingalRing *ring)
{
  pthread_mutex_lock (&ring->lock);
  if (--ring->n_waiters == 0)
    atomic_fetch_and_explicit (&ring->attention, ~(unsigned) RINGAL_RING_ATTENTION_WAITERS,
                               memory_order_relaxed);
  pthread_mutex_unlock (&ring->lock);
}

uint64_t
ringal_ring_wake_seq (RingalRing *ring)
{
  uint64_t seq;

  pthread_mutex_lock (&ring->lock);
  seq = ring->wake_seq;
  pthread_mutex_unlock (&ring->lock);
  return seq;
}

/* Sleeps until a wake-up after @seen, or until @deadline (monotonic
 * microseconds; INT64_MAX for never).  Returns false on the deadline. */
bool
ringal_ring_wait (RingalRing *ring,
                  uint64_t    seen,
                  int64_t     deadline)
{
  struct timespec until = {
    .tv_sec = (time_t) (deadline / 1000000),
    .tv_nsec = (long) (deadline % 1000000) * 1000,
  };
  bool woken = true;

  pthread_mutex_lock (&ring->lock);
  while (ring->wake_seq == seen)
    {
      if (deadline == INT64_MAX)
        pthread_cond_wait (&ring->wake_cond, &ring->lock);
      else if (pthread_cond_timedwait (&ring->wake_cond, &ring->lock, &until) == ETIMEDOUT)
        {
          woken = ring->wake_seq != seen;
          break;
        }
    }
  pthread_mutex_unlock (&ring->lock);
  return woken;
}

/* Wakes every waiter: for a release, or for a waiter's cancellation. */
void
ringal_ring_wake (RingalRing *ring)
{
  pthread_mutex_lock (&ring->lock);
  wake_locked (ring);
  pthread_mutex_unlock (&ring->lock);
}

/* @notify runs, with the ring's lock held and on the releasing thread, at
 * every wake-up: for waiters that are not threads blocked in
 * ringal_ring_wait(), such as main-loop sources. */
void
ringal_ring_set_wake_notify (RingalRing  *ring,
                             void       (*notify) (void *data),
                             void        *data)
{
  pthread_mutex_lock (&ring->lock);
  ring->wake_notify = notify;
  ring->wake_notify_data = data;
  pthread_mutex_unlock (&ring->lock);
}

void
ringal_ring_orphan (RingalRing *ring)
{
  pthread_mutex_lock (&ring->lock);
  ring->orphaned = true;
  atomic_fetch_or_explicit (&ring->attention, RINGAL_RING_ATTENTION_ORPHANED,
                            memory_order_seq_cst);
  pthread_mutex_unlock (&ring->lock);

  /* A release that read `attention` before our store has made its own
   * store visible by now, so the walk below sees it. */
  heavy_barrier ();
  ringal_ring_release_slow (ring);
}

void
ringal_ring_end_extending (RingalRing *ring)
{
  atomic_store_explicit (&ring->extending, false, memory_order_release);
  ringal_ring_store_load_barrier ();
  if (G_UNLIKELY (atomic_load_explicit (&ring->attention, memory_order_relaxed)))
    ringal_ring_release_slow (ring);
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

/* One line per region: offset, payload size, state, and where the head is.
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

      g_string_append_printf (out, "  +%-8zu %8td bytes  %s%s\n",
                              (size_t) (guard - ring->base) * RINGAL_WORD,
                              (next - (guard + 1)) * (ptrdiff_t) RINGAL_WORD,
                              (value & RINGAL_GUARD_LOCKED) ? "locked" : "free",
                              guard == ring->head ? "  <- head" : "");
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
