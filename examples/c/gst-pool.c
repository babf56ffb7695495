/* gst-pool.c: a GstBufferPool whose buffers live in a ring, feeding a
 * pipeline, next to buffers allocated one by one from the same allocator.
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Run: build-aux/dev demo   (or _build/examples/ringal-gst-pool [N])
 */

#include <ringal-gst/ringal-gst.h>

typedef struct {
  guint n_buffers;
  guint n_ring;
  guint n_bad;
} Tally;

/* Called on the queue's streaming thread for every buffer. */
static void
on_handoff (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    data)
{
  Tally *tally = data;
  guint32 sequence;

  gst_buffer_extract (buffer, 0, &sequence, sizeof sequence);
  tally->n_bad += sequence != tally->n_buffers;
  tally->n_ring += gst_memory_is_type (gst_buffer_peek_memory (buffer, 0), RINGAL_GST_MEMORY_TYPE);
  tally->n_buffers++;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstAllocator) allocator = NULL;
  g_autoptr(RingalAllocator) ring = NULL;
  g_autoptr(GstAllocator) pool_allocator = NULL;
  g_autoptr(GstBufferPool) pool = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  GstAllocationParams params;
  GstStructure *config;
  GstFlowReturn flow;
  Tally tally = { 0 };

  gst_init (&argc, &argv);

  /* 1. The allocator: registered as "ringal", each thread's own ring. */
  ringal_gst_init ();
  allocator = gst_allocator_find (RINGAL_GST_ALLOCATOR_NAME);

  /* 2. A stock buffer pool over a ring of its own: 1500-byte buffers,
   *    16-byte aligned (the mask is align - 1), at most 32 out at a time.
   *    A pool keeps its buffers for as long as it is active: a ring of
   *    their own keeps them from taking the bytes of the ring that serves
   *    short-lived memory.  A shared ring, because pools allocate on
   *    whichever thread acquires. */
  ring = ringal_allocator_new_shared (128 * 1024);
  pool_allocator = ringal_gst_allocator_new (ring);
  pool = gst_buffer_pool_new ();
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_set_params (config, NULL, 1500, 8, 32);
  gst_allocation_params_init (&params);
  params.align = 15;
  gst_buffer_pool_config_set_allocator (config, pool_allocator, &params);
  if (!gst_buffer_pool_set_config (pool, config) || !gst_buffer_pool_set_active (pool, TRUE))
    g_error ("the pool refused its config");

  /* 3. A pipeline; the sink checks the order and where the memory came from. */
  pipeline = gst_parse_launch ("appsrc name=src block=true ! queue "
                               "! fakesink name=sink signal-handoffs=true sync=false", &error);
  if (pipeline == NULL)
    g_error ("%s", error->message);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &tally);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  for (guint32 i = 0; i < n; i++)
    {
      GstBuffer *buffer = NULL;

      if (i % 2 == 0)
        {
          /* From the pool: blocks while all 32 are out, recycled when the
           * sink is done with them. */
          if (gst_buffer_pool_acquire_buffer (pool, &buffer, NULL) != GST_FLOW_OK)
            g_error ("acquire failed");
        }
      else
        {
          /* One by one: a ring allocation, freed by the sink's thread. */
          buffer = gst_buffer_new_allocate (allocator, 64 + i % 1000, NULL);
        }
      gst_buffer_fill (buffer, 0, &i, sizeof i);
      g_signal_emit_by_name (src, "push-buffer", buffer, &flow);
      gst_buffer_unref (buffer);
      if (flow != GST_FLOW_OK)
        g_error ("push failed: %s", gst_flow_get_name (flow));
    }
  g_signal_emit_by_name (src, "end-of-stream", &flow);

  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      gst_message_parse_error (message, &error, NULL);
      g_error ("%s", error->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_buffer_pool_set_active (pool, FALSE);

  g_print ("%u buffers through appsrc ! queue ! fakesink, %u of them ring memory, "
           "%" G_GUINT64_FORMAT " fell back to system memory, %u out of order\n",
           tally.n_buffers, tally.n_ring,
           ringal_gst_allocator_get_n_fallbacks (RINGAL_GST_ALLOCATOR (allocator)) +
           ringal_gst_allocator_get_n_fallbacks (RINGAL_GST_ALLOCATOR (pool_allocator)),
           tally.n_bad);

  return tally.n_buffers == n && tally.n_bad == 0 && tally.n_ring == n ? 0 : 1;
}
