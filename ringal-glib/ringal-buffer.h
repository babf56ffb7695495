/* ringal-buffer.h: byte buffers in ring memory
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__RINGAL_GLIB_INSIDE__) && !defined(RINGAL_GLIB_COMPILATION)
#error "Only <ringal-glib/ringal-glib.h> can be included directly."
#endif

#include <glib-object.h>

#include <ringal-glib/ringal-version-macros.h>

G_BEGIN_DECLS

#define RINGAL_TYPE_BUFFER (ringal_buffer_get_type ())

typedef struct _RingalBuffer RingalBuffer;

RINGAL_AVAILABLE_IN_ALL
GType          ringal_buffer_get_type      (void) G_GNUC_CONST;

RINGAL_AVAILABLE_IN_ALL
RingalBuffer  *ringal_buffer_ref           (RingalBuffer  *self);
RINGAL_AVAILABLE_IN_ALL
void           ringal_buffer_unref         (RingalBuffer  *self);

RINGAL_AVAILABLE_IN_ALL
gsize          ringal_buffer_write         (RingalBuffer  *self,
                                            const guint8  *data,
                                            gsize          len,
                                            GError       **error);
RINGAL_AVAILABLE_IN_0_2
guint8        *ringal_buffer_reserve       (RingalBuffer  *self,
                                            gsize          len,
                                            GError       **error);
RINGAL_AVAILABLE_IN_0_2
void           ringal_buffer_commit        (RingalBuffer  *self,
                                            gsize          len);
RINGAL_AVAILABLE_IN_ALL
const guint8  *ringal_buffer_get_data      (RingalBuffer  *self,
                                            gsize         *len);
RINGAL_AVAILABLE_IN_ALL
gsize          ringal_buffer_get_len       (RingalBuffer  *self);
RINGAL_AVAILABLE_IN_ALL
gsize          ringal_buffer_get_capacity  (RingalBuffer  *self);
RINGAL_AVAILABLE_IN_ALL
gsize          ringal_buffer_get_spare     (RingalBuffer  *self);
RINGAL_AVAILABLE_IN_ALL
gboolean       ringal_buffer_is_extendable (RingalBuffer  *self);
RINGAL_AVAILABLE_IN_ALL
gboolean       ringal_buffer_is_frozen     (RingalBuffer  *self);

RINGAL_AVAILABLE_IN_0_2
gboolean       ringal_buffer_is_closed     (RingalBuffer  *self);

RINGAL_AVAILABLE_IN_0_2
void           ringal_buffer_release       (RingalBuffer  *self);

RINGAL_AVAILABLE_IN_ALL
RingalBuffer  *ringal_buffer_finalize      (RingalBuffer  *self,
                                            GError       **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
GBytes        *ringal_buffer_freeze        (RingalBuffer  *self) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RingalBuffer, ringal_buffer_unref)

G_END_DECLS
