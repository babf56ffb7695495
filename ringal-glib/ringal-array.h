/* ringal-array.h: typed fixed-capacity arrays in ring memory
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

#define RINGAL_TYPE_ARRAY (ringal_array_get_type ())

/**
 * RINGAL_ARRAY_MAX_ALIGNMENT:
 *
 * The largest element alignment [method@Ringal.Allocator.array] accepts: one
 * page.
 */
#define RINGAL_ARRAY_MAX_ALIGNMENT 4096

typedef struct _RingalArray RingalArray;

RINGAL_AVAILABLE_IN_ALL
GType          ringal_array_get_type           (void) G_GNUC_CONST;

RINGAL_AVAILABLE_IN_ALL
RingalArray   *ringal_array_ref                (RingalArray    *self);
RINGAL_AVAILABLE_IN_ALL
void           ringal_array_unref              (RingalArray    *self);

RINGAL_AVAILABLE_IN_ALL
void           ringal_array_set_clear_func     (RingalArray    *self,
                                                GDestroyNotify  clear_func);

RINGAL_AVAILABLE_IN_ALL
gboolean       ringal_array_append_vals        (RingalArray    *self,
                                                gconstpointer   data,
                                                gsize           len,
                                                GError        **error);
RINGAL_AVAILABLE_IN_ALL
gboolean       ringal_array_insert_vals        (RingalArray    *self,
                                                gsize           index_,
                                                gconstpointer   data,
                                                gsize           len,
                                                GError        **error);
RINGAL_AVAILABLE_IN_ALL
gboolean       ringal_array_append_data        (RingalArray    *self,
                                                const guint8   *data,
                                                gsize           n_bytes,
                                                GError        **error);
RINGAL_AVAILABLE_IN_ALL
gboolean       ringal_array_insert_data        (RingalArray    *self,
                                                gsize           index_,
                                                const guint8   *data,
                                                gsize           n_bytes,
                                                GError        **error);

RINGAL_AVAILABLE_IN_ALL
gboolean       ringal_array_remove_index       (RingalArray    *self,
                                                gsize           index_,
                                                GError        **error);
RINGAL_AVAILABLE_IN_ALL
gboolean       ringal_array_remove_index_fast  (RingalArray    *self,
                                                gsize           index_,
                                                GError        **error);
RINGAL_AVAILABLE_IN_ALL
gboolean       ringal_array_pop                (RingalArray    *self,
                                                gpointer        element);

RINGAL_AVAILABLE_IN_ALL
gpointer       ringal_array_get_data           (RingalArray    *self,
                                                gsize          *n_bytes);
RINGAL_AVAILABLE_IN_ALL
GBytes        *ringal_array_get_element        (RingalArray    *self,
                                                gsize           index_,
                                                GError        **error) G_GNUC_WARN_UNUSED_RESULT;
RINGAL_AVAILABLE_IN_ALL
gsize          ringal_array_get_len            (RingalArray    *self);
RINGAL_AVAILABLE_IN_ALL
gsize          ringal_array_get_capacity       (RingalArray    *self);
RINGAL_AVAILABLE_IN_ALL
gsize          ringal_array_get_element_size   (RingalArray    *self);

/**
 * ringal_array_index:
 * @a: a [struct@Ringal.Array]
 * @t: the type of the elements
 * @i: the index of the element
 *
 * The element at @i of @a, as an lvalue of type @t, as `g_array_index()`
 * gives it: `ringal_array_index (points, Point, 2).x = 5`.  No bounds are
 * checked.  The data never moves, so a hot loop may also keep the pointer
 * from [method@Ringal.Array.get_data].
 */
#define ringal_array_index(a, t, i) (((t *) ringal_array_get_data ((a), NULL)) [(i)])

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RingalArray, ringal_array_unref)

G_END_DECLS
