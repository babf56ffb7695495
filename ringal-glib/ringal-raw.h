/* ringal-raw.h: the raw C fast path, a pointer in and a pointer out
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__RINGAL_GLIB_INSIDE__) && !defined(RINGAL_GLIB_COMPILATION)
#error "Only <ringal-glib/ringal-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include <ringal-glib/ringal-version-macros.h>
#include <ringal-glib/ringal-allocator.h>

G_BEGIN_DECLS

RINGAL_AVAILABLE_IN_ALL
gpointer ringal_allocator_alloc     (RingalAllocator  *self,
                                     gsize             size) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
gpointer ringal_allocator_try_alloc (RingalAllocator  *self,
                                     gsize             size,
                                     GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
gpointer ringal_allocator_try_alloc_aligned (RingalAllocator  *self,
                                             gsize             size,
                                             gsize             alignment,
                                             GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_0_2
gpointer ringal_allocator_alloc_aligned_wait (RingalAllocator  *self,
                                              gsize             size,
                                              gsize             alignment,
                                              gint64            timeout_us,
                                              GCancellable     *cancellable,
                                              GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
void     ringal_release             (gpointer          mem);

RINGAL_AVAILABLE_IN_0_2
void     ringal_release_attend      (gpointer          ring,
                                     gpointer          guard,
                                     guintptr          value);

/* The inline fast path of ringal_allocator_alloc() and ringal_release(),
 * for C (bindings never see it).  It reads the fields below, which are
 * part of the ABI: the library stores _RINGAL_FAST_PATH_ABI in `fast_abi`
 * only where that layout holds, and where nothing else (Valgrind,
 * AddressSanitizer, a fence per release) has to see each allocation;
 * anywhere else the inline code calls the library's functions.  Define
 * RINGAL_NO_INLINE before including ringal-glib.h to always call them.
 * The thread test must be the library's own, hence the compiler check. */
#if !defined(__GI_SCANNER__) && !defined(RINGAL_NO_INLINE) && \
    defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11 && \
    (defined(__x86_64__) || defined(__aarch64__))

/* "RF" and the layout's version: 0x5246 << 16 | 1. */
#define _RINGAL_FAST_PATH_ABI 0x52460001u

typedef struct {
  GObject    parent_instance;
  guint32    fast_abi;
  guint32    reserved;
  gpointer   owner;             /* the allocating thread's thread pointer */
  gpointer   ring;              /* a _RingalRingFastPath */
  guint64    n_allocations;
} _RingalAllocatorFastPath;

typedef struct {
  guint32    attention;         /* nonzero when a release must do more */
  guint32    fast_abi;
  guint8     reserved[56];
  guintptr  *head;              /* at 64: the guard of the free run to allocate from */
  guintptr  *base;
  guintptr  *tail;              /* the last word of the store */
  gsize      capacity;
  gsize      max_words;
  guint8     extending;         /* an extendable buffer is open */
} _RingalRingFastPath;

/* A region's guard holds the address of the next guard, bit 0 set while
 * the region is in use; a raw block has the ring's address in the word
 * before its data, and the guard in the word before that.  A free run of
 * fewer than this many words after an allocation stays with it. */
#define _RINGAL_MIN_SPLIT_WORDS 4

static inline gpointer
_ringal_allocator_alloc_inline (RingalAllocator *self,
                                gsize            size)
{
  _RingalAllocatorFastPath *a = (_RingalAllocatorFastPath *) self;

  if (G_LIKELY (a != NULL && a->fast_abi == _RINGAL_FAST_PATH_ABI &&
                __atomic_load_n (&a->owner, __ATOMIC_RELAXED) == __builtin_thread_pointer ()))
    {
      _RingalRingFastPath *ring = (_RingalRingFastPath *) a->ring;
      guintptr *start = ring->head;
      guintptr value, room, need, *end, *split;

      /* payload bytes: the ring's address, then the data, whole words */
      need = (sizeof (gpointer) + size + sizeof (gpointer) - 1) & ~(guintptr) (sizeof (gpointer) - 1);
      if (G_LIKELY (!__atomic_load_n (&ring->extending, __ATOMIC_ACQUIRE)))
        {
          value = __atomic_load_n (start, __ATOMIC_ACQUIRE);
          room = value - (guintptr) (start + 1);
          /* in use, or the tail, or overwritten, or too small: the library sorts it out */
          if (G_LIKELY (!((size > ring->capacity) |
                          ((value & (sizeof (gpointer) - 1)) != 0) |
                          (room > (guintptr) ring->tail - (guintptr) (start + 1)) |
                          (room < need))))
            {
              end = (guintptr *) value;
              split = start + 1 + need / sizeof (gpointer);
              if ((gsize) (end - split) >= _RINGAL_MIN_SPLIT_WORDS)
                {
                  __atomic_store_n (split, (guintptr) end, __ATOMIC_RELAXED);
                  end = split;
                }
              __atomic_store_n (start, (guintptr) end | 1, __ATOMIC_RELAXED);
              ring->head = end;
              a->n_allocations++;
              start[1] = (guintptr) ring;
              return start + 2;
            }
        }
    }
  return (ringal_allocator_alloc) (self, size);
}

static inline void
_ringal_release_inline (gpointer mem)
{
  guintptr *header = (guintptr *) mem;
  _RingalRingFastPath *ring;
  guintptr value;

  /* The guard is read only once the ring has said that no memory checker
   * keeps it out of bounds. */
  if (G_LIKELY (mem != NULL && (*--header & 1) == 0 &&
                ((_RingalRingFastPath *) *header)->fast_abi == _RINGAL_FAST_PATH_ABI))
    {
      ring = (_RingalRingFastPath *) *header;
      value = __atomic_load_n (header - 1, __ATOMIC_RELAXED);
      if (G_LIKELY ((value & 1) != 0))
        {
          /* one store gives it back; then whoever must act on a release
           * (see ringal-ring.h) has been told in `attention` */
          __atomic_store_n (header - 1, value & ~(guintptr) 1, __ATOMIC_RELEASE);
          __atomic_signal_fence (__ATOMIC_SEQ_CST);
          if (G_UNLIKELY (__atomic_load_n (&ring->attention, __ATOMIC_RELAXED) != 0))
            ringal_release_attend (ring, header - 1, value);
          return;
        }
    }
  (ringal_release) (mem);
}

#define ringal_allocator_alloc(self, size) _ringal_allocator_alloc_inline ((self), (size))
#define ringal_release(mem) _ringal_release_inline ((mem))

#endif

G_END_DECLS
