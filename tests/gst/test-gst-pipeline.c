/* test-gst-pipeline.c: ring memory through a real pipeline
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * `appsrc ! queue ! fakesink`, built with gst_parse_launch(): the test
 * thread allocates every buffer from the ringal allocator and pushes it;
 * the queue hands it to its own streaming thread, where the sink checks
 * each buffer's sequence number and checksum and frees it.  Memory goes
 * back to the ring on a thread other than the one that allocated it.
 */

#include <string.h>

#include <ringal-gst/ringal-gst.h>

#include "gst-test-utils.h"

/* A frame: sequence (8 bytes), payload length (4), payload, FNV-1a of
 * the payload (4).  All little-endian. */
#define FRAME_OVERHEAD 16

static guint32
checksum (const guint8 *data,
          gsize         len)
{
  guint32 sum = 2166136261u;

  for (gsize i = 0; i < len; i++)
    sum = (sum ^ data[i]) * 16777619u;
  return sum;
}

/* GStreamer's GST_READ/WRITE_UINT32_LE may access unaligned words
 * directly, which UBSan reports: the checksum sits at any offset. */
static guint32
get_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, sizeof v);
  return GUINT32_FROM_LE (v);
}

static void
put_u32 (guint8  *p,
         guint32  v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, sizeof v);
}

typedef struct {
  guint64    expected;     /* next sequence number */
  guint64    n_ring;       /* buffers whose memory came from a ring */
  guint64    n_system;
  char      *failure;      /* the first thing found wrong */
  gboolean   keep_first;   /* hold the first buffer to the end, as a header */
  GstBuffer *kept;
} Sink;

static void
sink_fail (Sink       *sink,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
sink_fail (Sink       *sink,
           const char *format,
           ...)
{
  va_list args;

  if (sink->failure != NULL)
    return;
  va_start (args, format);
  sink->failure = g_strdup_vprintf (format, args);
  va_end (args);
}

/* Runs on the queue's streaming thread. */
static void
on_handoff (GstElement *fakesink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    data)
{
  Sink *sink = data;
  GstMapInfo info;
  guint64 sequence;
  guint32 len;

  if (gst_buffer_n_memory (buffer) != 1)
    {
      sink_fail (sink, "buffer %" G_GUINT64_FORMAT " has %u memories", sink->expected,
                 gst_buffer_n_memory (buffer));
      return;
    }
  if (gst_memory_is_type (gst_buffer_peek_memory (buffer, 0), RINGAL_GST_MEMORY_TYPE))
    sink->n_ring++;
  else
    sink->n_system++;

  if (!gst_buffer_map (buffer, &info, GST_MAP_READ))
    {
      sink_fail (sink, "buffer %" G_GUINT64_FORMAT " cannot be mapped", sink->expected);
      return;
    }
  sequence = GST_READ_UINT64_LE (info.data);
  len = GST_READ_UINT32_LE (info.data + 8);
  if (sequence != sink->expected)
    sink_fail (sink, "buffer %" G_GUINT64_FORMAT " arrived as %" G_GUINT64_FORMAT,
               sink->expected, sequence);
  else if (info.size != FRAME_OVERHEAD + len)
    sink_fail (sink, "buffer %" G_GUINT64_FORMAT " has %" G_GSIZE_FORMAT " bytes, not %u",
               sequence, info.size, FRAME_OVERHEAD + len);
  else if (get_u32 (info.data + 12 + len) != checksum (info.data + 12, len))
    sink_fail (sink, "buffer %" G_GUINT64_FORMAT ": bad checksum", sequence);
  gst_buffer_unmap (buffer, &info);
  if (sink->keep_first && sink->kept == NULL)
    sink->kept = gst_buffer_ref (buffer);
  sink->expected++;
}

static GstBuffer *
make_frame (GstAllocator *allocator,
            guint64       sequence,
            guint32      *random)
{
  guint32 len = gst_test_next_random (random) % 1009;
  GstBuffer *buffer = gst_buffer_new_allocate (allocator, FRAME_OVERHEAD + len, NULL);
  GstMapInfo info;

  g_assert_nonnull (buffer);
  g_assert_true (gst_buffer_map (buffer, &info, GST_MAP_WRITE));
  GST_WRITE_UINT64_LE (info.data, sequence);
  GST_WRITE_UINT32_LE (info.data + 8, len);
  gst_test_fill (info.data + 12, len, (guint32) sequence);
  put_u32 (info.data + 12 + len, checksum (info.data + 12, len));
  gst_buffer_unmap (buffer, &info);
  return buffer;
}

/* Pushes @n_buffers through the pipeline and waits for EOS. */
static void
run_pipeline (GstAllocator *allocator,
              guint64       n_buffers,
              Sink         *sink)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) fakesink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  GstFlowReturn flow = GST_FLOW_ERROR;
  guint32 random = 1;

  pipeline = gst_parse_launch ("appsrc name=src block=true max-bytes=65536 "
                               "! queue max-size-buffers=64 max-size-bytes=0 max-size-time=0 "
                               "! fakesink name=sink signal-handoffs=true sync=false", &error);
  g_assert_no_error (error);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  fakesink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_signal_connect (fakesink, "handoff", G_CALLBACK (on_handoff), sink);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);

  for (guint64 sequence = 0; sequence < n_buffers; sequence++)
    {
      GstBuffer *buffer = make_frame (allocator, sequence, &random);

      g_signal_emit_by_name (src, "push-buffer", buffer, &flow);
      gst_buffer_unref (buffer);
      g_assert_cmpint (flow, ==, GST_FLOW_OK);
    }
  g_signal_emit_by_name (src, "end-of-stream", &flow);
  g_assert_cmpint (flow, ==, GST_FLOW_OK);

  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 300 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) pipeline_error = NULL;

      gst_message_parse_error (message, &pipeline_error, NULL);
      g_error ("pipeline error: %s", pipeline_error->message);
    }
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==, GST_STATE_CHANGE_SUCCESS);

  g_assert_cmpstr (sink->failure, ==, NULL);
  g_assert_cmpuint (sink->expected, ==, n_buffers);
  g_assert_cmpuint (sink->n_ring + sink->n_system, ==, n_buffers);
}

/* 100 000 buffers, all from this thread's ring: the wait policy makes the
 * producer wait for the sink rather than fall back. */
static void
test_hundred_thousand (void)
{
  g_autoptr(GstAllocator) allocator = NULL;
  RingalGstAllocator *ringal;
  Sink sink = { 0 };

  ringal_gst_init ();
  allocator = gst_allocator_find (RINGAL_GST_ALLOCATOR_NAME);
  ringal = RINGAL_GST_ALLOCATOR (allocator);
  ringal_gst_allocator_set_full_policy (ringal, RINGAL_GST_FULL_POLICY_WAIT);
  ringal_gst_allocator_set_wait_timeout (ringal, -1);

  run_pipeline (allocator, 100000, &sink);
  g_test_message ("%" G_GUINT64_FORMAT " ring buffers, %" G_GUINT64_FORMAT " waits",
                  sink.n_ring, ringal_gst_allocator_get_n_waits (ringal));
  g_assert_cmpuint (sink.n_ring, ==, 100000);
  g_assert_cmpuint (sink.n_system, ==, 0);
  g_assert_cmpuint (ringal_gst_allocator_get_n_fallbacks (ringal), ==, 0);
  g_assert_cmpuint (gst_test_ring_bytes_in_use (ringal_allocator_get_thread_default ()), ==, 0);
  g_free (sink.failure);

  ringal_gst_allocator_set_full_policy (ringal, RINGAL_GST_FULL_POLICY_FALLBACK);
}

/* A ring too small for what the pipeline holds: the producer never
 * waits, some buffers are system memory, and every one arrives intact. */
static void
test_fallback_under_load (void)
{
  g_autoptr(RingalAllocator) ring = ringal_allocator_new (32 * 1024);
  g_autoptr(GstAllocator) allocator = ringal_gst_allocator_new (ring);
  RingalGstAllocator *ringal = RINGAL_GST_ALLOCATOR (allocator);
  Sink sink = { 0 };

  run_pipeline (allocator, 20000, &sink);
  g_test_message ("%" G_GUINT64_FORMAT " ring buffers, %" G_GUINT64_FORMAT " system",
                  sink.n_ring, sink.n_system);
  g_assert_cmpuint (sink.n_ring, >, 0);
  g_assert_cmpuint (sink.n_system, >, 0);
  g_assert_cmpuint (ringal_gst_allocator_get_n_fallbacks (ringal), ==, sink.n_system);
  g_assert_cmpuint (ringal_gst_allocator_get_n_waits (ringal), ==, 0);
  g_assert_cmpuint (gst_test_ring_bytes_in_use (ring), ==, 0);
  gst_test_assert_ring_whole (ring);
  g_free (sink.failure);
}

/* An element that keeps its first buffer for the whole stream, as an
 * encoder keeps its header, with ringal as GStreamer's default allocator:
 * the ring steps over that buffer and still serves nearly every buffer.
 * (When the walk stopped at the first region in use, the producer's ring
 * stopped there after one lap, and the rest was system memory.) */
static void
test_held_first_buffer (void)
{
  g_autoptr(GstAllocator) ringal = NULL;
  g_autoptr(GstAllocator) sysmem = gst_allocator_find (GST_ALLOCATOR_SYSMEM);
  RingalAllocator *ring;
  Sink sink = { .keep_first = TRUE };
  guint64 n_buffers = 20000, laps_before;

  ring = ringal_allocator_get_thread_default ();
  {
    g_autoptr(RingalStats) stats = gst_test_ring_stats (ring);

    laps_before = stats->n_laps;
  }
  ringal_gst_init ();
  ringal = gst_allocator_find (RINGAL_GST_ALLOCATOR_NAME);
  gst_allocator_set_default (gst_object_ref (ringal));

  /* allocator NULL: every buffer comes from the default allocator */
  run_pipeline (NULL, n_buffers, &sink);
  gst_allocator_set_default (g_steal_pointer (&sysmem));

  g_test_message ("%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " buffers in ring memory",
                  sink.n_ring, n_buffers);
  g_assert_nonnull (sink.kept);
  g_assert_true (gst_memory_is_type (gst_buffer_peek_memory (sink.kept, 0), RINGAL_GST_MEMORY_TYPE));
  g_assert_cmpuint (sink.n_ring * 100, >=, n_buffers * 95);

  {
    g_autoptr(RingalStats) stats = gst_test_ring_stats (ring);

    /* The kept buffer is what the walk stepped over, lap after lap. */
    g_assert_cmpuint (stats->n_laps, >, laps_before + 2);
    g_assert_cmpuint (stats->n_held, >=, 1);
    g_assert_cmpuint (stats->oldest_held_laps + 2, >=, stats->n_laps - laps_before);
  }
  gst_buffer_unref (sink.kept);
  g_assert_cmpuint (gst_test_ring_bytes_in_use (ring), ==, 0);
  g_free (sink.failure);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

  g_test_add_func ("/RingalGst/Pipeline/hundred-thousand-buffers", test_hundred_thousand);
  g_test_add_func ("/RingalGst/Pipeline/fallback-under-load", test_fallback_under_load);
  g_test_add_func ("/RingalGst/Pipeline/held-first-buffer", test_held_first_buffer);

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
