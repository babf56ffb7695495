/* ringal-allocator.h: RingalAllocator, a ring of short-lived buffers
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
#include <ringal-glib/ringal-array.h>
#include <ringal-glib/ringal-buffer.h>

G_BEGIN_DECLS

#define RINGAL_TYPE_ALLOCATOR (ringal_allocator_get_type ())

RINGAL_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (RingalAllocator, ringal_allocator, RINGAL, ALLOCATOR, GObject)

RINGAL_AVAILABLE_IN_ALL
RingalAllocator *ringal_allocator_new                (gsize             capacity) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
RingalAllocator *ringal_allocator_try_new            (gsize             capacity,
                                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
RingalAllocator *ringal_allocator_new_shared         (gsize             capacity) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_0_2
RingalAllocator *ringal_allocator_new_shareable      (gsize             capacity,
                                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_0_2
gboolean         ringal_allocator_is_shareable       (RingalAllocator  *self);

RINGAL_AVAILABLE_IN_ALL
RingalAllocator *ringal_allocator_get_thread_default (void);
RINGAL_AVAILABLE_IN_ALL
void             ringal_allocator_set_default_capacity (gsize           capacity);
RINGAL_AVAILABLE_IN_ALL
gsize            ringal_allocator_get_default_capacity (void);

RINGAL_AVAILABLE_IN_ALL
void             ringal_allocator_disown             (RingalAllocator  *self);
RINGAL_AVAILABLE_IN_ALL
gboolean         ringal_allocator_is_shared          (RingalAllocator  *self);

RINGAL_AVAILABLE_IN_ALL
gsize            ringal_allocator_get_capacity       (RingalAllocator  *self);
RINGAL_AVAILABLE_IN_ALL
gsize            ringal_allocator_get_max_size       (RingalAllocator  *self);

RINGAL_AVAILABLE_IN_ALL
RingalBuffer    *ringal_allocator_fixed              (RingalAllocator  *self,
                                                      gsize             size,
                                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
RingalBuffer    *ringal_allocator_extendable         (RingalAllocator  *self,
                                                      gsize             size,
                                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
RingalBuffer    *ringal_allocator_fixed_wait         (RingalAllocator  *self,
                                                      gsize             size,
                                                      gint64            timeout_us,
                                                      GCancellable     *cancellable,
                                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
void             ringal_allocator_fixed_async        (RingalAllocator  *self,
                                                      gsize             size,
                                                      GCancellable     *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer          user_data);
RINGAL_AVAILABLE_IN_ALL
RingalBuffer    *ringal_allocator_fixed_finish       (RingalAllocator  *self,
                                                      GAsyncResult     *result,
                                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
RingalArray     *ringal_allocator_array              (RingalAllocator  *self,
                                                      gsize             element_size,
                                                      gsize             alignment,
                                                      gsize             count,
                                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
GBytes          *ringal_allocator_copy               (RingalAllocator  *self,
                                                      const guint8     *data,
                                                      gsize             len,
                                                      GError          **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
