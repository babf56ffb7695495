/* misuse.c: three mistakes a C caller can make with ring memory, one per
 * run, for check-detectors.sh to prove that each is reported.
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <ringal-glib/ringal-glib.h>
#include <string.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new (4096);
  RingalBuffer *buffer = ringal_allocator_fixed (allocator, 64, NULL);
  RingalBuffer *next;
  volatile guint8 *data;

  ringal_buffer_write (buffer, (const guint8 *) "0123456789", 10, NULL);
  data = (volatile guint8 *) ringal_buffer_get_data (buffer, NULL);

  if (argc == 2 && strcmp (argv[1], "use-after-release") == 0)
    {
      ringal_buffer_unref (buffer);
      return data[3] == '3' ? 0 : 1;
    }

  if (argc == 2 && strcmp (argv[1], "overflow") == 0)
    {
      /* one byte past the end: the first byte of the next region's guard */
      data[ringal_buffer_get_capacity (buffer)] ^= 0x55;
      ringal_buffer_unref (buffer);
      next = ringal_allocator_fixed (allocator, 64, NULL);
      next = ringal_allocator_fixed (allocator, 4000, NULL);
      return next == NULL ? 0 : 1;
    }

  if (argc == 2 && strcmp (argv[1], "double-release") == 0)
    {
      ringal_buffer_unref (buffer);
      ringal_buffer_unref (buffer);
      return 0;
    }

  g_printerr ("usage: misuse use-after-release|overflow|double-release\n");
  return 2;
}
