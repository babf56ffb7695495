/* ringal-memcheck.h: tell Valgrind and AddressSanitizer about ring regions
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * To memcheck and ASan the store is one block; these hooks make each locked
 * region look like a heap allocation of its own, so that a read after
 * release or a write past the end of a region is reported.  For Valgrind,
 * guards stay accessible (the allocator walks them and releasing threads
 * store to them) and a write into one is caught by the guard checks of the
 * walk instead.  Without Valgrind headers or ASan, every hook compiles to
 * nothing.
 */

#pragma once

/* Whether Valgrind's headers were found is a build setting: every file
 * that inlines the ring's hot path must see the same answer. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__SANITIZE_ADDRESS__)
# define RINGAL_MEMCHECK_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define RINGAL_MEMCHECK_ASAN 1
# endif
#endif

#ifdef RINGAL_MEMCHECK_ASAN
# include <sanitizer/asan_interface.h>
#endif

#ifdef HAVE_VALGRIND
# include <valgrind/memcheck.h>
#endif

/* Under ASan every guard stays poisoned, so that a write past the end of a
 * region is reported at once; the library reaches guards only through
 * functions marked with this. */
#ifdef RINGAL_MEMCHECK_ASAN
# define RINGAL_GUARD_ACCESS __attribute__ ((no_sanitize_address))
#else
# define RINGAL_GUARD_ACCESS
#endif

/* The ring header is the pool's handle; the payload of a region is the
 * chunk: it starts right after the guard and ends at the next guard. */

static inline void
ringal_memcheck_store_created (const void *pool,
                               void       *store,
                               size_t      size)
{
#ifdef HAVE_VALGRIND
  VALGRIND_CREATE_MEMPOOL (pool, 0, 0);
  VALGRIND_MAKE_MEM_NOACCESS (store, size);
#endif
#ifdef RINGAL_MEMCHECK_ASAN
  ASAN_POISON_MEMORY_REGION (store, size);
#endif
  (void) pool; (void) store; (void) size;
}

static inline void
ringal_memcheck_store_destroyed (const void *pool,
                                 void       *store,
                                 size_t      size)
{
#ifdef HAVE_VALGRIND
  VALGRIND_DESTROY_MEMPOOL (pool);
#endif
#ifdef RINGAL_MEMCHECK_ASAN
  ASAN_UNPOISON_MEMORY_REGION (store, size);
#endif
  (void) pool; (void) store; (void) size;
}

/* A word that becomes a guard, in memory a released region left
 * inaccessible.  (Under ASan it stays poisoned: see RINGAL_GUARD_ACCESS.) */
static inline void
ringal_memcheck_guard_created (void *guard)
{
#ifdef HAVE_VALGRIND
  VALGRIND_MAKE_MEM_DEFINED (guard, sizeof (uintptr_t));
#endif
  (void) guard;
}

static inline void
ringal_memcheck_chunk_alloc (const void *pool,
                             void       *payload,
                             size_t      size)
{
#ifdef HAVE_VALGRIND
  VALGRIND_MEMPOOL_ALLOC (pool, payload, size);
#endif
#ifdef RINGAL_MEMCHECK_ASAN
  ASAN_UNPOISON_MEMORY_REGION (payload, size);
#endif
  (void) pool; (void) payload; (void) size;
}

static inline void
ringal_memcheck_chunk_resize (const void *pool,
                              void       *payload,
                              size_t      old_size,
                              size_t      new_size)
{
#ifdef HAVE_VALGRIND
  /* MEMPOOL_CHANGE only moves the bookkeeping; the bytes gained or lost
   * change state here. */
  VALGRIND_MEMPOOL_CHANGE (pool, payload, payload, new_size);
  if (new_size > old_size)
    VALGRIND_MAKE_MEM_UNDEFINED ((char *) payload + old_size, new_size - old_size);
  else
    VALGRIND_MAKE_MEM_NOACCESS ((char *) payload + new_size, old_size - new_size);
#endif
#ifdef RINGAL_MEMCHECK_ASAN
  if (new_size > old_size)
    ASAN_UNPOISON_MEMORY_REGION ((char *) payload + old_size, new_size - old_size);
  else
    ASAN_POISON_MEMORY_REGION ((char *) payload + new_size, old_size - new_size);
#endif
  (void) pool; (void) payload; (void) old_size; (void) new_size;
}

static inline void
ringal_memcheck_chunk_free (const void *pool,
                            void       *payload,
                            size_t      size)
{
#ifdef HAVE_VALGRIND
  VALGRIND_MEMPOOL_FREE (pool, payload);
#endif
#ifdef RINGAL_MEMCHECK_ASAN
  ASAN_POISON_MEMORY_REGION (payload, size);
#endif
  (void) pool; (void) payload; (void) size;
}

/* A free object kept for reuse outside the store (a pooled buffer handle):
 * hidden, so that a use after its release is reported as in a region. */
static inline void
ringal_memcheck_hide (void   *object,
                      size_t  size)
{
#ifdef HAVE_VALGRIND
  VALGRIND_MAKE_MEM_NOACCESS (object, size);
#endif
#ifdef RINGAL_MEMCHECK_ASAN
  ASAN_POISON_MEMORY_REGION (object, size);
#endif
  (void) object; (void) size;
}

static inline void
ringal_memcheck_show (void   *object,
                      size_t  size)
{
#ifdef HAVE_VALGRIND
  VALGRIND_MAKE_MEM_DEFINED (object, size);
#endif
#ifdef RINGAL_MEMCHECK_ASAN
  ASAN_UNPOISON_MEMORY_REGION (object, size);
#endif
  (void) object; (void) size;
}

/* Whether either tool watches the ring now: then every allocation and
 * release must go through the hooks, and code outside the library (the
 * inline fast path of ringal-raw.h) must not allocate on its own. */
static inline int
ringal_memcheck_active (void)
{
#ifdef RINGAL_MEMCHECK_ASAN
  return 1;
#elif defined(HAVE_VALGRIND)
  return RUNNING_ON_VALGRIND != 0;
#else
  return 0;
#endif
}

/* The size comes from an atomic load of the guard, which the compiler keeps
 * even when nothing uses it: without either tool, load nothing. */
#if defined(HAVE_VALGRIND) || defined(RINGAL_MEMCHECK_ASAN)
# define ringal_memcheck_region_locked(ring, guard) \
  ringal_memcheck_chunk_alloc ((ring), (guard) + 1, \
                               ringal_guard_payload_words (guard) * RINGAL_WORD)

# define ringal_memcheck_region_released(ring, guard) \
  ringal_memcheck_chunk_free ((ring), (guard) + 1, \
                              ringal_guard_payload_words (guard) * RINGAL_WORD)
#else
# define ringal_memcheck_region_locked(ring, guard) ((void) (ring), (void) (guard))
# define ringal_memcheck_region_released(ring, guard) ((void) (ring), (void) (guard))
#endif
