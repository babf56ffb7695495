/* test-no-malloc.c: allocate, write and release never call malloc
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This program defines malloc and friends itself, forwarding to glibc's,
 * so that every call from the library (and from GLib) comes through here
 * and can be counted.
 */

#include <errno.h>
#include <stdatomic.h>

#include "ringal-test-utils.h"

/* Sanitizers own malloc: defining it here would fight theirs. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
# define MALLOC_OWNED_ELSEWHERE 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#  define MALLOC_OWNED_ELSEWHERE 1
# endif
#endif

static atomic_bool counting;
static atomic_size_t n_calls;

#ifndef MALLOC_OWNED_ELSEWHERE

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *ptr, size_t size);
extern void *__libc_memalign (size_t align, size_t size);
extern void  __libc_free (void *ptr);

static inline void
count_call (void)
{
  if (atomic_load_explicit (&counting, memory_order_relaxed))
    atomic_fetch_add_explicit (&n_calls, 1, memory_order_relaxed);
}

void *malloc (size_t size);
void *calloc (size_t n, size_t size);
void *realloc (void *ptr, size_t size);
void  free (void *ptr);
int   posix_memalign (void **out, size_t align, size_t size);
void *aligned_alloc (size_t align, size_t size);
void *memalign (size_t align, size_t size);

void *
malloc (size_t size)
{
  count_call ();
  return __libc_malloc (size);
}

void *
calloc (size_t n, size_t size)
{
  count_call ();
  return __libc_calloc (n, size);
}

void *
realloc (void *ptr, size_t size)
{
  count_call ();
  return __libc_realloc (ptr, size);
}

void
free (void *ptr)
{
  if (ptr != NULL)
    count_call ();
  __libc_free (ptr);
}

int
posix_memalign (void **out, size_t align, size_t size)
{
  count_call ();
  *out = __libc_memalign (align, size);
  return *out != NULL ? 0 : ENOMEM;
}

void *
aligned_alloc (size_t align, size_t size)
{
  count_call ();
  return __libc_memalign (align, size);
}

void *
memalign (size_t align, size_t size)
{
  count_call ();
  return __libc_memalign (align, size);
}

#endif /* MALLOC_OWNED_ELSEWHERE */

static gsize
count_calls_of (void (*work) (RingalAllocator *), RingalAllocator *allocator)
{
  atomic_store (&n_calls, 0);
  atomic_store (&counting, true);
  work (allocator);
  atomic_store (&counting, false);
  return atomic_load (&n_calls);
}

static void
one_g_malloc (RingalAllocator *allocator)
{
  g_free (g_malloc (64));
}

static void
churn (RingalAllocator *allocator)
{
  static const guint8 chunk[100] = { 1, 2, 3 };

  for (guint i = 0; i < 2000; i++)
    {
      RingalBuffer *fixed, *open, *closed;

      fixed = ringal_allocator_fixed (allocator, 1 + i % 700, NULL);
      ringal_buffer_write (fixed, chunk, sizeof chunk, NULL);
      ringal_buffer_unref (fixed);

      /* grows in place, and past the end of the store to the front */
      open = ringal_allocator_extendable (allocator, 16, NULL);
      for (guint k = 0; k < 1 + i % 30; k++)
        ringal_buffer_write (open, chunk, sizeof chunk, NULL);
      closed = ringal_buffer_finalize (open, NULL);
      ringal_buffer_unref (open);
      ringal_buffer_unref (closed);

      /* and the failure path, without an error to fill in */
      g_assert_null (ringal_allocator_fixed (allocator, G_MAXSIZE, NULL));
    }
}

static void
unref_buffer_element (gpointer element)
{
  ringal_buffer_unref (*(RingalBuffer **) element);
}

/* The raw path and arrays: allocate, fill, release, with every failure
 * path that reports nothing. */
static void
churn_raw_and_arrays (RingalAllocator *allocator)
{
  static const guint64 values[4] = { 1, 2, 3, 4 };

  for (guint i = 0; i < 2000; i++)
    {
      guint8 *raw = ringal_allocator_alloc (allocator, 1 + i % 500);
      RingalArray *array;
      RingalBuffer *buffer;
      guint64 popped;

      raw[0] = (guint8) i;
      ringal_release (raw);
      g_assert_null (ringal_allocator_alloc (allocator, G_MAXSIZE));

      array = ringal_allocator_array (allocator, sizeof (guint64), (gsize) 1 << (i % 13), 4 + i % 5, NULL);
      ringal_array_append_vals (array, values, 4, NULL);
      ringal_array_insert_vals (array, 1, values, 1, NULL);
      ringal_array_remove_index (array, 0, NULL);
      ringal_array_remove_index_fast (array, 0, NULL);
      ringal_array_pop (array, &popped);
      g_assert_false (ringal_array_append_vals (array, values, 100, NULL));  /* CAPACITY_EXCEEDED */
      ringal_array_unref (array);
      g_assert_null (ringal_allocator_array (allocator, 8, 8, G_MAXSIZE, NULL));

      /* an array that releases the buffers it holds */
      array = ringal_allocator_array (allocator, sizeof (RingalBuffer *), G_ALIGNOF (RingalBuffer *), 2, NULL);
      ringal_array_set_clear_func (array, unref_buffer_element);
      buffer = ringal_allocator_fixed (allocator, 64, NULL);
      ringal_array_append_vals (array, &buffer, 1, NULL);
      ringal_array_unref (array);
    }
}

/* The release path: handles kept apart come from a pool, and go back to
 * it, so that a ring used with release() mallocs nothing either once warm,
 * also with released handles held a while, as a binding's wrappers are. */
static void
churn_released (RingalAllocator *allocator)
{
  static const guint8 chunk[100] = { 4, 5, 6 };
  RingalBuffer *held[64];

  for (guint i = 0; i < 2000; i++)
    {
      RingalBuffer *buffer = ringal_allocator_fixed (allocator, 1 + i % 300, NULL);
      RingalBuffer *open = ringal_allocator_extendable (allocator, 16, NULL);

      ringal_buffer_release (buffer);
      if (i >= G_N_ELEMENTS (held))
        ringal_buffer_unref (held[i % G_N_ELEMENTS (held)]);
      held[i % G_N_ELEMENTS (held)] = buffer;

      for (guint k = 0; k < 1 + i % 10; k++)
        ringal_buffer_write (open, chunk, sizeof chunk, NULL);
      ringal_buffer_release (open);
      ringal_buffer_unref (open);
    }
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    ringal_buffer_unref (held[i]);
}

static void
test_no_malloc (void)
{
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new (16 * 1024);
  gsize calls;

  /* If calls do not come through here (a sanitizer or Valgrind replaced
   * malloc), counting zero would prove nothing. */
  if (count_calls_of (one_g_malloc, allocator) != 2)
    {
      g_test_skip ("malloc cannot be interposed here (a sanitizer or Valgrind owns it)");
      return;
    }

  churn (allocator);  /* first use of types and paths */
  calls = count_calls_of (churn, allocator);
  g_test_message ("%" G_GSIZE_FORMAT " malloc-family calls in 2000 rounds", calls);
  g_assert_cmpuint (calls, ==, 0);

  churn_raw_and_arrays (allocator);
  calls = count_calls_of (churn_raw_and_arrays, allocator);
  g_test_message ("%" G_GSIZE_FORMAT " malloc-family calls in 2000 rounds of raw blocks and arrays", calls);
  g_assert_cmpuint (calls, ==, 0);

  churn_released (allocator);
  g_assert_true (ringal_allocator_get_ring (allocator)->handles == RINGAL_RING_HANDLES_APART);
  calls = count_calls_of (churn_released, allocator);
  g_test_message ("%" G_GSIZE_FORMAT " malloc-family calls in 2000 rounds of released buffers", calls);
  g_assert_cmpuint (calls, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ringal/NoMalloc/allocate-write-release", test_no_malloc);

  return g_test_run ();
}
