/* ringal-error.h: the RINGAL_ERROR domain
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__RINGAL_GLIB_INSIDE__) && !defined(RINGAL_GLIB_COMPILATION)
#error "Only <ringal-glib/ringal-glib.h> can be included directly."
#endif

#include <glib.h>

#include <ringal-glib/ringal-version-macros.h>

G_BEGIN_DECLS

/**
 * RINGAL_ERROR:
 *
 * Error domain for ringal-glib.  Errors in this domain are from the
 * [error@Ringal.Error] enumeration.
 */
#define RINGAL_ERROR (ringal_error_quark ())

/**
 * RingalError:
 * @RINGAL_ERROR_FULL: no free run anywhere in the ring (released regions
 *   merged; regions in use are stepped over, not stopped at) holds the
 *   request now; releasing buffers makes room, so the same request may
 *   succeed later
 * @RINGAL_ERROR_TOO_LARGE: the request can never fit this allocator, however
 *   many buffers are released
 * @RINGAL_ERROR_BUSY: an extendable buffer is open on the allocator; finalize
 *   or release it first
 * @RINGAL_ERROR_FROZEN: the buffer is frozen and takes no more writes
 * @RINGAL_ERROR_NOT_EXTENDABLE: the operation needs an open extendable buffer
 * @RINGAL_ERROR_NO_MEMORY: the system could not provide the store
 * @RINGAL_ERROR_INVALID_ARGUMENT: an argument is out of range, such as a
 *   capacity of 0
 * @RINGAL_ERROR_WRONG_THREAD: the allocator belongs to another thread; see
 *   [method@Ringal.Allocator.disown] and [ctor@Ringal.Allocator.new_shared]
 * @RINGAL_ERROR_CAPACITY_EXCEEDED: the elements do not fit in what is left of
 *   a [struct@Ringal.Array]'s fixed capacity; nothing was added.  Unlike
 *   %RINGAL_ERROR_FULL, releasing buffers does not help: remove elements, or
 *   allocate a larger array
 * @RINGAL_ERROR_PROTOCOL: the other process of a [class@Ringal.Sender] or
 *   [class@Ringal.Receiver] broke the protocol: a message, a file
 *   descriptor or a release that it could not have sent honestly.  The
 *   connection is given up; nothing of this process is lost.  Since: 0.2
 * @RINGAL_ERROR_CLOSED: the buffer has been released with
 *   [method@Ringal.Buffer.release] and takes no more writes.  Since: 0.2
 *
 * The errors of the `RINGAL_ERROR` domain.  This enumeration may be extended
 * in later releases.
 */
typedef enum {
  RINGAL_ERROR_FULL = 1,
  RINGAL_ERROR_TOO_LARGE,
  RINGAL_ERROR_BUSY,
  RINGAL_ERROR_FROZEN,
  RINGAL_ERROR_NOT_EXTENDABLE,
  RINGAL_ERROR_NO_MEMORY,
  RINGAL_ERROR_INVALID_ARGUMENT,
  RINGAL_ERROR_WRONG_THREAD,
  RINGAL_ERROR_CAPACITY_EXCEEDED,
  RINGAL_ERROR_PROTOCOL,
  RINGAL_ERROR_CLOSED,
} RingalError;

RINGAL_AVAILABLE_IN_ALL
GQuark ringal_error_quark (void);

G_END_DECLS
