/* test-gst-memory.c: RingalGstAllocator as GStreamer's gstmemory.c checks
 * its own allocators, plus what a ring adds: the header in the ring,
 * release from any thread and in any order, the fallback and the wait.
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include <ringal-gst/ringal-gst.h>

#include "gst-test-utils.h"

/* Each test gets its own ring, owned by the test thread, and an allocator
 * over it; at the end every byte must be back in the ring. */
typedef struct {
  RingalAllocator    *ring;
  GstAllocator       *allocator;
  RingalGstAllocator *ringal;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  gsize capacity = data != NULL ? GPOINTER_TO_SIZE (data) : 64 * 1024;

  f->ring = ringal_allocator_new (capacity);
  f->allocator = ringal_gst_allocator_new (f->ring);
  f->ringal = RINGAL_GST_ALLOCATOR (f->allocator);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), ==, 0);
  gst_test_assert_ring_whole (f->ring);
  gst_clear_object (&f->allocator);
  g_clear_object (&f->ring);
}

#define add_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define add_test_sized(path, capacity, func) \
  g_test_add (path, Fixture, GSIZE_TO_POINTER (capacity), fixture_set_up, func, fixture_tear_down)

static GstMemory *
alloc (Fixture *f,
       gsize    size)
{
  GstMemory *mem = gst_allocator_alloc (f->allocator, size, NULL);

  g_assert_nonnull (mem);
  g_assert_true (gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE));
  return mem;
}

static void
test_find (void)
{
  g_autoptr(GstAllocator) found = NULL;
  GstMemory *mem;

  ringal_gst_init ();
  ringal_gst_init ();
  found = gst_allocator_find (RINGAL_GST_ALLOCATOR_NAME);
  g_assert_nonnull (found);
  g_assert_true (RINGAL_GST_IS_ALLOCATOR (found));
  g_assert_cmpstr (found->mem_type, ==, RINGAL_GST_MEMORY_TYPE);
  g_assert_null (ringal_gst_allocator_get_ring (RINGAL_GST_ALLOCATOR (found)));
  g_assert_cmpint (ringal_gst_allocator_get_full_policy (RINGAL_GST_ALLOCATOR (found)), ==,
                   RINGAL_GST_FULL_POLICY_FALLBACK);

  /* From this thread's own ring. */
  mem = gst_allocator_alloc (found, 100, NULL);
  g_assert_true (gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE));
  g_assert_cmpuint (gst_test_ring_bytes_in_use (ringal_allocator_get_thread_default ()), >=, 100);
  gst_memory_unref (mem);
  g_assert_cmpuint (gst_test_ring_bytes_in_use (ringal_allocator_get_thread_default ()), ==, 0);
}

static void
test_submemory (Fixture       *f,
                gconstpointer  data)
{
  GstMemory *memory, *sub;
  GstMapInfo info, sinfo;

  memory = alloc (f, 4);
  g_assert_true (gst_memory_map (memory, &info, GST_MAP_WRITE));
  g_assert_cmpuint (info.size, ==, 4);
  g_assert_cmpuint (info.maxsize, >=, 4);
  memcpy (info.data, "abcd", 4);
  gst_memory_unmap (memory, &info);

  g_assert_true (gst_memory_map (memory, &info, GST_MAP_READ));
  sub = gst_memory_share (memory, 1, 2);
  g_assert_nonnull (sub);
  g_assert_true (sub->parent == memory);
  g_assert_true (gst_memory_map (sub, &sinfo, GST_MAP_READ));
  g_assert_cmpuint (sinfo.size, ==, 2);
  g_assert_true (sinfo.data == info.data + 1);  /* shared, not copied */
  g_assert_cmpmem (sinfo.data, 2, "bc", 2);
  g_assert_cmpint (GST_MINI_OBJECT_REFCOUNT_VALUE (sub), ==, 1);
  g_assert_true (GST_MEMORY_IS_READONLY (sub));
  gst_memory_unmap (sub, &sinfo);
  gst_memory_unref (sub);

  /* Of size 0, and of a sub-memory: the parent stays the root. */
  sub = gst_memory_share (memory, 1, 0);
  g_assert_true (gst_memory_map (sub, &sinfo, GST_MAP_READ));
  g_assert_cmpuint (sinfo.size, ==, 0);
  gst_memory_unmap (sub, &sinfo);
  {
    GstMemory *subsub = gst_memory_share (sub, 0, 0);

    g_assert_true (subsub->parent == memory);
    gst_memory_unref (subsub);
  }
  gst_memory_unref (sub);

  sub = gst_memory_share (memory, 0, -1);
  g_assert_cmpuint (gst_memory_get_sizes (sub, NULL, NULL), ==, 4);
  gst_memory_unref (sub);
  gst_memory_unmap (memory, &info);

  /* A memory mapped for writing cannot be shared. */
  g_assert_true (gst_memory_map (memory, &info, GST_MAP_WRITE));
  g_assert_null (gst_memory_share (memory, 0, 4));
  gst_memory_unmap (memory, &info);
  gst_memory_unref (memory);
}

/* The parent outlives its owner's reference while a sub-memory holds it,
 * and the ring region goes back only when both are gone. */
static void
test_submemory_keeps_parent (Fixture       *f,
                             gconstpointer  data)
{
  GstMemory *memory = alloc (f, 64);
  GstMemory *sub;
  GstMapInfo info;

  g_assert_true (gst_memory_map (memory, &info, GST_MAP_WRITE));
  gst_test_fill (info.data, 64, 7);
  gst_memory_unmap (memory, &info);
  sub = gst_memory_share (memory, 8, 32);
  gst_memory_unref (memory);

  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), >=, 64);
  g_assert_true (gst_memory_map (sub, &info, GST_MAP_READ));
  g_assert_true (gst_test_pattern_holds (info.data - 8, 64, 7));
  gst_memory_unmap (sub, &info);
  gst_memory_unref (sub);
}

static void
test_submemory_writable (Fixture       *f,
                         gconstpointer  data)
{
  GstAllocationParams params;
  GstMemory *mem, *sub;
  GstMapInfo info;

  gst_allocation_params_init (&params);
  params.flags = GST_MEMORY_FLAG_READONLY;
  mem = gst_allocator_alloc (f->allocator, 26, &params);
  g_assert_true (GST_MEMORY_IS_READONLY (mem));

  sub = gst_memory_share (mem, 0, 8);
  g_assert_true (GST_MEMORY_IS_READONLY (sub));
  g_assert_false (gst_memory_map (mem, &info, GST_MAP_WRITE));
  g_assert_false (gst_memory_map (sub, &info, GST_MAP_WRITE));
  gst_memory_unref (sub);
  gst_memory_unref (mem);
}

static void
test_writable (Fixture       *f,
               gconstpointer  data)
{
  GstAllocationParams params;
  GstMemory *mem, *copy;
  GstMapInfo info;

  gst_allocation_params_init (&params);
  params.flags = GST_MEMORY_FLAG_READONLY;
  mem = gst_allocator_alloc (f->allocator, 26, &params);
  g_assert_false (gst_memory_map (mem, &info, GST_MAP_WRITE));
  g_assert_true (gst_memory_map (mem, &info, GST_MAP_READ));
  gst_memory_unmap (mem, &info);
  g_assert_false (gst_memory_map (mem, &info, GST_MAP_WRITE));

  copy = gst_memory_copy (mem, 0, -1);
  g_assert_true (GST_MEMORY_IS_READONLY (mem));
  g_assert_false (GST_MEMORY_IS_READONLY (copy));
  g_assert_true (gst_memory_map (copy, &info, GST_MAP_WRITE));
  info.data[4] = 'a';
  gst_memory_unmap (copy, &info);

  gst_memory_ref (copy);
  g_assert_false (gst_memory_map (mem, &info, GST_MAP_WRITE));
  gst_memory_unref (copy);
  g_assert_true (gst_memory_map (copy, &info, GST_MAP_WRITE));
  info.data[5] = 'b';
  gst_memory_unmap (copy, &info);

  gst_memory_unref (copy);
  gst_memory_unref (mem);
}

static void
test_is_span (Fixture       *f,
              gconstpointer  data)
{
  GstMemory *memory, *sub1, *sub2, *other;
  GstBuffer *buffer;
  GstMapInfo info, whole;
  gsize offset = 99;

  memory = alloc (f, 4);
  g_assert_true (gst_memory_map (memory, &whole, GST_MAP_WRITE));
  memcpy (whole.data, "wxyz", 4);
  gst_memory_unmap (memory, &whole);

  sub1 = gst_memory_share (memory, 0, 2);
  sub2 = gst_memory_share (memory, 2, 2);
  g_assert_false (gst_memory_is_span (memory, sub2, NULL));
  g_assert_false (gst_memory_is_span (sub1, memory, NULL));
  g_assert_true (gst_memory_is_span (sub1, sub2, &offset));
  g_assert_cmpuint (offset, ==, 0);
  g_assert_false (gst_memory_is_span (sub2, sub1, NULL));

  /* Adjacent ring regions of different memories are not a span. */
  other = alloc (f, 4);
  g_assert_false (gst_memory_is_span (memory, other, NULL));
  gst_memory_unref (other);

  /* A buffer made of the two maps as one block, without a copy. */
  buffer = gst_buffer_new ();
  gst_buffer_append_memory (buffer, sub1);
  gst_buffer_append_memory (buffer, sub2);
  g_assert_true (gst_memory_map (memory, &whole, GST_MAP_READ));
  g_assert_true (gst_buffer_map (buffer, &info, GST_MAP_READ));
  g_assert_true (info.data == whole.data);
  g_assert_cmpmem (info.data, info.size, "wxyz", 4);
  gst_buffer_unmap (buffer, &info);
  gst_memory_unmap (memory, &whole);
  gst_buffer_unref (buffer);
  gst_memory_unref (memory);
}

static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  GstMemory *memory, *copy;
  GstMapInfo info, cinfo;

  memory = alloc (f, 40);
  g_assert_true (gst_memory_map (memory, &info, GST_MAP_WRITE));
  gst_test_fill (info.data, 40, 3);
  gst_memory_unmap (memory, &info);

  copy = gst_memory_copy (memory, 0, -1);
  g_assert_true (copy != memory);
  g_assert_true (gst_memory_is_type (copy, RINGAL_GST_MEMORY_TYPE));
  g_assert_cmpint (GST_MINI_OBJECT_REFCOUNT_VALUE (memory), ==, 1);
  g_assert_cmpint (GST_MINI_OBJECT_REFCOUNT_VALUE (copy), ==, 1);
  g_assert_true (gst_memory_map (memory, &info, GST_MAP_READ));
  g_assert_true (gst_memory_map (copy, &cinfo, GST_MAP_READ));
  g_assert_true (info.data != cinfo.data);
  g_assert_cmpmem (info.data, info.size, cinfo.data, cinfo.size);
  gst_memory_unmap (copy, &cinfo);
  gst_memory_unref (copy);

  /* Part of it, and from a resized memory. */
  copy = gst_memory_copy (memory, 10, 5);
  g_assert_true (gst_memory_map (copy, &cinfo, GST_MAP_READ));
  g_assert_cmpmem (info.data + 10, 5, cinfo.data, cinfo.size);
  gst_memory_unmap (copy, &cinfo);
  gst_memory_unref (copy);
  gst_memory_unmap (memory, &info);

  gst_memory_resize (memory, 4, 30);
  copy = gst_memory_copy (memory, 2, -1);
  g_assert_true (gst_memory_map (memory, &info, GST_MAP_READ));
  g_assert_true (gst_memory_map (copy, &cinfo, GST_MAP_READ));
  g_assert_cmpmem (info.data + 2, 28, cinfo.data, cinfo.size);
  gst_memory_unmap (copy, &cinfo);
  gst_memory_unmap (memory, &info);
  gst_memory_unref (copy);
  gst_memory_unref (memory);

  /* Copying a 0-sized memory does not crash. */
  memory = alloc (f, 0);
  g_assert_true (gst_memory_map (memory, &info, GST_MAP_READ));
  g_assert_cmpuint (info.size, ==, 0);
  gst_memory_unmap (memory, &info);
  copy = gst_memory_copy (memory, 0, -1);
  g_assert_true (gst_memory_map (copy, &info, GST_MAP_READ));
  g_assert_cmpuint (info.size, ==, 0);
  gst_memory_unmap (copy, &info);
  gst_memory_unref (copy);
  gst_memory_unref (memory);
}

static void
test_try_new_and_alloc (Fixture       *f,
                        gconstpointer  data)
{
  GstMemory *mem;
  GstMapInfo info;
  gsize size = 640 * 480 * 4;

  mem = alloc (f, 0);
  g_assert_true (gst_memory_map (mem, &info, GST_MAP_READ));
  g_assert_cmpuint (info.size, ==, 0);
  gst_memory_unmap (mem, &info);
  gst_memory_unref (mem);

  /* Larger than the ring: system memory, and counted. */
  mem = gst_allocator_alloc (f->allocator, size, NULL);
  g_assert_nonnull (mem);
  g_assert_true (gst_memory_is_type (mem, GST_ALLOCATOR_SYSMEM));
  g_assert_cmpuint (ringal_gst_allocator_get_n_fallbacks (f->ringal), ==, 1);
  g_assert_true (gst_memory_map (mem, &info, GST_MAP_WRITE));
  g_assert_cmpuint (info.size, ==, size);
  info.data[640 * 479 * 4 + 479] = 0xff;
  gst_memory_unmap (mem, &info);
  gst_memory_unref (mem);
}

static void
test_resize (Fixture       *f,
             gconstpointer  data)
{
  GstMemory *mem = alloc (f, 100);
  gsize size, offset, maxalloc, maxsize;

  size = gst_memory_get_sizes (mem, &offset, &maxalloc);
  g_assert_cmpuint (size, ==, 100);
  g_assert_cmpuint (offset, ==, 0);
  g_assert_cmpuint (maxalloc, >=, 100);

  g_test_expect_message ("GStreamer", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  gst_memory_resize (mem, 200, 50);
  g_test_assert_expected_messages ();
  g_test_expect_message ("GStreamer", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  gst_memory_resize (mem, 1, maxalloc);
  g_test_assert_expected_messages ();

  gst_memory_resize (mem, 1, 99);
  size = gst_memory_get_sizes (mem, &offset, &maxsize);
  g_assert_cmpuint (size, ==, 99);
  g_assert_cmpuint (offset, ==, 1);
  g_assert_cmpuint (maxsize, ==, maxalloc);

  gst_memory_resize (mem, -1, 100);
  gst_memory_resize (mem, 50, 40);
  size = gst_memory_get_sizes (mem, &offset, &maxsize);
  g_assert_cmpuint (size, ==, 40);
  g_assert_cmpuint (offset, ==, 50);
  gst_memory_resize (mem, -50, 100);
  size = gst_memory_get_sizes (mem, &offset, &maxsize);
  g_assert_cmpuint (size, ==, 100);
  g_assert_cmpuint (offset, ==, 0);
  g_assert_cmpuint (maxsize, ==, maxalloc);
  gst_memory_unref (mem);
}

static void
test_map (Fixture       *f,
          gconstpointer  data)
{
  GstMemory *mem = alloc (f, 100);
  GstMapInfo info;
  gsize maxalloc;

  gst_memory_get_sizes (mem, NULL, &maxalloc);
  g_assert_true (gst_memory_map (mem, &info, GST_MAP_READ));
  g_assert_nonnull (info.data);
  g_assert_cmpuint (info.size, ==, 100);
  g_assert_cmpuint (info.maxsize, ==, maxalloc);
  g_assert_cmpint (GST_MINI_OBJECT_REFCOUNT_VALUE (mem), ==, 1);
  gst_memory_unmap (mem, &info);
  g_assert_cmpint (GST_MINI_OBJECT_REFCOUNT_VALUE (mem), ==, 1);
  gst_memory_unref (mem);
}

static void
test_map_nested (Fixture       *f,
                 gconstpointer  data)
{
  GstMemory *mem = alloc (f, 100);
  GstMapInfo info1, info2;

  g_assert_true (gst_memory_map (mem, &info1, GST_MAP_READ));
  g_assert_true (gst_memory_map (mem, &info2, GST_MAP_READ));
  g_assert_true (info2.data == info1.data);
  gst_memory_unmap (mem, &info2);
  gst_memory_unmap (mem, &info1);

  g_assert_true (gst_memory_map (mem, &info1, GST_MAP_READ));
  g_assert_false (gst_memory_map (mem, &info2, GST_MAP_WRITE));
  g_assert_false (gst_memory_map (mem, &info2, GST_MAP_READWRITE));
  g_assert_true (gst_memory_map (mem, &info2, GST_MAP_READ));
  gst_memory_unmap (mem, &info2);
  gst_memory_unmap (mem, &info1);

  g_assert_true (gst_memory_map (mem, &info1, GST_MAP_WRITE));
  g_assert_false (gst_memory_map (mem, &info2, GST_MAP_READ));
  g_assert_true (gst_memory_map (mem, &info2, GST_MAP_WRITE));
  gst_memory_unmap (mem, &info1);
  gst_memory_unmap (mem, &info2);
  gst_memory_unref (mem);
}

static void
test_map_resize (Fixture       *f,
                 gconstpointer  data)
{
  GstMemory *mem = alloc (f, 100);
  GstMapInfo info;
  gsize size, offset, maxalloc;

  g_assert_true (gst_memory_map (mem, &info, GST_MAP_READ));
  gst_memory_resize (mem, 1, info.size - 1);
  gst_memory_unmap (mem, &info);
  size = gst_memory_get_sizes (mem, &offset, &maxalloc);
  g_assert_cmpuint (size, ==, 99);
  g_assert_cmpuint (offset, ==, 1);

  g_assert_true (gst_memory_map (mem, &info, GST_MAP_READ));
  g_assert_cmpuint (info.size, ==, 99);
  g_assert_cmpuint (info.maxsize, >=, 99);
  gst_memory_resize (mem, -1, 100);
  gst_memory_unmap (mem, &info);
  size = gst_memory_get_sizes (mem, &offset, &maxalloc);
  g_assert_cmpuint (size, ==, 100);
  g_assert_cmpuint (offset, ==, 0);
  gst_memory_unref (mem);
}

/* Prefix and padding are cleared when the flags ask for it.  Memories of
 * one size tile the ring the same way on every lap, so from the second
 * lap on each lands on bytes that the previous lap dirtied: without the
 * clearing, the check would see them. */
static void
test_alloc_params (Fixture       *f,
                   gconstpointer  data)
{
  static const guint8 zeroes[10] = { 0 };
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  GstAllocationParams params;
  guint n_reused = 0;

  gst_allocation_params_init (&params);
  params.padding = 10;
  params.prefix = 10;
  params.flags = GST_MEMORY_FLAG_ZERO_PREFIXED | GST_MEMORY_FLAG_ZERO_PADDED;
  for (guint i = 0; i < 1000; i++)
    {
      GstMemory *mem;
      GstMapInfo info;
      gsize size, offset, maxalloc;

      mem = gst_allocator_alloc (f->allocator, 100, &params);
      g_assert_true (gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE));

      size = gst_memory_get_sizes (mem, &offset, &maxalloc);
      g_assert_cmpuint (size, ==, 100);
      g_assert_cmpuint (offset, ==, 10);
      g_assert_cmpuint (maxalloc, >=, 120);
      g_assert_true (GST_MEMORY_FLAG_IS_SET (mem, GST_MEMORY_FLAG_ZERO_PREFIXED));
      g_assert_true (GST_MEMORY_FLAG_IS_SET (mem, GST_MEMORY_FLAG_ZERO_PADDED));

      g_assert_true (gst_memory_map (mem, &info, GST_MAP_WRITE));
      g_assert_cmpuint (info.size, ==, 100);
      g_assert_cmpmem (info.data - 10, 10, zeroes, 10);
      g_assert_cmpmem (info.data + 100, maxalloc - 110, zeroes, maxalloc - 110);
      n_reused += !g_hash_table_add (seen, info.data);
      memset (info.data - 10, 0xa5, maxalloc);
      gst_memory_unmap (mem, &info);
      gst_memory_unref (mem);
    }
  /* Most of them landed where an earlier one left 0xa5. */
  g_assert_cmpuint (n_reused, >, 500);
}

/* Every alignment mask up to 4095 is served from the ring with the data
 * aligned (the start of the memory, before the prefix, as GStreamer's
 * own allocator does); the whole of maxsize is writable without harming
 * the ring; larger masks get aligned system memory. */
static void
test_alignment (Fixture       *f,
                gconstpointer  data)
{
  for (gsize align = 0; align <= 8191; align = align * 2 + 1)
    {
      GstAllocationParams params;
      GstMemory *mems[4];

      gst_allocation_params_init (&params);
      params.align = align;
      for (guint i = 0; i < G_N_ELEMENTS (mems); i++)
        {
          GstMapInfo info;
          gsize offset, maxsize;

          params.prefix = i * 3;
          params.padding = i * 5;
          mems[i] = gst_allocator_alloc (f->allocator, 33 * i + 1, &params);
          g_assert_nonnull (mems[i]);
          g_assert_true (gst_memory_is_type (mems[i], align < 4096 ? RINGAL_GST_MEMORY_TYPE
                                                                   : GST_ALLOCATOR_SYSMEM));
          gst_memory_get_sizes (mems[i], &offset, &maxsize);
          g_assert_cmpuint (offset, ==, params.prefix);
          g_assert_cmpuint (maxsize, >=, params.prefix + 33 * i + 1 + params.padding);
          g_assert_true (gst_memory_map (mems[i], &info, GST_MAP_WRITE));
          g_assert_cmpuint ((guintptr) (info.data - offset) & align, ==, 0);
          gst_test_fill (info.data - offset, maxsize, (guint32) (align + i));
          gst_memory_unmap (mems[i], &info);
        }
      for (guint i = 0; i < G_N_ELEMENTS (mems); i++)
        {
          GstMapInfo info;
          gsize offset, maxsize;

          gst_memory_get_sizes (mems[i], &offset, &maxsize);
          g_assert_true (gst_memory_map (mems[i], &info, GST_MAP_READ));
          g_assert_true (gst_test_pattern_holds (info.data - offset, maxsize, (guint32) (align + i)));
          gst_memory_unmap (mems[i], &info);
          gst_memory_unref (mems[i]);
        }
      gst_test_assert_ring_whole (f->ring);
    }
  g_assert_cmpuint (ringal_gst_allocator_get_n_fallbacks (f->ringal), ==, 4);
}

static void
test_lock (Fixture       *f,
           gconstpointer  data)
{
  GstMemory *mem = alloc (f, 10);

  g_assert_true (gst_memory_lock (mem, GST_LOCK_FLAG_WRITE | GST_LOCK_FLAG_EXCLUSIVE));
  g_assert_false (gst_memory_lock (mem, GST_LOCK_FLAG_EXCLUSIVE));
  g_assert_true (gst_memory_lock (mem, GST_LOCK_FLAG_WRITE));
  gst_memory_unlock (mem, GST_LOCK_FLAG_WRITE | GST_LOCK_FLAG_EXCLUSIVE);
  gst_memory_unlock (mem, GST_LOCK_FLAG_WRITE);

  g_assert_true (gst_memory_lock (mem, GST_LOCK_FLAG_READ | GST_LOCK_FLAG_EXCLUSIVE));
  g_assert_true (gst_memory_lock (mem, GST_LOCK_FLAG_READ | GST_LOCK_FLAG_EXCLUSIVE));
  gst_memory_unlock (mem, GST_LOCK_FLAG_READ | GST_LOCK_FLAG_EXCLUSIVE);
  gst_memory_unlock (mem, GST_LOCK_FLAG_READ | GST_LOCK_FLAG_EXCLUSIVE);

  g_assert_true (gst_memory_lock (mem, GST_LOCK_FLAG_READWRITE | GST_LOCK_FLAG_EXCLUSIVE));
  g_assert_true (gst_memory_lock (mem, GST_LOCK_FLAG_READ));
  g_assert_false (gst_memory_lock (mem, GST_LOCK_FLAG_READ | GST_LOCK_FLAG_EXCLUSIVE));
  g_assert_false (gst_memory_lock (mem, GST_LOCK_FLAG_EXCLUSIVE));
  g_assert_true (gst_memory_lock (mem, GST_LOCK_FLAG_WRITE));
  gst_memory_unlock (mem, GST_LOCK_FLAG_WRITE);
  gst_memory_unlock (mem, GST_LOCK_FLAG_READ);
  gst_memory_unlock (mem, GST_LOCK_FLAG_READWRITE | GST_LOCK_FLAG_EXCLUSIVE);
  gst_memory_unref (mem);
}

/* The GstMemory header is in the same ring block as the data: one ring
 * region per memory, and nothing else. */
static void
test_header_in_ring (Fixture       *f,
                     gconstpointer  data)
{
  for (gsize align = 7; align <= 4095; align = align * 2 + 1)
    {
      GstAllocationParams params;
      GstMemory *mem;
      GstMapInfo info;
      gsize before = gst_test_ring_regions (f->ring);

      gst_allocation_params_init (&params);
      params.align = align;
      mem = gst_allocator_alloc (f->allocator, 1000, &params);
      g_assert_true (gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE));
      g_assert_cmpuint (gst_test_ring_regions (f->ring), ==, before + 1);
      g_assert_true (gst_memory_map (mem, &info, GST_MAP_READ));
      /* in front of the data, or right after it */
      g_assert_true ((guint8 *) mem + 4096 > info.data);
      g_assert_true ((guint8 *) mem < info.data + 1000 + 16);
      g_assert_true ((guint8 *) mem + sizeof (GstMemory) <= info.data ||
                     (guint8 *) mem >= info.data + 1000);
      gst_memory_unmap (mem, &info);
      gst_memory_unref (mem);
    }
}

/* Memories released in any order, each checked first. */
static void
test_out_of_order_release (Fixture       *f,
                           gconstpointer  data)
{
  GstMemory *mems[64];
  guint order[G_N_ELEMENTS (mems)];
  guint32 random = 5;

  for (guint round = 0; round < 20; round++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (mems); i++)
        {
          GstMapInfo info;

          mems[i] = alloc (f, 1 + gst_test_next_random (&random) % 600);
          g_assert_true (gst_memory_map (mems[i], &info, GST_MAP_WRITE));
          gst_test_fill (info.data, info.size, round * 100 + i);
          gst_memory_unmap (mems[i], &info);
          order[i] = i;
        }
      for (guint i = G_N_ELEMENTS (order) - 1; i > 0; i--)
        {
          guint j = gst_test_next_random (&random) % (i + 1);
          guint t = order[i];

          order[i] = order[j];
          order[j] = t;
        }
      for (guint i = 0; i < G_N_ELEMENTS (mems); i++)
        {
          GstMemory *mem = mems[order[i]];
          GstMapInfo info;

          g_assert_true (gst_memory_map (mem, &info, GST_MAP_READ));
          g_assert_true (gst_test_pattern_holds (info.data, info.size, round * 100 + order[i]));
          gst_memory_unmap (mem, &info);
          gst_memory_unref (mem);
        }
      g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), ==, 0);
    }
  g_assert_cmpuint (ringal_gst_allocator_get_n_fallbacks (f->ringal), ==, 0);
}

static gpointer
unref_memories (gpointer data)
{
  GPtrArray *mems = data;

  for (guint i = 0; i < mems->len; i++)
    {
      GstMapInfo info;

      g_assert_true (gst_memory_map (mems->pdata[i], &info, GST_MAP_READ));
      g_assert_true (gst_test_pattern_holds (info.data, info.size, i));
      gst_memory_unmap (mems->pdata[i], &info);
    }
  g_ptr_array_unref (mems);  /* frees them, here */
  return NULL;
}

static void
test_release_on_another_thread (Fixture       *f,
                                gconstpointer  data)
{
  GPtrArray *mems = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_memory_unref);

  for (guint i = 0; i < 100; i++)
    {
      GstMemory *mem = alloc (f, 100 + i);
      GstMapInfo info;

      g_assert_true (gst_memory_map (mem, &info, GST_MAP_WRITE));
      gst_test_fill (info.data, info.size, i);
      gst_memory_unmap (mem, &info);
      g_ptr_array_add (mems, mem);
    }
  /* Sub-memories too: their headers are in the ring as well. */
  g_ptr_array_add (mems, gst_memory_share (mems->pdata[0], 0, -1));
  gst_memory_unref (g_ptr_array_steal_index (mems, mems->len - 1));

  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), >, 100 * 100);
  g_thread_join (g_thread_new ("unref", unref_memories, mems));
  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), ==, 0);
}

/* Several streaming threads allocate, each from its own ring, through
 * one registered allocator; a consumer checks and frees everything. */
#define N_PRODUCERS 4
#define N_PER_PRODUCER 20000

typedef struct {
  GAsyncQueue  *queue;
  guint         index;
} Producer;

static gpointer
produce (gpointer data)
{
  Producer *producer = data;
  g_autoptr(GstAllocator) allocator = gst_allocator_find (RINGAL_GST_ALLOCATOR_NAME);
  guint32 random = producer->index + 1;

  for (guint i = 0; i < N_PER_PRODUCER; i++)
    {
      gsize size = 8 + gst_test_next_random (&random) % 500;
      GstMemory *mem = gst_allocator_alloc (allocator, size, NULL);
      GstMapInfo info;

      g_assert_true (gst_memory_map (mem, &info, GST_MAP_WRITE));
      GST_WRITE_UINT32_LE (info.data, producer->index);
      GST_WRITE_UINT32_LE (info.data + 4, i);
      gst_test_fill (info.data + 8, size - 8, producer->index * N_PER_PRODUCER + i);
      gst_memory_unmap (mem, &info);
      g_async_queue_push (producer->queue, mem);
    }
  return NULL;
}

static void
test_streaming_threads (void)
{
  g_autoptr(GAsyncQueue) queue = g_async_queue_new ();
  g_autoptr(GstAllocator) allocator = NULL;
  Producer producers[N_PRODUCERS];
  GThread *threads[N_PRODUCERS];
  guint next[N_PRODUCERS] = { 0 };
  guint n_ring = 0;

  ringal_gst_init ();
  allocator = gst_allocator_find (RINGAL_GST_ALLOCATOR_NAME);
  ringal_gst_allocator_set_full_policy (RINGAL_GST_ALLOCATOR (allocator), RINGAL_GST_FULL_POLICY_WAIT);
  ringal_gst_allocator_set_wait_timeout (RINGAL_GST_ALLOCATOR (allocator), -1);

  for (guint p = 0; p < N_PRODUCERS; p++)
    {
      producers[p].queue = queue;
      producers[p].index = p;
      threads[p] = g_thread_new ("producer", produce, &producers[p]);
    }
  for (guint n = 0; n < N_PRODUCERS * N_PER_PRODUCER; n++)
    {
      GstMemory *mem = g_async_queue_pop (queue);
      GstMapInfo info;
      guint p, i;

      g_assert_true (gst_memory_map (mem, &info, GST_MAP_READ));
      p = GST_READ_UINT32_LE (info.data);
      i = GST_READ_UINT32_LE (info.data + 4);
      g_assert_cmpuint (p, <, N_PRODUCERS);
      g_assert_cmpuint (i, ==, next[p]);  /* in order per producer */
      next[p]++;
      g_assert_true (gst_test_pattern_holds (info.data + 8, info.size - 8, p * N_PER_PRODUCER + i));
      gst_memory_unmap (mem, &info);
      n_ring += gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE);
      gst_memory_unref (mem);
    }
  for (guint p = 0; p < N_PRODUCERS; p++)
    g_thread_join (threads[p]);

  g_assert_cmpuint (n_ring, ==, N_PRODUCERS * N_PER_PRODUCER);
  ringal_gst_allocator_set_full_policy (RINGAL_GST_ALLOCATOR (allocator), RINGAL_GST_FULL_POLICY_FALLBACK);
  ringal_gst_allocator_set_wait_timeout (RINGAL_GST_ALLOCATOR (allocator), G_TIME_SPAN_SECOND);
}

/* A full ring serves system memory, counted; a release makes room again. */
static void
test_fallback_when_full (Fixture       *f,
                         gconstpointer  data)
{
  GPtrArray *held = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_memory_unref);
  GstMemory *mem;
  GstMapInfo info;

  for (;;)
    {
      mem = gst_allocator_alloc (f->allocator, 200, NULL);
      if (!gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE))
        break;
      g_ptr_array_add (held, mem);
    }
  g_assert_true (gst_memory_is_type (mem, GST_ALLOCATOR_SYSMEM));
  g_assert_cmpuint (held->len, >, 5);
  g_assert_cmpuint (ringal_gst_allocator_get_n_fallbacks (f->ringal), ==, 1);
  g_assert_true (gst_memory_map (mem, &info, GST_MAP_WRITE));
  memset (info.data, 1, info.size);
  gst_memory_unmap (mem, &info);
  gst_memory_unref (mem);

  /* The oldest goes: the ring comes round to its room. */
  g_ptr_array_remove_index (held, 0);
  mem = gst_allocator_alloc (f->allocator, 200, NULL);
  g_assert_true (gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE));
  g_assert_cmpuint (ringal_gst_allocator_get_n_fallbacks (f->ringal), ==, 1);
  g_assert_cmpuint (ringal_gst_allocator_get_n_waits (f->ringal), ==, 0);
  gst_memory_unref (mem);
  g_ptr_array_unref (held);
}

static gpointer
alloc_elsewhere (gpointer data)
{
  return gst_allocator_alloc (data, 64, NULL);
}

/* A ring that is not shared serves its owner only: others get system
 * memory.  A shared ring serves everybody. */
static void
test_ring_of_another_thread (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(RingalAllocator) shared = ringal_allocator_new_shared (16 * 1024);
  g_autoptr(GstAllocator) shared_allocator = ringal_gst_allocator_new (shared);
  GstMemory *mem;

  gst_memory_unref (alloc (f, 64));  /* the ring is now this thread's */
  mem = g_thread_join (g_thread_new ("other", alloc_elsewhere, f->allocator));
  g_assert_true (gst_memory_is_type (mem, GST_ALLOCATOR_SYSMEM));
  g_assert_cmpuint (ringal_gst_allocator_get_n_fallbacks (f->ringal), ==, 1);
  gst_memory_unref (mem);

  mem = g_thread_join (g_thread_new ("other", alloc_elsewhere, shared_allocator));
  g_assert_true (gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE));
  gst_memory_unref (mem);
  mem = gst_allocator_alloc (shared_allocator, 64, NULL);
  g_assert_true (gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE));
  gst_memory_unref (mem);
  g_assert_true (ringal_gst_allocator_get_ring (RINGAL_GST_ALLOCATOR (shared_allocator)) == shared);
}

/* The wait policy: an allocation on a full ring blocks until another
 * thread releases, then gets ring memory. */
typedef struct {
  GstAllocator *allocator;
  gsize         size;
  gint          done;
  GstMemory    *result;
} Waiter;

static gpointer
wait_for_memory (gpointer data)
{
  Waiter *waiter = data;

  waiter->result = gst_allocator_alloc (waiter->allocator, waiter->size, NULL);
  g_atomic_int_set (&waiter->done, 1);
  return NULL;
}

static GPtrArray *
fill_ring (GstAllocator *allocator,
           gsize         size)
{
  GPtrArray *held = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_memory_unref);
  RingalGstAllocator *ringal = RINGAL_GST_ALLOCATOR (allocator);
  RingalGstFullPolicy policy = ringal_gst_allocator_get_full_policy (ringal);
  guint64 fallbacks = ringal_gst_allocator_get_n_fallbacks (ringal);

  ringal_gst_allocator_set_full_policy (ringal, RINGAL_GST_FULL_POLICY_FALLBACK);
  for (;;)
    {
      GstMemory *mem = gst_allocator_alloc (allocator, size, NULL);

      if (!gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE))
        {
          gst_memory_unref (mem);
          break;
        }
      g_ptr_array_add (held, mem);
    }
  ringal_gst_allocator_set_full_policy (ringal, policy);
  g_assert_cmpuint (ringal_gst_allocator_get_n_fallbacks (ringal), ==, fallbacks + 1);
  return held;
}

/* @data points to the wait-timeout: -1, or one too long to add to the
 * clock, which waits as -1 does instead of overflowing into a deadline
 * long past. */
static void
test_wait_woken_by_release (gconstpointer data)
{
  gint64 timeout = *(const gint64 *) data;
  g_autoptr(RingalAllocator) ring = ringal_allocator_new_shared (8 * 1024);
  g_autoptr(GstAllocator) allocator = ringal_gst_allocator_new (ring);
  RingalGstAllocator *ringal = RINGAL_GST_ALLOCATOR (allocator);
  Waiter waiter = { allocator, 300, 0, NULL };
  g_autoptr(GPtrArray) held = NULL;
  GThread *thread;
  gint64 start;

  g_object_set (allocator, "full-policy", RINGAL_GST_FULL_POLICY_WAIT, "wait-timeout", timeout, NULL);
  held = fill_ring (allocator, 300);

  thread = g_thread_new ("waiter", wait_for_memory, &waiter);
  g_usleep (100 * 1000);
  g_assert_cmpint (g_atomic_int_get (&waiter.done), ==, 0);  /* still waiting */

  start = g_get_monotonic_time ();
  g_ptr_array_remove_index (held, 0);  /* the oldest: the ring comes round to it */
  g_thread_join (thread);
  /* woken by the release itself, not by a periodic re-check */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_TIME_SPAN_SECOND);
  g_assert_nonnull (waiter.result);
  g_assert_true (gst_memory_is_type (waiter.result, RINGAL_GST_MEMORY_TYPE));
  g_assert_cmpuint (ringal_gst_allocator_get_n_waits (ringal), ==, 1);
  g_assert_cmpuint (ringal_gst_allocator_get_n_fallbacks (ringal), ==, 1);  /* fill_ring's */
  gst_memory_unref (waiter.result);
}

static void
test_wait_timeout (void)
{
  g_autoptr(RingalAllocator) ring = ringal_allocator_new (8 * 1024);
  g_autoptr(GstAllocator) allocator = ringal_gst_allocator_new (ring);
  RingalGstAllocator *ringal = RINGAL_GST_ALLOCATOR (allocator);
  g_autoptr(GPtrArray) held = fill_ring (allocator, 300);
  GstMemory *mem;
  gint64 start;

  ringal_gst_allocator_set_full_policy (ringal, RINGAL_GST_FULL_POLICY_WAIT);
  ringal_gst_allocator_set_wait_timeout (ringal, 50 * 1000);
  start = g_get_monotonic_time ();
  mem = gst_allocator_alloc (allocator, 300, NULL);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 50 * 1000);
  g_assert_true (gst_memory_is_type (mem, GST_ALLOCATOR_SYSMEM));
  g_assert_cmpuint (ringal_gst_allocator_get_n_waits (ringal), ==, 1);
  g_assert_cmpuint (ringal_gst_allocator_get_n_fallbacks (ringal), ==, 2);
  gst_memory_unref (mem);

  /* A timeout of 0 does not wait. */
  ringal_gst_allocator_set_wait_timeout (ringal, 0);
  mem = gst_allocator_alloc (allocator, 300, NULL);
  g_assert_true (gst_memory_is_type (mem, GST_ALLOCATOR_SYSMEM));
  gst_memory_unref (mem);
}

/* The wait sleeps in the ring: a release by another user of the ring (a
 * RingalBuffer here, not a GstMemory) wakes it at once, and it does not
 * poll meanwhile: the ring is tried a fixed number of times however long
 * the wait. */
static void
test_wait_woken_without_polling (void)
{
  g_autoptr(RingalAllocator) ring = ringal_allocator_new_shared (8 * 1024);
  g_autoptr(GstAllocator) allocator = ringal_gst_allocator_new (ring);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) ringal_buffer_unref);
  Waiter waiter = { allocator, 300, 0, NULL };
  g_autoptr(RingalStats) before = NULL;
  g_autoptr(RingalStats) after = NULL;
  RingalBuffer *buffer;
  GThread *thread;
  gint64 released;

  g_object_set (allocator, "full-policy", RINGAL_GST_FULL_POLICY_WAIT, "wait-timeout", (gint64) -1, NULL);
  while ((buffer = ringal_allocator_fixed (ring, 300, NULL)) != NULL)
    g_ptr_array_add (held, buffer);

  before = gst_test_ring_stats (ring);
  thread = g_thread_new ("waiter", wait_for_memory, &waiter);
  g_usleep (300 * 1000);
  g_assert_cmpint (g_atomic_int_get (&waiter.done), ==, 0);  /* still waiting */
  released = g_get_monotonic_time ();
  g_ptr_array_remove_range (held, 0, 2);  /* room for the memory and its header */
  g_thread_join (thread);
  g_test_message ("woken %" G_GINT64_FORMAT " us after the release",
                  g_get_monotonic_time () - released);
  g_assert_cmpint (g_get_monotonic_time () - released, <, 10 * G_TIME_SPAN_SECOND);
  g_assert_true (gst_memory_is_type (waiter.result, RINGAL_GST_MEMORY_TYPE));

  /* The allocator's try, the wait's, one after registering as a waiter,
   * perhaps one after the first of the two releases, and one for a
   * spurious wake-up: a 10 ms poll would have made about 30. */
  after = gst_test_ring_stats (ring);
  g_test_message ("%" G_GUINT64_FORMAT " failed tries while waiting",
                  after->n_failed - before->n_failed);
  g_assert_cmpuint (after->n_failed - before->n_failed, <=, 5);
  gst_memory_unref (waiter.result);
}

/* Flushing ends a wait that has no timeout, and stops new ones. */
static void
test_flushing_ends_wait (void)
{
  g_autoptr(RingalAllocator) ring = ringal_allocator_new_shared (8 * 1024);
  g_autoptr(GstAllocator) allocator = ringal_gst_allocator_new (ring);
  RingalGstAllocator *ringal = RINGAL_GST_ALLOCATOR (allocator);
  Waiter waiter = { allocator, 300, 0, NULL };
  g_autoptr(GPtrArray) held = NULL;
  GThread *thread;
  GstMemory *mem;
  gint64 start;

  ringal_gst_allocator_set_full_policy (ringal, RINGAL_GST_FULL_POLICY_WAIT);
  ringal_gst_allocator_set_wait_timeout (ringal, -1);
  held = fill_ring (allocator, 300);

  thread = g_thread_new ("waiter", wait_for_memory, &waiter);
  g_usleep (100 * 1000);
  g_assert_cmpint (g_atomic_int_get (&waiter.done), ==, 0);
  start = g_get_monotonic_time ();
  ringal_gst_allocator_set_flushing (ringal, TRUE);
  g_thread_join (thread);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_TIME_SPAN_SECOND);
  g_assert_true (gst_memory_is_type (waiter.result, GST_ALLOCATOR_SYSMEM));
  gst_memory_unref (waiter.result);

  g_assert_true (ringal_gst_allocator_get_flushing (ringal));
  mem = gst_allocator_alloc (allocator, 300, NULL);  /* does not wait */
  g_assert_true (gst_memory_is_type (mem, GST_ALLOCATOR_SYSMEM));
  gst_memory_unref (mem);
  g_assert_cmpuint (ringal_gst_allocator_get_n_waits (ringal), ==, 1);

  ringal_gst_allocator_set_flushing (ringal, FALSE);
  g_ptr_array_remove_index (held, 0);
  mem = gst_allocator_alloc (allocator, 300, NULL);
  g_assert_true (gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE));
  gst_memory_unref (mem);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    data)
{
  (*(guint *) data)++;
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(RingalAllocator) ring = NULL;
  RingalGstFullPolicy policy;
  gint64 timeout;
  gboolean flushing;
  guint64 fallbacks, waits;
  guint notified = 0;

  g_signal_connect (f->allocator, "notify", G_CALLBACK (count_notify), &notified);
  g_object_get (f->allocator, "ring", &ring, "full-policy", &policy, "wait-timeout", &timeout,
                "flushing", &flushing, "n-fallbacks", &fallbacks, "n-waits", &waits, NULL);
  g_assert_true (ring == f->ring);
  g_assert_cmpint (policy, ==, RINGAL_GST_FULL_POLICY_FALLBACK);
  g_assert_cmpint (timeout, ==, G_TIME_SPAN_SECOND);
  g_assert_false (flushing);
  g_assert_cmpuint (fallbacks, ==, 0);
  g_assert_cmpuint (waits, ==, 0);

  g_object_set (f->allocator, "full-policy", RINGAL_GST_FULL_POLICY_WAIT, "wait-timeout", (gint64) 5,
                "flushing", TRUE, NULL);
  g_assert_cmpuint (notified, ==, 3);
  g_object_set (f->allocator, "full-policy", RINGAL_GST_FULL_POLICY_WAIT, NULL);  /* no change */
  g_assert_cmpuint (notified, ==, 3);
  g_assert_cmpint (ringal_gst_allocator_get_full_policy (f->ringal), ==, RINGAL_GST_FULL_POLICY_WAIT);
  g_assert_cmpint (ringal_gst_allocator_get_wait_timeout (f->ringal), ==, 5);
  g_assert_true (ringal_gst_allocator_get_flushing (f->ringal));
}

/* ringal_buffer_freeze() bytes into a GstBuffer: gst_buffer_new_wrapped_bytes()
 * wraps them without a copy, and the ring region stays until the buffer goes. */
static void
test_wrapped_bytes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalBuffer) frame = ringal_allocator_extendable (f->ring, 16, &error);
  GBytes *bytes;
  GstBuffer *buffer;
  GstMapInfo info;
  gsize in_use;

  g_assert_no_error (error);
  ringal_buffer_write (frame, (const guint8 *) "header:", 7, &error);
  ringal_buffer_write (frame, (const guint8 *) "payload", 7, &error);
  g_assert_no_error (error);
  bytes = ringal_buffer_freeze (frame);
  g_clear_pointer (&frame, ringal_buffer_unref);
  in_use = gst_test_ring_bytes_in_use (f->ring);
  g_assert_cmpuint (in_use, >=, 14);

  buffer = gst_buffer_new_wrapped_bytes (bytes);
  g_assert_true (gst_buffer_map (buffer, &info, GST_MAP_READ));
  g_assert_true (info.data == g_bytes_get_data (bytes, NULL));  /* no copy */
  g_assert_cmpmem (info.data, info.size, "header:payload", 14);
  gst_buffer_unmap (buffer, &info);
  g_assert_true (GST_MEMORY_IS_READONLY (gst_buffer_peek_memory (buffer, 0)));
  g_assert_false (gst_memory_map (gst_buffer_peek_memory (buffer, 0), &info, GST_MAP_WRITE));

  g_bytes_unref (bytes);
  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), ==, in_use);  /* the buffer holds it */
  gst_buffer_unref (buffer);
  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), ==, 0);
}

static const gint64 no_limit = -1;
static const gint64 huge_timeout = G_MAXINT64;

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

  g_test_add_func ("/RingalGst/Memory/find", test_find);
  add_test ("/RingalGst/Memory/submemory", test_submemory);
  add_test ("/RingalGst/Memory/submemory-keeps-parent", test_submemory_keeps_parent);
  add_test ("/RingalGst/Memory/submemory-writable", test_submemory_writable);
  add_test ("/RingalGst/Memory/writable", test_writable);
  add_test ("/RingalGst/Memory/is-span", test_is_span);
  add_test ("/RingalGst/Memory/copy", test_copy);
  add_test ("/RingalGst/Memory/try-new-and-alloc", test_try_new_and_alloc);
  add_test ("/RingalGst/Memory/resize", test_resize);
  add_test ("/RingalGst/Memory/map", test_map);
  add_test ("/RingalGst/Memory/map-nested", test_map_nested);
  add_test ("/RingalGst/Memory/map-resize", test_map_resize);
  add_test ("/RingalGst/Memory/alloc-params", test_alloc_params);
  add_test_sized ("/RingalGst/Memory/alignment", 256 * 1024, test_alignment);
  add_test ("/RingalGst/Memory/lock", test_lock);
  add_test_sized ("/RingalGst/Memory/header-in-ring", 256 * 1024, test_header_in_ring);
  add_test ("/RingalGst/Memory/out-of-order-release", test_out_of_order_release);
  add_test ("/RingalGst/Memory/release-on-another-thread", test_release_on_another_thread);
  g_test_add_func ("/RingalGst/Memory/streaming-threads", test_streaming_threads);
  add_test_sized ("/RingalGst/Memory/fallback-when-full", 4096, test_fallback_when_full);
  add_test ("/RingalGst/Memory/ring-of-another-thread", test_ring_of_another_thread);
  g_test_add_data_func ("/RingalGst/Memory/wait-woken-by-release", &no_limit, test_wait_woken_by_release);
  g_test_add_data_func ("/RingalGst/Memory/wait-huge-timeout", &huge_timeout, test_wait_woken_by_release);
  g_test_add_func ("/RingalGst/Memory/wait-timeout", test_wait_timeout);
  g_test_add_func ("/RingalGst/Memory/wait-woken-without-polling", test_wait_woken_without_polling);
  g_test_add_func ("/RingalGst/Memory/flushing-ends-wait", test_flushing_ends_wait);
  add_test ("/RingalGst/Memory/properties", test_properties);
  add_test ("/RingalGst/Bytes/wrapped-bytes", test_wrapped_bytes);

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
