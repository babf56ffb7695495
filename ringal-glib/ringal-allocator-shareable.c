/* ringal-allocator-shareable.c: allocators whose store another process maps
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A shareable allocator is an allocator like any other, over a sealed
 * memfd.  What is particular to it is the list of its RingalSenders, kept
 * in its ring: the regions their receivers let go come back through a
 * queue (see ringal-share-private.h), drained by any reservation that
 * finds the ring full, be it for a buffer, an array, raw memory or a
 * growing buffer; that also asks the receivers to wake the senders'
 * watcher threads at their next release, for whoever waits for room.
 */

#include "config.h"

#include <unistd.h>

#include "ringal-allocator-private.h"
#include "ringal-share-private.h"

/* One lock for every ring's list: it is taken only when a sender comes
 * or goes and when a shareable ring is full.  The nodes come from malloc,
 * not GSlice, whose own locks TSan cannot see: the watcher thread takes
 * its sender off the list. */
static pthread_mutex_t senders_lock = PTHREAD_MUTEX_INITIALIZER;

struct _RingalSenderNode
{
  RingalSenderNode *next;
  RingalSenderLink *link;
  RingalRing       *ring;        /* NULL once the allocator is finalized */
};

/**
 * ringal_allocator_new_shareable: (constructor)
 * @capacity: the least number of bytes the store should have
 * @error: return location for a #GError
 *
 * Creates an allocator whose store can be mapped by another process: it
 * lives in a memfd (`memfd_create()` with `MFD_ALLOW_SEALING`), sealed so
 * that its size can never change.  Apart from that it is an allocator like
 * any other, and as fast; a [class@Ringal.Sender] sends the bytes frozen
 * from its buffers to a [class@Ringal.Receiver] in another process without
 * copying them.
 *
 * The capacity is rounded up as for [ctor@Ringal.Allocator.try_new], and
 * to at least a page.  Fails as that function does; where memfds are not
 * available, with %RINGAL_ERROR_NO_MEMORY.
 *
 * A receiver can read the whole store, not only the bytes sent to it: keep
 * in a shareable allocator only what its receivers may see.
 *
 * Returns: (transfer full): a new allocator, or %NULL on error
 *
 * Since: 0.2
 */
RingalAllocator *
ringal_allocator_new_shareable (gsize    capacity,
                                GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (RINGAL_TYPE_ALLOCATOR, NULL, error,
                         "capacity", (gulong) capacity, "shareable", TRUE, NULL);
}

/* The ring's reclaim hook: takes what the receivers released meanwhile.
 * With @wake, a drain that finds nothing asks them to wake the senders'
 * watchers at their next release; until then, draining goes on. */
static bool
drain_senders (RingalRing *ring,
               bool        wake)
{
  guint released = 0;

  pthread_mutex_lock (&senders_lock);
  for (RingalSenderNode *node = ring->senders; node != NULL; node = node->next)
    released += ringal_sender_link_drain (node->link, wake);
  pthread_mutex_unlock (&senders_lock);
  return released > 0;
}

/* The store of a shareable allocator: whole pages, since the receiver maps
 * it on its own. */
RingalRing *
ringal_allocator_new_shareable_ring (gsize             capacity,
                                     RingalRingStatus *status)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  RingalRing *ring = ringal_ring_new_shareable (MAX (capacity, page), status);

  /* Before any thread allocates from it: never changes after. */
  if (ring != NULL)
    ring->reclaim = drain_senders;
  return ring;
}

/**
 * ringal_allocator_is_shareable:
 * @self: an allocator
 *
 * Whether @self was made by [ctor@Ringal.Allocator.new_shareable], so that
 * a [class@Ringal.Sender] can send its bytes to another process.
 *
 * Returns: %TRUE for a shareable allocator
 *
 * Since: 0.2
 */
gboolean
ringal_allocator_is_shareable (RingalAllocator *self)
{
  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), FALSE);

  /* Not the property: a store that could not be made is a plain one. */
  return self->ring->store_fd >= 0;
}

RingalSenderNode *
ringal_allocator_add_sender (RingalAllocator  *self,
                             RingalSenderLink *link)
{
  RingalSenderNode *node = g_new (RingalSenderNode, 1);
  RingalRing *ring = self->ring;

  node->link = link;
  node->ring = ring;
  pthread_mutex_lock (&senders_lock);
  node->next = ring->senders;
  ring->senders = node;
  pthread_mutex_unlock (&senders_lock);
  return node;
}

/* From the sender's watcher, which holds no reference to the allocator:
 * it may be gone already, and its ring with it. */
void
ringal_allocator_remove_sender (RingalSenderNode *node)
{
  pthread_mutex_lock (&senders_lock);
  if (node->ring != NULL)
    for (RingalSenderNode **at = &node->ring->senders; *at != NULL; at = &(*at)->next)
      if (*at == node)
        {
          *at = node->next;
          break;
        }
  pthread_mutex_unlock (&senders_lock);
  g_free (node);
}

/* From the allocator's finalize: its senders' watchers may live on, and
 * the ring may go before them. */
void
ringal_allocator_forget_senders (RingalAllocator *self)
{
  pthread_mutex_lock (&senders_lock);
  for (RingalSenderNode *node = self->ring->senders; node != NULL; node = node->next)
    node->ring = NULL;
  self->ring->senders = NULL;
  pthread_mutex_unlock (&senders_lock);
}
