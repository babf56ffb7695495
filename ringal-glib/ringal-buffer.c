/* ringal-buffer.c: byte buffers in ring memory
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "ringal-buffer-private.h"
#include "ringal-error-private.h"

/**
 * RingalBuffer:
 *
 * A byte buffer in the memory of a [class@Ringal.Allocator].
 *
 * A buffer is either *fixed*, with the capacity it was allocated with, or
 * *extendable*: it grows as you write, by taking over the released space
 * that follows it in the ring, and moves to the front of the ring (bytes
 * and all) when it reaches the end.  While an extendable buffer is open its
 * allocator serves nothing else; [method@Ringal.Buffer.finalize] closes it
 * and gives back the capacity it did not use.
 *
 * [method@Ringal.Buffer.freeze] turns a buffer into a read-only
 * [struct@GLib.Bytes] that points into the ring: no copy is made.
 *
 * Buffers are reference counted.  The region goes back to the ring when the
 * last reference to the buffer and to every `GBytes` made from it is
 * dropped, on whatever thread that happens; dropping it costs one store,
 * not a lock.
 *
 * ```c
 * g_autoptr(GError) error = NULL;
 * g_autoptr(RingalBuffer) buffer = ringal_allocator_fixed (allocator, 64, &error);
 *
 * if (buffer == NULL)
 *   return handle_full_ring (error);
 *
 * ringal_buffer_write (buffer, (const guint8 *) "hello", 5, NULL);
 * g_autoptr(GBytes) bytes = ringal_buffer_freeze (buffer);
 * send_to_worker (bytes);
 * ```
 */

G_DEFINE_BOXED_TYPE (RingalBuffer, ringal_buffer, ringal_buffer_ref, ringal_buffer_unref)

static inline gsize
region_capacity (RingalBuffer *self,
                 RingalGuard  *data_guard)
{
  return (gsize) ((guint8 *) ringal_guard_next (data_guard) - self->data);
}

RingalBuffer *
ringal_buffer_new (RingalRing  *ring,
                   gsize        size,
                   gboolean     extendable,
                   GError     **error)
{
  RingalRingStatus status;
  RingalGuard *guard;

  if (G_UNLIKELY (atomic_load_explicit (&ring->n_to_cut, memory_order_relaxed) > 0))
    ringal_buffer_cut_released (ring);
  if (atomic_load_explicit (&ring->handles, memory_order_relaxed) != RINGAL_RING_HANDLES_IN_REGION)
    return ringal_buffer_new_apart (ring, size, extendable, error);

  guard = ringal_ring_reserve (ring, RINGAL_BUFFER_PREFIX, size, RINGAL_WORD, &status);
  if (G_UNLIKELY (guard == NULL))
    {
      ringal_set_error_from_status (error, status, ring, size,
                                    ringal_ring_max_size (ring, RINGAL_BUFFER_PREFIX, RINGAL_WORD));
      return NULL;
    }

  return ringal_buffer_init (ring, guard, extendable);
}

/* Closes an open extendable buffer: the capacity it did not use goes back
 * to the ring, and the allocator may serve others again. */
static void
buffer_close (RingalBuffer *self)
{
  RingalRing *ring = self->ring;
  RingalGuard *data_guard, *end;
  gsize prefix;

  data_guard = ringal_buffer_data_guard (self, &prefix);
  end = ringal_ring_shrink (ring, data_guard,
                            ringal_region_words (data_guard, prefix, self->len, RINGAL_WORD));
  /* An open extendable buffer is always the latest allocation. */
  ring->head = end;
  self->capacity = region_capacity (self, data_guard);
  self->flags &= ~RINGAL_BUFFER_EXTENDING;

  ringal_ring_end_extending (ring);
}

static void
buffer_release (RingalBuffer *self)
{
  RingalRing *ring = self->ring;
  gboolean extending = (self->flags & RINGAL_BUFFER_EXTENDING) != 0;
  gsize prefix;

  /* An open extendable buffer is the latest allocation, and it may have
   * taken over everything up to the end of the store: the allocator starts
   * again where its data began.  (Nothing else allocates until the end of
   * extending, below, so the head is still ours to move.) */
  if (extending)
    ring->head = ringal_buffer_data_guard (self, &prefix);

  /* The handle's own region goes last: until then the ring cannot die.
   * Data in a region of its own, a handle apart or released: out of line. */
  if (G_UNLIKELY (self->flags & RINGAL_BUFFER_NOT_ONE_REGION))
    ringal_buffer_release_regions (self);
  else
    ringal_ring_release (ring, ringal_buffer_guard (self));

  if (extending)
    ringal_ring_end_extending (ring);
}

/* The handle of an extendable buffer stays where the buffer was opened, so
 * the data can use the store on one side of it, but not both.  Past that,
 * releasing other buffers cannot help: the request can never fit this
 * buffer. */
static gboolean
set_blocked_by_itself (RingalBuffer  *self,
                       gsize          needed,
                       GError       **error)
{
  g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE,
               "An extendable buffer opened at this point of the ring cannot "
               "grow to %" G_GSIZE_FORMAT " bytes, even with the rest of the "
               "ring free: use a fixed buffer, or open it in an emptier ring",
               needed);
  return FALSE;
}

/* Makes room for @extra more bytes in an open extendable buffer: first by
 * taking over the released regions that follow it, and when a region in
 * use or the end of the store stands in the way, by moving to any free run
 * that holds it grown; and when neither can, again after taking back what
 * another process released.  On failure nothing changes. */
static gboolean
buffer_grow (RingalBuffer  *self,
             gsize          extra,
             GError       **error)
{
  RingalRing *ring = self->ring;
  RingalGuard *data_guard, *moved;
  RingalLap lap;
  gsize prefix, needed, max_size, own_regions;

  max_size = ringal_ring_max_size (ring, RINGAL_BUFFER_PREFIX, RINGAL_WORD);
  if (extra > max_size || self->len > max_size - extra)
    {
      ringal_set_error_from_status (error, RINGAL_RING_TOO_LARGE, ring,
                                    extra > G_MAXSIZE - self->len ? G_MAXSIZE : self->len + extra,
                                    max_size);
      return FALSE;
    }
  needed = self->len + extra;

  data_guard = ringal_buffer_data_guard (self, &prefix);
  do
    {
      if (ringal_ring_extend (ring, data_guard,
                              ringal_region_words (data_guard, prefix, needed, RINGAL_WORD)))
        {
          self->capacity = region_capacity (self, data_guard);
          return TRUE;
        }

      /* The seed released the old region before copying (and lost the
       * bytes when the copy failed); here the old region stays locked
       * until the new one holds every byte, so the new one can never
       * overlap it. */
      moved = ringal_ring_reserve_lap (ring, 0, needed, RINGAL_WORD, &lap);
    }
  while (moved == NULL && !lap.corrupted && ringal_ring_reclaim (ring, true));

  if (moved == NULL)
    {
      /* Nothing in use but the buffer itself (its handle, and its data
       * when they have parted, or its data alone when the handle lives
       * apart): no release can help. */
      own_regions = (self->flags & RINGAL_BUFFER_DATA_ALONE) == RINGAL_BUFFER_RELOCATED ? 2 : 1;
      if (!lap.corrupted && lap.n_locked == own_regions)
        return set_blocked_by_itself (self, needed, error);
      ringal_set_error_from_status (error, RINGAL_RING_FULL, ring, needed, max_size);
      return FALSE;
    }

  memcpy (moved + 1, self->data, self->len);
  if (self->flags & RINGAL_BUFFER_DATA_ALONE)
    ringal_ring_release (ring, data_guard);
  else
    ringal_ring_shrink (ring, data_guard, RINGAL_BUFFER_PREFIX / RINGAL_WORD);

  self->data = (guint8 *) (moved + 1);
  self->flags |= RINGAL_BUFFER_RELOCATED;
  self->capacity = region_capacity (self, moved);
  return TRUE;
}

/**
 * ringal_buffer_ref:
 * @self: a buffer
 *
 * Takes a reference to @self.  Any thread may do this.
 *
 * Returns: (transfer full): @self
 */
RingalBuffer *
ringal_buffer_ref (RingalBuffer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  /* A reference nobody else holds (the caller's is the only one) can be
   * counted with a plain store: no other thread can touch the count.
   * freeze() and finalize() take theirs this way. */
  if (__atomic_load_n (&self->ref_count, __ATOMIC_RELAXED) == 1)
    __atomic_store_n (&self->ref_count, 2, __ATOMIC_RELAXED);
  else
    g_atomic_int_inc (&self->ref_count);
  return self;
}

/**
 * ringal_buffer_unref:
 * @self: (transfer full): a buffer
 *
 * Drops a reference to @self.  The last one gives the region back to the
 * ring, from whatever thread calls it.  Dropping the last reference to an
 * open extendable buffer closes it first.  To give the region back while
 * references remain (a binding's wrapper, say), use
 * [method@Ringal.Buffer.release].
 */
/* Everything unref() does not do inline: the check that fails, a shared
 * buffer, and the handles that need more than one release. */
static G_GNUC_NO_INLINE void
unref_slow (RingalBuffer *self)
{
  g_return_if_fail (self != NULL);

  /* The sole owner skips the locked decrement: nobody else can take a
   * reference to a buffer they do not hold. */
  if (g_atomic_int_get (&self->ref_count) == 1 ||
      g_atomic_int_dec_and_test (&self->ref_count))
    buffer_release (self);
}

void
ringal_buffer_unref (RingalBuffer *self)
{
  /* The common case, the last reference to a closed buffer whose handle
   * and data share one region, is one release, and needs no stack frame. */
  if (G_LIKELY (self != NULL && g_atomic_int_get (&self->ref_count) == 1 &&
                !(self->flags & (RINGAL_BUFFER_EXTENDING | RINGAL_BUFFER_CLOSED |
                                 RINGAL_BUFFER_NOT_ONE_REGION))))
    {
      ringal_ring_release (self->ring, ringal_buffer_guard (self));
      return;
    }

  unref_slow (self);
}

/**
 * ringal_buffer_write:
 * @self: a buffer
 * @data: (array length=len): the bytes to append
 * @len: the number of bytes in @data
 * @error: return location for a #GError
 *
 * Appends @data to the buffer.
 *
 * A fixed buffer takes what fits and returns how much that was, as a short
 * write of a stream would: 0 once it is full.
 *
 * An extendable buffer takes all of @data, growing as it needs to, or none
 * of it: when the ring has no room it fails with %RINGAL_ERROR_FULL (or
 * %RINGAL_ERROR_TOO_LARGE if it could never hold that much) and its bytes,
 * length and capacity stay as they were.
 *
 * An extendable buffer grows over the released space after it; when a
 * buffer still in use or the end of the store is in the way, its bytes
 * move to any free run that holds them grown, every byte kept.  Its
 * handle stays where it was opened, so it can use the store on one side
 * of that place but not both: a buffer opened anywhere in an empty ring
 * holds about half of [property@Ringal.Allocator:max-size] or more, and a
 * write past what it can ever hold fails with %RINGAL_ERROR_TOO_LARGE.
 * For messages larger than half the ring, open the buffer when the ring
 * is empty or use a fixed buffer.
 *
 * A frozen buffer fails with %RINGAL_ERROR_FROZEN, a released one with
 * %RINGAL_ERROR_CLOSED.
 *
 * From Python any object with the buffer protocol (`bytes`, `bytearray`,
 * `memoryview`, `array.array`) is copied once, by the `Ringal` overrides.
 *
 * Returns: the number of bytes written
 */
/* Everything write() does not do inline: the checks that fail, writes to a
 * frozen buffer, growing an extendable one, short writes to a fixed one. */
static G_GNUC_NO_INLINE gsize
write_slow (RingalBuffer  *self,
            const guint8  *data,
            gsize          len,
            GError       **error)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (data != NULL || len == 0, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  /* A released buffer is frozen too, which keeps it off the fast path. */
  if (G_UNLIKELY (self->flags & RINGAL_BUFFER_CLOSED))
    {
      g_set_error_literal (error, RINGAL_ERROR, RINGAL_ERROR_CLOSED,
                           "The buffer has been released and takes no more writes");
      return 0;
    }

  if (G_UNLIKELY (self->flags & RINGAL_BUFFER_FROZEN))
    {
      g_set_error_literal (error, RINGAL_ERROR, RINGAL_ERROR_FROZEN,
                           "The buffer is frozen and takes no more writes");
      return 0;
    }

  if (len > self->capacity - self->len)
    {
      if (self->flags & RINGAL_BUFFER_EXTENDING)
        {
          if (!buffer_grow (self, len, error))
            return 0;
        }
      else
        len = self->capacity - self->len;
    }

  if (len > 0)
    memcpy (self->data + self->len, data, len);
  self->len += len;
  return len;
}

/* @len bytes, @block <= @len <= 2 * @block, as two overlapping copies of
 * @block bytes; @block is a constant where this is inlined. */
static inline void
copy_two_blocks (guint8       *dest,
                 const guint8 *data,
                 gsize         len,
                 gsize         block)
{
  guint8 head[32], tail[32];

  memcpy (head, data, block);
  memcpy (tail, data + len - block, block);
  memcpy (dest, head, block);
  memcpy (dest + len - block, tail, block);
}

/* A write that fits, too long to copy inline: a tail call from write(). */
static G_GNUC_NO_INLINE gsize
write_copy (RingalBuffer *self,
            const guint8 *data,
            gsize         len)
{
  memcpy (self->data + self->len, data, len);
  self->len += len;
  return len;
}

gsize
ringal_buffer_write (RingalBuffer  *self,
                     const guint8  *data,
                     gsize          len,
                     GError       **error)
{
  /* The common case, a write that fits, in one test of all that
   * write_slow() checks; the rest goes there, checked in the same order.
   * Writes of up to 64 bytes (a growing buffer's chunks, small messages)
   * are copied here without a call, and need no stack frame. */
  if (G_LIKELY (self != NULL && data != NULL && (error == NULL || *error == NULL) &&
                !(self->flags & RINGAL_BUFFER_FROZEN) &&
                len <= self->capacity - self->len))
    {
      guint8 *dest = self->data + self->len;

      /* Two overlapping copies of the largest power of two that fits:
       * the shortest first, as a growing buffer's chunks are short. */
      if (len <= 16)
        {
          if (len >= 8)
            {
              guint64 head, tail;

              memcpy (&head, data, 8);
              memcpy (&tail, data + len - 8, 8);
              memcpy (dest, &head, 8);
              memcpy (dest + len - 8, &tail, 8);
            }
          else if (len >= 4)
            {
              guint32 head, tail;

              memcpy (&head, data, 4);
              memcpy (&tail, data + len - 4, 4);
              memcpy (dest, &head, 4);
              memcpy (dest + len - 4, &tail, 4);
            }
          else if (len > 0)
            {
              dest[0] = data[0];
              dest[len / 2] = data[len / 2];
              dest[len - 1] = data[len - 1];
            }
        }
      else if (len <= 32)
        copy_two_blocks (dest, data, len, 16);
      else if (len <= 64)
        copy_two_blocks (dest, data, len, 32);
      else
        return write_copy (self, data, len);
      self->len += len;
      return len;
    }

  return write_slow (self, data, len, error);
}

/* Everything reserve() does not do inline: the checks that fail, a frozen
 * buffer, growing an extendable one, a fixed one without the room. */
static G_GNUC_NO_INLINE guint8 *
reserve_slow (RingalBuffer  *self,
              gsize          len,
              GError       **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (G_UNLIKELY (self->flags & RINGAL_BUFFER_FROZEN))
    {
      g_set_error_literal (error, RINGAL_ERROR, RINGAL_ERROR_FROZEN,
                           "The buffer is frozen and takes no more writes");
      return NULL;
    }

  if (len > self->capacity - self->len)
    {
      if (!(self->flags & RINGAL_BUFFER_EXTENDING))
        {
          g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_NOT_EXTENDABLE,
                       "A fixed buffer cannot grow: %" G_GSIZE_FORMAT " bytes asked "
                       "for, %" G_GSIZE_FORMAT " left",
                       len, self->capacity - self->len);
          return NULL;
        }
      if (!buffer_grow (self, len, error))
        return NULL;
    }

  return self->data + self->len;
}

/**
 * ringal_buffer_reserve: (skip)
 * @self: a buffer
 * @len: the number of bytes to make room for
 * @error: return location for a #GError
 *
 * Makes room for at least @len more bytes at the end of the buffer and
 * returns where they go, for C code that writes in place (a decoder, a
 * formatter, a `read()` into the buffer) instead of copying through
 * [method@Ringal.Buffer.write].  Write up to
 * [method@Ringal.Buffer.get_spare] bytes there, then add those you wrote
 * to the buffer with [method@Ringal.Buffer.commit].  The returned
 * pointer stays valid until the next call that may grow the buffer
 * (`reserve()` or `write()`); the length does not change until
 * `commit()`.
 *
 * An extendable buffer grows as [method@Ringal.Buffer.write] does, and
 * fails as it does (%RINGAL_ERROR_FULL, %RINGAL_ERROR_TOO_LARGE), with
 * its bytes, length and capacity as they were.  A fixed buffer cannot
 * grow: when it has less than @len bytes left it fails with
 * %RINGAL_ERROR_NOT_EXTENDABLE.  A frozen buffer fails with
 * %RINGAL_ERROR_FROZEN.
 *
 * ```c
 * guint8 *out = ringal_buffer_reserve (buffer, 4096, &error);
 * gssize n;
 *
 * if (out == NULL)
 *   return FALSE;
 * n = read (fd, out, ringal_buffer_get_spare (buffer));
 * if (n > 0)
 *   ringal_buffer_commit (buffer, n);
 * ```
 *
 * Returns: (nullable): room for at least @len bytes, or %NULL on error
 *
 * Since: 0.2
 */
guint8 *
ringal_buffer_reserve (RingalBuffer  *self,
                       gsize          len,
                       GError       **error)
{
  /* The common case in one test, as in write(). */
  if (G_LIKELY (self != NULL && (error == NULL || *error == NULL) &&
                !(self->flags & RINGAL_BUFFER_FROZEN) &&
                len <= self->capacity - self->len))
    return self->data + self->len;

  return reserve_slow (self, len, error);
}

/**
 * ringal_buffer_commit: (skip)
 * @self: a buffer
 * @len: how many bytes were written at the end of the buffer
 *
 * Adds @len bytes, written in place where [method@Ringal.Buffer.reserve]
 * pointed, to the buffer's length.  @len may be less than what was
 * reserved, and 0.
 *
 * Committing more than the room the buffer has (what `reserve()` made
 * available: [method@Ringal.Buffer.get_spare]), or committing to a frozen
 * buffer, is a programming error: it logs a critical and changes nothing.
 *
 * Since: 0.2
 */
void
ringal_buffer_commit (RingalBuffer *self,
                      gsize         len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (len <= self->capacity - self->len);
  g_return_if_fail (len == 0 || !(self->flags & RINGAL_BUFFER_FROZEN));

  self->len += len;
}

/**
 * ringal_buffer_get_data:
 * @self: a buffer
 * @len: (out) (optional): the number of bytes written so far
 *
 * The bytes written so far, in place in the ring.  The pointer stays valid
 * while you hold a reference to @self; it may change when an extendable
 * buffer grows, and never changes after [method@Ringal.Buffer.finalize] or
 * [method@Ringal.Buffer.freeze].
 *
 * A released buffer has no data: %NULL, or a pointer to no bytes, with a
 * length of 0.
 *
 * Bindings get a copy; use [method@Ringal.Buffer.freeze] to share the
 * bytes without one, or from Python `memoryview (buffer)`.
 *
 * Returns: (transfer none) (array length=len) (element-type guint8) (nullable):
 *   the written bytes
 */
const guint8 *
ringal_buffer_get_data (RingalBuffer *self,
                        gsize        *len)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (len != NULL)
    *len = self->len;
  return self->data;
}

/**
 * ringal_buffer_get_len:
 * @self: a buffer
 *
 * How many bytes have been written to @self.
 *
 * Returns: the length in bytes
 */
gsize
ringal_buffer_get_len (RingalBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->len;
}

/**
 * ringal_buffer_get_capacity:
 * @self: a buffer
 *
 * How many bytes @self can hold now.  For a fixed buffer this is at least
 * the size it was allocated with (sizes are rounded up to whole words, and
 * a remainder too small to be worth its own region is added too).  An open
 * extendable buffer reports all the free space it has taken over, which it
 * gives back when it is finalized.
 *
 * Returns: the capacity in bytes
 */
gsize
ringal_buffer_get_capacity (RingalBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->capacity;
}

/**
 * ringal_buffer_get_spare:
 * @self: a buffer
 *
 * How many more bytes @self takes without growing: the capacity minus the
 * length.
 *
 * Returns: the spare capacity in bytes
 */
gsize
ringal_buffer_get_spare (RingalBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->capacity - self->len;
}

/**
 * ringal_buffer_is_extendable:
 * @self: a buffer
 *
 * Whether @self is an extendable buffer that has not been finalized yet.
 *
 * Returns: %TRUE while @self is an open extendable buffer
 */
gboolean
ringal_buffer_is_extendable (RingalBuffer *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return (self->flags & RINGAL_BUFFER_EXTENDING) != 0;
}

/**
 * ringal_buffer_is_frozen:
 * @self: a buffer
 *
 * Whether @self has been frozen by [method@Ringal.Buffer.freeze].
 *
 * A released buffer counts as frozen: it takes no more writes either.
 *
 * Returns: %TRUE if @self takes no more writes
 */
gboolean
ringal_buffer_is_frozen (RingalBuffer *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return (self->flags & RINGAL_BUFFER_FROZEN) != 0;
}

/**
 * ringal_buffer_finalize:
 * @self: an open extendable buffer
 * @error: return location for a #GError
 *
 * Closes an extendable buffer: the capacity it did not use goes back to the
 * ring and its allocator serves other requests again.  The bytes stay where
 * they are; @self becomes a fixed buffer holding them, and is returned with
 * a new reference, so that
 *
 * ```c
 * fixed = ringal_buffer_finalize (extendable, &error);
 * ringal_buffer_unref (extendable);
 * ```
 *
 * leaves one reference, in `fixed`.
 *
 * Finalizing a buffer that is not an open extendable buffer (a fixed one,
 * or one finalized already) fails with %RINGAL_ERROR_NOT_EXTENDABLE and
 * changes nothing; a released one fails with %RINGAL_ERROR_CLOSED.
 *
 * Returns: (transfer full): @self, now a fixed buffer, or %NULL on error
 */
RingalBuffer *
ringal_buffer_finalize (RingalBuffer  *self,
                        GError       **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->flags & RINGAL_BUFFER_CLOSED)
    {
      g_set_error_literal (error, RINGAL_ERROR, RINGAL_ERROR_CLOSED,
                           "The buffer has been released");
      return NULL;
    }

  if (!(self->flags & RINGAL_BUFFER_EXTENDING))
    {
      g_set_error_literal (error, RINGAL_ERROR, RINGAL_ERROR_NOT_EXTENDABLE,
                           "Only an open extendable buffer can be finalized");
      return NULL;
    }

  buffer_close (self);
  return ringal_buffer_ref (self);
}

/**
 * ringal_buffer_freeze:
 * @self: a buffer
 *
 * Makes the written bytes a read-only [struct@GLib.Bytes] that points into
 * the ring: no byte is copied.  The `GBytes` holds a reference to @self,
 * so the region goes back to the ring once the buffer and every `GBytes`
 * made from it are gone, on whatever thread that happens.
 *
 * After this, @self takes no more writes (they fail with
 * %RINGAL_ERROR_FROZEN).  An open extendable buffer is finalized first.
 * Freezing again returns another `GBytes` over the same bytes.  Freezing a
 * released buffer gives an empty `GBytes`.
 *
 * Keep frozen bytes short-lived, as any ring memory: a region held long does
 * not stop the allocator, but its bytes are not free for anybody else.  In
 * GJS, an array from `GLib.Bytes.toArray()` shares the memory and
 * keeps the region until the garbage collector frees the array.
 *
 * Returns: (transfer full): the bytes of @self
 */
GBytes *
ringal_buffer_freeze (RingalBuffer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->flags & RINGAL_BUFFER_EXTENDING)
    buffer_close (self);
  self->flags |= RINGAL_BUFFER_FROZEN;

  return g_bytes_new_with_free_func (self->data, self->len,
                                     (GDestroyNotify) ringal_buffer_unref,
                                     ringal_buffer_ref (self));
}
