/* ringal-error.c: the RINGAL_ERROR domain
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "ringal-error-private.h"

/**
 * ringal_error_quark:
 *
 * The quark of the `RINGAL_ERROR` domain, which holds the
 * [error@Ringal.Error] codes.
 *
 * Returns: the error domain quark
 */
G_DEFINE_QUARK (ringal-error-quark, ringal_error)

void
ringal_set_error_from_status (GError           **error,
                              RingalRingStatus   status,
                              RingalRing        *ring,
                              gsize              size,
                              gsize              max_size)
{
  switch (status)
    {
    case RINGAL_RING_FULL:
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL,
                   "No room for %" G_GSIZE_FORMAT " bytes in the ring of %"
                   G_GSIZE_FORMAT " bytes until buffers are released",
                   size, ring->capacity);
      break;

    case RINGAL_RING_TOO_LARGE:
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE,
                   "%" G_GSIZE_FORMAT " bytes can never fit this allocator: "
                   "its largest buffer holds %" G_GSIZE_FORMAT " bytes",
                   size, max_size);
      break;

    case RINGAL_RING_NO_MEMORY:
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_NO_MEMORY,
                   "Could not allocate a store of %" G_GSIZE_FORMAT " bytes", size);
      break;

    case RINGAL_RING_OK:
    default:
      g_assert_not_reached ();
    }
}
