/* ringal-output-stream.h: a GOutputStream into ring memory
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__RINGAL_GLIB_INSIDE__) && !defined(RINGAL_GLIB_COMPILATION)
#error "Only <ringal-glib/ringal-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include <ringal-glib/ringal-version-macros.h>
#include <ringal-glib/ringal-allocator.h>

G_BEGIN_DECLS

#define RINGAL_TYPE_OUTPUT_STREAM (ringal_output_stream_get_type ())

RINGAL_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (RingalOutputStream, ringal_output_stream, RINGAL, OUTPUT_STREAM, GOutputStream)

RINGAL_AVAILABLE_IN_ALL
GOutputStream   *ringal_output_stream_new            (RingalAllocator    *allocator) G_GNUC_WARN_UNUSED_RESULT;

RINGAL_AVAILABLE_IN_ALL
RingalAllocator *ringal_output_stream_get_allocator  (RingalOutputStream *self);
RINGAL_AVAILABLE_IN_ALL
gsize            ringal_output_stream_get_data_size  (RingalOutputStream *self);
RINGAL_AVAILABLE_IN_ALL
GBytes          *ringal_output_stream_steal_as_bytes (RingalOutputStream *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
