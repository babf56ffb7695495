/* gst-pipeline.c: GStreamer's system-memory allocator against the ringal
 * allocator, side by side in one run, through a real pipeline.
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: gst-pipeline-bench [N [RUNS]]   (build-aux/dev gst-bench)
 *
 * Each workload pushes N buffers through `appsrc ! queue ! fakesink`,
 * every buffer allocated on its own with gst_buffer_new_allocate(),
 * filled, pushed, and freed on the queue's thread by the sink.  The
 * allocator is the only difference between the two columns: GStreamer's
 * default (system memory: one malloc per memory) and the registered
 * ringal allocator (a ring of the size given in the table, on this
 * thread; fallback policy, and the fallbacks are counted).  Runs
 * alternate between the two, RUNS times each, and the table gives the
 * median wall time of each and the ratio of the medians (ringal/system:
 * below 1 means ringal is faster).  A last workload allocates and frees
 * on one thread without a pipeline, to show the allocator's own cost.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ringal-gst/ringal-gst.h>

typedef struct {
  const char *name;
  gsize       min_size;
  gsize       max_size;
  gboolean    pipeline;
  gsize       ring_capacity;
} Workload;

/* Each ring holds what the pipeline holds at once (appsrc's 256 KiB and
 * the queue's 200 buffers), and no more: a larger ring walks through
 * more memory than the caches hold. */
static const Workload workloads[] = {
  { "pipeline, 64 B buffers",        64,    64,    TRUE,  1 << 20 },
  { "pipeline, 64..1500 B buffers",  64,    1500,  TRUE,  1 << 20 },
  { "pipeline, 16 KiB buffers",      16384, 16384, TRUE,  8 << 20 },
  { "alloc+fill+unref, 64..1500 B",  64,    1500,  FALSE, 1 << 20 },
};

static guint32
next_random (guint32 *state)
{
  guint32 x = *state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

static gsize
pick_size (const Workload *w,
           guint32        *random)
{
  if (w->min_size == w->max_size)
    return w->min_size;
  return w->min_size + next_random (random) % (w->max_size - w->min_size + 1);
}

static GstBuffer *
make_buffer (GstAllocator *allocator,
             gsize         size,
             guint64       sequence)
{
  GstBuffer *buffer = gst_buffer_new_allocate (allocator, size, NULL);
  GstMapInfo info;

  gst_buffer_map (buffer, &info, GST_MAP_WRITE);
  memset (info.data, (int) (sequence & 0xff), info.size);
  memcpy (info.data, &sequence, MIN (sizeof sequence, info.size));
  gst_buffer_unmap (buffer, &info);
  return buffer;
}

/* Seconds for @n buffers, from the first allocation to EOS. */
static double
run_pipeline (const Workload *w,
              GstAllocator   *allocator,
              guint64         n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  GstFlowReturn flow;
  guint push_signal;
  guint32 random = 7;
  gint64 start, end;

  pipeline = gst_parse_launch ("appsrc name=src block=true max-bytes=262144 "
                               "! queue ! fakesink sync=false", &error);
  if (pipeline == NULL)
    g_error ("%s", error->message);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  push_signal = g_signal_lookup ("push-buffer", G_OBJECT_TYPE (src));
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  start = g_get_monotonic_time ();
  for (guint64 i = 0; i < n; i++)
    {
      GstBuffer *buffer = make_buffer (allocator, pick_size (w, &random), i);

      g_signal_emit (src, push_signal, 0, buffer, &flow);
      gst_buffer_unref (buffer);
      if (flow != GST_FLOW_OK)
        g_error ("push: %s", gst_flow_get_name (flow));
    }
  g_signal_emit_by_name (src, "end-of-stream", &flow);
  message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  end = g_get_monotonic_time ();
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    g_error ("pipeline error");
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return (end - start) / 1e6;
}

/* The allocator alone: a window of 64 live buffers, oldest freed first. */
static double
run_alloc_only (const Workload *w,
                GstAllocator   *allocator,
                guint64         n)
{
  GstBuffer *window[64] = { NULL };
  guint32 random = 7;
  gint64 start = g_get_monotonic_time ();

  for (guint64 i = 0; i < n; i++)
    {
      guint slot = i % G_N_ELEMENTS (window);

      if (window[slot] != NULL)
        gst_buffer_unref (window[slot]);
      window[slot] = make_buffer (allocator, pick_size (w, &random), i);
    }
  for (guint slot = 0; slot < G_N_ELEMENTS (window); slot++)
    gst_clear_buffer (&window[slot]);
  return (g_get_monotonic_time () - start) / 1e6;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int
main (int   argc,
      char *argv[])
{
  guint64 n = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 200000;
  guint runs = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 7;
  g_autoptr(GstAllocator) system = NULL;

  gst_init (&argc, &argv);
  system = gst_allocator_find (NULL);  /* the default: system memory */
  if (n == 0 || runs == 0)
    {
      fprintf (stderr, "usage: %s [N [RUNS]]\n", argv[0]);
      return 2;
    }

  printf ("%s, ringal-glib %s; %" G_GUINT64_FORMAT " buffers per run, "
          "%u runs each, alternating; median wall times\n",
          gst_version_string (), RINGAL_VERSION_S, n, runs);
  printf ("%-32s %8s %12s %12s %14s %10s\n", "workload", "ring KiB", "system ms", "ringal ms",
          "ringal/system", "fallbacks");

  for (guint k = 0; k < G_N_ELEMENTS (workloads); k++)
    {
      const Workload *w = &workloads[k];
      g_autoptr(RingalAllocator) ring = ringal_allocator_new (w->ring_capacity);
      g_autoptr(GstAllocator) ringal = ringal_gst_allocator_new (ring);
      g_autofree double *t_system = g_new (double, runs);
      g_autofree double *t_ringal = g_new (double, runs);
      double m_system, m_ringal;

      for (guint r = 0; r < runs; r++)
        {
          /* alternate, and alternate who goes first */
          GstAllocator *first = r % 2 ? ringal : system;
          GstAllocator *second = r % 2 ? system : ringal;
          double a = w->pipeline ? run_pipeline (w, first, n) : run_alloc_only (w, first, n);
          double b = w->pipeline ? run_pipeline (w, second, n) : run_alloc_only (w, second, n);

          t_system[r] = first == system ? a : b;
          t_ringal[r] = first == ringal ? a : b;
        }
      m_system = median (t_system, runs);
      m_ringal = median (t_ringal, runs);
      printf ("%-32s %8" G_GSIZE_FORMAT " %12.1f %12.1f %14.3f %10" G_GUINT64_FORMAT "\n",
              w->name, w->ring_capacity / 1024, m_system * 1e3, m_ringal * 1e3,
              m_ringal / m_system, ringal_gst_allocator_get_n_fallbacks (RINGAL_GST_ALLOCATOR (ringal)));
      fflush (stdout);
    }

  return 0;
}
