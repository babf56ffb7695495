/* main.c: a program of an outside project that gets ringal-glib as a
 * Meson subproject (see check-subproject.sh).
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <ringal-glib/ringal-glib.h>
#include <string.h>

/* ringal-version.h and ringal-enums.h are generated: ringal_dep must make
 * them reachable, and built before this file. */
#if !RINGAL_CHECK_VERSION (0, 1, 0)
#error "RINGAL_CHECK_VERSION does not see this release"
#endif

int
main (void)
{
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new (4096);
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalBuffer) buffer = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GEnumClass) errors = NULL;
  static const char message[] = "from a subproject";

  buffer = ringal_allocator_extendable (allocator, 4, &error);
  if (buffer == NULL || ringal_buffer_write (buffer, (const guint8 *) message, sizeof message, &error) == 0)
    g_error ("ringal: %s", error->message);
  bytes = ringal_buffer_freeze (buffer);
  if (g_bytes_get_size (bytes) != sizeof message ||
      memcmp (g_bytes_get_data (bytes, NULL), message, sizeof message) != 0)
    g_error ("the bytes did not come back");

  errors = g_type_class_ref (RINGAL_TYPE_ERROR);
  if (g_enum_get_value (errors, RINGAL_ERROR_FULL) == NULL)
    g_error ("RingalError is not registered");

  g_print ("consumer: ringal-glib %s as a subproject: %s\n",
           RINGAL_VERSION_S, (const char *) g_bytes_get_data (bytes, NULL));
  return 0;
}
