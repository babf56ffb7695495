/* litmus-release.c: the release/acquire pair of the ring, on its own
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A consumer thread reads a region and releases it; the allocating thread
 * takes the memory again, in regions of other sizes, so that the old
 * guards become payload, and overwrites it.  Nothing but the guards orders
 * the consumer's last accesses before the overwrite.  Built twice: with
 * the ring's orderings, ThreadSanitizer must stay silent; with relaxed ones
 * (the seed's), it must report the race.  Both run under TSan, so that a
 * later "optimisation" back to relaxed fails the build.
 */

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "ringal-ring.h"

#define ROUNDS 20000

static RingalRing *ring;
static RingalGuard *_Atomic handed;

static void *
consumer (void *data)
{
  volatile unsigned sum = 0;

  for (int i = 0; i < ROUNDS; i++)
    {
      RingalGuard *guard;

      size_t size;

      while ((guard = atomic_exchange_explicit (&handed, NULL, memory_order_acquire)) == NULL)
        sched_yield ();
      /* all of it: the consumer owns the region, guard and all */
      size = ringal_guard_payload_words (guard) * RINGAL_WORD;
      for (size_t k = 0; k < size; k++)
        sum += ((volatile unsigned char *) (guard + 1))[k];
      ringal_ring_release (ring, guard);
    }
  return NULL;
}

int
main (void)
{
  RingalRingStatus status;
  unsigned random = 1;
  pthread_t thread;

  ring = ringal_ring_new (1024, &status);
  pthread_create (&thread, NULL, consumer, NULL);
  for (int i = 0; i < ROUNDS; i++)
    {
      RingalGuard *guard;
      size_t size;

      random ^= random << 13;
      random ^= random >> 17;
      random ^= random << 5;
      size = 1 + random % 200;
      while ((guard = ringal_ring_reserve (ring, 0, size, RINGAL_WORD, &status)) == NULL)
        sched_yield ();
      memset (guard + 1, i, ringal_guard_payload_words (guard) * RINGAL_WORD);
      /* to the consumer: release/acquire, so this direction is ordered */
      while (atomic_load_explicit (&handed, memory_order_relaxed) != NULL)
        sched_yield ();
      atomic_store_explicit (&handed, guard, memory_order_release);
    }
  pthread_join (thread, NULL);
  ringal_ring_orphan (ring);
  printf ("%d regions went back and forth\n", ROUNDS);
  return 0;
}
