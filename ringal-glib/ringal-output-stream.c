/* ringal-output-stream.c: a GOutputStream into ring memory
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "ringal-allocator-private.h"
#include "ringal-buffer-private.h"
#include "ringal-output-stream.h"

/**
 * RingalOutputStream:
 *
 * A [class@Gio.OutputStream] that writes into an extendable
 * [struct@Ringal.Buffer] of a [class@Ringal.Allocator], and hands the
 * result over as a [struct@GLib.Bytes] that points into the ring: the ring
 * counterpart of a resizable [class@Gio.MemoryOutputStream].
 *
 * Write to it like any output stream, splice a file or a socket into it,
 * close it, then take the bytes with
 * [method@Ringal.OutputStream.steal_as_bytes], which copies nothing:
 *
 * ```c
 * g_autoptr(GOutputStream) out = ringal_output_stream_new (allocator);
 *
 * if (g_output_stream_splice (out, G_INPUT_STREAM (file_in),
 *                             G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
 *                             G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
 *                             NULL, &error) < 0)
 *   return FALSE;
 * g_autoptr(GBytes) contents =
 *   ringal_output_stream_steal_as_bytes (RINGAL_OUTPUT_STREAM (out));
 * ```
 *
 * The stream opens its extendable buffer at the first write; from then
 * until it is closed, its allocator serves nothing else (other requests
 * fail with %RINGAL_ERROR_BUSY).  Closing the stream finalizes the buffer
 * and frees the allocator.  A stream dropped without being closed is
 * closed then; one closed and never stolen from gives its bytes back to
 * the ring when it goes.
 *
 * When the ring has no room left, writes fail with `G_IO_ERROR_NO_SPACE`
 * (after a short write of what still fitted), and everything written until
 * then stays in the stream.  A write that cannot open the buffer fails with
 * `G_IO_ERROR_BUSY` when another extendable buffer is open on the
 * allocator, and with `G_IO_ERROR_FAILED` when the allocator belongs to
 * another thread.
 *
 * Asynchronous writes, flushes and closes complete in the calling thread,
 * never in a worker thread: the ring is only used from the allocator's
 * thread.  They never wait, since memory is either there or not.
 */

struct _RingalOutputStream
{
  GOutputStream     parent_instance;

  RingalAllocator  *allocator;
  RingalBuffer     *buffer;     /* NULL until the first write, and once stolen */
  gsize             data_size;
};

enum {
  PROP_0,
  PROP_ALLOCATOR,
  PROP_DATA_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RingalOutputStream, ringal_output_stream, G_TYPE_OUTPUT_STREAM)

/* Stream users expect the GIO domain. */
static void
propagate_as_io_error (GError **dest,
                       GError  *src)
{
  GIOErrorEnum code = G_IO_ERROR_FAILED;

  if (src->domain == RINGAL_ERROR)
    {
      if (src->code == RINGAL_ERROR_FULL || src->code == RINGAL_ERROR_TOO_LARGE)
        code = G_IO_ERROR_NO_SPACE;
      else if (src->code == RINGAL_ERROR_BUSY)
        code = G_IO_ERROR_BUSY;
    }
  g_set_error_literal (dest, G_IO_ERROR, code, src->message);
  g_error_free (src);
}

static gssize
stream_write (RingalOutputStream  *self,
              const guint8        *data,
              gsize                count,
              GError             **error)
{
  GError *local = NULL;
  gsize spare, written = 0;
  guint8 *room;

  if (self->buffer == NULL)
    {
      /* Opened small: growing takes all the room there is, whereas a
       * large first request could fail where a short write would not. */
      self->buffer = ringal_allocator_extendable (self->allocator, 0, &local);
      if (self->buffer == NULL)
        {
          propagate_as_io_error (error, local);
          return -1;
        }
      atomic_store_explicit (&self->allocator->stream_extending, TRUE, memory_order_relaxed);
    }

  /* Copied once, straight into the ring. */
  room = ringal_buffer_reserve (self->buffer, count, &local);
  if (room != NULL)
    {
      memcpy (room, data, count);
      ringal_buffer_commit (self->buffer, count);
      self->data_size += count;
      return (gssize) count;
    }

  /* Growing is all or nothing, but a stream takes what fits, as a short
   * write, and the next write reports why nothing more does.  Halving
   * finds at least half of the most that fits (the room may be in place
   * or in another free run of the ring); only a failing write pays for
   * it. */
  spare = ringal_buffer_get_spare (self->buffer);
  for (gsize part = count / 2; part > spare && written == 0; part /= 2)
    if (ringal_buffer_reserve (self->buffer, part, NULL) != NULL)
      written = part;
  if (written == 0)
    written = spare;

  if (written == 0 && local->domain == RINGAL_ERROR &&
      (local->code == RINGAL_ERROR_TOO_LARGE || local->code == RINGAL_ERROR_FULL))
    {
      /* The buffer's error names the size it tried to grow to, a number
       * the caller never asked for: say what the stream holds instead. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   local->code == RINGAL_ERROR_TOO_LARGE
                   ? "The stream holds %" G_GSIZE_FORMAT " bytes; no more fit its ring of %"
                     G_GSIZE_FORMAT " bytes"
                   : "The stream holds %" G_GSIZE_FORMAT " bytes; its ring of %" G_GSIZE_FORMAT
                     " bytes has no room for more until buffers are released",
                   self->data_size, ringal_allocator_get_capacity (self->allocator));
      g_error_free (local);
      return -1;
    }
  if (written == 0)
    {
      propagate_as_io_error (error, local);
      return -1;
    }
  g_error_free (local);
  memcpy (ringal_buffer_reserve (self->buffer, written, NULL), data, written);
  ringal_buffer_commit (self->buffer, written);
  self->data_size += written;
  return (gssize) written;
}

static gssize
ringal_output_stream_write_fn (GOutputStream  *stream,
                               const void     *buffer,
                               gsize           count,
                               GCancellable   *cancellable,
                               GError        **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  return stream_write (RINGAL_OUTPUT_STREAM (stream), buffer, count, error);
}

/* Stops at the first short write, so that what was written is always a
 * prefix of the vectors.  GIO forbids failing after writing: an error
 * once bytes went in is dropped, and the next call reports it. */
static gboolean
ringal_output_stream_writev_fn (GOutputStream        *stream,
                                const GOutputVector  *vectors,
                                gsize                 n_vectors,
                                gsize                *bytes_written,
                                GCancellable         *cancellable,
                                GError              **error)
{
  RingalOutputStream *self = RINGAL_OUTPUT_STREAM (stream);
  gsize total = 0;

  if (bytes_written != NULL)
    *bytes_written = 0;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  for (gsize i = 0; i < n_vectors; i++)
    {
      gssize written;

      if (vectors[i].size == 0)
        continue;
      written = stream_write (self, vectors[i].buffer, vectors[i].size, total > 0 ? NULL : error);
      if (written < 0 && total == 0)
        return FALSE;
      if (written < 0)
        break;
      total += (gsize) written;
      if ((gsize) written < vectors[i].size)
        break;
    }

  if (bytes_written != NULL)
    *bytes_written = total;
  return TRUE;
}

/* Finalizes the buffer: the allocator serves others again. */
static void
close_buffer (RingalOutputStream *self)
{
  RingalBuffer *fixed;

  if (self->buffer == NULL || !ringal_buffer_is_extendable (self->buffer))
    return;

  atomic_store_explicit (&self->allocator->stream_extending, FALSE, memory_order_relaxed);
  fixed = ringal_buffer_finalize (self->buffer, NULL);
  ringal_buffer_unref (self->buffer);
  self->buffer = fixed;
}

static gboolean
ringal_output_stream_close_fn (GOutputStream  *stream,
                               GCancellable   *cancellable,
                               GError        **error)
{
  close_buffer (RINGAL_OUTPUT_STREAM (stream));
  return TRUE;
}

/* GOutputStream's default asynchronous methods run the synchronous ones
 * in a thread pool (write, writev, flush and close; write_all and
 * writev_all too, unless write and writev are overridden).  Ring work must
 * stay on the allocator's thread, and it never blocks, so each of these
 * does the work now and returns through a GTask, which calls back from
 * the caller's main context.  splice_async needs no override: its default
 * reads asynchronously and writes through write_async once write_async is
 * not the threaded default.  flush_async is unset (see class_init). */

static void
ringal_output_stream_write_async (GOutputStream       *stream,
                                  const void          *buffer,
                                  gsize                count,
                                  int                  io_priority,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  GError *error = NULL;
  gssize written;

  g_task_set_source_tag (task, ringal_output_stream_write_async);
  g_task_set_priority (task, io_priority);
  /* Bytes written are reported, even if the cancellable fires before the
   * callback runs. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

  written = stream_write (RINGAL_OUTPUT_STREAM (stream), buffer, count, &error);
  if (written < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, written);
}

static gssize
ringal_output_stream_write_finish (GOutputStream  *stream,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* Unlike write_async, writev_async is called without the pending flag set:
 * like GIO's own, it sets the flag, and writev_finish clears it, but only
 * if this call set it. */
typedef struct {
  gsize    bytes_written;
  gboolean set_pending;
} WritevResult;

static void
ringal_output_stream_writev_async (GOutputStream        *stream,
                                   const GOutputVector  *vectors,
                                   gsize                 n_vectors,
                                   int                   io_priority,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  WritevResult *result = g_new0 (WritevResult, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, ringal_output_stream_writev_async);
  g_task_set_priority (task, io_priority);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, result, g_free);

  if (!g_output_stream_set_pending (stream, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  result->set_pending = TRUE;

  if (ringal_output_stream_writev_fn (stream, vectors, n_vectors, &result->bytes_written,
                                      cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
ringal_output_stream_writev_finish (GOutputStream  *stream,
                                    GAsyncResult   *result,
                                    gsize          *bytes_written,
                                    GError        **error)
{
  WritevResult *writev;

  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, ringal_output_stream_writev_async), FALSE);

  writev = g_task_get_task_data (G_TASK (result));
  if (writev->set_pending)
    g_output_stream_clear_pending (stream);
  if (bytes_written != NULL)
    *bytes_written = writev->bytes_written;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ringal_output_stream_close_async (GOutputStream       *stream,
                                  int                  io_priority,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, ringal_output_stream_close_async);
  g_task_set_priority (task, io_priority);
  /* A close always happens, cancelled or not, as GIO's own does. */
  g_task_set_check_cancellable (task, FALSE);

  close_buffer (RINGAL_OUTPUT_STREAM (stream));
  g_task_return_boolean (task, TRUE);
}

static gboolean
ringal_output_stream_close_finish (GOutputStream  *stream,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ringal_output_stream_constructed (GObject *object)
{
  RingalOutputStream *self = RINGAL_OUTPUT_STREAM (object);

  G_OBJECT_CLASS (ringal_output_stream_parent_class)->constructed (object);

  if (self->allocator == NULL)
    self->allocator = g_object_ref (ringal_allocator_get_thread_default ());
}

static void
ringal_output_stream_finalize (GObject *object)
{
  RingalOutputStream *self = RINGAL_OUTPUT_STREAM (object);

  /* GOutputStream's dispose has closed the stream, unless an operation
   * was pending; dropping an open extendable buffer closes it too. */
  if (self->buffer != NULL && ringal_buffer_is_extendable (self->buffer))
    atomic_store_explicit (&self->allocator->stream_extending, FALSE, memory_order_relaxed);
  g_clear_pointer (&self->buffer, ringal_buffer_unref);
  g_clear_object (&self->allocator);

  G_OBJECT_CLASS (ringal_output_stream_parent_class)->finalize (object);
}

static void
ringal_output_stream_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  RingalOutputStream *self = RINGAL_OUTPUT_STREAM (object);

  switch (prop_id)
    {
    case PROP_ALLOCATOR:
      g_value_set_object (value, self->allocator);
      break;

    case PROP_DATA_SIZE:
      g_value_set_ulong (value, self->data_size);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ringal_output_stream_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  RingalOutputStream *self = RINGAL_OUTPUT_STREAM (object);

  switch (prop_id)
    {
    case PROP_ALLOCATOR:
      self->allocator = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ringal_output_stream_class_init (RingalOutputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->constructed = ringal_output_stream_constructed;
  object_class->finalize = ringal_output_stream_finalize;
  object_class->get_property = ringal_output_stream_get_property;
  object_class->set_property = ringal_output_stream_set_property;

  stream_class->write_fn = ringal_output_stream_write_fn;
  stream_class->writev_fn = ringal_output_stream_writev_fn;
  stream_class->close_fn = ringal_output_stream_close_fn;
  stream_class->write_async = ringal_output_stream_write_async;
  stream_class->write_finish = ringal_output_stream_write_finish;
  stream_class->writev_async = ringal_output_stream_writev_async;
  stream_class->writev_finish = ringal_output_stream_writev_finish;
  /* Nothing is ever buffered outside the ring: without flush_async, GIO
   * completes flushes at once and closes without flushing first. */
  stream_class->flush_async = NULL;
  stream_class->flush_finish = NULL;
  stream_class->close_async = ringal_output_stream_close_async;
  stream_class->close_finish = ringal_output_stream_close_finish;

  /**
   * RingalOutputStream:allocator: (getter get_allocator)
   *
   * The allocator whose ring the stream writes into.  Left unset, it is
   * the thread-default allocator of the thread that makes the stream.
   */
  properties[PROP_ALLOCATOR] =
    g_param_spec_object ("allocator", NULL, NULL,
                         RINGAL_TYPE_ALLOCATOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * RingalOutputStream:data-size: (getter get_data_size)
   *
   * How many bytes have been written to the stream.
   */
  properties[PROP_DATA_SIZE] =
    g_param_spec_ulong ("data-size", NULL, NULL,
                        0, G_MAXULONG, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ringal_output_stream_init (RingalOutputStream *self)
{
}

/**
 * ringal_output_stream_new:
 * @allocator: (nullable): the allocator to write into, or %NULL for the
 *   calling thread's default allocator
 *
 * Creates an output stream into the ring of @allocator.  Nothing is
 * allocated until the first write.
 *
 * Returns: (transfer full): a new [class@Ringal.OutputStream]
 */
GOutputStream *
ringal_output_stream_new (RingalAllocator *allocator)
{
  g_return_val_if_fail (allocator == NULL || RINGAL_IS_ALLOCATOR (allocator), NULL);

  return g_object_new (RINGAL_TYPE_OUTPUT_STREAM, "allocator", allocator, NULL);
}

/**
 * ringal_output_stream_get_allocator:
 * @self: a stream
 *
 * The allocator whose ring @self writes into.
 *
 * Returns: (transfer none): the allocator
 */
RingalAllocator *
ringal_output_stream_get_allocator (RingalOutputStream *self)
{
  g_return_val_if_fail (RINGAL_IS_OUTPUT_STREAM (self), NULL);

  return self->allocator;
}

/**
 * ringal_output_stream_get_data_size:
 * @self: a stream
 *
 * How many bytes have been written to @self, as
 * `g_memory_output_stream_get_data_size()` says.  Stealing the bytes does
 * not change it.
 *
 * Returns: the number of bytes written
 */
gsize
ringal_output_stream_get_data_size (RingalOutputStream *self)
{
  g_return_val_if_fail (RINGAL_IS_OUTPUT_STREAM (self), 0);

  return self->data_size;
}

/**
 * ringal_output_stream_steal_as_bytes:
 * @self: a closed stream
 *
 * Takes what was written to @self as a read-only [struct@GLib.Bytes] that
 * points into the ring: no byte is copied.  As with
 * `g_memory_output_stream_steal_as_bytes()`, @self must be closed first
 * (else this is a programming error: a critical, and %NULL).  The stream
 * keeps nothing afterwards: stealing again gives empty bytes, and the
 * region goes back to the ring when the last reference to the bytes goes,
 * on whatever thread.
 *
 * Keep the bytes short-lived, as any ring memory: copy what must last.
 *
 * Returns: (transfer full): the bytes written
 */
GBytes *
ringal_output_stream_steal_as_bytes (RingalOutputStream *self)
{
  GBytes *bytes;

  g_return_val_if_fail (RINGAL_IS_OUTPUT_STREAM (self), NULL);
  g_return_val_if_fail (g_output_stream_is_closed (G_OUTPUT_STREAM (self)), NULL);

  if (self->buffer == NULL)
    return g_bytes_new (NULL, 0);

  bytes = ringal_buffer_freeze (self->buffer);
  g_clear_pointer (&self->buffer, ringal_buffer_unref);
  return bytes;
}
