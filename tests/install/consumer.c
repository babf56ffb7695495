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

  g_print ("consumer: ringal-glib %s, capacity %" G_GSIZE_FORMAT "\n",
           RINGAL_VERSION_S, ringal_allocator_get_capacity (allocator));
  return 0;
}
