/* ringal-ring-pool.c: ring headers, recycled and never freed (private)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "ringal-ring-internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static RingalRing *pool_first;

static atomic_size_t n_live_stores;

RingalRing *
ringal_ring_header_get (void)
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
void
ringal_ring_header_put (RingalRing *ring)
{
  pthread_mutex_lock (&pool_lock);
  ring->next_in_pool = pool_first;
  pool_first = ring;
  pthread_mutex_unlock (&pool_lock);
}

void
ringal_ring_count_store (int delta)
{
  if (delta > 0)
    atomic_fetch_add_explicit (&n_live_stores, 1, memory_order_relaxed);
  else
    atomic_fetch_sub_explicit (&n_live_stores, 1, memory_order_relaxed);
}

/* How many stores exist in the process: lets tests see a store go. */
size_t
ringal_ring_count_stores (void)
{
  return atomic_load_explicit (&n_live_stores, memory_order_relaxed);
}
