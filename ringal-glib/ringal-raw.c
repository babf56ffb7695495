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
 *
 * An aligned block has padding between its guard and its data, so its
 * header is two words right before the data: the guard, then the ring
 * with its lowest bit set (rings are cache-line aligned) to say so.
 */

#include "config.h"

#include "ringal-allocator-private.h"
#include "ringal-error-private.h"
#include "ringal-raw.h"

/* This file defines what the inline fast path calls. */
#undef ringal_allocator_alloc
#undef ringal_release

/* The layout the inline fast path of ringal-raw.h reads is ABI: it must
 * match the library's own, field for field. */
#ifdef _RINGAL_FAST_PATH_ABI
G_STATIC_ASSERT (_RINGAL_FAST_PATH_ABI == RINGAL_RING_FAST_ABI);
G_STATIC_ASSERT (G_STRUCT_OFFSET (RingalAllocator, fast_abi) == G_STRUCT_OFFSET (_RingalAllocatorFastPath, fast_abi));
G_STATIC_ASSERT (G_STRUCT_OFFSET (RingalAllocator, owner) == G_STRUCT_OFFSET (_RingalAllocatorFastPath, owner));
G_STATIC_ASSERT (G_STRUCT_OFFSET (RingalAllocator, ring) == G_STRUCT_OFFSET (_RingalAllocatorFastPath, ring));
G_STATIC_ASSERT (G_STRUCT_OFFSET (RingalAllocator, n_allocations) ==
                 G_STRUCT_OFFSET (_RingalAllocatorFastPath, n_allocations));
G_STATIC_ASSERT (G_STRUCT_OFFSET (RingalRing, head) == G_STRUCT_OFFSET (_RingalRingFastPath, head));
G_STATIC_ASSERT (G_STRUCT_OFFSET (RingalRing, tail) == G_STRUCT_OFFSET (_RingalRingFastPath, tail));
G_STATIC_ASSERT (G_STRUCT_OFFSET (RingalRing, capacity) == G_STRUCT_OFFSET (_RingalRingFastPath, capacity));
G_STATIC_ASSERT (G_STRUCT_OFFSET (RingalRing, extending) == G_STRUCT_OFFSET (_RingalRingFastPath, extending));
G_STATIC_ASSERT (sizeof (atomic_bool) == sizeof (guint8));
G_STATIC_ASSERT (G_STRUCT_OFFSET (RingalRing, attention) == G_STRUCT_OFFSET (_RingalRingFastPath, attention));
G_STATIC_ASSERT (G_STRUCT_OFFSET (RingalRing, fast_abi) == G_STRUCT_OFFSET (_RingalRingFastPath, fast_abi));
G_STATIC_ASSERT (_RINGAL_MIN_SPLIT_WORDS == RINGAL_RING_MIN_SPLIT_WORDS);
G_STATIC_ASSERT (RINGAL_GUARD_LOCKED == 1);
#endif

typedef struct {
  RingalRing *ring;
} RawHeader;

#define RAW_PREFIX (sizeof (RawHeader))

G_STATIC_ASSERT (RAW_PREFIX == RINGAL_WORD);

typedef struct {
  RingalGuard *guard;
  uintptr_t    ring;   /* RingalRing * | RAW_ALIGNED */
} AlignedHeader;

#define RAW_ALIGNED ((uintptr_t) 1)
#define RAW_MAX_ALIGNMENT 4096

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

          ringal_allocator_count (self, TRUE);
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
  if (G_UNLIKELY ((uintptr_t) header->ring & RAW_ALIGNED))
    {
      AlignedHeader *aligned = (AlignedHeader *) mem - 1;

      ringal_ring_release ((RingalRing *) (aligned->ring & ~RAW_ALIGNED), aligned->guard);
      return;
    }
  ringal_ring_release (header->ring, (RingalGuard *) header - 1);
}

/**
 * ringal_release_attend: (skip)
 * @ring: the ring a block was just released to
 * @guard: the guard of the block's region
 * @value: what the guard held before the release
 *
 * What a release must do besides its store when the ring asks for it
 * (somebody waits for room, the allocator has gone, or a lap found no
 * room and counts what is released since): the inline
 * [func@Ringal.release] calls this.  Not for direct use.
 *
 * Since: 0.2
 */
void
ringal_release_attend (gpointer ring,
                       gpointer guard,
                       guintptr value)
{
  ringal_ring_release_slow (ring, guard, value);
}

/**
 * ringal_allocator_try_alloc_aligned: (skip)
 * @self: an allocator
 * @size: the number of bytes wanted
 * @alignment: what the address must be a multiple of: a power of two, up
 *   to 4096
 * @error: return location for a #GError
 *
 * [method@Ringal.Allocator.try_alloc] for memory whose address is a
 * multiple of @alignment, as media buffers and SIMD code want.  The padding
 * costs ring space, not time.  Fails as `try_alloc()` does, and with
 * %RINGAL_ERROR_INVALID_ARGUMENT for a bad @alignment.  Give the memory
 * back with [func@Ringal.release].
 *
 * Returns: (nullable): the memory, or %NULL on error
 */
gpointer
ringal_allocator_try_alloc_aligned (RingalAllocator  *self,
                                    gsize             size,
                                    gsize             alignment,
                                    GError          **error)
{
  RingalRingStatus status;
  RingalGuard *guard;
  AlignedHeader *header;
  guint8 *data;

  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > RAW_MAX_ALIGNMENT)
    {
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT,
                   "An alignment must be a power of two up to %d, not %" G_GSIZE_FORMAT,
                   RAW_MAX_ALIGNMENT, alignment);
      return NULL;
    }
  if (!ringal_allocator_enter (self, error))
    return NULL;

  alignment = MAX (alignment, RINGAL_WORD);
  guard = ringal_ring_reserve (self->ring, sizeof (AlignedHeader), size, alignment, &status);
  ringal_allocator_count (self, guard != NULL);
  if (guard == NULL)
    {
      ringal_set_error_from_status (error, status, self->ring, size,
                                    ringal_ring_max_size (self->ring, sizeof (AlignedHeader), alignment));
      ringal_allocator_leave (self);
      return NULL;
    }

  data = ringal_region_data (guard, sizeof (AlignedHeader), alignment);
  header = (AlignedHeader *) data - 1;
  header->guard = guard;
  header->ring = (uintptr_t) self->ring | RAW_ALIGNED;
  ringal_allocator_leave (self);
  return data;
}

static gpointer
try_aligned (RingalAllocator  *self,
             gsize             size,
             gpointer          alignment,
             GError          **error)
{
  return ringal_allocator_try_alloc_aligned (self, size, GPOINTER_TO_SIZE (alignment), error);
}

/**
 * ringal_allocator_alloc_aligned_wait: (skip)
 * @self: an allocator
 * @size: the number of bytes wanted
 * @alignment: what the address must be a multiple of: a power of two, up
 *   to 4096
 * @timeout_us: how long to wait for room, in microseconds; -1 to wait for
 *   as long as it takes, 0 not to wait
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * [method@Ringal.Allocator.try_alloc_aligned] that waits for room when the
 * ring is full, as [method@Ringal.Allocator.fixed_wait] does for buffers:
 * the thread sleeps until a release on any thread makes room, without
 * polling, until @cancellable is cancelled (%G_IO_ERROR_CANCELLED) or
 * @timeout_us passes (%RINGAL_ERROR_FULL).  Errors that waiting cannot
 * mend come back at once.  This is how a `GstAllocator` over the ring
 * waits for room in a streaming thread.  Give the memory back with
 * [func@Ringal.release].
 *
 * The warning of [method@Ringal.Allocator.fixed_wait] applies: memory held
 * while waiting may be what the ring waits for.
 *
 * Returns: (nullable): the memory, or %NULL on error
 *
 * Since: 0.2
 */
gpointer
ringal_allocator_alloc_aligned_wait (RingalAllocator  *self,
                                     gsize             size,
                                     gsize             alignment,
                                     gint64            timeout_us,
                                     GCancellable     *cancellable,
                                     GError          **error)
{
  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return ringal_allocator_wait_for_room (self, try_aligned, size, GSIZE_TO_POINTER (alignment),
                                         timeout_us, cancellable, error);
}
