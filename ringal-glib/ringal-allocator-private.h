/* ringal-allocator-private.h: what the library and its tests share
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <pthread.h>

#include "ringal-allocator.h"
#include "ringal-error.h"
#include "ringal-ring.h"

G_BEGIN_DECLS

/* Half of a 1 MiB L2 cache: a ring costs the cache its whole capacity,
 * and above L2 every allocation pays for it (docs/benchmarks.md). */
#define RINGAL_ALLOCATOR_DEFAULT_CAPACITY (512 * 1024)

struct _RingalAllocator
{
  GObject          parent_instance;

  /* The ring's fast_abi: lets the inline fast path of ringal-raw.h in.
   * This field and the three after it are ABI (see ringal-raw.c). */
  guint32          fast_abi;
  guint32          reserved;

  /* The thread allocating from the ring; NULL when the next thread to
   * allocate may take it.  Not used by shared allocators, which serialise
   * allocations with the lock instead. */
  void *_Atomic    owner;

  RingalRing      *ring;

  /* Statistics.  Only the thread inside enter()/leave() touches them, so
   * they need no atomics; the bytes in use are not counted at all but
   * measured by walking the ring when asked (see ringal-stats.c). */
  guint64          n_allocations;

  gulong           requested_capacity;  /* the construct property */
  GError          *construct_error;     /* why the store could not be made */
  gboolean         shared;
  atomic_bool      stream_extending;  /* the open extendable buffer is a stream's */
  pthread_mutex_t  shared_lock;

  /* Main-loop sources waiting for room (ringal-allocator-wait.c); guarded
   * by the ring's lock, since releasing threads wake them. */
  GQueue           async_waiters;

  guint64          n_failed;
  gsize            peak_in_use;
  guint64          peak_sampled_at;  /* n_allocations at the last sample */

  /* A shareable allocator's store is a sealed memfd, whose ring keeps the
   * RingalSenders of its bytes (ringal-allocator-shareable.c). */
  gboolean         shareable;        /* the construct property */
};

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11 && \
    (defined(__x86_64__) || defined(__aarch64__))
# define RINGAL_CURRENT_THREAD_IS_THREAD_POINTER 1
#endif

/* Something unique to the calling thread, as cheap as a register read
 * where the compiler offers it. */
static inline void *
ringal_current_thread (void)
{
#ifdef RINGAL_CURRENT_THREAD_IS_THREAD_POINTER
  return __builtin_thread_pointer ();
#else
  return (void *) pthread_self ();
#endif
}

gboolean ringal_allocator_enter_slow (RingalAllocator  *self,
                                      GError          **error);
void     ringal_allocator_set_busy_error (RingalAllocator  *self,
                                          GError          **error);

/* Every allocation runs between enter() and leave(): one thread at a time
 * may allocate, and while an extendable buffer is open the ring belongs to
 * it.  On the owner's thread this costs a load and two compares. */
static inline gboolean
ringal_allocator_enter (RingalAllocator  *self,
                        GError          **error)
{
  if (G_UNLIKELY (atomic_load_explicit (&self->owner, memory_order_relaxed) != ringal_current_thread ()))
    return ringal_allocator_enter_slow (self, error);

  if (G_UNLIKELY (atomic_load_explicit (&self->ring->extending, memory_order_acquire)))
    {
      ringal_allocator_set_busy_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* The whole test of an allocation's fast path: the calling thread owns
 * @self and no extendable buffer is open.  A shared allocator never passes
 * it (it has no owner), nor does any case that enter() reports: those take
 * enter() and leave(). */
static inline gboolean
ringal_allocator_is_mine (RingalAllocator *self)
{
  return atomic_load_explicit (&self->owner, memory_order_relaxed) == ringal_current_thread () &&
         !atomic_load_explicit (&self->ring->extending, memory_order_acquire);
}

static inline void
ringal_allocator_leave (RingalAllocator *self)
{
  if (G_UNLIKELY (self->shared))
    pthread_mutex_unlock (&self->shared_lock);
}

void ringal_allocator_count_failure (RingalAllocator *self);

/* Counts an allocation attempt that got past enter(); call before leave().
 * Success costs one increment; failure goes out of line. */
static inline void
ringal_allocator_count (RingalAllocator *self,
                        gboolean         allocated)
{
  if (G_LIKELY (allocated))
    self->n_allocations++;
  else
    ringal_allocator_count_failure (self);
}

RingalRing *ringal_allocator_get_ring (RingalAllocator *self);

void ringal_allocator_wake_async_waiters (void *self);

RingalRing *ringal_allocator_new_shareable_ring (gsize             capacity,
                                                 RingalRingStatus *status);
void     ringal_allocator_forget_senders     (RingalAllocator  *self);

/* One try at allocating @size bytes; @data is the caller's. */
typedef gpointer (*RingalTryFunc) (RingalAllocator  *self,
                                   gsize             size,
                                   gpointer          data,
                                   GError          **error);

gpointer ringal_allocator_wait_for_room (RingalAllocator  *self,
                                         RingalTryFunc     try_alloc,
                                         gsize             size,
                                         gpointer          data,
                                         gint64            timeout_us,
                                         GCancellable     *cancellable,
                                         GError          **error);

G_END_DECLS
