/* test-array.c: RingalArray, the seed's generic<T> without its defects
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The seed's generic tests (push, pop in LIFO order, insert at 0,
 * swap-remove, remove) for element types of every alignment, with every
 * byte checked, and a regression test for each defect of its generic
 * buffers: alignment past the next guard (D3), insert into a full buffer
 * (D4), count * size overflow (D5), elements never dropped (D6).
 */

#include <pthread.h>
#include <sched.h>

#include "ringal-array-private.h"
#include "ringal-test-fixture.h"

typedef struct {
  guint64 id;
  guint8  bytes[24];
} Record;

static RingalArray *
array_or_fail (RingalAllocator *allocator,
               gsize            element_size,
               gsize            alignment,
               gsize            count)
{
  g_autoptr(GError) error = NULL;
  RingalArray *array = ringal_allocator_array (allocator, element_size, alignment, count, &error);

  g_assert_no_error (error);
  g_assert_nonnull (array);
  g_assert_cmpuint (ringal_array_get_len (array), ==, 0);
  g_assert_cmpuint (ringal_array_get_capacity (array), ==, count);
  g_assert_cmpuint (ringal_array_get_element_size (array), ==, element_size);
  g_assert_cmpuint ((guintptr) ringal_array_get_data (array, NULL) % alignment, ==, 0);
  return array;
}

static Record
record (guint64 id)
{
  Record r = { id, { 0 } };

  ringal_test_fill (r.bytes, sizeof r.bytes, (guint32) id);
  return r;
}

static void
assert_record (RingalArray *array,
               gsize        index_,
               guint64      id)
{
  Record *r = &ringal_array_index (array, Record, index_);

  g_assert_cmpuint (r->id, ==, id);
  ringal_test_assert_pattern (r->bytes, sizeof r->bytes, (guint32) id);
}

static void
assert_ids (RingalArray   *array,
            const guint64 *ids,
            gsize          n_ids)
{
  g_assert_cmpuint (ringal_array_get_len (array), ==, n_ids);
  for (gsize i = 0; i < n_ids; i++)
    assert_record (array, i, ids[i]);
}

static void
append_record (RingalArray *array,
               guint64      id)
{
  g_autoptr(GError) error = NULL;
  Record r = record (id);

  g_assert_true (ringal_array_append_vals (array, &r, 1, &error));
  g_assert_no_error (error);
}

/* The seed's generic test, once per alignment of the element type. */
#define DEFINE_SEED_TEST(T) \
  static void \
  seed_generic_##T (RingalAllocator *allocator) \
  { \
    typedef struct { T value; guint8 tail[3]; } Element; \
    g_autoptr(RingalArray) array = array_or_fail (allocator, sizeof (Element), G_ALIGNOF (Element), 4); \
    Element e, out; \
    \
    for (T i = 1; i <= 3; i++) \
      { \
        e = (Element) { i, { (guint8) i, 0, 0 } }; \
        g_assert_true (ringal_array_append_vals (array, &e, 1, NULL)); \
      } \
    for (T i = 3; i >= 1; i--) \
      { \
        g_assert_true (ringal_array_pop (array, &out)); \
        g_assert_true (out.value == i); \
        g_assert_cmpuint (out.tail[0], ==, (guint8) i); \
      } \
    g_assert_false (ringal_array_pop (array, &out)); \
    for (T i = 1; i <= 3; i++) \
      { \
        e = (Element) { i, { (guint8) i, 0, 0 } }; \
        g_assert_true (ringal_array_insert_vals (array, 0, &e, 1, NULL)); \
      } \
    /* 3 2 1 -> swap-remove 0 -> 1 2 -> remove 0 -> 2 */ \
    g_assert_true (ringal_array_remove_index_fast (array, 0, NULL)); \
    g_assert_true (ringal_array_index (array, Element, 0).value == 1); \
    g_assert_true (ringal_array_index (array, Element, 1).value == 2); \
    g_assert_true (ringal_array_remove_index (array, 0, NULL)); \
    g_assert_cmpuint (ringal_array_get_len (array), ==, 1); \
    g_assert_true (ringal_array_index (array, Element, 0).value == 2); \
  }

DEFINE_SEED_TEST (guint8)
DEFINE_SEED_TEST (guint16)
DEFINE_SEED_TEST (guint32)
DEFINE_SEED_TEST (guint64)
#ifdef __SIZEOF_INT128__
typedef unsigned __int128 guint128;
DEFINE_SEED_TEST (guint128)
#endif

static void
test_seed_generic (RingalFixture *f,
                   gconstpointer  data)
{
  seed_generic_guint8 (f->allocator);
  seed_generic_guint16 (f->allocator);
  seed_generic_guint32 (f->allocator);
  seed_generic_guint64 (f->allocator);
#ifdef __SIZEOF_INT128__
  seed_generic_guint128 (f->allocator);
#endif
}

static void
test_append_insert_remove (RingalFixture *f,
                           gconstpointer  data)
{
  g_autoptr(RingalArray) array = array_or_fail (f->allocator, sizeof (Record), G_ALIGNOF (Record), 8);
  Record batch[3] = { record (10), record (11), record (12) };
  g_autoptr(GError) error = NULL;

  g_assert_true (ringal_array_append_vals (array, batch, 3, &error));
  g_assert_true (ringal_array_append_vals (array, NULL, 0, &error));
  assert_ids (array, (guint64[]) { 10, 11, 12 }, 3);

  batch[0] = record (20);
  batch[1] = record (21);
  g_assert_true (ringal_array_insert_vals (array, 1, batch, 2, &error));
  assert_ids (array, (guint64[]) { 10, 20, 21, 11, 12 }, 5);

  batch[0] = record (30);
  g_assert_true (ringal_array_insert_vals (array, 5, batch, 1, &error));  /* at the end */
  g_assert_true (ringal_array_insert_vals (array, 0, batch, 0, &error));
  assert_ids (array, (guint64[]) { 10, 20, 21, 11, 12, 30 }, 6);

  g_assert_true (ringal_array_remove_index (array, 2, &error));
  assert_ids (array, (guint64[]) { 10, 20, 11, 12, 30 }, 5);
  g_assert_true (ringal_array_remove_index_fast (array, 1, &error));
  assert_ids (array, (guint64[]) { 10, 30, 11, 12 }, 4);
  g_assert_true (ringal_array_remove_index_fast (array, 3, &error));  /* the last one */
  assert_ids (array, (guint64[]) { 10, 30, 11 }, 3);
  g_assert_true (ringal_array_remove_index (array, 2, &error));
  assert_ids (array, (guint64[]) { 10, 30 }, 2);
  g_assert_no_error (error);
}

/* Indexes that are not elements, or not insertion points, are errors that
 * change nothing. */
static void
test_bad_index (RingalFixture *f,
                gconstpointer  data)
{
  g_autoptr(RingalArray) array = array_or_fail (f->allocator, sizeof (Record), 8, 4);
  Record r = record (1);
  GError *error = NULL;

  g_assert_false (ringal_array_remove_index (array, 0, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (ringal_array_get_element (array, 0, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  append_record (array, 1);
  append_record (array, 2);
  g_assert_false (ringal_array_insert_vals (array, 3, &r, 1, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (ringal_array_insert_vals (array, G_MAXSIZE, &r, 1, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (ringal_array_remove_index (array, 2, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (ringal_array_remove_index_fast (array, G_MAXSIZE, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (ringal_array_get_element (array, 2, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  assert_ids (array, (guint64[]) { 1, 2 }, 2);
}

/* D4: the seed's insert into a full buffer wrote past its end, and push
 * never reported full again.  Here every way of adding too much fails
 * with CAPACITY_EXCEEDED, and the array (and its neighbour) is untouched. */
static void
test_full_array (RingalFixture *f,
                 gconstpointer  data)
{
  g_autoptr(RingalArray) array = array_or_fail (f->allocator, sizeof (Record), 8, 3);
  g_autoptr(RingalBuffer) neighbour = ringal_allocator_fixed (f->allocator, 64, NULL);
  Record batch[4] = { record (1), record (2), record (3), record (4) };
  g_autofree guint8 *bytes = g_malloc (2 * sizeof (Record));
  GError *error = NULL;

  ringal_test_write_pattern (neighbour, 64, 99);

  /* more than the capacity at once: nothing is added, not even a part */
  g_assert_false (ringal_array_append_vals (array, batch, 4, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_CAPACITY_EXCEEDED);
  g_clear_error (&error);
  g_assert_cmpuint (ringal_array_get_len (array), ==, 0);

  g_assert_true (ringal_array_append_vals (array, batch, 2, NULL));
  g_assert_false (ringal_array_append_vals (array, batch + 2, 2, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_CAPACITY_EXCEEDED);
  g_clear_error (&error);
  assert_ids (array, (guint64[]) { 1, 2 }, 2);

  g_assert_true (ringal_array_append_vals (array, batch + 2, 1, NULL));
  assert_ids (array, (guint64[]) { 1, 2, 3 }, 3);

  /* full: append, insert anywhere, and the bytes variants all refuse */
  for (gsize at = 0; at <= 3; at++)
    {
      g_assert_false (ringal_array_insert_vals (array, at, batch + 3, 1, &error));
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_CAPACITY_EXCEEDED);
      g_clear_error (&error);
    }
  g_assert_false (ringal_array_append_vals (array, batch + 3, 1, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_CAPACITY_EXCEEDED);
  g_clear_error (&error);
  g_assert_false (ringal_array_append_vals (array, batch, G_MAXSIZE, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_CAPACITY_EXCEEDED);
  g_clear_error (&error);
  ringal_test_fill (bytes, 2 * sizeof (Record), 7);
  g_assert_false (ringal_array_append_data (array, bytes, sizeof (Record), &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_CAPACITY_EXCEEDED);
  g_clear_error (&error);
  g_assert_false (ringal_array_insert_data (array, 1, bytes, sizeof (Record), &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_CAPACITY_EXCEEDED);
  g_clear_error (&error);
  g_assert_true (ringal_array_append_vals (array, NULL, 0, &error));
  g_assert_no_error (error);

  assert_ids (array, (guint64[]) { 1, 2, 3 }, 3);
  ringal_test_assert_pattern (ringal_buffer_get_data (neighbour, NULL), 64, 99);
  ringal_test_assert_ring_valid (f->ring);

  /* and after a removal, there is room for exactly one */
  g_assert_true (ringal_array_remove_index (array, 0, NULL));
  g_assert_true (ringal_array_insert_vals (array, 0, batch + 3, 1, NULL));
  assert_ids (array, (guint64[]) { 4, 2, 3 }, 3);
}

/* D5: count * element_size overflowed in the seed.  The cases of GLib's
 * g_bytes_get_region tests, and the seed's own. */
static void
test_overflow (RingalFixture *f,
               gconstpointer  data)
{
  struct { gsize element_size, count; } cases[] = {
    { 1, G_MAXSIZE },
    { G_MAXSIZE, 1 },
    { G_MAXSIZE, 2 },
    { G_MAXSIZE / 2 + 1, 2 },
    { 2, G_MAXSIZE / 2 + 1 },
    { 8, G_MAXSIZE / 8 + 2 },           /* the seed's: wrapped to 8 bytes */
    { G_MAXSIZE / 8 + 2, 8 },
    { (gsize) 1 << (GLIB_SIZEOF_SIZE_T * 4), (gsize) 1 << (GLIB_SIZEOF_SIZE_T * 4) },  /* exactly 2^64 */
    { G_MAXSIZE / 3 + 1, 3 },
    { 4096, G_MAXSIZE / 4096 },          /* no wrap, but far too large */
  };
  gsize stores = ringal_ring_count_stores ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (gsize align = 1; align <= 4096; align <<= 3)
      {
        GError *error = NULL;

        g_assert_null (ringal_allocator_array (f->allocator, cases[i].element_size, align,
                                               cases[i].count, &error));
        g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
        g_clear_error (&error);
      }
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
  ringal_test_assert_ring_valid (f->ring);
}

/* The largest array that fits, for each alignment, and one element more. */
static void
test_exact_fit (RingalFixture *f,
                gconstpointer  data)
{
  for (gsize align = 1; align <= 4096; align <<= 1)
    {
      gsize max = ringal_ring_max_size (f->ring, RINGAL_ARRAY_PREFIX, align);
      RingalArray *array;
      GError *error = NULL;
      guint8 *elements;

      if (max == 0)
        {
          /* align 4096 in a 4096-byte ring: not even an empty array fits */
          g_assert_null (ringal_allocator_array (f->allocator, 1, align, 0, &error));
          g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
          g_clear_error (&error);
          continue;
        }

      array = array_or_fail (f->allocator, 1, align, max);
      elements = g_malloc (max);
      ringal_test_fill (elements, max, (guint32) align);
      g_assert_true (ringal_array_append_vals (array, elements, max, &error));
      g_assert_no_error (error);
      ringal_test_assert_ring_valid (f->ring);
      ringal_test_assert_pattern (ringal_array_get_data (array, NULL), max, (guint32) align);
      g_free (elements);
      ringal_array_unref (array);

      g_assert_null (ringal_allocator_array (f->allocator, 1, align, max + 1, &error));
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
      g_clear_error (&error);
    }
}

static void
test_invalid_arguments (RingalFixture *f,
                        gconstpointer  data)
{
  gsize bad_aligns[] = { 0, 3, 6, 12, 100, 8192, (gsize) 1 << 20, G_MAXSIZE, G_MAXSIZE / 2 + 1 };
  GError *error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_aligns); i++)
    {
      g_assert_null (ringal_allocator_array (f->allocator, 8, bad_aligns[i], 4, &error));
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }

  g_assert_null (ringal_allocator_array (f->allocator, 0, 8, 4, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (ringal_allocator_array (f->allocator, 0, 8, 0, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

/* An array of no elements is an array of its own, as malloc (0) is. */
static void
test_empty_array (RingalFixture *f,
                  gconstpointer  data)
{
  g_autoptr(RingalArray) a = array_or_fail (f->allocator, 16, 16, 0);
  g_autoptr(RingalArray) b = array_or_fail (f->allocator, 16, 16, 0);
  guint8 element[16] = { 0 };
  g_autoptr(GError) error = NULL;
  gsize n_bytes = 1;

  g_assert_true (ringal_array_get_data (a, NULL) != ringal_array_get_data (b, NULL));
  g_assert_nonnull (ringal_array_get_data (a, &n_bytes));
  g_assert_cmpuint (n_bytes, ==, 0);
  g_assert_false (ringal_array_pop (a, element));
  g_assert_false (ringal_array_append_vals (a, element, 1, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_CAPACITY_EXCEEDED);
}

/* D3: every alignment up to a page is honoured, wherever the head is, and
 * the elements end before the next guard: a neighbour allocated right
 * after keeps its bytes and so does the array. */
static void
test_alignment (RingalFixture *f,
                gconstpointer  data)
{
  guint32 seed = 1;

  for (gsize align = 1; align <= 4096; align <<= 1)
    for (gsize spacer = 0; spacer <= 72; spacer += 24)
      for (gsize element_size = 1; element_size <= 40; element_size += 13)
        {
          g_autoptr(RingalBuffer) before = ringal_allocator_fixed (f->allocator, spacer, NULL);
          gsize count = 1 + (align % 7);
          g_autoptr(RingalArray) array = array_or_fail (f->allocator, element_size, align, count);
          g_autoptr(RingalBuffer) neighbour = NULL;
          g_autofree guint8 *elements = g_malloc (element_size * count);
          guint8 *data_start, *region_end;
          g_autoptr(GError) error = NULL;

          g_assert_nonnull (before);
          ringal_test_write_pattern (before, spacer, seed + 2);
          ringal_test_fill (elements, element_size * count, seed);
          g_assert_true (ringal_array_append_vals (array, elements, count, &error));
          g_assert_no_error (error);

          /* the elements end at or before the region's end */
          data_start = ringal_array_get_data (array, NULL);
          region_end = (guint8 *) ringal_guard_next ((RingalGuard *) array - 1);
          g_assert_cmpuint ((guintptr) data_start % align, ==, 0);
          g_assert_true (data_start + element_size * count <= region_end);

          neighbour = ringal_allocator_fixed (f->allocator, 100, &error);
          g_assert_no_error (error);
          ringal_test_write_pattern (neighbour, 100, seed + 1);

          ringal_test_assert_pattern (data_start, element_size * count, seed);
          ringal_test_assert_pattern (ringal_buffer_get_data (neighbour, NULL), 100, seed + 1);
          ringal_test_assert_pattern (ringal_buffer_get_data (before, NULL), spacer, seed + 2);
          ringal_test_assert_ring_valid (f->ring);
          seed += 3;
        }
}

/* Elements of a page each, at page alignment, fill the ring round and
 * round: every start position of the head meets the padding. */
static void
test_alignment_churn (RingalFixture *f,
                      gconstpointer  data)
{
  RingalArray *window[4] = { NULL };
  guint32 seeds[G_N_ELEMENTS (window)] = { 0 };
  guint32 random = 5;

  for (guint i = 0; i < 3000; i++)
    {
      gsize align = (gsize) 1 << (ringal_test_next_random (&random) % 13);
      gsize element_size = 1 + ringal_test_next_random (&random) % 64;
      gsize count = 1 + ringal_test_next_random (&random) % 16;
      RingalArray **slot = &window[i % G_N_ELEMENTS (window)];
      guint32 *seed = &seeds[i % G_N_ELEMENTS (window)];
      guint8 *elements = g_malloc (element_size * count);
      GError *error = NULL;

      if (*slot != NULL)
        {
          RingalArray *old = *slot;

          ringal_test_assert_pattern (ringal_array_get_data (old, NULL),
                                      ringal_array_get_len (old) * ringal_array_get_element_size (old),
                                      *seed);
          g_clear_pointer (slot, ringal_array_unref);
        }

      *slot = ringal_allocator_array (f->allocator, element_size, align, count, &error);
      if (*slot == NULL)
        {
          /* a page-aligned array may not fit behind the live ones */
          g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
          g_clear_error (&error);
          g_free (elements);
          continue;
        }
      g_assert_cmpuint ((guintptr) ringal_array_get_data (*slot, NULL) % align, ==, 0);
      *seed = i;
      ringal_test_fill (elements, element_size * count, *seed);
      g_assert_true (ringal_array_append_vals (*slot, elements, count, NULL));
      g_free (elements);
      ringal_test_assert_ring_valid (f->ring);
    }

  for (guint k = 0; k < G_N_ELEMENTS (window); k++)
    g_clear_pointer (&window[k], ringal_array_unref);
}

static guint n_cleared;

static void
count_clear (gpointer element)
{
  Record *r = element;

  /* It gets a pointer to the element, whose bytes are still intact. */
  ringal_test_assert_pattern (r->bytes, sizeof r->bytes, (guint32) r->id);
  n_cleared++;
}

/* D6: the seed dropped nothing left in its generic buffers. */
static void
test_clear_func (RingalFixture *f,
                 gconstpointer  data)
{
  RingalArray *array = array_or_fail (f->allocator, sizeof (Record), 8, 10);
  Record out;

  n_cleared = 0;
  ringal_array_set_clear_func (array, count_clear);
  for (guint64 id = 1; id <= 8; id++)
    append_record (array, id);

  g_assert_true (ringal_array_remove_index (array, 0, NULL));
  g_assert_cmpuint (n_cleared, ==, 1);
  g_assert_true (ringal_array_remove_index_fast (array, 0, NULL));
  g_assert_cmpuint (n_cleared, ==, 2);
  /* popped into caller memory: the caller owns it now */
  g_assert_true (ringal_array_pop (array, &out));
  g_assert_cmpuint (n_cleared, ==, 2);
  g_assert_cmpuint (out.id, ==, 7);
  /* popped and dropped */
  g_assert_true (ringal_array_pop (array, NULL));
  g_assert_cmpuint (n_cleared, ==, 3);
  /* failed removals clear nothing */
  g_assert_false (ringal_array_remove_index (array, 10, NULL));
  g_assert_cmpuint (n_cleared, ==, 3);

  /* 4 left; a second reference keeps them */
  g_assert_cmpuint (ringal_array_get_len (array), ==, 4);
  ringal_array_ref (array);
  ringal_array_unref (array);
  g_assert_cmpuint (n_cleared, ==, 3);
  ringal_array_unref (array);
  g_assert_cmpuint (n_cleared, ==, 7);
}

static void
unref_buffer_element (gpointer element)
{
  ringal_buffer_unref (*(RingalBuffer **) element);
}

/* The seed's worst case of D6: ring buffers held in a generic buffer kept
 * their regions locked for ever.  Here they go with the array, and the
 * fixture's teardown proves the whole ring is free again. */
static void
test_array_of_buffers (RingalFixture *f,
                       gconstpointer  data)
{
  RingalArray *array = array_or_fail (f->allocator, sizeof (RingalBuffer *), G_ALIGNOF (RingalBuffer *), 16);

  ringal_array_set_clear_func (array, unref_buffer_element);
  for (guint i = 0; i < 16; i++)
    {
      RingalBuffer *buffer = ringal_allocator_fixed (f->allocator, 100, NULL);

      g_assert_nonnull (buffer);
      ringal_test_write_pattern (buffer, 100, i);
      g_assert_true (ringal_array_append_vals (array, &buffer, 1, NULL));
    }
  for (guint i = 0; i < 16; i++)
    ringal_test_assert_pattern (ringal_buffer_get_data (ringal_array_index (array, RingalBuffer *, i), NULL),
                                100, i);
  g_assert_true (ringal_array_remove_index (array, 3, NULL));
  ringal_array_unref (array);
}

static void
test_bytes_for_bindings (RingalFixture *f,
                         gconstpointer  data)
{
  g_autoptr(RingalArray) array = array_or_fail (f->allocator, 6, 2, 5);
  guint8 bytes[30];
  g_autoptr(GBytes) element = NULL;
  GError *error = NULL;
  gsize n_bytes;

  ringal_test_fill (bytes, sizeof bytes, 3);
  g_assert_true (ringal_array_append_data (array, bytes, 12, &error));
  g_assert_true (ringal_array_insert_data (array, 0, bytes + 12, 6, &error));
  g_assert_no_error (error);

  /* not a whole number of elements: nothing is added */
  g_assert_false (ringal_array_append_data (array, bytes, 7, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (ringal_array_insert_data (array, 1, bytes, 5, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  ringal_array_get_data (array, &n_bytes);
  g_assert_cmpuint (n_bytes, ==, 18);
  g_assert_cmpmem (ringal_array_get_data (array, NULL), 6, bytes + 12, 6);
  g_assert_cmpmem ((guint8 *) ringal_array_get_data (array, NULL) + 6, 12, bytes, 12);

  element = ringal_array_get_element (array, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (element, NULL), g_bytes_get_size (element), bytes + 6, 6);
  /* a copy, not a view: later changes do not show */
  g_assert_true (ringal_array_remove_index (array, 0, NULL));
  g_assert_cmpmem (g_bytes_get_data (element, NULL), 6, bytes + 6, 6);
}

typedef struct {
  RingalTestChannel channel;
  guint             cleared;
  guint             mismatches;
} Releaser;

static __thread Releaser *current_releaser;

static void
count_clear_in_thread (gpointer element)
{
  Record *r = element;

  if (!ringal_test_pattern_holds (r->bytes, sizeof r->bytes, (guint32) r->id))
    current_releaser->mismatches++;
  current_releaser->cleared++;
}

static void *
release_arrays (void *data)
{
  Releaser *releaser = data;
  RingalArray *array;

  current_releaser = releaser;
  while ((array = ringal_test_channel_pop (&releaser->channel)) != NULL)
    ringal_array_unref (array);
  return NULL;
}

/* Arrays go back to the ring from another thread, clear functions and all,
 * and the producer keeps allocating behind them. */
static void
test_release_from_another_thread (RingalFixture *f,
                                  gconstpointer  data)
{
  Releaser releaser = { 0 };
  pthread_t thread;
  guint expected = 0, full = 0;

  pthread_create (&thread, NULL, release_arrays, &releaser);
  for (guint i = 0; i < 5000; i++)
    {
      gsize count = 1 + i % 5;
      RingalArray *array;

      while ((array = ringal_allocator_array (f->allocator, sizeof (Record), 64, count, NULL)) == NULL)
        {
          full++;
          sched_yield ();
        }
      ringal_array_set_clear_func (array, count_clear_in_thread);
      for (gsize k = 0; k < count; k++)
        append_record (array, i * 8 + k);
      expected += count;
      ringal_test_channel_push (&releaser.channel, array);
    }
  ringal_test_channel_push (&releaser.channel, NULL);
  pthread_join (thread, NULL);

  g_assert_cmpuint (releaser.mismatches, ==, 0);
  g_assert_cmpuint (releaser.cleared, ==, expected);
  g_test_message ("the ring was full %u times", full);
}

static void
test_null_self (void)
{
  g_autoptr(GError) error = NULL;

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*RINGAL_IS_ALLOCATOR*");
  g_assert_null (ringal_allocator_array (NULL, 8, 8, 1, &error));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*self != NULL*");
  g_assert_false (ringal_array_append_vals (NULL, "x", 1, &error));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*self != NULL*");
  g_assert_false (ringal_array_pop (NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*self != NULL*");
  ringal_array_unref (NULL);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
}

static void
test_null_data (RingalFixture *f,
                gconstpointer  data)
{
  g_autoptr(RingalArray) array = array_or_fail (f->allocator, 4, 4, 4);

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*data != NULL || len == 0*");
  g_assert_false (ringal_array_append_vals (array, NULL, 2, NULL));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (ringal_array_get_len (array), ==, 0);
}

/* Arrays obey the allocator's rules like every allocation. */
static void
test_busy (RingalFixture *f,
           gconstpointer  data)
{
  g_autoptr(RingalBuffer) open = ringal_allocator_extendable (f->allocator, 8, NULL);
  g_autoptr(RingalBuffer) closed = NULL;
  g_autoptr(RingalArray) array = NULL;
  GError *error = NULL;

  g_assert_null (ringal_allocator_array (f->allocator, 8, 8, 2, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_BUSY);
  g_clear_error (&error);

  closed = ringal_buffer_finalize (open, NULL);
  array = ringal_allocator_array (f->allocator, 8, 8, 2, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ringal_test_add ("/Ringal/Array/seed-generic", test_seed_generic);
  ringal_test_add ("/Ringal/Array/append-insert-remove", test_append_insert_remove);
  ringal_test_add ("/Ringal/Array/bad-index", test_bad_index);
  ringal_test_add ("/Ringal/Array/full", test_full_array);
  ringal_test_add ("/Ringal/Array/overflow", test_overflow);
  ringal_test_add ("/Ringal/Array/exact-fit", test_exact_fit);
  ringal_test_add ("/Ringal/Array/invalid-arguments", test_invalid_arguments);
  ringal_test_add ("/Ringal/Array/empty", test_empty_array);
  ringal_test_add_sized ("/Ringal/Array/alignment", 64 * 1024, test_alignment);
  ringal_test_add_sized ("/Ringal/Array/alignment-churn", 32 * 1024, test_alignment_churn);
  ringal_test_add ("/Ringal/Array/clear-func", test_clear_func);
  ringal_test_add ("/Ringal/Array/array-of-buffers", test_array_of_buffers);
  ringal_test_add ("/Ringal/Array/bytes-for-bindings", test_bytes_for_bindings);
  ringal_test_add_sized ("/Ringal/Array/release-from-another-thread", 4096,
                         test_release_from_another_thread);
  ringal_test_add ("/Ringal/Array/busy", test_busy);
  ringal_test_add ("/Ringal/Array/null-data", test_null_data);
  g_test_add_func ("/Ringal/Array/null-self", test_null_self);

  return g_test_run ();
}
