/* ringal-raw.h: the raw C fast path, a pointer in and a pointer out
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

RINGAL_AVAILABLE_IN_ALL
gpointer ringal_allocator_alloc     (RingalAllocator  *self,
                                     gsize             size) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
gpointer ringal_allocator_try_alloc (RingalAllocator  *self,
                                     gsize             size,
                                     GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
gpointer ringal_allocator_try_alloc_aligned (RingalAllocator  *self,
                                             gsize             size,
                                             gsize             alignment,
                                             GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_0_2
gpointer ringal_allocator_alloc_aligned_wait (RingalAllocator  *self,
                                              gsize             size,
                                              gsize             alignment,
                                              gint64            timeout_us,
                                              GCancellable     *cancellable,
                                              GError          **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
void     ringal_release             (gpointer          mem);

G_END_DECLS
