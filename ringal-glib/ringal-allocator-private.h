/* ringal-allocator-private.h: what the library and its tests share
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ringal-allocator.h"
#include "ringal-ring.h"

G_BEGIN_DECLS

#define RINGAL_ALLOCATOR_DEFAULT_CAPACITY (1024 * 1024)

RingalRing *ringal_allocator_get_ring (RingalAllocator *self);

G_END_DECLS
