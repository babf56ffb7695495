/* ringal-array-private.h: the array handle, which lives in its own region
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ringal-array.h"
#include "ringal-ring.h"

G_BEGIN_DECLS

/* Sits right after the region's guard, as a buffer's handle does; the
 * elements follow at the requested alignment, and the region was reserved
 * with that padding counted, so they end before the next guard. */
struct _RingalArray
{
  RingalRing      *ring;
  gint             ref_count;  /* atomic; inline builtins, which TSan sees */
  guint8          *data;
  gsize            element_size;
  gsize            len;        /* in elements */
  gsize            capacity;   /* in elements: what was asked for */
  GDestroyNotify   clear_func;
};

#define RINGAL_ARRAY_PREFIX (sizeof (RingalArray))

G_STATIC_ASSERT (RINGAL_ARRAY_PREFIX % RINGAL_WORD == 0);

RingalArray *ringal_array_new (RingalRing  *ring,
                               gsize        element_size,
                               gsize        alignment,
                               gsize        count,
                               GError     **error);

G_END_DECLS
