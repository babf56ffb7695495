/* ringal-raw.c: the raw C fast path, a pointer in and a pointer out
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A raw block is a region with one word of header after its guard: the
 * ring it belongs to, which ringal_release() needs and a pointer alone
 * cannot give.  No handle, no reference count: this is the path that
 * competes with malloc(), so it is the inline ring fast path between the
 * allocator's enter() and leave(), and nothing else.
 */

#include "config.h"

#include "ringal-allocator-private.h"
#include "ringal-error-private.h"
#include "ringal-raw.h"

typedef struct {
  RingalRing *ring;
} RawHeader;

#define RAW_PREFIX (sizeof (RawHeader))

G_STATIC_ASSERT (RAW_PREFIX == RINGAL_WORD);

static inline gpointer
raw_alloc (RingalAllocator   *self,
           gsize              size,
           RingalRingStatus  *status)
{
  RingalGuard *guard = ringal_ring_reserve (self->ring, RAW_PREFIX, size, RINGAL_WORD, status);
  RawHeader *header;

  ringal_allocator_count (self, guard != NULL);
  if (G_UNLIKELY (guard == NULL))
    return NULL;

  header = (RawHeader *) (guard + 1);
  header->ring = self->ring;
  return header + 1;
}

/**
 * ringal_allocator_alloc: (skip)
 * @self: an allocator
 * @size: the number of bytes wanted
 *
 * Allocates @size bytes of ring memory, aligned to a machine word, for C
 * code in a hot loop: no handle, no reference count, no error to fill in.
 * Give the memory back with [func@Ringal.release], once, from any thread.
 * A @size of 0 gives a pointer of its own, as `malloc (0)` does.
 *
 * It returns %NULL whenever it cannot allocate, and cannot say why: the
 * ring is full (%RINGAL_ERROR_FULL), @size can never fit
 * (%RINGAL_ERROR_TOO_LARGE), an extendable buffer is open
 * (%RINGAL_ERROR_BUSY), or the allocator belongs to another thread
 * (%RINGAL_ERROR_WRONG_THREAD).  [method@Ringal.Allocator.try_alloc] is
 * the same with a #GError.
 *
 * The rules of any ring memory apply: keep it short-lived, and never
 * write outside the @size bytes.  Releasing twice, or releasing a pointer
 * that did not come from here, is undefined, as with `free()`; Valgrind
 * and AddressSanitizer builds report a use after release.  Only a %NULL
 * @self is checked, not its type: this is the hot path.
 *
 * Returns: (nullable): the memory, or %NULL
 */
/* Not the owner, a shared allocator, an extendable buffer open, or %NULL:
 * all that enter() and leave() sort out, out of the hot path. */
static G_GNUC_NO_INLINE gpointer
alloc_slow (RingalAllocator *self,
            gsize            size)
{
  RingalRingStatus status;
  gpointer mem;

  g_return_val_if_fail (self != NULL, NULL);

  if (!ringal_allocator_enter (self, NULL))
    return NULL;
  mem = raw_alloc (self, size, &status);
  ringal_allocator_leave (self);
  return mem;
}

gpointer
ringal_allocator_alloc (RingalAllocator *self,
                        gsize            size)
{
  if (G_LIKELY (self != NULL && ringal_allocator_is_mine (self)))
    {
      RingalGuard *guard = ringal_ring_reserve_fast (self->ring, RAW_PREFIX, size);

      if (G_LIKELY (guard != NULL))
        {
          RawHeader *header = (RawHeader *) (guard + 1);

          self->n_allocations++;
          header->ring = self->ring;
          return header + 1;
        }
    }
  /* A tail call, so that the fast path needs no stack frame. */
  return alloc_slow (self, size);
}

/**
 * ringal_allocator_try_alloc: (skip)
 * @self: an allocator
 * @size: the number of bytes wanted
 * @error: return location for a #GError
 *
 * [method@Ringal.Allocator.alloc] with the reason for a failure: fails
 * with %RINGAL_ERROR_FULL, %RINGAL_ERROR_TOO_LARGE, %RINGAL_ERROR_BUSY or
 * %RINGAL_ERROR_WRONG_THREAD.  Give the memory back with
 * [func@Ringal.release].
 *
 * Returns: (nullable): the memory, or %NULL on error
 */
gpointer
ringal_allocator_try_alloc (RingalAllocator  *self,
                            gsize             size,
                            GError          **error)
{
  RingalRingStatus status;
  gpointer mem;

  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ringal_allocator_enter (self, error))
    return NULL;
  mem = raw_alloc (self, size, &status);
  if (mem == NULL)
    ringal_set_error_from_status (error, status, self->ring, size,
                                  ringal_ring_max_size (self->ring, RAW_PREFIX, RINGAL_WORD));
  ringal_allocator_leave (self);
  return mem;
}

/**
 * ringal_release: (skip)
 * @mem: (nullable): memory from [method@Ringal.Allocator.alloc] or
 *   [method@Ringal.Allocator.try_alloc], or %NULL
 *
 * Gives raw ring memory back, from any thread, with one store.  %NULL is
 * ignored, as `free (NULL)` is.  The memory must not be touched afterwards.
 * The allocator may be gone already: its store goes with the last of its
 * regions.
 */
void
ringal_release (gpointer mem)
{
  RawHeader *header;

  if (G_UNLIKELY (mem == NULL))
    return;

  header = (RawHeader *) mem - 1;
  ringal_ring_release (header->ring, (RingalGuard *) header - 1);
}
