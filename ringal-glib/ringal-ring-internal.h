/* ringal-ring-internal.h: what the ring's own files share (private)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ringal-ring.h"

G_BEGIN_DECLS

/* ringal-ring-pool.c */
RingalRing *ringal_ring_header_get        (void);
void        ringal_ring_header_put        (RingalRing *ring);
void        ringal_ring_count_store       (int         delta);

/* ringal-ring-release.c */
void        ringal_ring_barrier_init      (void);
void        ringal_ring_heavy_barrier     (void);

/* ringal-ring-wait.c */
void        ringal_ring_wake_locked       (RingalRing *ring);

/* ringal-ring-store.c */
RingalGuard *ringal_ring_store_map        (size_t       size,
                                           bool         shareable,
                                           int         *fd);
void        ringal_ring_store_unmap       (RingalGuard *store,
                                           size_t       size,
                                           int          fd);

/* ringal-ring.c */
void        ringal_ring_store_free_locked (RingalRing *ring);

G_END_DECLS
