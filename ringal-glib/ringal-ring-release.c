/* ringal-ring-release.c: what a release may have to do (private)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A release is one store (ringal-ring.h); when `attention` is set it also
 * counts what it gave back for an allocator that found the ring full,
 * wakes the waiters and, in a ring whose allocator has gone, frees the
 * store once nothing is locked any more.  The membarrier that lets the
 * release itself skip a fence lives here too.
 */

#include "config.h"

#include "ringal-ring-internal.h"

#include <stdlib.h>
#include <unistd.h>

#ifdef __linux__
# include <linux/membarrier.h>
# include <sys/syscall.h>
#endif

bool ringal_ring_release_needs_fence = true;

static pthread_once_t barrier_once = PTHREAD_ONCE_INIT;
static bool membarrier_ready;

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
void
ringal_ring_heavy_barrier (void)
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

void
ringal_ring_barrier_init (void)
{
  pthread_once (&barrier_once, heavy_barrier_setup);
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

  ringal_ring_store_free_locked (ring);
  return true;
}

/* @guard is the region just released, whose guard read @value (with
 * LOCKED) before; NULL when the caller released nothing. */
void
ringal_ring_release_slow (RingalRing  *ring,
                          RingalGuard *guard,
                          uintptr_t    value)
{
  bool freed = false;

  pthread_mutex_lock (&ring->lock);
  /* The allocator found no room and bounds what it may find now by what
   * has been released since (see ringal_ring_reserve_slow()). */
  if (guard != NULL &&
      (atomic_load_explicit (&ring->attention, memory_order_relaxed) & RINGAL_RING_ATTENTION_FULL))
    {
      ring->full_releases++;
      ring->full_release_words += (size_t) ((RingalGuard *) (value & ~RINGAL_GUARD_FLAGS) - guard);
    }
  if (ring->n_waiters > 0)
    ringal_ring_wake_locked (ring);
  if (ring->orphaned && ring->base != NULL)
    freed = reclaim_locked (ring);
  pthread_mutex_unlock (&ring->lock);

  if (freed)
    ringal_ring_header_put (ring);
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
  ringal_ring_heavy_barrier ();
  ringal_ring_release_slow (ring, NULL, 0);
}

void
ringal_ring_end_extending (RingalRing *ring)
{
  atomic_store_explicit (&ring->extending, false, memory_order_release);
  ringal_ring_store_load_barrier ();
  if (G_UNLIKELY (atomic_load_explicit (&ring->attention, memory_order_relaxed)))
    ringal_ring_release_slow (ring, NULL, 0);
}
