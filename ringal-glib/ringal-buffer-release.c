/* ringal-buffer-release.c: giving a buffer's region back before its last
 * reference, and the handles that make that cost the ring nothing
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A buffer's handle normally sits in its region, before the data, so a
 * released buffer whose handle is still referenced would keep those bytes
 * of the ring.  Bindings keep handles until their collector runs (GJS does
 * not run it for thousands of allocations), so a ring whose buffers are
 * released explicitly gets, from then on, handles from a pool outside the
 * store: what a closed handle keeps is its own few bytes of heap.
 */

#include "config.h"

#include "ringal-buffer-private.h"
#include "ringal-error-private.h"
#include "ringal-ring-internal.h"

/* Free handles, from rings of any thread, kept for the next allocations
 * so that steady use mallocs nothing.  An array rather than a list through
 * the handles: those are hidden from the memory checkers while pooled,
 * and a leak checker must still see them. */
#define HANDLE_POOL_KEEP 1024

static GMutex handle_pool_lock;
static RingalBuffer *handle_pool[HANDLE_POOL_KEEP];
static guint handle_pool_len;

static RingalBuffer *
handle_get (void)
{
  RingalBuffer *self = NULL;

  g_mutex_lock (&handle_pool_lock);
  if (handle_pool_len > 0)
    self = handle_pool[--handle_pool_len];
  g_mutex_unlock (&handle_pool_lock);

  if (self == NULL)
    return g_new (RingalBuffer, 1);
  ringal_memcheck_show (self, sizeof *self);
  return self;
}

void
ringal_buffer_put_apart (RingalBuffer *self)
{
  /* One reference and a mark: see ringal_buffer_release_regions(). */
  self->ref_count = 1;
  self->flags = RINGAL_BUFFER_POOLED;

  g_mutex_lock (&handle_pool_lock);
  if (handle_pool_len < HANDLE_POOL_KEEP)
    {
      ringal_memcheck_hide (self, sizeof *self);
      handle_pool[handle_pool_len++] = g_steal_pointer (&self);
    }
  g_mutex_unlock (&handle_pool_lock);

  g_free (self);
}

RingalBuffer *
ringal_buffer_new_apart (RingalRing  *ring,
                         gsize        size,
                         gboolean     extendable,
                         GError     **error)
{
  RingalRingStatus status;
  RingalGuard *guard;
  RingalBuffer *self;

  guard = ringal_ring_reserve (ring, RINGAL_BUFFER_PREFIX, size, RINGAL_WORD, &status);
  if (G_UNLIKELY (guard == NULL))
    {
      ringal_set_error_from_status (error, status, ring, size,
                                    ringal_ring_max_size (ring, RINGAL_BUFFER_PREFIX, RINGAL_WORD));
      return NULL;
    }

  self = handle_get ();
  self->ring = ring;
  self->ref_count = 1;
  self->flags = RINGAL_BUFFER_APART;
  self->data = (guint8 *) (guard + 1) + RINGAL_BUFFER_PREFIX;
  self->len = 0;
  self->capacity = (gsize) ((guint8 *) ringal_guard_next (guard) - self->data);

  if (extendable)
    {
      self->flags |= RINGAL_BUFFER_EXTENDING;
      atomic_store_explicit (&ring->extending, true, memory_order_relaxed);
    }

  return self;
}

/* A released fixed buffer whose handle shares its region keeps the region
 * locked, and only the allocating thread may write the free guard that
 * cutting it down to the handle leaves behind; any thread may release.  So
 * the buffer waits in the ring's to_cut list until the allocating thread's
 * next allocation that misses the fast path cuts it.  The list, and every
 * write of a listed buffer's guard, happen under the ring's lock, which
 * the buffer's last unref takes too before it releases the region. */
static void
queue_cut (RingalBuffer *self)
{
  RingalRing *ring = self->ring;
  GPtrArray *to_cut;

  ringal_ring_lock (ring);
  if (ring->to_cut == NULL)
    ring->to_cut = g_ptr_array_new ();
  to_cut = ring->to_cut;
  g_ptr_array_add (to_cut, self);
  atomic_store_explicit (&ring->n_to_cut, to_cut->len, memory_order_relaxed);
  /* A waiter finds the room once it has cut. */
  if (ring->n_waiters > 0)
    ringal_ring_wake_locked (ring);
  ringal_ring_unlock (ring);
  self->flags |= RINGAL_BUFFER_CUT;
}

void
ringal_buffer_cut_released (RingalRing *ring)
{
  GPtrArray *to_cut;

  ringal_ring_lock (ring);
  to_cut = ring->to_cut;
  for (guint i = 0; i < to_cut->len; i++)
    ringal_ring_shrink (ring, ringal_buffer_guard (to_cut->pdata[i]),
                        RINGAL_BUFFER_PREFIX / RINGAL_WORD);
  g_ptr_array_set_size (to_cut, 0);
  atomic_store_explicit (&ring->n_to_cut, 0, memory_order_relaxed);
  ringal_ring_unlock (ring);
}

/* The last unref's part for all but a handle and its data in one region:
 * the data in a region of its own (unless a release gave it back), then
 * the handle, to the pool or with its region.  A pooled handle has one
 * reference and a mark, which catches an unref too many as the ring
 * catches a second release of a region. */
void
ringal_buffer_release_regions (RingalBuffer *self)
{
  RingalRing *ring = self->ring;
  gsize prefix;

  if (G_UNLIKELY (self->flags & RINGAL_BUFFER_POOLED))
    {
      g_critical ("ringal: the buffer at %p was released twice", (void *) self);
      return;
    }

  if ((self->flags & RINGAL_BUFFER_DATA_ALONE) && self->data != NULL)
    ringal_ring_release (ring, ringal_buffer_data_guard (self, &prefix));

  if (self->flags & RINGAL_BUFFER_APART)
    {
      ringal_buffer_put_apart (self);
      return;
    }

  /* Out of the cut's reach first: the lock orders its guard writes
   * before the release below. */
  if (self->flags & RINGAL_BUFFER_CUT)
    {
      GPtrArray *to_cut;

      ringal_ring_lock (ring);
      to_cut = ring->to_cut;
      if (g_ptr_array_remove_fast (to_cut, self))
        atomic_store_explicit (&ring->n_to_cut, to_cut->len, memory_order_relaxed);
      ringal_ring_unlock (ring);
    }
  ringal_ring_release (ring, ringal_buffer_guard (self));
}

/* An open extendable buffer is the latest allocation and owns the ring, so
 * its thread is the allocating one: the allocator starts again where the
 * data began, or right after the handle when they share a region. */
static void
release_open (RingalBuffer *self)
{
  RingalRing *ring = self->ring;
  gsize prefix;

  if (self->flags & RINGAL_BUFFER_DATA_ALONE)
    {
      RingalGuard *data_guard = ringal_buffer_data_guard (self, &prefix);

      ring->head = data_guard;
      ringal_ring_release (ring, data_guard);
    }
  else
    {
      ring->head = ringal_ring_shrink (ring, ringal_buffer_guard (self),
                                       RINGAL_BUFFER_PREFIX / RINGAL_WORD);
    }

  self->flags &= ~RINGAL_BUFFER_EXTENDING;
  ringal_ring_end_extending (ring);
}

/**
 * ringal_buffer_release:
 * @self: a buffer
 *
 * Gives the buffer's claim on its ring memory back now, as dropping its
 * last reference would, while the references stay valid: for bindings,
 * whose wrappers drop theirs only when a garbage collector gets to them,
 * and for code that keeps a buffer around after it is done with it.
 *
 * @self stays a valid but closed object until its last reference is
 * dropped: it has no data (a length and capacity of 0), writes fail with
 * %RINGAL_ERROR_CLOSED, [method@Ringal.Buffer.finalize] fails the same
 * way and [method@Ringal.Buffer.freeze] gives an empty `GBytes`.
 * Releasing it again does nothing.
 *
 * `GBytes` frozen from @self keep their bytes: while any of them exists
 * the region stays, until they and the last reference to @self are gone
 * (a frozen buffer whose `GBytes` are all gone gives it back at once).
 * Releasing an open extendable buffer discards what was written and lets
 * the allocator serve others again.
 *
 * Where the handle lives: from the first release on, the allocator's new
 * buffers keep their handle outside the ring, so that a released one costs
 * the ring nothing at all.  A fixed buffer allocated before that shares
 * one region with its handle: its data goes back when the allocator next
 * looks for room (the allocating thread cuts the region), and the handle's
 * few bytes, which allocation steps over, at the last reference.
 *
 * In a language with a garbage collector, release each buffer once you
 * are done with it: the ring then serves again at once, whenever the
 * collector runs.
 *
 * Since: 0.2
 */
void
ringal_buffer_release (RingalBuffer *self)
{
  g_return_if_fail (self != NULL);

  if (self->flags & RINGAL_BUFFER_CLOSED)
    return;

  atomic_store_explicit (&self->ring->handles, RINGAL_RING_HANDLES_APART, memory_order_relaxed);

  if (self->flags & RINGAL_BUFFER_EXTENDING)
    {
      release_open (self);
      self->data = NULL;
    }
  /* GBytes frozen from the buffer each hold a reference: with no other,
   * none is left, and the data can go. */
  else if (!(self->flags & RINGAL_BUFFER_FROZEN) || g_atomic_int_get (&self->ref_count) == 1)
    {
      gsize prefix;

      if (self->flags & RINGAL_BUFFER_DATA_ALONE)
        ringal_ring_release (self->ring, ringal_buffer_data_guard (self, &prefix));
      else
        queue_cut (self);
      self->data = NULL;
    }

  /* Frozen too, which keeps writes off their fast path. */
  self->flags |= RINGAL_BUFFER_CLOSED | RINGAL_BUFFER_FROZEN;
  self->len = 0;
  self->capacity = 0;
}

/**
 * ringal_buffer_is_closed:
 * @self: a buffer
 *
 * Whether @self has been released with [method@Ringal.Buffer.release].
 *
 * Returns: %TRUE if @self has no data and takes no writes any more
 *
 * Since: 0.2
 */
gboolean
ringal_buffer_is_closed (RingalBuffer *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return (self->flags & RINGAL_BUFFER_CLOSED) != 0;
}
