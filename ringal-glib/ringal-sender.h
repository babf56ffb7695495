/* ringal-sender.h: RingalSender, ring bytes to another process
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

#define RINGAL_TYPE_SENDER (ringal_sender_get_type ())

RINGAL_AVAILABLE_IN_0_2
G_DECLARE_FINAL_TYPE (RingalSender, ringal_sender, RINGAL, SENDER, GObject)

RINGAL_AVAILABLE_IN_0_2
RingalSender      *ringal_sender_new                (RingalAllocator     *allocator,
                                                     GSocketConnection   *connection) G_GNUC_WARN_UNUSED_RESULT;

RINGAL_AVAILABLE_IN_0_2
RingalAllocator   *ringal_sender_get_allocator      (RingalSender        *self);
RINGAL_AVAILABLE_IN_0_2
GSocketConnection *ringal_sender_get_connection     (RingalSender        *self);
RINGAL_AVAILABLE_IN_0_2
guint              ringal_sender_get_n_held         (RingalSender        *self);

RINGAL_AVAILABLE_IN_0_2
gboolean           ringal_sender_send_bytes         (RingalSender        *self,
                                                     GBytes              *bytes,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
RINGAL_AVAILABLE_IN_0_2
void               ringal_sender_send_bytes_async   (RingalSender        *self,
                                                     GBytes              *bytes,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
RINGAL_AVAILABLE_IN_0_2
void               ringal_sender_close              (RingalSender        *self);

RINGAL_AVAILABLE_IN_0_2
gboolean           ringal_sender_send_bytes_finish  (RingalSender        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
