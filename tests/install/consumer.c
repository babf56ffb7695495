/* consumer.c: an outside program built against an installed ringal-glib
 * with nothing but pkg-config.
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <ringal-glib/ringal-glib.h>
#include <string.h>

#if !RINGAL_CHECK_VERSION (0, 1, 0)
#error "RINGAL_CHECK_VERSION does not see this release"
#endif

int
main (void)
{
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new (4096);
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalBuffer) buffer = ringal_allocator_fixed (allocator, 64, &error);
  g_autoptr(GBytes) bytes = NULL;

  if (buffer == NULL)
    g_error ("fixed: %s", error->message);
  ringal_buffer_write (buffer, (const guint8 *) "installed", 9, &error);
  bytes = ringal_buffer_freeze (buffer);
  if (g_bytes_get_size (bytes) != 9 || memcmp (g_bytes_get_data (bytes, NULL), "installed", 9) != 0)
    g_error ("the bytes did not come back");

  /* Every public header is installed and usable: the stream, arrays, the
   * raw path and the statistics. */
  {
    g_autoptr(GOutputStream) stream = ringal_output_stream_new (allocator);
    g_autoptr(GBytes) streamed = NULL;
    g_autoptr(RingalArray) array = ringal_allocator_array (allocator, sizeof (gint64), G_ALIGNOF (gint64), 2, &error);
    g_autoptr(RingalStats) stats = NULL;
    gint64 value = 42;
    gpointer raw;

    if (array == NULL || !ringal_array_append_vals (array, &value, 1, &error) ||
        ringal_array_index (array, gint64, 0) != 42)
      g_error ("array: %s", error != NULL ? error->message : "wrong element");
    raw = ringal_allocator_alloc (allocator, 16);
    if (raw == NULL)
      g_error ("raw allocation failed");
    ringal_release (raw);
    stats = ringal_allocator_get_stats (allocator, &error);
    if (stats == NULL || stats->n_regions != 2)
      g_error ("stats: %s", error != NULL ? error->message : "wrong count of regions");

    if (!g_output_stream_write_all (stream, "streamed", 8, NULL, NULL, &error) ||
        !g_output_stream_close (stream, NULL, &error))
      g_error ("stream: %s", error->message);
    streamed = ringal_output_stream_steal_as_bytes (RINGAL_OUTPUT_STREAM (stream));
    if (g_bytes_get_size (streamed) != 8)
      g_error ("the streamed bytes did not come back");
  }

  g_print ("consumer: ringal-glib %s, capacity %" G_GSIZE_FORMAT "\n",
           RINGAL_VERSION_S, ringal_allocator_get_capacity (allocator));
  return 0;
}
