/* ringal-ring.h: the guard ring (private)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One store of 2^k bytes, cut into regions.  Every region starts with a
 * one-word guard holding the address of the next guard, with bit 0 set
 * while the region is in use (LOCKED).  The last word of the store is a
 * permanent guard pointing back at the first one, so the guards form a
 * ring.  The allocating thread walks forward from `head`, merging released
 * regions until the request fits, splits off what it does not need, and
 * starts again at the front when it reaches the end of the store.  A
 * region still in use does not stop it: the walk steps over it and goes
 * on, so that a buffer held long costs its own bytes and nothing more.
 * Allocation fails only when a whole lap finds no free run (released
 * regions merged) that holds the request.
 *
 * Memory ordering: a region's owner gives it back with one store-release
 * that clears LOCKED; the allocating thread reads guards with load-acquire,
 * so whatever the owner did to the bytes happens before their reuse.  Only
 * the owner ever writes a locked guard, and only the allocating thread
 * writes an unlocked one, so no read-modify-write is needed on either side.
 *
 * The rare cases that need the releasing thread to act (the allocator has
 * gone and the store must be freed by whoever releases last; somebody waits
 * for room) are announced in `attention`, which every release reads right
 * after its store.  Store-then-load is the Dekker pattern: the side that sets
 * `attention` pays for the full barrier on everybody's behalf with
 * membarrier(2), so the release itself needs only a compiler barrier.  Where
 * membarrier is unavailable, releases fall back to a full fence.
 *
 * Ring headers are type-stable: they are recycled through a pool and never
 * given back to the system, so a release that reads `attention` after its
 * store never touches freed memory, even when that store let the ring die.
 *
 * This file has no GObject in it; GLib appears only in debugging helpers.
 */

#pragma once

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "ringal-memcheck.h"

G_BEGIN_DECLS

typedef _Atomic uintptr_t RingalGuard;

/* The two orderings the protocol rests on.  Only the negative control of
 * the litmus test (tests/litmus) builds the ring with anything else. */
#ifndef RINGAL_RING_RELEASE_ORDER
# define RINGAL_RING_RELEASE_ORDER memory_order_release
#endif
#ifndef RINGAL_RING_ACQUIRE_ORDER
# define RINGAL_RING_ACQUIRE_ORDER memory_order_acquire
#endif

#define RINGAL_WORD             (sizeof (uintptr_t))
#define RINGAL_GUARD_LOCKED     ((uintptr_t) 1)
#define RINGAL_GUARD_FLAGS      ((uintptr_t) (RINGAL_WORD - 1))

/* A split leaves a free region behind only when it holds at least this many
 * words, guard included; smaller tails stay with the allocation. */
#define RINGAL_RING_MIN_SPLIT_WORDS 4

/* When the region at the head is too small, the allocator merges released
 * regions up to this many words beyond what it needs, so that the next
 * allocations split from one run instead of merging each time: fewer,
 * predictable branches.  Bounded, so that no allocation walks far. */
#define RINGAL_RING_GATHER_AHEAD_WORDS 512

/* The store is aligned to a cache line, and so is every guard of a region
 * that starts at the front: alignments up to this are free at the front. */
#define RINGAL_RING_STORE_ALIGN 64

/* Stores up to this size are accepted; above it the rounding to a power of
 * two could overflow. */
#define RINGAL_RING_MAX_CAPACITY (SIZE_MAX / 4)

/* _RINGAL_FAST_PATH_ABI of ringal-raw.h, which this file does not include */
#define RINGAL_RING_FAST_ABI 0x52460001u

typedef enum {
  RINGAL_RING_OK = 0,
  RINGAL_RING_FULL,           /* a lap found no free run that holds the request */
  RINGAL_RING_TOO_LARGE,      /* can never fit this store */
  RINGAL_RING_NO_MEMORY,      /* the store could not be allocated */
} RingalRingStatus;

enum {
  RINGAL_RING_ATTENTION_ORPHANED = 1 << 0,  /* no allocator: the last release frees the store */
  RINGAL_RING_ATTENTION_WAITERS  = 1 << 1,  /* somebody waits for a release */
  RINGAL_RING_ATTENTION_FULL     = 1 << 2,  /* a lap found no room: releases are counted */
};

/* Where the buffer layer puts a buffer's handle: in the region, before
 * the data, or apart from the store.  The ring only starts it IN_REGION. */
typedef enum {
  RINGAL_RING_HANDLES_IN_REGION = 0,
  RINGAL_RING_HANDLES_APART,          /* a buffer has been released: all apart */
} RingalRingHandles;

typedef struct _RingalRing RingalRing;

/* A region that allocation stepped over, remembered so that the statistics
 * can tell who holds the ring (ringal-ring-held.c). */
typedef struct {
  RingalGuard *guard;       /* NULL: a free slot */
  uintptr_t    value;       /* the guard then: another value is another region */
  uint64_t     first_lap;   /* stepped over in every lap from this one */
  uint64_t     last_lap;    /* to this one */
} RingalHeld;

#define RINGAL_RING_HELD_BITS  6
#define RINGAL_RING_HELD_SLOTS (1 << RINGAL_RING_HELD_BITS)

struct _RingalRing
{
  /* Read by every release; on a cache line of its own so that allocations
   * do not bounce it between cores. */
  atomic_uint    attention;
  /* RINGAL_RING_FAST_ABI when code outside the library may allocate and
   * release inline (ringal-raw.h): no memory checker watches, and a
   * release needs no fence.  What the inline code reads (these two, and
   * head, tail, capacity and extending, first on the next line) is ABI,
   * at fixed offsets: see ringal-raw.c.  Add fields after those. */
  uint32_t       fast_abi;

  /* Touched only by the thread that allocates: the allocator's, or the one
   * writing to the open extendable buffer. */
  alignas (64) RingalGuard *head;
  RingalGuard   *base;          /* first guard; NULL once the store is freed */
  RingalGuard   *tail;          /* the permanent guard in the last word */
  size_t         capacity;      /* bytes in the store */
  size_t         max_words;     /* payload words of the largest region */
  atomic_bool    extending;     /* an extendable buffer is open */
  int            store_fd;      /* a shareable store's sealed memfd, or -1 */
  atomic_uint    handles;       /* where buffer handles live: RingalRingHandles */
  uint64_t       laps;          /* times allocation went back to the front */

  /* What the last lap that found no room learnt, and what has been
   * released since, bound the largest run there can be now: requests
   * larger than that fail at once (see ringal_ring_reserve_slow()). */
  bool           full_armed;    /* RINGAL_RING_ATTENTION_FULL is set */
  bool           full_known;    /* the three below hold */
  size_t         full_largest;  /* payload words of the largest free run */
  uint64_t       full_base_releases;  /* full_releases when it was learnt */
  uint64_t       full_base_words;     /* full_release_words then */

  /* A shareable store's: called by a reservation that leaves the fast
   * path, on the allocating thread with no lock held, to take back what
   * another process released (ringal-allocator-shareable.c); with @wake,
   * when there is no room, so that a later release wakes a waiter.  True
   * when that gave something back. */
  bool         (*reclaim) (RingalRing *ring,
                           bool        wake);

  RingalHeld     held[RINGAL_RING_HELD_SLOTS];

  alignas (64) pthread_mutex_t lock;  /* guards everything below; slow paths only */
  bool           orphaned;
  uint64_t       full_releases;       /* releases while FULL is announced */
  uint64_t       full_release_words;  /* the words they gave back, guards included */
  RingalGuard   *reclaim_cursor;
  RingalRing    *next_in_pool;

  /* Waiting for room: see ringal_ring_add_waiter(). */
  pthread_cond_t wake_cond;
  unsigned       n_waiters;
  uint64_t       wake_seq;
  void         (*wake_notify) (void *data);  /* called with the lock held */
  void          *wake_notify_data;

  /* The RingalSenders of a shareable store, under the share layer's own
   * lock (ringal-allocator-shareable.c); NULL once the allocator is gone. */
  struct _RingalSenderNode *senders;

  /* The buffer layer's (ringal-buffer-release.c): released buffers whose
   * region the allocating thread is to cut down to their handle.  A
   * GPtrArray, kept with the header; the count is read without the lock. */
  void          *to_cut;
  atomic_size_t  n_to_cut;
};

extern bool ringal_ring_release_needs_fence;

RingalRing *ringal_ring_new              (size_t            capacity,
                                          RingalRingStatus *status);
RingalRing *ringal_ring_new_shareable    (size_t            capacity,
                                          RingalRingStatus *status);
int         ringal_ring_store_memfd      (size_t            size);
void        ringal_ring_orphan           (RingalRing       *ring);
void        ringal_ring_release_slow     (RingalRing       *ring,
                                          RingalGuard      *guard,
                                          uintptr_t         value);
void        ringal_ring_end_extending    (RingalRing       *ring);

RingalGuard *ringal_ring_reserve_next    (RingalRing       *ring,
                                          size_t            prefix,
                                          size_t            size,
                                          RingalRingStatus *status);
RingalGuard *ringal_ring_reserve_slow    (RingalRing       *ring,
                                          size_t            prefix,
                                          size_t            size,
                                          size_t            align,
                                          RingalRingStatus *status);

/* What one lap of the walk saw when it found no room. */
typedef struct {
  size_t         largest;       /* payload words of the largest free run */
  size_t         n_locked;      /* regions in use it stepped over */
  bool           corrupted;     /* it stopped at an overwritten guard */
} RingalLap;

RingalGuard *ringal_ring_reserve_lap     (RingalRing       *ring,
                                          size_t            prefix,
                                          size_t            size,
                                          size_t            align,
                                          RingalLap        *lap);

bool        ringal_ring_extend           (RingalRing       *ring,
                                          RingalGuard      *guard,
                                          size_t            words);
RingalGuard *ringal_ring_shrink          (RingalRing       *ring,
                                          RingalGuard      *guard,
                                          size_t            words);

/* Takes back what another process released into a shareable store
 * (ring->reclaim); with @wake, before failing for want of room.  True when
 * something came back, and a look again may find room. */
static inline bool
ringal_ring_reclaim (RingalRing *ring,
                     bool        wake)
{
  return G_UNLIKELY (ring->reclaim != NULL) && ring->reclaim (ring, wake);
}

/* Waiting for room.  A thread that found the ring full registers, then
 * tries again, and sleeps only if no release happened since it read the
 * wake sequence:
 *
 *   ringal_ring_add_waiter (ring);
 *   for (;;)
 *     {
 *       seq = ringal_ring_wake_seq (ring);
 *       if (try to allocate succeeds) break;
 *       ringal_ring_wait (ring, seq, deadline);
 *     }
 *   ringal_ring_remove_waiter (ring);
 *
 * Registering sets WAITERS in `attention` and then pays for a membarrier,
 * so every release from then on either sees WAITERS (and bumps the
 * sequence under the lock, waking the waiter) or has made its store
 * visible to the waiter's next try.  No wake-up is lost, and releases pay
 * nothing while nobody waits. */
static inline void
ringal_ring_lock (RingalRing *ring)
{
  pthread_mutex_lock (&ring->lock);
}

static inline void
ringal_ring_unlock (RingalRing *ring)
{
  pthread_mutex_unlock (&ring->lock);
}

void        ringal_ring_add_waiter       (RingalRing       *ring);
void        ringal_ring_remove_waiter    (RingalRing       *ring);
uint64_t    ringal_ring_wake_seq         (RingalRing       *ring);
int         ringal_ring_wait             (RingalRing       *ring,
                                          uint64_t          seen,
                                          int64_t           deadline);
void        ringal_ring_wake             (RingalRing       *ring);
void        ringal_ring_set_wake_notify  (RingalRing       *ring,
                                          void            (*notify) (void *data),
                                          void             *data);

/* Who holds the ring: regions stepped over lap after lap. */
void        ringal_ring_note_held        (RingalRing       *ring,
                                          RingalGuard      *guard,
                                          uintptr_t         value);
const RingalHeld *ringal_ring_find_held  (RingalRing       *ring,
                                          RingalGuard      *guard,
                                          uintptr_t         value);

size_t      ringal_ring_max_size         (const RingalRing *ring,
                                          size_t            prefix,
                                          size_t            align);
bool        ringal_ring_check            (RingalRing       *ring,
                                          char            **message);
char       *ringal_ring_dump             (RingalRing       *ring);
size_t      ringal_ring_count_stores     (void);
void        ringal_ring_report_corruption (RingalRing      *ring,
                                          RingalGuard      *guard,
                                          uintptr_t         value);
void        ringal_ring_report_double_release (RingalRing  *ring,
                                          RingalGuard      *guard);

RINGAL_GUARD_ACCESS static inline bool
ringal_guard_is_locked (RingalGuard *guard)
{
  return (atomic_load_explicit (guard, RINGAL_RING_ACQUIRE_ORDER) & RINGAL_GUARD_LOCKED) != 0;
}

/* What a walk reads from a guard must point further on, inside the store,
 * with no stray flag: anything else was written by somebody else, most
 * likely a write past the end of the region before it. */
static inline bool
ringal_guard_value_sane (const RingalRing *ring,
                         RingalGuard      *guard,
                         uintptr_t         value)
{
  RingalGuard *next = (RingalGuard *) (value & ~RINGAL_GUARD_FLAGS);

  return next > guard && next <= ring->tail &&
         (value & RINGAL_GUARD_FLAGS & ~RINGAL_GUARD_LOCKED) == 0;
}

RINGAL_GUARD_ACCESS static inline RingalGuard *
ringal_guard_next (RingalGuard *guard)
{
  uintptr_t value = atomic_load_explicit (guard, memory_order_relaxed);

  return (RingalGuard *) (value & ~RINGAL_GUARD_FLAGS);
}

RINGAL_GUARD_ACCESS static inline size_t
ringal_guard_payload_words (RingalGuard *guard)
{
  return (size_t) (ringal_guard_next (guard) - (guard + 1));
}

static inline uintptr_t
ringal_align_up (uintptr_t value,
                 size_t    align)
{
  return (value + align - 1) & ~((uintptr_t) align - 1);
}

/* Where the data of a region starting at @guard begins, when @prefix bytes
 * of header come first and the data wants @align. */
static inline uint8_t *
ringal_region_data (RingalGuard *guard,
                    size_t       prefix,
                    size_t       align)
{
  return (uint8_t *) ringal_align_up ((uintptr_t) (guard + 1) + prefix, align);
}

/* Payload words a region starting at @guard needs for @size bytes. */
static inline size_t
ringal_region_words (RingalGuard *guard,
                     size_t       prefix,
                     size_t       size,
                     size_t       align)
{
  uintptr_t data = (uintptr_t) ringal_region_data (guard, prefix, align);
  uintptr_t end = ringal_align_up (data + size, RINGAL_WORD);
  size_t words = (size_t) ((RingalGuard *) end - (guard + 1));

  return words + (words == 0);
}

/* Locks the free run from @start to @end, which holds at least @words
 * payload words, for a new allocation: the rest becomes a free region of
 * its own when it is worth a guard, and the head moves past it. */
RINGAL_GUARD_ACCESS static inline RingalGuard *
ringal_ring_take (RingalRing  *ring,
                  RingalGuard *start,
                  RingalGuard *end,
                  size_t       words)
{
  RingalGuard *split = start + 1 + words;

  if ((size_t) (end - split) >= RINGAL_RING_MIN_SPLIT_WORDS)
    {
      ringal_memcheck_guard_created (split);
      atomic_store_explicit (split, (uintptr_t) end, memory_order_relaxed);
      end = split;
    }
  atomic_store_explicit (start, (uintptr_t) end | RINGAL_GUARD_LOCKED, memory_order_relaxed);
  ring->head = end;
  ringal_memcheck_region_locked (ring, start);
  if (start == NULL)
    __builtin_unreachable ();  /* lets callers drop their test for NULL */
  return start;
}

/* The common case of ringal_ring_reserve(), which is all a hot path
 * needs inline: the free run at the head is big enough for @size bytes
 * after a @prefix (a multiple of RINGAL_WORD), data aligned to a word.
 * Returns the locked region's guard, or NULL for anything else, which
 * ringal_ring_reserve() then sorts out: the caller's fast path needs no
 * status and no call but that one.
 *
 * One test tells the common case from the rest: a size larger than the
 * store (which the sum below could overflow with, so it is part of the
 * test), a guard with any flag set (the region is in use, the head is at
 * the tail guard, which is always locked, or the guard was overwritten), a
 * next guard outside (head, tail] (overwritten), or too little room (merge
 * the released regions after it, or wrap around).
 *
 * With @whole_run the region takes the whole free run at the head, not
 * just what @size needs: an extendable buffer, which nothing follows while
 * it is open and which gives back what it did not use when it closes.
 *
 * ringal-raw.h has a copy of this and of ringal_ring_release() for code
 * outside the library: a change to either changes that ABI, and needs a
 * new _RINGAL_FAST_PATH_ABI there and RINGAL_RING_FAST_ABI here. */
RINGAL_GUARD_ACCESS static inline RingalGuard *
ringal_ring_reserve_fast_run (RingalRing *ring,
                              size_t      prefix,
                              size_t      size,
                              bool        whole_run)
{
  RingalGuard *start = ring->head;
  uintptr_t value, room, need;

  /* Bytes of payload, whole words; even an empty region gets an address
   * of its own (a constant prefix settles that at compile time). */
  need = (prefix + size + RINGAL_WORD - 1) & ~(uintptr_t) (RINGAL_WORD - 1);
  if (prefix == 0)
    need += (need == 0) * RINGAL_WORD;

  value = atomic_load_explicit (start, RINGAL_RING_ACQUIRE_ORDER);
  room = value - (uintptr_t) (start + 1);
  if (G_UNLIKELY ((size > ring->capacity) |
                  ((value & RINGAL_GUARD_FLAGS) != 0) |
                  (room > (uintptr_t) ring->tail - (uintptr_t) (start + 1)) |
                  (room < need)))
    return NULL;

  /* All of the run: nothing is split off, and the region ends where the
   * run does. */
  if (whole_run)
    need = room;
  return ringal_ring_take (ring, start, (RingalGuard *) value, need / RINGAL_WORD);
}

RINGAL_GUARD_ACCESS static inline RingalGuard *
ringal_ring_reserve_fast (RingalRing *ring,
                          size_t      prefix,
                          size_t      size)
{
  return ringal_ring_reserve_fast_run (ring, prefix, size, false);
}

/* Lock a region of at least @size bytes after a @prefix (a multiple of
 * RINGAL_WORD), its data aligned to @align (a power of two; up to
 * RINGAL_WORD costs nothing), and return its
 * guard; NULL with @status set when there is no room.  Called by the
 * allocating thread only.
 *
 * The common case is inline; merging the released regions after the head,
 * wrapping around, aligned requests and failures go out of line. */
RINGAL_GUARD_ACCESS static inline RingalGuard *
ringal_ring_reserve (RingalRing       *ring,
                     size_t            prefix,
                     size_t            size,
                     size_t            align,
                     RingalRingStatus *status)
{
  RingalGuard *guard;

  if (G_UNLIKELY (align > RINGAL_WORD))
    return ringal_ring_reserve_slow (ring, prefix, size, align, status);

  guard = ringal_ring_reserve_fast (ring, prefix, size);
  if (G_UNLIKELY (guard == NULL))
    return ringal_ring_reserve_next (ring, prefix, size, status);

  *status = RINGAL_RING_OK;
  return guard;
}

/* The cheap side of the Dekker pair described at the top: after a store,
 * before reading `attention`. */
static inline void
ringal_ring_store_load_barrier (void)
{
  if (G_LIKELY (!ringal_ring_release_needs_fence))
    {
      atomic_signal_fence (memory_order_seq_cst);
      return;
    }
#if defined(__SANITIZE_THREAD__)
  {
    /* TSan does not model fences; a locked operation on a private word
     * orders the hardware the same way without adding edges between
     * threads that could hide a race. */
    static _Thread_local atomic_int private_word;

    atomic_fetch_add_explicit (&private_word, 0, memory_order_seq_cst);
  }
#else
  atomic_thread_fence (memory_order_seq_cst);
#endif
}

/* Give the region at @guard back, from any thread.  @ring is read before
 * the store because the region (which may hold the caller's handle) is not
 * ours after it; the ring header itself stays readable (see the top). */
RINGAL_GUARD_ACCESS static inline void
ringal_ring_release (RingalRing  *ring,
                     RingalGuard *guard)
{
  uintptr_t value = atomic_load_explicit (guard, memory_order_relaxed);

  if (G_UNLIKELY (!(value & RINGAL_GUARD_LOCKED)))
    {
      ringal_ring_report_double_release (ring, guard);
      return;
    }
  ringal_memcheck_region_released (ring, guard);
  atomic_store_explicit (guard, value & ~RINGAL_GUARD_LOCKED, RINGAL_RING_RELEASE_ORDER);
  ringal_ring_store_load_barrier ();
  if (G_UNLIKELY (atomic_load_explicit (&ring->attention, memory_order_relaxed)))
    ringal_ring_release_slow (ring, guard, value);
}

G_END_DECLS
