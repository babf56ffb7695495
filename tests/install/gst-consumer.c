/* gst-consumer.c: an outside program built against libringal-gst with
 * nothing but pkg-config.
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <ringal-gst/ringal-gst.h>

int
main (int argc, char *argv[])
{
  GstAllocator *allocator;
  GstMemory *mem;
  int ok;

  gst_init (&argc, &argv);
  ringal_gst_init ();
  allocator = gst_allocator_find (RINGAL_GST_ALLOCATOR_NAME);
  mem = gst_allocator_alloc (allocator, 100, NULL);
  ok = gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
  return ok ? 0 : 1;
}
