/* ringal-array.c: typed fixed-capacity arrays in ring memory
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "ringal-allocator-private.h"
#include "ringal-array-private.h"
#include "ringal-error-private.h"

/**
 * RingalArray:
 *
 * A fixed-capacity array of elements of one size, in the memory of a
 * [class@Ringal.Allocator]: the seed's `generic<T>`, shaped like
 * [struct@GLib.Array].
 *
 * [method@Ringal.Allocator.array] makes one for a given element size,
 * alignment and count.  The handle and the elements share one region of
 * the ring, so making an array costs no malloc.  The capacity never
 * changes: appending or inserting more than fits fails with
 * %RINGAL_ERROR_CAPACITY_EXCEEDED and changes nothing.
 *
 * Arrays are reference counted.  When the last reference goes, on
 * whatever thread, the clear function set with
 * [method@Ringal.Array.set_clear_func] runs for every element still in the
 * array, and the region goes back to the ring.  That makes an array of
 * [struct@Ringal.Buffer] pointers, say, release its buffers with it.
 *
 * ```c
 * typedef struct { gint64 when; double value; } Sample;
 *
 * g_autoptr(RingalArray) samples =
 *   ringal_allocator_array (allocator, sizeof (Sample), G_ALIGNOF (Sample), 64, &error);
 * Sample s = { g_get_monotonic_time (), 0.5 };
 *
 * if (!ringal_array_append_vals (samples, &s, 1, &error))
 *   return flush_samples (samples);
 * ringal_array_index (samples, Sample, 0).value += 1.0;
 * ```
 *
 * Bindings cannot name a C type: they see elements as bytes, and use
 * [method@Ringal.Array.append_data], [method@Ringal.Array.get_data] and
 * [method@Ringal.Array.get_element].
 */

G_DEFINE_BOXED_TYPE (RingalArray, ringal_array, ringal_array_ref, ringal_array_unref)

static inline RingalGuard *
array_guard (RingalArray *self)
{
  return (RingalGuard *) self - 1;
}

static inline guint8 *
element_at (RingalArray *self,
            gsize        index_)
{
  return self->data + index_ * self->element_size;
}

RingalArray *
ringal_array_new (RingalRing  *ring,
                  gsize        element_size,
                  gsize        alignment,
                  gsize        count,
                  GError     **error)
{
  RingalRingStatus status;
  RingalGuard *guard;
  RingalArray *self;
  gsize size = element_size * count;  /* checked by the caller */

  guard = ringal_ring_reserve (ring, RINGAL_ARRAY_PREFIX, size, alignment, &status);
  if (G_UNLIKELY (guard == NULL))
    {
      ringal_set_error_from_status (error, status, ring, size,
                                    ringal_ring_max_size (ring, RINGAL_ARRAY_PREFIX, alignment));
      return NULL;
    }

  self = (RingalArray *) (guard + 1);
  self->ring = ring;
  self->ref_count = 1;
  self->data = ringal_region_data (guard, RINGAL_ARRAY_PREFIX, alignment);
  self->element_size = element_size;
  self->len = 0;
  self->capacity = count;
  self->clear_func = NULL;

  return self;
}

static gboolean
check_alignment (gsize    alignment,
                 GError **error)
{
  if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > RINGAL_ARRAY_MAX_ALIGNMENT)
    {
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT,
                   "An alignment of %" G_GSIZE_FORMAT " bytes is not a power of two "
                   "up to %d", alignment, RINGAL_ARRAY_MAX_ALIGNMENT);
      return FALSE;
    }
  return TRUE;
}

/**
 * ringal_allocator_array:
 * @self: an allocator
 * @element_size: the size of one element in bytes, at least 1
 * @alignment: the alignment of the elements in bytes: a power of two up to
 *   %RINGAL_ARRAY_MAX_ALIGNMENT
 * @count: how many elements the array holds
 * @error: return location for a #GError
 *
 * Allocates an empty array for exactly @count elements of @element_size
 * bytes, the first of them at an address that is a multiple of
 * @alignment.  In C, pass `sizeof (T)` and `G_ALIGNOF (T)`.
 *
 * Fails with %RINGAL_ERROR_INVALID_ARGUMENT for an element size of 0 or
 * an alignment that is not a power of two up to
 * %RINGAL_ARRAY_MAX_ALIGNMENT; with %RINGAL_ERROR_TOO_LARGE when
 * @count × @element_size overflows or can never fit the allocator (the
 * padding that the alignment needs counts too); and otherwise as
 * [method@Ringal.Allocator.fixed] does.
 *
 * Returns: (transfer full): a new array, or %NULL on error
 */
RingalArray *
ringal_allocator_array (RingalAllocator  *self,
                        gsize             element_size,
                        gsize             alignment,
                        gsize             count,
                        GError          **error)
{
  RingalArray *array = NULL;
  gsize size;

  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (element_size == 0)
    {
      g_set_error_literal (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT,
                           "The elements of an array cannot be 0 bytes long");
      return NULL;
    }
  if (!check_alignment (alignment, error))
    return NULL;
  /* The seed multiplied unchecked and wrapped (D5).  Like every error in
   * the arguments, this one comes before those of the allocator's state. */
  if (!g_size_checked_mul (&size, element_size, count))
    {
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE,
                   "%" G_GSIZE_FORMAT " elements of %" G_GSIZE_FORMAT " bytes are more "
                   "bytes than the address space holds", count, element_size);
      return NULL;
    }

  if (!ringal_allocator_enter (self, error))
    return NULL;
  array = ringal_array_new (self->ring, element_size, alignment, count, error);

  ringal_allocator_count (self, array != NULL);
  ringal_allocator_leave (self);
  return array;
}

/**
 * ringal_array_ref:
 * @self: an array
 *
 * Takes a reference to @self.  Any thread may do this.
 *
 * Returns: (transfer full): @self
 */
RingalArray *
ringal_array_ref (RingalArray *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

static void
clear_range (RingalArray *self,
             gsize        from,
             gsize        to)
{
  if (self->clear_func == NULL)
    return;
  for (gsize i = from; i < to; i++)
    self->clear_func (element_at (self, i));
}

/**
 * ringal_array_unref:
 * @self: (transfer full): an array
 *
 * Drops a reference to @self.  The last one runs the clear function on
 * every element left in the array and gives the region back to the ring,
 * on whatever thread calls it.
 */
void
ringal_array_unref (RingalArray *self)
{
  RingalRing *ring;

  g_return_if_fail (self != NULL);

  /* The sole owner skips the locked decrement, as buffers do. */
  if (g_atomic_int_get (&self->ref_count) != 1 &&
      !g_atomic_int_dec_and_test (&self->ref_count))
    return;

  /* The seed dropped nothing it held (D6). */
  clear_range (self, 0, self->len);
  ring = self->ring;
  ringal_ring_release (ring, array_guard (self));
}

/**
 * ringal_array_set_clear_func: (skip)
 * @self: an array
 * @clear_func: (nullable): a function that clears one element, or %NULL
 *
 * Sets a function to call with a pointer to each element that leaves the
 * array other than by [method@Ringal.Array.pop] into caller memory: the
 * element removed by [method@Ringal.Array.remove_index] and
 * [method@Ringal.Array.remove_index_fast], and every element still in the
 * array when its last reference goes.  As with `g_array_set_clear_func()`,
 * it receives a pointer to the element, not the element: for an array of
 * pointers, free `*(gpointer *) element`.  It may run on any thread that
 * drops the last reference.
 */
void
ringal_array_set_clear_func (RingalArray    *self,
                             GDestroyNotify  clear_func)
{
  g_return_if_fail (self != NULL);

  self->clear_func = clear_func;
}

/* Room for @len more elements, or an error that leaves everything as it
 * was.  Compared in elements: no multiplication can overflow. */
static gboolean
check_room (RingalArray  *self,
            gsize         len,
            GError      **error)
{
  if (len > self->capacity - self->len)
    {
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_CAPACITY_EXCEEDED,
                   "%" G_GSIZE_FORMAT " more elements do not fit an array of %"
                   G_GSIZE_FORMAT " that holds %" G_GSIZE_FORMAT,
                   len, self->capacity, self->len);
      return FALSE;
    }
  return TRUE;
}

/* An insertion point: any index up to the length. */
static gboolean
check_position (RingalArray  *self,
                gsize         index_,
                GError      **error)
{
  if (index_ > self->len)
    {
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT,
                   "Cannot insert at %" G_GSIZE_FORMAT ", past the %" G_GSIZE_FORMAT
                   " elements of the array", index_, self->len);
      return FALSE;
    }
  return TRUE;
}

/* An element: any index below the length. */
static gboolean
check_element (RingalArray  *self,
               gsize         index_,
               GError      **error)
{
  if (index_ >= self->len)
    {
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT,
                   "Index %" G_GSIZE_FORMAT " is not one of the %" G_GSIZE_FORMAT
                   " elements of the array", index_, self->len);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_vals (RingalArray    *self,
             gsize           index_,
             gconstpointer   data,
             gsize           len,
             GError        **error)
{
  if (!check_position (self, index_, error) || !check_room (self, len, error))
    return FALSE;
  if (len == 0)
    return TRUE;

  memmove (element_at (self, index_ + len), element_at (self, index_),
           (self->len - index_) * self->element_size);
  memcpy (element_at (self, index_), data, len * self->element_size);
  self->len += len;
  return TRUE;
}

/**
 * ringal_array_append_vals: (skip)
 * @self: an array
 * @data: (nullable): @len elements to copy in; may be %NULL when @len is 0
 * @len: the number of elements in @data
 * @error: return location for a #GError
 *
 * Copies @len elements to the end of the array.  All of them fit, or none
 * is added: when fewer than @len places are left it fails with
 * %RINGAL_ERROR_CAPACITY_EXCEEDED and the array is unchanged.
 *
 * Returns: %TRUE if the elements were added
 */
gboolean
ringal_array_append_vals (RingalArray    *self,
                          gconstpointer   data,
                          gsize           len,
                          GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return insert_vals (self, self->len, data, len, error);
}

/**
 * ringal_array_insert_vals: (skip)
 * @self: an array
 * @index_: where the first new element goes, at most the length
 * @data: (nullable): @len elements to copy in; may be %NULL when @len is 0
 * @len: the number of elements in @data
 * @error: return location for a #GError
 *
 * Copies @len elements into the array at @index_, moving the elements from
 * there on up.  An @index_ past the length fails with
 * %RINGAL_ERROR_INVALID_ARGUMENT (unlike `g_array_insert_vals()`, there is
 * no room to pad with), and more elements than are left places with
 * %RINGAL_ERROR_CAPACITY_EXCEEDED; either way the array is unchanged.
 *
 * Returns: %TRUE if the elements were inserted
 */
gboolean
ringal_array_insert_vals (RingalArray    *self,
                          gsize           index_,
                          gconstpointer   data,
                          gsize           len,
                          GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return insert_vals (self, index_, data, len, error);
}

/* Bytes from a binding: a whole number of elements, or nothing. */
static gboolean
elements_in_bytes (RingalArray  *self,
                   gsize         n_bytes,
                   gsize        *len,
                   GError      **error)
{
  if (n_bytes % self->element_size != 0)
    {
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT,
                   "%" G_GSIZE_FORMAT " bytes are not a whole number of %"
                   G_GSIZE_FORMAT "-byte elements", n_bytes, self->element_size);
      return FALSE;
    }
  *len = n_bytes / self->element_size;
  return TRUE;
}

/**
 * ringal_array_append_data:
 * @self: an array
 * @data: (array length=n_bytes): whole elements, as bytes
 * @n_bytes: the number of bytes in @data, a multiple of the element size
 * @error: return location for a #GError
 *
 * [method@Ringal.Array.append_vals] for bindings, which see elements as
 * bytes.  Fails with %RINGAL_ERROR_INVALID_ARGUMENT when @n_bytes is not a
 * multiple of the element size, and as `append_vals()` does otherwise;
 * either way the array is unchanged.
 *
 * Returns: %TRUE if the elements were added
 */
gboolean
ringal_array_append_data (RingalArray   *self,
                          const guint8  *data,
                          gsize          n_bytes,
                          GError       **error)
{
  gsize len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || n_bytes == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return elements_in_bytes (self, n_bytes, &len, error) &&
         insert_vals (self, self->len, data, len, error);
}

/**
 * ringal_array_insert_data:
 * @self: an array
 * @index_: where the first new element goes, at most the length
 * @data: (array length=n_bytes): whole elements, as bytes
 * @n_bytes: the number of bytes in @data, a multiple of the element size
 * @error: return location for a #GError
 *
 * [method@Ringal.Array.insert_vals] for bindings, which see elements as
 * bytes.  Fails as [method@Ringal.Array.append_data] and `insert_vals()`
 * do; either way the array is unchanged.
 *
 * Returns: %TRUE if the elements were inserted
 */
gboolean
ringal_array_insert_data (RingalArray   *self,
                          gsize          index_,
                          const guint8  *data,
                          gsize          n_bytes,
                          GError       **error)
{
  gsize len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || n_bytes == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return elements_in_bytes (self, n_bytes, &len, error) &&
         insert_vals (self, index_, data, len, error);
}

/**
 * ringal_array_remove_index:
 * @self: an array
 * @index_: the index of the element to remove
 * @error: return location for a #GError
 *
 * Removes the element at @index_, after running the clear function on it,
 * and moves the elements after it down, keeping their order.  An @index_
 * that is not an element fails with %RINGAL_ERROR_INVALID_ARGUMENT.
 *
 * Returns: %TRUE if the element was removed
 */
gboolean
ringal_array_remove_index (RingalArray  *self,
                           gsize         index_,
                           GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_element (self, index_, error))
    return FALSE;

  clear_range (self, index_, index_ + 1);
  memmove (element_at (self, index_), element_at (self, index_ + 1),
           (self->len - index_ - 1) * self->element_size);
  self->len--;
  return TRUE;
}

/**
 * ringal_array_remove_index_fast:
 * @self: an array
 * @index_: the index of the element to remove
 * @error: return location for a #GError
 *
 * Removes the element at @index_, after running the clear function on it,
 * and puts the last element in its place: faster than
 * [method@Ringal.Array.remove_index], but the order changes.  An @index_
 * that is not an element fails with %RINGAL_ERROR_INVALID_ARGUMENT.
 *
 * Returns: %TRUE if the element was removed
 */
gboolean
ringal_array_remove_index_fast (RingalArray  *self,
                                gsize         index_,
                                GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_element (self, index_, error))
    return FALSE;

  clear_range (self, index_, index_ + 1);
  if (index_ != self->len - 1)
    memcpy (element_at (self, index_), element_at (self, self->len - 1), self->element_size);
  self->len--;
  return TRUE;
}

/**
 * ringal_array_pop: (skip)
 * @self: an array
 * @element: (nullable): where to copy the last element: element-size bytes
 *   of caller memory, or %NULL to drop it
 *
 * Removes the last element.  With @element, the element is copied there and
 * the caller owns it from now on: the clear function does not run.  With
 * %NULL, the clear function runs on it, as for
 * [method@Ringal.Array.remove_index].
 *
 * Returns: %TRUE if there was an element to pop, %FALSE if the array is
 *   empty
 */
gboolean
ringal_array_pop (RingalArray *self,
                  gpointer     element)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->len == 0)
    return FALSE;

  self->len--;
  if (element != NULL)
    memcpy (element, element_at (self, self->len), self->element_size);
  else
    clear_range (self, self->len, self->len + 1);
  return TRUE;
}

/**
 * ringal_array_get_data:
 * @self: an array
 * @n_bytes: (out) (optional): the number of bytes the elements take
 *
 * The elements, in place in the ring.  The pointer is aligned as asked
 * for, never changes, and stays valid while you hold a reference to
 * @self; C code may read and write the elements through it.
 *
 * Bindings get a copy of the elements' bytes.
 *
 * Returns: (transfer none) (array length=n_bytes) (element-type guint8):
 *   the elements
 */
gpointer
ringal_array_get_data (RingalArray *self,
                       gsize       *n_bytes)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_bytes != NULL)
    *n_bytes = self->len * self->element_size;
  return self->data;
}

/**
 * ringal_array_get_element:
 * @self: an array
 * @index_: the index of an element
 * @error: return location for a #GError
 *
 * A copy of the element at @index_, for bindings.  An @index_ that is not
 * an element fails with %RINGAL_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (transfer full): the bytes of the element, or %NULL on error
 */
GBytes *
ringal_array_get_element (RingalArray  *self,
                          gsize         index_,
                          GError      **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_element (self, index_, error))
    return NULL;

  return g_bytes_new (element_at (self, index_), self->element_size);
}

/**
 * ringal_array_get_len:
 * @self: an array
 *
 * How many elements @self holds.
 *
 * Returns: the number of elements
 */
gsize
ringal_array_get_len (RingalArray *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->len;
}

/**
 * ringal_array_get_capacity:
 * @self: an array
 *
 * How many elements @self can hold: the count it was allocated with.
 *
 * Returns: the capacity in elements
 */
gsize
ringal_array_get_capacity (RingalArray *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->capacity;
}

/**
 * ringal_array_get_element_size:
 * @self: an array
 *
 * The size of one element of @self in bytes.
 *
 * Returns: the element size
 */
gsize
ringal_array_get_element_size (RingalArray *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->element_size;
}
