/* ringal-ring-wait.c: waiting for room in a ring (private)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * See ringal_ring_add_waiter() in ringal-ring.h for the protocol.
 */

#include "config.h"

#include "ringal-ring-internal.h"

#include <errno.h>
#include <time.h>

void
ringal_ring_wake_locked (RingalRing *ring)
{
  ring->wake_seq++;
  pthread_cond_broadcast (&ring->wake_cond);
  if (ring->wake_notify != NULL)
    ring->wake_notify (ring->wake_notify_data);
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
  ringal_ring_heavy_barrier ();
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
 * microseconds; INT64_MAX for never, a negative one has passed).
 * Returns 0 when woken, ETIMEDOUT on the deadline, or the error that
 * stopped the wait: it never spins on an error with the lock held, which
 * would block every release. */
int
ringal_ring_wait (RingalRing *ring,
                  uint64_t    seen,
                  int64_t     deadline)
{
  struct timespec until;
  int res = 0;

  if (deadline < 0)
    deadline = 0;
  until.tv_sec = (time_t) (deadline / 1000000);
  until.tv_nsec = (long) (deadline % 1000000) * 1000;

  pthread_mutex_lock (&ring->lock);
  while (ring->wake_seq == seen && res == 0)
    {
      if (deadline == INT64_MAX)
        res = pthread_cond_wait (&ring->wake_cond, &ring->lock);
      else
        res = pthread_cond_timedwait (&ring->wake_cond, &ring->lock, &until);
    }
  if (ring->wake_seq != seen)
    res = 0;
  pthread_mutex_unlock (&ring->lock);
  return res;
}

/* Wakes every waiter: for a release, or for a waiter's cancellation. */
void
ringal_ring_wake (RingalRing *ring)
{
  pthread_mutex_lock (&ring->lock);
  ringal_ring_wake_locked (ring);
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
