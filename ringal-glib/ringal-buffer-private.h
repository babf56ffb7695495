/* ringal-buffer-private.h: the buffer handle, which lives in its own region
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ringal-buffer.h"
#include "ringal-ring.h"

G_BEGIN_DECLS

typedef enum {
  RINGAL_BUFFER_EXTENDING = 1 << 0,  /* an open extendable buffer */
  RINGAL_BUFFER_FROZEN    = 1 << 1,  /* no more writes */
  RINGAL_BUFFER_RELOCATED = 1 << 2,  /* data moved to a region of its own */
  RINGAL_BUFFER_CLOSED    = 1 << 3,  /* released: no data, no writes */
  RINGAL_BUFFER_APART     = 1 << 4,  /* the handle is outside the store */
  RINGAL_BUFFER_POOLED    = 1 << 5,  /* a free handle, kept for reuse */
  RINGAL_BUFFER_CUT       = 1 << 6,  /* released, its region to be cut to the handle */
} RingalBufferFlags;

/* Sits right after the region's guard, so that allocating a buffer costs
 * no malloc.  Normally the data follows it in the same region; when an
 * extendable buffer outgrows the end of the store, the data moves to the
 * front into a region of its own, whose guard is the word before `data`,
 * and the handle stays where the caller's pointer says it is.
 *
 * Once a buffer of the ring has been released with ringal_buffer_release(),
 * the ring's new buffers get their handle from a pool outside the store
 * (APART); the region keeps the handle's room unused, so sizes do not
 * change, and goes back on its own: a released handle that a binding's
 * wrapper keeps until its collector runs then holds no ring memory. */
struct _RingalBuffer
{
  RingalRing      *ring;
  gint             ref_count;  /* atomic; inline builtins, which TSan sees */
  guint            flags;
  guint8          *data;
  gsize            len;
  gsize            capacity;
};

#define RINGAL_BUFFER_PREFIX (sizeof (RingalBuffer))

G_STATIC_ASSERT (RINGAL_BUFFER_PREFIX % RINGAL_WORD == 0);

/* The data's region holds no handle, and goes back on its own. */
#define RINGAL_BUFFER_DATA_ALONE (RINGAL_BUFFER_RELOCATED | RINGAL_BUFFER_APART)

/* Anything but a handle and its data in one region, given back together. */
#define RINGAL_BUFFER_NOT_ONE_REGION \
  (RINGAL_BUFFER_DATA_ALONE | RINGAL_BUFFER_CUT | RINGAL_BUFFER_POOLED)

/* The guard of the handle's region, when the handle is in one. */
static inline RingalGuard *
ringal_buffer_guard (RingalBuffer *self)
{
  return (RingalGuard *) self - 1;
}

/* The guard of the region that holds the data, and the bytes before the
 * data in that region.  A handle kept apart leaves its room in the region
 * unused, so that every buffer takes the same room in the ring. */
static inline RingalGuard *
ringal_buffer_data_guard (RingalBuffer *self,
                          gsize        *prefix)
{
  if (self->flags & RINGAL_BUFFER_RELOCATED)
    {
      *prefix = 0;
      return (RingalGuard *) self->data - 1;
    }

  *prefix = RINGAL_BUFFER_PREFIX;
  if (self->flags & RINGAL_BUFFER_APART)
    return (RingalGuard *) (self->data - RINGAL_BUFFER_PREFIX) - 1;
  return ringal_buffer_guard (self);
}

/* Makes the region at @guard, just reserved with RINGAL_BUFFER_PREFIX, a
 * buffer: the handle first, the data after it, one reference. */
RINGAL_GUARD_ACCESS static inline RingalBuffer *
ringal_buffer_init (RingalRing  *ring,
                    RingalGuard *guard,
                    gboolean     extendable)
{
  RingalBuffer *self = (RingalBuffer *) (guard + 1);

  self->ring = ring;
  self->ref_count = 1;
  self->flags = 0;
  self->data = (guint8 *) (self + 1);
  self->len = 0;
  self->capacity = (gsize) ((guint8 *) ringal_guard_next (guard) - self->data);

  if (extendable)
    {
      self->flags = RINGAL_BUFFER_EXTENDING;
      atomic_store_explicit (&ring->extending, true, memory_order_relaxed);
    }

  return self;
}

RingalBuffer *ringal_buffer_new             (RingalRing    *ring,
                                             gsize          size,
                                             gboolean       extendable,
                                             GError       **error);

/* ringal-buffer-release.c: handles kept outside the store, so that a
 * released buffer whose handle is still referenced costs the ring nothing. */
RingalBuffer *ringal_buffer_new_apart       (RingalRing    *ring,
                                             gsize          size,
                                             gboolean       extendable,
                                             GError       **error);
void          ringal_buffer_put_apart       (RingalBuffer  *self);
void          ringal_buffer_release_regions (RingalBuffer  *self);
void          ringal_buffer_cut_released    (RingalRing    *ring);

G_END_DECLS
