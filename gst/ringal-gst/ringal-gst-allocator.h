/* ringal-gst-allocator.h: a GstAllocator serving GstMemory from ring memory
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__RINGAL_GST_INSIDE__) && !defined(RINGAL_GST_COMPILATION)
#error "Only <ringal-gst/ringal-gst.h> can be included directly."
#endif

#include <gst/gst.h>
#include <ringal-glib/ringal-glib.h>

#include <ringal-gst/ringal-gst-version-macros.h>

G_BEGIN_DECLS

/**
 * RINGAL_GST_ALLOCATOR_NAME:
 *
 * The name under which [func@RingalGst.init] registers the default ring
 * allocator: `gst_allocator_find (RINGAL_GST_ALLOCATOR_NAME)` returns it.
 */
#define RINGAL_GST_ALLOCATOR_NAME "ringal"

/**
 * RINGAL_GST_MEMORY_TYPE:
 *
 * The memory type of every `GstMemory` served from a ring:
 * `gst_memory_is_type (mem, RINGAL_GST_MEMORY_TYPE)` tells ring memory
 * from the system memory served when the ring has no room.
 */
#define RINGAL_GST_MEMORY_TYPE "RingalMemory"

/**
 * RingalGstFullPolicy:
 * @RINGAL_GST_FULL_POLICY_FALLBACK: serve system memory at once (the
 *   default): the pipeline never waits for the ring
 * @RINGAL_GST_FULL_POLICY_WAIT: wait until a release makes room, the
 *   allocator is set flushing, or the wait timeout passes, then fall back
 *   to system memory: back-pressure, like a buffer pool's `max-buffers`
 *
 * What a [class@RingalGst.Allocator] does when the ring has no room for a
 * request.  Either way the allocation succeeds: a full ring never fails
 * an allocation and never stalls a pipeline for longer than the wait
 * timeout.  This enumeration may grow.
 */
typedef enum {
  RINGAL_GST_FULL_POLICY_FALLBACK,
  RINGAL_GST_FULL_POLICY_WAIT,
} RingalGstFullPolicy;

#define RINGAL_GST_TYPE_FULL_POLICY (ringal_gst_full_policy_get_type ())

RINGAL_GST_AVAILABLE_IN_ALL
GType ringal_gst_full_policy_get_type (void) G_GNUC_CONST;

#define RINGAL_GST_TYPE_ALLOCATOR (ringal_gst_allocator_get_type ())

RINGAL_GST_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (RingalGstAllocator, ringal_gst_allocator, RINGAL_GST, ALLOCATOR, GstAllocator)

RINGAL_GST_AVAILABLE_IN_ALL
void                ringal_gst_init                        (void);

RINGAL_GST_AVAILABLE_IN_ALL
GstAllocator       *ringal_gst_allocator_new               (RingalAllocator     *ring) G_GNUC_WARN_UNUSED_RESULT;

RINGAL_GST_AVAILABLE_IN_ALL
RingalAllocator    *ringal_gst_allocator_get_ring          (RingalGstAllocator  *self);

RINGAL_GST_AVAILABLE_IN_ALL
RingalGstFullPolicy ringal_gst_allocator_get_full_policy   (RingalGstAllocator  *self);
RINGAL_GST_AVAILABLE_IN_ALL
void                ringal_gst_allocator_set_full_policy   (RingalGstAllocator  *self,
                                                            RingalGstFullPolicy  policy);
RINGAL_GST_AVAILABLE_IN_ALL
gint64              ringal_gst_allocator_get_wait_timeout  (RingalGstAllocator  *self);
RINGAL_GST_AVAILABLE_IN_ALL
void                ringal_gst_allocator_set_wait_timeout  (RingalGstAllocator  *self,
                                                            gint64               timeout_us);
RINGAL_GST_AVAILABLE_IN_ALL
gboolean            ringal_gst_allocator_get_flushing      (RingalGstAllocator  *self);
RINGAL_GST_AVAILABLE_IN_ALL
void                ringal_gst_allocator_set_flushing      (RingalGstAllocator  *self,
                                                            gboolean             flushing);

RINGAL_GST_AVAILABLE_IN_ALL
guint64             ringal_gst_allocator_get_n_fallbacks   (RingalGstAllocator  *self);
RINGAL_GST_AVAILABLE_IN_ALL
guint64             ringal_gst_allocator_get_n_waits       (RingalGstAllocator  *self);

G_END_DECLS
