/* ringal-error-private.h: GErrors from ring statuses
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ringal-error.h"
#include "ringal-ring.h"

G_BEGIN_DECLS

void ringal_set_error_from_status (GError           **error,
                                   RingalRingStatus   status,
                                   RingalRing        *ring,
                                   gsize              size,
                                   gsize              max_size);

G_END_DECLS
