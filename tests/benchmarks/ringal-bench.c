/* ringal-bench.c: one row of one workload, each implementation in turn
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Not a test: run by tests/benchmarks/run-bench.py, which starts one such
 * process per allocator (this file is built once per allocator, linked so
 * that the allocator really serves malloc()), interleaves them round by
 * round, and turns their lines into tables, a CSV and a plot.
 *
 * Every workload draws its sizes from the same fixed-seed xorshift, and
 * every implementation fills every byte the same way: a copy from a source
 * message, which is what the RingalBuffer API does with write().  Each
 * implementation runs a tenth of the row first to warm up, then the row,
 * timed; the order of the implementations rotates with --round so that
 * no one always runs first.
 *
 * Output, one line per implementation:
 *   RESULT <workload> <size> <window> <ops> <impl> <ns per op> <capacity>
 */

#define _GNU_SOURCE

#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <ringal-glib/ringal-glib.h>

#include "ringal-allocator-private.h"
#include "ringal-buffer-private.h"
#include "ringal-ring.h"

#include "bench-allocator.h"

#ifdef BENCH_HAVE_CALLGRIND
# include <valgrind/callgrind.h>
#else
# define CALLGRIND_TOGGLE_COLLECT
#endif

#define SEED G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)
#define EXT_FIRST 64
#define EXT_CHUNK 16
#define XTHREAD_DEPTH_MAX 1024

typedef enum {
  WORKLOAD_FIXED,
  WORKLOAD_EXT,
  WORKLOAD_XTHREAD,
  WORKLOAD_GBYTES,
  WORKLOAD_PROTOCOL,
  WORKLOAD_HELD,
  WORKLOAD_FAILED,
} Workload;

static const char *workload_names[] = {
  "fixed", "ext", "xthread", "gbytes", "protocol", "held", "failed",
};

/* held: every HELD_EVERY-th buffer is kept HELD_WINDOWS windows longer than
 * the others, and the first one for the whole run. */
#define HELD_EVERY 100
#define HELD_WINDOWS 100

typedef struct {
  guint64  until;
  void    *p;
} Held;

typedef struct {
  Workload          workload;
  guint64           n;
  gsize             s;          /* sizes are 1..s; a power of two */
  gsize             m;          /* FIFO window, or queue depth; a power of two */
  gsize             capacity;   /* of each ring, and of the bump arena */

  guint8           *src;        /* the message every buffer is filled from */
  guint8           *dst;        /* the fill alone copies here */
  guint8           *arena;      /* the bump floor */
  guint8           *arena_top;
  void            **window;
  Held             *held;       /* the held workload's buffers kept longer */
  gsize             held_mask;
  guint64           fallbacks;  /* held: allocations the ring could not serve */
  gsize             fail_size;  /* failed: the size that no longer fits */
  gsize             n_live;     /* failed: regions that fill the ring */

  RingalAllocator  *allocator;
  RingalAllocator  *shared;
} Bench;

static volatile guint64 sink;

static inline guint64
next_random (guint64 *state)
{
  guint64 x = *state;

  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *state = x;
  return x;
}

static inline gsize
next_size (guint64 *state,
           gsize    s)
{
  return 1 + (gsize) (next_random (state) & (s - 1));
}

/* Keeps the compiler from dropping a fill nobody reads. */
static inline void
escape (void *p)
{
  __asm__ volatile ("" : : "r" (p) : "memory");
}

static inline void *
check_alloc (void *p)
{
  if (G_UNLIKELY (p == NULL))
    g_error ("allocation failed: the ring or the heap is too small for this row");
  return p;
}

static gsize
round_up_pow2 (gsize value)
{
  gsize p = 1;

  while (p < value)
    p <<= 1;
  return p;
}

/* A ring a few times the row's peak live bytes: sizes average s/2, and each
 * buffer also has a guard and a handle; half as much again as that, rounded
 * up to the power of two the ring uses anyway, comes to 1.8 to 3 times the
 * expected peak.  The sum of that many random sizes strays from its mean by
 * a few per cent at most, and a ring that is still too small says so. */
static gsize
capacity_for (gsize s,
              gsize live)
{
  gsize overhead = 2 * RINGAL_WORD + sizeof (RingalBuffer);
  gsize expected = live * (s / 2 + overhead) + s;

  return round_up_pow2 (expected + expected / 2);
}

/* ---- the bump floor: never frees, wraps round an arena as large as the
 * ring, which the window can never catch up with ---- */

static inline guint8 *
bump_alloc (Bench *b,
            gsize  size)
{
  guint8 *p = b->arena_top;

  if (G_UNLIKELY ((gsize) (b->arena + b->capacity - p) < size))
    p = b->arena;
  b->arena_top = p + ((size + 7) & ~(gsize) 7);
  return p;
}

/* ---- fixed(N, S, M) ---- */

/* Releases what is left in the window after n allocations. */
#define DRAIN_WINDOW(n, FREE)                                              \
  for (guint64 i_ = (n) > b->m ? (n) - b->m : 0; i_ < (n); i_++)           \
    {                                                                      \
      void *old = b->window[i_ & (b->m - 1)];                              \
      FREE;                                                                \
    }

#define FIXED_LOOP(n, ALLOC, FILL, FREE)                                   \
  G_STMT_START {                                                           \
    guint64 state_ = SEED;                                                 \
    for (guint64 i_ = 0; i_ < (n); i_++)                                   \
      {                                                                    \
        gsize size = next_size (&state_, b->s);                            \
        void **slot = &b->window[i_ & (b->m - 1)];                         \
        void *p;                                                           \
        if (i_ >= b->m)                                                    \
          {                                                                \
            void *old = *slot;                                             \
            FREE;                                                          \
          }                                                                \
        p = check_alloc (ALLOC);                                           \
        FILL;                                                              \
        *slot = p;                                                         \
      }                                                                    \
    DRAIN_WINDOW (n, FREE);                                                \
  } G_STMT_END

#define COPY_FILL memcpy (p, b->src, size)

static void
fixed_fill (Bench *b, guint64 n)
{
  guint64 state = SEED;

  for (guint64 i = 0; i < n; i++)
    {
      gsize size = next_size (&state, b->s);

      memcpy (b->dst, b->src, size);
      escape (b->dst);
    }
}

/* The floor and the mallocs, for a workload whose LOOP is FIXED_LOOP's
 * shape. */
#define BASELINE_IMPLS(workload, LOOP)                                     \
  static void                                                              \
  workload##_bump (Bench *b, guint64 n)                                    \
  {                                                                        \
    LOOP (n, bump_alloc (b, size), COPY_FILL; escape (p), (void) old);     \
  }                                                                        \
  static void                                                              \
  workload##_malloc (Bench *b, guint64 n)                                  \
  {                                                                        \
    LOOP (n, malloc (size), COPY_FILL, free (old));                        \
  }                                                                        \
  static void                                                              \
  workload##_g_malloc (Bench *b, guint64 n)                                \
  {                                                                        \
    LOOP (n, g_malloc (size), COPY_FILL, g_free (old));                    \
  }

BASELINE_IMPLS (fixed, FIXED_LOOP)

static void
fixed_raw (Bench *b, guint64 n)
{
  FIXED_LOOP (n, ringal_allocator_alloc (b->allocator, size), COPY_FILL, ringal_release (old));
}

static void
fixed_buffer (Bench *b, guint64 n)
{
  FIXED_LOOP (n, ringal_allocator_fixed (b->allocator, size, NULL),
              ringal_buffer_write (p, b->src, size, NULL),
              ringal_buffer_unref (old));
}

/* ---- held(N, S, M): fixed(N, S, M), with 1 % of the buffers kept 100
 * windows longer and the first one for the whole run ---- */

#define HELD_LOOP(n, ALLOC, FILL, FREE)                                    \
  G_STMT_START {                                                           \
    guint64 state_ = SEED;                                                 \
    gsize hhead_ = 0, htail_ = 0;                                          \
    guint countdown_ = HELD_EVERY / 2;                                     \
    void *first_ = NULL;                                                   \
    for (guint64 i_ = 0; i_ < (n); i_++)                                   \
      {                                                                    \
        gsize size = next_size (&state_, b->s);                            \
        void **slot = &b->window[i_ & (b->m - 1)];                         \
        void *p;                                                           \
        while (hhead_ != htail_ && b->held[hhead_ & b->held_mask].until <= i_) \
          {                                                                \
            void *old = b->held[hhead_++ & b->held_mask].p;                \
            FREE;                                                          \
          }                                                                \
        if (i_ >= b->m)                                                    \
          {                                                                \
            void *old = *slot;                                             \
            if (i_ == b->m)                                                \
              first_ = old;                                                \
            else if (--countdown_ == 0)                                    \
              {                                                            \
                countdown_ = HELD_EVERY;                                   \
                b->held[htail_++ & b->held_mask] =                         \
                  (Held) { i_ + HELD_WINDOWS * b->m, old };                \
              }                                                            \
            else                                                           \
              FREE;                                                        \
          }                                                                \
        p = check_alloc (ALLOC);                                           \
        FILL;                                                              \
        *slot = p;                                                         \
      }                                                                    \
    DRAIN_WINDOW (n, FREE);                                                \
    while (hhead_ != htail_)                                               \
      {                                                                    \
        void *old = b->held[hhead_++ & b->held_mask].p;                    \
        FREE;                                                              \
      }                                                                    \
    if (first_ != NULL)                                                    \
      {                                                                    \
        void *old = first_;                                                \
        FREE;                                                              \
      }                                                                    \
  } G_STMT_END

BASELINE_IMPLS (held, HELD_LOOP)

/* What a program does when the ring has no room: take the memory from
 * malloc() instead (tagged in bit 0 to free it the right way), as the
 * GStreamer allocator falls back to system memory.  The share of those
 * is reported with the time. */
static inline void *
held_ring_alloc (Bench *b,
                 gsize  size)
{
  void *p = ringal_allocator_alloc (b->allocator, size);

  if (G_LIKELY (p != NULL))
    return p;
  b->fallbacks++;
  return (guint8 *) check_alloc (malloc (size)) + 1;
}

static inline void
held_ring_free (void *p)
{
  if (G_UNLIKELY ((uintptr_t) p & 1))
    free ((guint8 *) p - 1);
  else
    ringal_release (p);
}

static void
held_raw (Bench *b, guint64 n)
{
  HELD_LOOP (n, held_ring_alloc (b, size), memcpy ((void *) ((uintptr_t) p & ~(uintptr_t) 1), b->src, size),
             held_ring_free (old));
}

/* ---- failed: allocations that fail against a ring full of M live
 * regions, which the bench sets up first ---- */

static void
failed_raw (Bench *b, guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    {
      void *p = ringal_allocator_alloc (b->allocator, b->fail_size);

      if (G_UNLIKELY (p != NULL))
        g_error ("an allocation from a full ring succeeded");
      escape (p);
    }
}

/* ---- protocol: the inline ring core on the allocator's own ring, with
 * the shipped release and with a locked read-modify-write one ---- */

#define CORE_WAITER ((uintptr_t) 2)

static inline void *
core_alloc (RingalRing *ring,
            gsize       size)
{
  RingalRingStatus status;
  RingalGuard *guard = ringal_ring_reserve (ring, RINGAL_WORD, size, RINGAL_WORD, &status);
  RingalRing **header;

  if (G_UNLIKELY (guard == NULL))
    return NULL;
  header = (RingalRing **) (guard + 1);
  *header = ring;
  return header + 1;
}

static inline void
core_release (void *p)
{
  RingalRing **header = (RingalRing **) p - 1;

  ringal_ring_release (*header, (RingalGuard *) header - 1);
}

/* What a design with a WAITER bit in the guard would need: one locked
 * instruction that clears LOCKED and reads WAITER at once. */
static inline void
core_release_rmw (void *p)
{
  RingalRing **header = (RingalRing **) p - 1;
  RingalRing *ring = *header;
  RingalGuard *guard = (RingalGuard *) header - 1;
  uintptr_t old = atomic_fetch_and_explicit (guard, ~(RINGAL_GUARD_LOCKED | CORE_WAITER),
                                             memory_order_seq_cst);

  if (G_UNLIKELY (old & CORE_WAITER))
    ringal_ring_release_slow (ring, guard, old);
}

static void
protocol_core (Bench *b, guint64 n)
{
  RingalRing *ring = b->allocator->ring;

  FIXED_LOOP (n, core_alloc (ring, size), COPY_FILL, core_release (old));
}

/* An experiment for the speed issue, not the library: the core with the
 * end of the free run at the head kept in a register-like cache instead
 * of read from the head's guard, and the split guard written only when
 * something else is about to read it (here: before the slow path walks).
 * The library cannot do this as it is (every walker, the checks and the
 * dump would have to write the pending guard first); this says what it
 * would save on one thread. */
typedef struct {
  RingalGuard *at;    /* the head this holds for; NULL when unknown */
  RingalGuard *end;   /* the free run at `at` ends here; *at not written */
} CoreCache;

static inline void *
core_cached_alloc (RingalRing *ring,
                   CoreCache  *cache,
                   gsize       size)
{
  RingalGuard *start = ring->head, *split;
  gsize need = (RINGAL_WORD + size + RINGAL_WORD - 1) / RINGAL_WORD;
  RingalRingStatus status;
  RingalRing **header;
  RingalGuard *guard;

  if (G_LIKELY (cache->at == start && (gsize) (cache->end - (start + 1)) >= need + RINGAL_RING_MIN_SPLIT_WORDS))
    {
      split = start + 1 + need;
      atomic_store_explicit (start, (uintptr_t) split | RINGAL_GUARD_LOCKED, memory_order_relaxed);
      ring->head = split;
      cache->at = split;
      header = (RingalRing **) (start + 1);
      *header = ring;
      return header + 1;
    }
  /* The walk reads the head's guard: write it first. */
  if (cache->at == start)
    atomic_store_explicit (start, (uintptr_t) cache->end, memory_order_relaxed);
  guard = ringal_ring_reserve (ring, RINGAL_WORD, size, RINGAL_WORD, &status);
  cache->at = NULL;
  if (G_UNLIKELY (guard == NULL))
    return NULL;
  {
    uintptr_t value = atomic_load_explicit (ring->head, memory_order_acquire);

    if (!(value & RINGAL_GUARD_FLAGS) && ring->head != ring->tail)
      {
        cache->at = ring->head;
        cache->end = (RingalGuard *) value;
      }
  }
  header = (RingalRing **) (guard + 1);
  *header = ring;
  return header + 1;
}

static void
protocol_core_cached (Bench *b, guint64 n)
{
  RingalRing *ring = b->allocator->ring;
  CoreCache cache = { NULL, NULL };

  FIXED_LOOP (n, core_cached_alloc (ring, &cache, size), COPY_FILL, core_release (old));
  /* leave the ring as the library expects it */
  if (cache.at == ring->head)
    atomic_store_explicit (ring->head, (uintptr_t) cache.end, memory_order_relaxed);
}

static void
protocol_core_rmw (Bench *b, guint64 n)
{
  RingalRing *ring = b->allocator->ring;

  FIXED_LOOP (n, core_alloc (ring, size), COPY_FILL, core_release_rmw (old));
}

/* The core behind the allocator's one-thread check (and its count), as
 * ringal_allocator_alloc() has it: what that check costs. */
static inline void *
core_owned_alloc (RingalAllocator *allocator,
                  gsize            size)
{
  void *p;

  if (G_UNLIKELY (!ringal_allocator_is_mine (allocator)))
    return NULL;
  p = core_alloc (allocator->ring, size);
  allocator->n_allocations++;
  return p;
}

/* The same across a call that is not inlined: what the call costs. */
static G_GNUC_NO_INLINE void *
core_call_alloc (RingalAllocator *allocator,
                 gsize            size)
{
  return core_owned_alloc (allocator, size);
}

static G_GNUC_NO_INLINE void
core_call_release (void *p)
{
  if (p != NULL)
    core_release (p);
}

static void
protocol_core_owned (Bench *b, guint64 n)
{
  FIXED_LOOP (n, core_owned_alloc (b->allocator, size), COPY_FILL, core_release (old));
}

static void
protocol_core_call (Bench *b, guint64 n)
{
  FIXED_LOOP (n, core_call_alloc (b->allocator, size), COPY_FILL, core_call_release (old));
}

static void
protocol_shared (Bench *b, guint64 n)
{
  FIXED_LOOP (n, ringal_allocator_alloc (b->shared, size), COPY_FILL, ringal_release (old));
}

/* ---- ext(N, S, M): the same bytes appended EXT_CHUNK at a time to a
 * buffer that starts at EXT_FIRST bytes ---- */

static void
ext_fill (Bench *b, guint64 n)
{
  guint64 state = SEED;

  for (guint64 i = 0; i < n; i++)
    {
      gsize size = next_size (&state, b->s);

      for (gsize off = 0; off < size; off += EXT_CHUNK)
        memcpy (b->dst + off, b->src + off, MIN (EXT_CHUNK, size - off));
      escape (b->dst);
    }
}

/* The floor grows in place for free: it is always the latest allocation. */
static inline void *
ext_bump_one (Bench *b,
              gsize  size)
{
  guint8 *p = b->arena_top;
  gsize cap = EXT_FIRST, len = 0;

  if (G_UNLIKELY ((gsize) (b->arena + b->capacity - p) < b->s))
    p = b->arena;
  for (gsize off = 0; off < size; off += EXT_CHUNK)
    {
      gsize c = MIN (EXT_CHUNK, size - off);

      if (G_UNLIKELY (len + c > cap))
        cap *= 2;
      memcpy (p + len, b->src + off, c);
      len += c;
    }
  b->arena_top = p + ((len + 7) & ~(gsize) 7);
  return p;
}

static void
ext_bump (Bench *b, guint64 n)
{
  FIXED_LOOP (n, ext_bump_one (b, size), escape (p), (void) old);
}

static inline void *
ext_realloc_one (Bench *b,
                 gsize  size)
{
  guint8 *p = malloc (EXT_FIRST);
  gsize cap = EXT_FIRST, len = 0;

  for (gsize off = 0; off < size; off += EXT_CHUNK)
    {
      gsize c = MIN (EXT_CHUNK, size - off);

      if (G_UNLIKELY (len + c > cap))
        {
          cap *= 2;
          p = check_alloc (realloc (p, cap));
        }
      memcpy (p + len, b->src + off, c);
      len += c;
    }
  return p;
}

static void
ext_realloc (Bench *b, guint64 n)
{
  FIXED_LOOP (n, ext_realloc_one (b, size), escape (p), free (old));
}

static inline void *
ext_byte_array_one (Bench *b,
                    gsize  size)
{
  GByteArray *array = g_byte_array_sized_new (EXT_FIRST);

  for (gsize off = 0; off < size; off += EXT_CHUNK)
    g_byte_array_append (array, b->src + off, (guint) MIN (EXT_CHUNK, size - off));
  return array;
}

static void
ext_byte_array (Bench *b, guint64 n)
{
  FIXED_LOOP (n, ext_byte_array_one (b, size), escape (p), g_byte_array_free (old, TRUE));
}

static inline void *
ext_string_one (Bench *b,
                gsize  size)
{
  GString *string = g_string_sized_new (EXT_FIRST);

  for (gsize off = 0; off < size; off += EXT_CHUNK)
    g_string_append_len (string, (const char *) b->src + off, (gssize) MIN (EXT_CHUNK, size - off));
  return string;
}

static void
ext_string (Bench *b, guint64 n)
{
  FIXED_LOOP (n, ext_string_one (b, size), escape (p), g_string_free (old, TRUE));
}

static inline void *
ext_ringal_one (Bench *b,
                gsize  size)
{
  RingalBuffer *buffer = ringal_allocator_extendable (b->allocator, EXT_FIRST, NULL);
  RingalBuffer *fixed;

  check_alloc (buffer);
  for (gsize off = 0; off < size; off += EXT_CHUNK)
    if (ringal_buffer_write (buffer, b->src + off, MIN (EXT_CHUNK, size - off), NULL) == 0)
      g_error ("an extendable buffer could not grow: the ring is too small for this row");
  fixed = ringal_buffer_finalize (buffer, NULL);
  ringal_buffer_unref (buffer);
  return fixed;
}

static void
ext_ringal (Bench *b, guint64 n)
{
  FIXED_LOOP (n, ext_ringal_one (b, size), escape (p), ringal_buffer_unref (old));
}

/* The same through reserve() and commit(): the room left is kept in a
 * register, as the realloc loop keeps its capacity, and the buffer is
 * called only when it runs out. */
static inline void *
ext_reserve_one (Bench *b,
                 gsize  size)
{
  RingalBuffer *buffer = ringal_allocator_extendable (b->allocator, EXT_FIRST, NULL);
  RingalBuffer *fixed;
  guint8 *out = NULL;
  gsize room = 0, pending = 0;

  check_alloc (buffer);
  for (gsize off = 0; off < size; off += EXT_CHUNK)
    {
      gsize c = MIN (EXT_CHUNK, size - off);

      if (G_UNLIKELY (room < c))
        {
          if (pending > 0)
            ringal_buffer_commit (buffer, pending);
          pending = 0;
          out = ringal_buffer_reserve (buffer, c, NULL);
          if (out == NULL)
            g_error ("an extendable buffer could not grow: the ring is too small for this row");
          room = ringal_buffer_get_spare (buffer);
        }
      memcpy (out, b->src + off, c);
      out += c;
      room -= c;
      pending += c;
    }
  ringal_buffer_commit (buffer, pending);
  fixed = ringal_buffer_finalize (buffer, NULL);
  ringal_buffer_unref (buffer);
  return fixed;
}

static void
ext_reserve (Bench *b, guint64 n)
{
  FIXED_LOOP (n, ext_reserve_one (b, size), escape (p), ringal_buffer_unref (old));
}

/* ---- gbytes(N, S, M): fill, wrap as GBytes, drop when evicted ---- */

static void
gbytes_bump (Bench *b, guint64 n)
{
  FIXED_LOOP (n, g_bytes_new_static (memcpy (bump_alloc (b, size), b->src, size), size),
              escape (p), g_bytes_unref (old));
}

static void
gbytes_new (Bench *b, guint64 n)
{
  FIXED_LOOP (n, g_bytes_new (b->src, size), escape (p), g_bytes_unref (old));
}

static void
gbytes_new_take (Bench *b, guint64 n)
{
  FIXED_LOOP (n, g_bytes_new_take (memcpy (g_malloc (size), b->src, size), size),
              escape (p), g_bytes_unref (old));
}

static inline GBytes *
gbytes_free_func_one (Bench *b,
                      gsize  size)
{
  void *mem = check_alloc (malloc (size));

  memcpy (mem, b->src, size);
  return g_bytes_new_with_free_func (mem, size, free, mem);
}

static void
gbytes_free_func (Bench *b, guint64 n)
{
  FIXED_LOOP (n, gbytes_free_func_one (b, size), escape (p), g_bytes_unref (old));
}

static inline GBytes *
gbytes_freeze_one (Bench *b,
                   gsize  size)
{
  RingalBuffer *buffer = check_alloc (ringal_allocator_fixed (b->allocator, size, NULL));
  GBytes *bytes;

  ringal_buffer_write (buffer, b->src, size, NULL);
  bytes = ringal_buffer_freeze (buffer);
  ringal_buffer_unref (buffer);
  return bytes;
}

static void
gbytes_freeze (Bench *b, guint64 n)
{
  FIXED_LOOP (n, gbytes_freeze_one (b, size), escape (p), g_bytes_unref (old));
}

static void
gbytes_copy (Bench *b, guint64 n)
{
  FIXED_LOOP (n, ringal_allocator_copy (b->allocator, b->src, size, NULL),
              escape (p), g_bytes_unref (old));
}

/* ---- xthread(N, S): a producer fills, a consumer thread checks and
 * releases, through a bounded single-producer single-consumer queue ---- */

typedef enum {
  RELEASE_NONE,
  RELEASE_CORE,
  RELEASE_CORE_RMW,
  RELEASE_FREE,
  RELEASE_G_FREE,
  RELEASE_RAW,
  RELEASE_BUFFER,
} ReleaseKind;

typedef struct {
  void  *p;
  gsize  size;
} Item;

/* Each side reads the other's index only when its own copy says the queue
 * is full (or empty): the two index lines then move between the cores once
 * per catch-up, not once per message, and what is measured is the
 * allocators, not the queue. */
typedef struct {
  alignas (64) atomic_size_t head;   /* consumer's */
  alignas (64) atomic_size_t tail;   /* producer's */
  alignas (64) gsize head_seen;      /* the producer's copy of head */
  alignas (64) gsize tail_seen;      /* the consumer's copy of tail */
  alignas (64) Item slots[XTHREAD_DEPTH_MAX];
  gsize        mask;
  guint64      n;
  ReleaseKind  kind;
  guint64      checksum;
} Queue;

/* Two cores shared with other builds: spin a little, then let them run. */
static inline void
backoff (unsigned *spins)
{
  if (++*spins < 64)
    __builtin_ia32_pause ();
  else
    {
      sched_yield ();
      *spins = 0;
    }
}

static inline void
queue_push (Queue *q,
            void  *p,
            gsize  size)
{
  gsize tail = atomic_load_explicit (&q->tail, memory_order_relaxed);
  unsigned spins = 0;

  while (G_UNLIKELY (tail - q->head_seen > q->mask))
    {
      q->head_seen = atomic_load_explicit (&q->head, memory_order_acquire);
      if (tail - q->head_seen > q->mask)
        backoff (&spins);
    }
  q->slots[tail & q->mask] = (Item) { p, size };
  atomic_store_explicit (&q->tail, tail + 1, memory_order_release);
}

static inline guint64
checksum (const guint8 *p,
          gsize         size)
{
  guint64 a = 0, c = 0;
  gsize k = 0;

  for (; k + 16 <= size; k += 16)
    {
      guint64 w0, w1;

      memcpy (&w0, p + k, 8);
      memcpy (&w1, p + k + 8, 8);
      a += w0;
      c += w1;
    }
  for (; k < size; k++)
    a += p[k];
  return a ^ c;
}

static gpointer
consumer_thread (gpointer data)
{
  Queue *q = data;
  gsize head = 0;
  guint64 sum = 0;

  for (guint64 i = 0; i < q->n; i++)
    {
      unsigned spins = 0;
      Item item;

      while (G_UNLIKELY (q->tail_seen == head))
        {
          q->tail_seen = atomic_load_explicit (&q->tail, memory_order_acquire);
          if (q->tail_seen == head)
            backoff (&spins);
        }
      item = q->slots[head & q->mask];

      switch (q->kind)
        {
        case RELEASE_BUFFER:
          sum += checksum (ringal_buffer_get_data (item.p, NULL), item.size);
          ringal_buffer_unref (item.p);
          break;
        case RELEASE_RAW:
          sum += checksum (item.p, item.size);
          ringal_release (item.p);
          break;
        case RELEASE_CORE:
          sum += checksum (item.p, item.size);
          core_release (item.p);
          break;
        case RELEASE_CORE_RMW:
          sum += checksum (item.p, item.size);
          core_release_rmw (item.p);
          break;
        case RELEASE_FREE:
          sum += checksum (item.p, item.size);
          free (item.p);
          break;
        case RELEASE_G_FREE:
          sum += checksum (item.p, item.size);
          g_free (item.p);
          break;
        case RELEASE_NONE:
        default:
          sum += checksum (item.p, item.size);
          break;
        }
      atomic_store_explicit (&q->head, ++head, memory_order_release);
    }
  q->checksum = sum;
  return NULL;
}

#define XTHREAD_LOOP(n, KIND, ALLOC, FILL)                                 \
  G_STMT_START {                                                           \
    Queue *q_ = g_aligned_alloc0 (1, sizeof (Queue), 64);                  \
    guint64 state_ = SEED;                                                 \
    GThread *consumer_;                                                    \
    q_->mask = b->m - 1;                                                   \
    q_->n = (n);                                                           \
    q_->kind = (KIND);                                                     \
    consumer_ = g_thread_new ("consumer", consumer_thread, q_);            \
    for (guint64 i_ = 0; i_ < (n); i_++)                                   \
      {                                                                    \
        gsize size = next_size (&state_, b->s);                            \
        void *p = ALLOC;                                                   \
        unsigned spins_ = 0;                                               \
        /* A full ring waits for the consumer, as a full queue does. */    \
        while (G_UNLIKELY (p == NULL))                                     \
          {                                                                \
            backoff (&spins_);                                             \
            p = ALLOC;                                                     \
          }                                                                \
        FILL;                                                              \
        queue_push (q_, p, size);                                          \
      }                                                                    \
    g_thread_join (consumer_);                                             \
    sink += q_->checksum;                                                  \
    g_aligned_free (q_);                                                   \
  } G_STMT_END

static void
xthread_bump (Bench *b, guint64 n)
{
  XTHREAD_LOOP (n, RELEASE_NONE, bump_alloc (b, size), COPY_FILL);
}

static void
xthread_malloc (Bench *b, guint64 n)
{
  XTHREAD_LOOP (n, RELEASE_FREE, malloc (size), COPY_FILL);
}

static void
xthread_g_malloc (Bench *b, guint64 n)
{
  XTHREAD_LOOP (n, RELEASE_G_FREE, g_malloc (size), COPY_FILL);
}

static void
xthread_raw (Bench *b, guint64 n)
{
  XTHREAD_LOOP (n, RELEASE_RAW, ringal_allocator_alloc (b->allocator, size), COPY_FILL);
}

/* The release protocol where it matters, with the release on another
 * core: the shipped one against a locked read-modify-write. */
static void
xthread_core (Bench *b, guint64 n)
{
  XTHREAD_LOOP (n, RELEASE_CORE, core_alloc (b->allocator->ring, size), COPY_FILL);
}

static void
xthread_core_rmw (Bench *b, guint64 n)
{
  XTHREAD_LOOP (n, RELEASE_CORE_RMW, core_alloc (b->allocator->ring, size), COPY_FILL);
}

static void
xthread_buffer (Bench *b, guint64 n)
{
  XTHREAD_LOOP (n, RELEASE_BUFFER, ringal_allocator_fixed (b->allocator, size, NULL),
                ringal_buffer_write (p, b->src, size, NULL));
}

/* ---- the table of implementations ---- */

typedef struct {
  Workload      workload;
  const char   *name;          /* "%s" stands for this executable's allocator */
  gboolean      primary_only;  /* the same in every executable: run it once */
  void        (*run) (Bench *b, guint64 n);
} Impl;

static const Impl impls[] = {
  { WORKLOAD_FIXED, "fill", TRUE, fixed_fill },
  { WORKLOAD_FIXED, "bump", TRUE, fixed_bump },
  { WORKLOAD_FIXED, "ringal-raw", TRUE, fixed_raw },
  { WORKLOAD_FIXED, "ringal-buffer", TRUE, fixed_buffer },
  { WORKLOAD_FIXED, "%s", FALSE, fixed_malloc },
  { WORKLOAD_FIXED, "g_malloc", TRUE, fixed_g_malloc },

  { WORKLOAD_EXT, "fill", TRUE, ext_fill },
  { WORKLOAD_EXT, "bump", TRUE, ext_bump },
  { WORKLOAD_EXT, "ringal-ext", TRUE, ext_ringal },
  { WORKLOAD_EXT, "ringal-reserve", TRUE, ext_reserve },
  { WORKLOAD_EXT, "realloc-%s", FALSE, ext_realloc },
  { WORKLOAD_EXT, "GByteArray", TRUE, ext_byte_array },
  { WORKLOAD_EXT, "GString", TRUE, ext_string },

  { WORKLOAD_XTHREAD, "bump", TRUE, xthread_bump },
  { WORKLOAD_XTHREAD, "ringal-raw", TRUE, xthread_raw },
  { WORKLOAD_XTHREAD, "ringal-buffer", TRUE, xthread_buffer },
  { WORKLOAD_XTHREAD, "%s", FALSE, xthread_malloc },
  { WORKLOAD_XTHREAD, "g_malloc", TRUE, xthread_g_malloc },
  { WORKLOAD_XTHREAD, "core", TRUE, xthread_core },
  { WORKLOAD_XTHREAD, "core-rmw", TRUE, xthread_core_rmw },

  { WORKLOAD_GBYTES, "bump-static", TRUE, gbytes_bump },
  { WORKLOAD_GBYTES, "ringal-freeze", TRUE, gbytes_freeze },
  { WORKLOAD_GBYTES, "ringal-copy", TRUE, gbytes_copy },
  { WORKLOAD_GBYTES, "g_bytes_new-%s", FALSE, gbytes_new },
  { WORKLOAD_GBYTES, "new_take-%s", FALSE, gbytes_new_take },
  { WORKLOAD_GBYTES, "free_func-%s", FALSE, gbytes_free_func },

  { WORKLOAD_PROTOCOL, "core", TRUE, protocol_core },
  { WORKLOAD_PROTOCOL, "core-owned", TRUE, protocol_core_owned },
  { WORKLOAD_PROTOCOL, "core-call", TRUE, protocol_core_call },
  { WORKLOAD_PROTOCOL, "core-rmw", TRUE, protocol_core_rmw },
  { WORKLOAD_PROTOCOL, "core-cached", TRUE, protocol_core_cached },
  { WORKLOAD_PROTOCOL, "raw", TRUE, fixed_raw },
  { WORKLOAD_PROTOCOL, "raw-shared", TRUE, protocol_shared },

  { WORKLOAD_HELD, "bump", TRUE, held_bump },
  { WORKLOAD_HELD, "ringal-raw", TRUE, held_raw },
  { WORKLOAD_HELD, "%s", FALSE, held_malloc },
  { WORKLOAD_HELD, "g_malloc", TRUE, held_g_malloc },

  { WORKLOAD_FAILED, "ringal-raw", TRUE, failed_raw },
};

static char *
impl_name (const Impl *impl)
{
  g_autoptr(GString) name = g_string_new (impl->name);

  g_string_replace (name, "%s", bench_allocator_name (), 1);
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* What is resident now, from /proc: getrusage() has only the peak, which
 * start-up can set before the ring is touched. */
static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size_pages = 0, resident_pages = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size_pages, &resident_pages) != 2)
    return 0;
  return (gsize) resident_pages * (gsize) sysconf (_SC_PAGESIZE);
}

/* The peak RSS of this process image.  getrusage() would do, but its
 * ru_maxrss survives execve(): a process started by a large Python would
 * report Python's peak. */
static gsize
peak_resident_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;
  gsize kib = 0;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
      (line = strstr (status, "VmHWM:")) != NULL)
    sscanf (line + strlen ("VmHWM:"), "%" G_GSIZE_MODIFIER "u", &kib);
  if (kib == 0)
    {
      struct rusage usage;

      getrusage (RUSAGE_SELF, &usage);
      kib = (gsize) usage.ru_maxrss;
    }
  return kib;
}

static double
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

/* Fills the ring with regions of one size until it takes no more: the
 * failed workload's full ring, about M live regions and no free run that
 * holds another. */
static void
fill_ring (Bench *b)
{
  gsize capacity = ringal_allocator_get_capacity (b->allocator);

  b->fail_size = capacity / b->m - 2 * RINGAL_WORD;
  b->n_live = 0;
  while (b->n_live <= b->m &&
         (b->window[b->n_live] = ringal_allocator_alloc (b->allocator, b->fail_size)) != NULL)
    b->n_live++;
  if (b->n_live + 1 < b->m)
    g_error ("the ring took %" G_GSIZE_FORMAT " regions of %" G_GSIZE_FORMAT " bytes, not %" G_GSIZE_FORMAT,
             b->n_live, b->fail_size, b->m);
}

static void
bench_setup (Bench    *b,
             gboolean  with_arena,
             gsize     capacity)
{
  gsize live = b->workload == WORKLOAD_XTHREAD ? b->m + 2 : b->m;

  /* held: the window, as many held back, and the first buffer */
  if (b->workload == WORKLOAD_HELD)
    live = 2 * b->m + 2;
  b->capacity = capacity_for (b->s, live);
  if (b->workload == WORKLOAD_FAILED)
    b->capacity = MAX (64 * 1024, round_up_pow2 (b->m * 64));
  if (capacity > 0)
    b->capacity = capacity;
  b->src = g_malloc (b->s + 64);
  for (gsize i = 0; i < b->s + 64; i++)
    b->src[i] = (guint8) (i * 131 + 7);
  b->dst = g_malloc0 (b->s + 64);
  b->window = g_new0 (void *, b->m + 1);
  b->held_mask = round_up_pow2 (2 * b->m + 2) - 1;
  b->held = b->workload == WORKLOAD_HELD ? g_new0 (Held, b->held_mask + 1) : NULL;

  /* Pre-faulted, so that the floor measures neither page faults nor the
   * kernel's zeroing; only when it runs, so that --rss sees the ring alone. */
  if (with_arena)
    {
      b->arena = mmap (NULL, b->capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (b->arena == MAP_FAILED)
        g_error ("no memory for a bump arena of %" G_GSIZE_FORMAT " bytes", b->capacity);
#ifdef MADV_HUGEPAGE
      /* As the ring's store (see ringal-ring.c). */
      if (b->capacity >= 4 * 1024 * 1024)
        madvise (b->arena, b->capacity, MADV_HUGEPAGE);
#endif
      memset (b->arena, 1, b->capacity);
      b->arena_top = b->arena;
    }

  /* Owned by this thread from the start, as the core-owned rows expect. */
  b->allocator = ringal_allocator_new (b->capacity);
  ringal_release (check_alloc (ringal_allocator_alloc (b->allocator, 1)));
  b->shared = b->workload == WORKLOAD_PROTOCOL ? ringal_allocator_new_shared (b->capacity) : NULL;
  if (b->workload == WORKLOAD_FAILED)
    fill_ring (b);
}

static void
bench_teardown (Bench *b)
{
  if (b->workload == WORKLOAD_FAILED)
    for (gsize i = 0; i < b->n_live; i++)
      ringal_release (b->window[i]);
  g_clear_object (&b->allocator);
  g_clear_object (&b->shared);
  g_free (b->held);
  if (b->arena != NULL)
    munmap (b->arena, b->capacity);
  g_free (b->window);
  g_free (b->dst);
  g_free (b->src);
}

static gboolean
name_selected (const char *name,
               char      **only)
{
  if (only == NULL)
    return TRUE;
  for (; *only != NULL; only++)
    if (g_str_equal (*only, name))
      return TRUE;
  return FALSE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autofree char *workload = NULL;
  g_auto(GStrv) only = NULL;
  gint64 n = 100000, size = 64, window = 64, round = 0, passes = 1, capacity = 0;
  gsize rss_before, rss_after;
  gboolean check = FALSE, list = FALSE, primary = FALSE, callgrind = FALSE, rss = FALSE;
  char detail[512];
  Bench b = { 0 };
  GOptionEntry entries[] = {
    { "workload", 'w', 0, G_OPTION_ARG_STRING, &workload, "fixed, ext, xthread, gbytes, protocol, held or failed", "NAME" },
    { "ops", 'n', 0, G_OPTION_ARG_INT64, &n, "Allocations in the row", "N" },
    { "size", 's', 0, G_OPTION_ARG_INT64, &size, "Largest size (a power of two)", "S" },
    { "window", 'm', 0, G_OPTION_ARG_INT64, &window, "Live buffers, or queue depth (a power of two)", "M" },
    { "round", 'r', 0, G_OPTION_ARG_INT64, &round, "Round number: rotates the order", "R" },
    { "passes", 'p', 0, G_OPTION_ARG_INT64, &passes, "Split the row into this many timed passes", "P" },
    { "capacity", 'c', 0, G_OPTION_ARG_INT64, &capacity, "Ring (and arena) capacity instead of the row's own", "BYTES" },
    { "impl", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &only, "Run only this implementation (repeatable)", "NAME" },
    { "primary", 0, 0, G_OPTION_ARG_NONE, &primary, "Also run what is the same in every executable", NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check, "Say which allocator serves malloc(), and fail if not ours", NULL },
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, "List the implementations of the workload", NULL },
    { "callgrind", 0, 0, G_OPTION_ARG_NONE, &callgrind, "Collect only the timed pass (under valgrind --collect-atstart=no)", NULL },
    { "rss", 0, 0, G_OPTION_ARG_NONE, &rss, "Print the peak RSS at the end", NULL },
    { NULL }
  };

  context = g_option_context_new ("- one row of a ringal-glib benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (check)
    {
      gboolean ok = bench_allocator_check (detail, sizeof detail);

      g_print ("%s: %s\n", ok ? "ALLOCATOR" : "WRONG-ALLOCATOR", detail);
      return ok ? 0 : 1;
    }

  b.workload = WORKLOAD_FIXED;
  if (workload != NULL)
    {
      guint w;

      for (w = 0; w < G_N_ELEMENTS (workload_names); w++)
        if (g_str_equal (workload, workload_names[w]))
          break;
      if (w == G_N_ELEMENTS (workload_names))
        {
          g_printerr ("unknown workload %s\n", workload);
          return 2;
        }
      b.workload = w;
    }
  if (passes <= 0 || n <= 0 || size <= 0 || (size & (size - 1)) != 0 || capacity < 0 ||
      window <= 0 || (window & (window - 1)) != 0 ||
      (b.workload == WORKLOAD_XTHREAD && window > XTHREAD_DEPTH_MAX))
    {
      g_printerr ("--ops must be positive, --size and --window powers of two "
                  "(a queue at most %d deep)\n", XTHREAD_DEPTH_MAX);
      return 2;
    }
  b.n = (guint64) n;
  b.s = (gsize) size;
  b.m = (gsize) window;

  for (guint i = 0; i < G_N_ELEMENTS (impls); i++)
    {
      g_autofree char *name = impl_name (&impls[i]);

      if (impls[i].workload != b.workload || (impls[i].primary_only && !primary))
        continue;
      if (!name_selected (name, only))
        continue;
      if (list)
        g_print ("%s\n", name);
      g_ptr_array_add (chosen, (gpointer) &impls[i]);
    }
  if (list)
    return 0;
  if (chosen->len == 0)
    {
      g_printerr ("no implementation selected\n");
      return 2;
    }

  if (!bench_allocator_check (detail, sizeof detail))
    {
      g_printerr ("malloc() is not served by %s here: %s\n", bench_allocator_name (), detail);
      return 3;
    }

  /* Before the ring is made: its first page is touched in setup. */
  rss_before = resident_bytes ();
  {
    gboolean with_arena = FALSE;

    for (guint k = 0; k < chosen->len; k++)
      with_arena |= g_str_has_prefix (((const Impl *) chosen->pdata[k])->name, "bump");
    bench_setup (&b, with_arena, (gsize) capacity);
  }

  /* Which build of the library this process runs: run-bench.py's
   * --baseline swaps it through LD_LIBRARY_PATH, and checks. */
  {
    Dl_info info;

    if (dladdr ((void *) ringal_allocator_new, &info) && info.dli_fname != NULL)
      g_print ("LIBRARY %s\n", info.dli_fname);
  }

  /* Each pass runs every implementation on its share of the row, so that
   * a burst of load from elsewhere spoils one sample of a few, not the
   * only one; the order rotates from pass to pass as from round to round. */
  for (gint64 pass = 0; pass < passes; pass++)
    for (guint k = 0; k < chosen->len; k++)
      {
        const Impl *impl = chosen->pdata[(k + (guint) round + (guint) pass) % chosen->len];
        g_autofree char *name = impl_name (impl);
        guint64 ops = MAX (b.n / (guint64) passes, b.m);
        guint64 warm = MAX (ops / 10, b.m);
        double start, elapsed;

        impl->run (&b, warm);
        b.fallbacks = 0;

        if (callgrind)
          CALLGRIND_TOGGLE_COLLECT;
        start = now_ns ();
        impl->run (&b, ops);
        elapsed = now_ns () - start;
        if (callgrind)
          CALLGRIND_TOGGLE_COLLECT;

        g_print ("RESULT %s %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT " %" G_GUINT64_FORMAT " %s %.3f %" G_GSIZE_FORMAT "\n",
                 workload_names[b.workload], b.s, b.m, ops, name, elapsed / (double) ops, b.capacity);
        if (b.workload == WORKLOAD_HELD && g_str_has_prefix (name, "ringal"))
          g_print ("FALLBACK %s %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT " %s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
                   workload_names[b.workload], b.s, b.m, name, b.fallbacks, ops);
        if (b.workload == WORKLOAD_FAILED)
          g_print ("LIVE %s %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT "\n",
                   workload_names[b.workload], b.s, b.m, b.n_live);
      }

  rss_after = resident_bytes ();

  bench_teardown (&b);

  if (rss)
    g_print ("RSS %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT "\n", peak_resident_kib (),
             rss_after > rss_before ? (rss_after - rss_before) / 1024 : 0);

  return 0;
}
