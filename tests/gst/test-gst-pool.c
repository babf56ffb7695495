/* test-gst-pool.c: a stock GstBufferPool configured with RingalGstAllocator,
 * checked as GStreamer's gstbufferpool.c checks pools, and for what the
 * ring adds: ring memory in every buffer, given back when the pool drops
 * a buffer or stops.
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include <ringal-gst/ringal-gst.h>

#include "gst-test-utils.h"

typedef struct {
  RingalAllocator *ring;
  GstAllocator    *allocator;
  GstBufferPool   *pool;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ring = ringal_allocator_new (256 * 1024);
  f->allocator = ringal_gst_allocator_new (f->ring);
  f->pool = gst_buffer_pool_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gst_buffer_pool_set_active (f->pool, FALSE);
  gst_clear_object (&f->pool);
  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), ==, 0);
  gst_test_assert_ring_whole (f->ring);
  gst_clear_object (&f->allocator);
  g_clear_object (&f->ring);
}

#define add_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

/* The example's recipe: the allocator goes into the pool's config. */
static void
configure (Fixture                   *f,
           guint                      size,
           guint                      min_buffers,
           guint                      max_buffers,
           const GstAllocationParams *params)
{
  GstStructure *config = gst_buffer_pool_get_config (f->pool);

  gst_buffer_pool_config_set_params (config, NULL, size, min_buffers, max_buffers);
  gst_buffer_pool_config_set_allocator (config, f->allocator, params);
  g_assert_true (gst_buffer_pool_set_config (f->pool, config));
}

static GstBuffer *
acquire (Fixture *f)
{
  GstBuffer *buffer = NULL;

  g_assert_cmpint (gst_buffer_pool_acquire_buffer (f->pool, &buffer, NULL), ==, GST_FLOW_OK);
  g_assert_nonnull (buffer);
  g_assert_cmpuint (gst_buffer_n_memory (buffer), ==, 1);
  g_assert_true (gst_memory_is_type (gst_buffer_peek_memory (buffer, 0), RINGAL_GST_MEMORY_TYPE));
  return buffer;
}

static void
test_config_allocator (Fixture       *f,
                       gconstpointer  data)
{
  GstAllocationParams params, got;
  GstAllocator *allocator = NULL;
  GstStructure *config;

  gst_allocation_params_init (&params);
  params.align = 31;
  params.prefix = 8;
  configure (f, 100, 0, 0, &params);
  config = gst_buffer_pool_get_config (f->pool);
  g_assert_true (gst_buffer_pool_config_get_allocator (config, &allocator, &got));
  g_assert_true (allocator == f->allocator);
  g_assert_cmpuint (got.align, ==, 31);
  g_assert_cmpuint (got.prefix, ==, 8);
  gst_structure_free (config);
}

static void
test_new_buffer_from_empty_pool (Fixture       *f,
                                 gconstpointer  data)
{
  GstBuffer *buffer;

  configure (f, 10, 0, 0, NULL);
  gst_buffer_pool_set_active (f->pool, TRUE);
  buffer = acquire (f);
  g_assert_cmpuint (gst_buffer_get_size (buffer), ==, 10);
  gst_buffer_unref (buffer);
}

static void
count_destroy (gpointer data)
{
  (*(gint *) data)++;
}

static void
test_buffer_is_recycled (Fixture       *f,
                         gconstpointer  data)
{
  static GQuark quark;
  GstBuffer *buffer, *prev;
  GstMemory *memory;
  gint destroyed = 0;

  quark = g_quark_from_static_string ("ringal-test-destroy");
  configure (f, 10, 0, 0, NULL);
  gst_buffer_pool_set_active (f->pool, TRUE);
  buffer = acquire (f);
  memory = gst_buffer_peek_memory (buffer, 0);
  gst_mini_object_set_qdata (GST_MINI_OBJECT (buffer), quark, &destroyed, count_destroy);
  prev = buffer;
  gst_buffer_unref (buffer);
  g_assert_cmpint (destroyed, ==, 0);  /* back in the pool, not freed */

  buffer = acquire (f);
  g_assert_true (buffer == prev);
  g_assert_true (gst_buffer_peek_memory (buffer, 0) == memory);  /* the same ring block */
  gst_buffer_unref (buffer);

  gst_buffer_pool_set_active (f->pool, FALSE);
  g_assert_cmpint (destroyed, ==, 1);
  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), ==, 0);
}

static void
test_buffer_out_of_order_reuse (Fixture       *f,
                                gconstpointer  data)
{
  GstBuffer *buffer1, *buffer2, *buffer;
  gsize regions;

  configure (f, 10, 0, 0, NULL);
  gst_buffer_pool_set_active (f->pool, TRUE);
  buffer1 = acquire (f);
  buffer2 = acquire (f);
  regions = gst_test_ring_regions (f->ring);
  gst_buffer_unref (buffer2);
  gst_buffer_unref (buffer1);

  buffer = acquire (f);
  g_assert_true (buffer == buffer1 || buffer == buffer2);
  buffer1 = acquire (f);
  g_assert_true (buffer1 != buffer);
  g_assert_cmpuint (gst_test_ring_regions (f->ring), ==, regions);  /* nothing new */
  gst_buffer_unref (buffer);
  gst_buffer_unref (buffer1);
}

/* Size and params of the config are honoured by the ring memory. */
static void
test_pool_config_buffer_size (Fixture       *f,
                              gconstpointer  data)
{
  GstAllocationParams params;
  GstBuffer *buffer;
  GstMemory *memory;
  GstMapInfo info;
  gsize offset, maxsize;

  gst_allocation_params_init (&params);
  params.align = 63;
  params.prefix = 16;
  params.padding = 32;
  params.flags = GST_MEMORY_FLAG_ZERO_PREFIXED;
  configure (f, 1000, 2, 0, &params);
  gst_buffer_pool_set_active (f->pool, TRUE);

  buffer = acquire (f);
  g_assert_cmpuint (gst_buffer_get_size (buffer), ==, 1000);
  memory = gst_buffer_peek_memory (buffer, 0);
  gst_memory_get_sizes (memory, &offset, &maxsize);
  g_assert_cmpuint (offset, ==, 16);
  g_assert_cmpuint (maxsize, >=, 16 + 1000 + 32);
  g_assert_true (gst_buffer_map (buffer, &info, GST_MAP_WRITE));
  g_assert_cmpuint ((guintptr) (info.data - offset) & 63, ==, 0);
  memset (info.data, 0x5a, info.size);
  gst_buffer_unmap (buffer, &info);
  gst_buffer_unref (buffer);
}

static void
test_inactive_pool_returns_flushing (Fixture       *f,
                                     gconstpointer  data)
{
  GstBuffer *buffer = NULL;

  configure (f, 10, 0, 0, NULL);
  g_assert_cmpint (gst_buffer_pool_acquire_buffer (f->pool, &buffer, NULL), ==, GST_FLOW_FLUSHING);
  g_assert_null (buffer);
}

static void
test_flushing_pool_returns_flushing (Fixture       *f,
                                     gconstpointer  data)
{
  GstBuffer *buffer = NULL;

  configure (f, 10, 0, 0, NULL);
  gst_buffer_pool_set_active (f->pool, TRUE);
  gst_buffer_pool_set_flushing (f->pool, TRUE);
  g_assert_cmpint (gst_buffer_pool_acquire_buffer (f->pool, &buffer, NULL), ==, GST_FLOW_FLUSHING);
  gst_buffer_pool_set_flushing (f->pool, FALSE);
  buffer = acquire (f);
  gst_buffer_unref (buffer);
}

/* max-buffers 1: a second acquire blocks until another thread gives the
 * first buffer back; DONTWAIT returns EOS instead of blocking. */
typedef struct {
  GstBufferPool *pool;
  GstBuffer     *buffer;
  gint           done;
  GstFlowReturn  ret;
} Acquirer;

static gpointer
acquire_blocking (gpointer data)
{
  Acquirer *acquirer = data;

  acquirer->ret = gst_buffer_pool_acquire_buffer (acquirer->pool, &acquirer->buffer, NULL);
  g_atomic_int_set (&acquirer->done, 1);
  return NULL;
}

static gpointer
unref_later (gpointer buffer)
{
  g_usleep (50 * 1000);
  gst_buffer_unref (buffer);
  return NULL;
}

static void
test_blocking_acquire_woken_by_release (Fixture       *f,
                                        gconstpointer  data)
{
  GstBufferPoolAcquireParams dontwait = { .flags = GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT };
  Acquirer acquirer = { f->pool, NULL, 0, GST_FLOW_ERROR };
  GstBuffer *first, *other = NULL;
  GThread *thread;

  configure (f, 10, 0, 1, NULL);
  gst_buffer_pool_set_active (f->pool, TRUE);
  first = acquire (f);
  g_assert_cmpint (gst_buffer_pool_acquire_buffer (f->pool, &other, &dontwait), ==, GST_FLOW_EOS);

  thread = g_thread_new ("acquire", acquire_blocking, &acquirer);
  g_usleep (100 * 1000);
  g_assert_cmpint (g_atomic_int_get (&acquirer.done), ==, 0);  /* blocked */
  g_thread_join (g_thread_new ("release", unref_later, first));
  g_thread_join (thread);
  g_assert_cmpint (acquirer.ret, ==, GST_FLOW_OK);
  g_assert_true (acquirer.buffer == first);
  gst_buffer_unref (acquirer.buffer);
}

/* A buffer whose memory was replaced is not taken back: its ring memory
 * is freed, and the pool allocates anew. */
static void
test_buffer_modify_discard (Fixture       *f,
                            gconstpointer  data)
{
  GstBuffer *buffer;
  gsize in_use;

  configure (f, 10, 0, 0, NULL);
  gst_buffer_pool_set_active (f->pool, TRUE);
  buffer = acquire (f);
  in_use = gst_test_ring_bytes_in_use (f->ring);
  gst_buffer_replace_all_memory (buffer, gst_allocator_alloc (NULL, 10, NULL));
  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), <, in_use);
  gst_buffer_unref (buffer);

  buffer = acquire (f);  /* a new one, from the ring */
  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), ==, in_use);
  gst_buffer_unref (buffer);
}

/* Deactivating frees every preallocated buffer back to the ring. */
static void
test_deactivate_frees_ring_memory (Fixture       *f,
                                   gconstpointer  data)
{
  configure (f, 4000, 8, 8, NULL);
  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), ==, 0);
  gst_buffer_pool_set_active (f->pool, TRUE);
  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), >=, 8 * 4000);
  gst_buffer_pool_set_active (f->pool, FALSE);
  g_assert_cmpuint (gst_test_ring_bytes_in_use (f->ring), ==, 0);
}

/* A pool without max-buffers over a full ring, with the wait policy:
 * acquire blocks in the allocator until another thread releases ring
 * memory, then the pool's new buffer is ring memory. */
static gpointer
drop_later (gpointer held)
{
  g_usleep (50 * 1000);
  g_ptr_array_remove_index (held, 0);
  return NULL;
}

static void
test_acquire_waits_for_ring (void)
{
  g_autoptr(RingalAllocator) ring = ringal_allocator_new_shared (16 * 1024);
  g_autoptr(GstAllocator) allocator = ringal_gst_allocator_new (ring);
  g_autoptr(GstBufferPool) pool = gst_buffer_pool_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_memory_unref);
  RingalGstAllocator *ringal = RINGAL_GST_ALLOCATOR (allocator);
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstBuffer *buffer = NULL;
  GThread *thread;
  gint64 start;

  gst_buffer_pool_config_set_params (config, NULL, 500, 0, 0);
  gst_buffer_pool_config_set_allocator (config, allocator, NULL);
  g_assert_true (gst_buffer_pool_set_config (pool, config));
  g_assert_true (gst_buffer_pool_set_active (pool, TRUE));

  for (;;)  /* fill the ring with other users' memory */
    {
      GstMemory *mem = gst_allocator_alloc (allocator, 500, NULL);

      if (!gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE))
        {
          gst_memory_unref (mem);
          break;
        }
      g_ptr_array_add (held, mem);
    }
  ringal_gst_allocator_set_full_policy (ringal, RINGAL_GST_FULL_POLICY_WAIT);
  ringal_gst_allocator_set_wait_timeout (ringal, -1);

  start = g_get_monotonic_time ();
  thread = g_thread_new ("release", drop_later, held);
  g_assert_cmpint (gst_buffer_pool_acquire_buffer (pool, &buffer, NULL), ==, GST_FLOW_OK);
  g_thread_join (thread);
  /* woken by the release (50 ms in), not by a periodic re-check */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_TIME_SPAN_SECOND);
  g_assert_true (gst_memory_is_type (gst_buffer_peek_memory (buffer, 0), RINGAL_GST_MEMORY_TYPE));
  g_assert_cmpuint (ringal_gst_allocator_get_n_waits (ringal), ==, 1);
  gst_buffer_unref (buffer);
  g_assert_true (gst_buffer_pool_set_active (pool, FALSE));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

  add_test ("/RingalGst/Pool/config-allocator", test_config_allocator);
  add_test ("/RingalGst/Pool/new-buffer-from-empty-pool", test_new_buffer_from_empty_pool);
  add_test ("/RingalGst/Pool/buffer-is-recycled", test_buffer_is_recycled);
  add_test ("/RingalGst/Pool/buffer-out-of-order-reuse", test_buffer_out_of_order_reuse);
  add_test ("/RingalGst/Pool/config-buffer-size", test_pool_config_buffer_size);
  add_test ("/RingalGst/Pool/inactive-pool-returns-flushing", test_inactive_pool_returns_flushing);
  add_test ("/RingalGst/Pool/flushing-pool-returns-flushing", test_flushing_pool_returns_flushing);
  add_test ("/RingalGst/Pool/blocking-acquire-woken-by-release", test_blocking_acquire_woken_by_release);
  add_test ("/RingalGst/Pool/buffer-modify-discard", test_buffer_modify_discard);
  add_test ("/RingalGst/Pool/deactivate-frees-ring-memory", test_deactivate_frees_ring_memory);
  g_test_add_func ("/RingalGst/Pool/acquire-waits-for-ring", test_acquire_waits_for_ring);

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
