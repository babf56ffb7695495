/* ringal-receiver.h: RingalReceiver, ring bytes from another process
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

G_BEGIN_DECLS

#define RINGAL_TYPE_RECEIVER (ringal_receiver_get_type ())

RINGAL_AVAILABLE_IN_0_2
G_DECLARE_FINAL_TYPE (RingalReceiver, ringal_receiver, RINGAL, RECEIVER, GObject)

RINGAL_AVAILABLE_IN_0_2
RingalReceiver    *ringal_receiver_new                  (GSocketConnection   *connection) G_GNUC_WARN_UNUSED_RESULT;

RINGAL_AVAILABLE_IN_0_2
GSocketConnection *ringal_receiver_get_connection       (RingalReceiver      *self);

RINGAL_AVAILABLE_IN_0_2
GBytes            *ringal_receiver_receive_bytes        (RingalReceiver      *self,
                                                         GCancellable        *cancellable,
                                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_0_2
void               ringal_receiver_receive_bytes_async  (RingalReceiver      *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
RINGAL_AVAILABLE_IN_0_2
GBytes            *ringal_receiver_receive_bytes_finish (RingalReceiver      *self,
                                                         GAsyncResult        *result,
                                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
