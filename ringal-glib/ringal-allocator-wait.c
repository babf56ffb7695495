/* ringal-allocator-wait.c: waiting for room, blocking or in a main loop
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Releases wake waiters only while somebody waits (the ring's WAITERS
 * flag; see ringal-ring.h for why no wake-up is lost).  A waiter never
 * allocates on the releasing thread: a blocked thread tries again itself,
 * and an asynchronous waiter is a GSource that tries again in the
 * caller's main context, so the one-thread rule holds.
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>

#include "ringal-allocator-private.h"

static gboolean
is_full (const GError *error)
{
  return g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
}

static void
wake_ring (GCancellable *cancellable,
           gpointer      ring)
{
  ringal_ring_wake (ring);
}

/* When a wait of @timeout_us from now ends: never (G_MAXINT64) for a
 * negative timeout or one too long to count. */
static gint64
deadline_after (gint64 timeout_us)
{
  gint64 now;

  if (timeout_us < 0)
    return G_MAXINT64;
  now = g_get_monotonic_time ();
  return timeout_us > G_MAXINT64 - now ? G_MAXINT64 : now + timeout_us;
}

/* Calls @try_alloc until it gives memory, fails with an error other than
 * FULL, @cancellable is cancelled, or @timeout_us passes; sleeping between
 * tries until a release.  The loop of every blocking wait. */
gpointer
ringal_allocator_wait_for_room (RingalAllocator  *self,
                                RingalTryFunc     try_alloc,
                                gsize             size,
                                gpointer          data,
                                gint64            timeout_us,
                                GCancellable     *cancellable,
                                GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  RingalRing *ring;
  gpointer mem;
  gint64 deadline;
  gulong handler = 0;
  int res;

  mem = try_alloc (self, size, data, &local_error);
  if (mem != NULL)
    return mem;
  if (!is_full (local_error) || timeout_us == 0)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  ring = self->ring;
  deadline = deadline_after (timeout_us);
  ringal_ring_add_waiter (ring);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_ring), ring, NULL);

  for (;;)
    {
      guint64 seen = ringal_ring_wake_seq (ring);

      g_clear_error (&local_error);
      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;
      mem = try_alloc (self, size, data, &local_error);
      if (mem != NULL || !is_full (local_error))
        break;
      res = ringal_ring_wait (ring, seen, deadline);
      if (res == ETIMEDOUT)
        {
          g_clear_error (&local_error);
          g_set_error (&local_error, RINGAL_ERROR, RINGAL_ERROR_FULL,
                       "No room for %" G_GSIZE_FORMAT " bytes after waiting %"
                       G_GINT64_FORMAT " ms", size, timeout_us / 1000);
          break;
        }
      if (res != 0)
        {
          g_clear_error (&local_error);
          g_set_error (&local_error, RINGAL_ERROR, RINGAL_ERROR_FULL,
                       "No room for %" G_GSIZE_FORMAT " bytes, and waiting for room failed: %s",
                       size, g_strerror (res));
          break;
        }
    }

  g_cancellable_disconnect (cancellable, handler);
  ringal_ring_remove_waiter (ring);
  if (mem == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return mem;
}

static gpointer
try_fixed (RingalAllocator  *self,
           gsize             size,
           gpointer          data,
           GError          **error)
{
  return ringal_allocator_fixed (self, size, error);
}

/**
 * ringal_allocator_fixed_wait:
 * @self: an allocator
 * @size: the least capacity of the buffer, in bytes
 * @timeout_us: how long to wait for room, in microseconds; -1 to wait for
 *   as long as it takes, 0 not to wait
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Allocates a buffer as [method@Ringal.Allocator.fixed] does, but when the
 * ring is full, waits until releases make room, @cancellable is cancelled
 * (%G_IO_ERROR_CANCELLED), or @timeout_us passes (%RINGAL_ERROR_FULL).
 * Errors that waiting cannot mend (%RINGAL_ERROR_TOO_LARGE,
 * %RINGAL_ERROR_BUSY, %RINGAL_ERROR_WRONG_THREAD) come back at once.
 *
 * The wait ends as soon as a release makes room anywhere in the ring:
 * buffers held by the waiting thread itself do not stand in the way, as
 * allocation steps over them, but their bytes are not free either.
 *
 * Returns: (transfer full): a new buffer, or %NULL on error
 */
RingalBuffer *
ringal_allocator_fixed_wait (RingalAllocator  *self,
                             gsize             size,
                             gint64            timeout_us,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return ringal_allocator_wait_for_room (self, try_fixed, size, NULL, timeout_us, cancellable, error);
}

/* An asynchronous waiter: a source in the caller's main context that the
 * releasing threads make ready, and that tries again when dispatched. */
typedef struct {
  GSource       source;
  GTask        *task;
  gsize         size;
} WaitSource;

/* Called by releasing threads, with the ring's lock held. */
void
ringal_allocator_wake_async_waiters (void *data)
{
  RingalAllocator *self = data;

  for (GList *l = self->async_waiters.head; l != NULL; l = l->next)
    g_source_set_ready_time (l->data, 0);
}

static void
wait_source_stop (WaitSource *wait)
{
  RingalAllocator *self = g_task_get_source_object (wait->task);

  ringal_ring_lock (self->ring);
  g_queue_remove (&self->async_waiters, wait);
  ringal_ring_unlock (self->ring);
  ringal_ring_remove_waiter (self->ring);
}

static gboolean
wait_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  WaitSource *wait = (WaitSource *) source;
  RingalAllocator *self = g_task_get_source_object (wait->task);
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer;
  guint64 seen;

  if (g_task_return_error_if_cancelled (wait->task))
    {
      wait_source_stop (wait);
      return G_SOURCE_REMOVE;
    }

  seen = ringal_ring_wake_seq (self->ring);
  buffer = ringal_allocator_fixed (self, wait->size, &error);
  if (buffer != NULL || !is_full (error))
    {
      wait_source_stop (wait);
      if (buffer != NULL)
        g_task_return_pointer (wait->task, buffer, (GDestroyNotify) ringal_buffer_unref);
      else
        g_task_return_error (wait->task, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }

  /* Still full: sleep until the next release, unless one came meanwhile. */
  ringal_ring_lock (self->ring);
  g_source_set_ready_time (source, self->ring->wake_seq == seen ? -1 : 0);
  ringal_ring_unlock (self->ring);
  return G_SOURCE_CONTINUE;
}

static void
wait_source_finalize (GSource *source)
{
  WaitSource *wait = (WaitSource *) source;

  g_clear_object (&wait->task);
}

static GSourceFuncs wait_source_funcs = {
  .dispatch = wait_source_dispatch,
  .finalize = wait_source_finalize,
};

/**
 * ringal_allocator_fixed_async:
 * @self: an allocator
 * @size: the least capacity of the buffer, in bytes
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when a buffer is allocated, or on error
 * @user_data: data for @callback
 *
 * Allocates a buffer as [method@Ringal.Allocator.fixed] does, waiting in
 * the thread-default main context of the caller while the ring is full.
 * Releases on other threads make the waiter try again in that context, so
 * the buffer is allocated on the calling thread.  Cancelling @cancellable
 * ends the wait with %G_IO_ERROR_CANCELLED.  Errors that waiting cannot
 * mend come back at once.
 *
 * The warning of [method@Ringal.Allocator.fixed_wait] applies: buffers
 * held while waiting may be what the ring waits for.
 */
void
ringal_allocator_fixed_async (RingalAllocator     *self,
                              gsize                size,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer;
  GSource *source;
  WaitSource *wait;

  g_return_if_fail (RINGAL_IS_ALLOCATOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ringal_allocator_fixed_async);

  buffer = ringal_allocator_fixed (self, size, &error);
  if (buffer != NULL)
    {
      g_task_return_pointer (task, buffer, (GDestroyNotify) ringal_buffer_unref);
      return;
    }
  if (!is_full (error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  source = g_source_new (&wait_source_funcs, sizeof (WaitSource));
  g_source_set_static_name (source, "[ringal] waiting for room");
  wait = (WaitSource *) source;
  wait->task = g_object_ref (task);
  wait->size = size;

  ringal_ring_lock (self->ring);
  g_queue_push_tail (&self->async_waiters, wait);
  ringal_ring_unlock (self->ring);
  ringal_ring_add_waiter (self->ring);
  if (cancellable != NULL)
    {
      /* A cancellation makes this child ready, which dispatches the wait
       * however dispatch re-arms the wait's own ready time. */
      GSource *cancelled = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancelled);
      g_source_add_child_source (source, cancelled);
      g_source_unref (cancelled);
    }

  /* Try once more when first dispatched: a release may have come between
   * the failed try above and the registration. */
  g_source_set_ready_time (source, 0);
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/**
 * ringal_allocator_fixed_finish:
 * @self: an allocator
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Ringal.Allocator.fixed_async].
 *
 * Returns: (transfer full): the new buffer, or %NULL on error
 */
RingalBuffer *
ringal_allocator_fixed_finish (RingalAllocator  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ringal_allocator_fixed_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
