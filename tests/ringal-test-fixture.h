/* ringal-test-fixture.h: an allocator per test, checked when the test ends
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ringal-test-utils.h"

G_BEGIN_DECLS

typedef struct {
  RingalAllocator *allocator;
  RingalRing      *ring;
  gsize            stores_before;
} RingalFixture;

/* The capacity comes from the test data; NULL means 4096, the seed's. */
void ringal_fixture_setup    (RingalFixture *fixture,
                              gconstpointer  capacity);

/* Every test must release what it allocated.  Teardown checks the ring's
 * invariants, that the largest buffer fits again (capacity recovered), and
 * that the store is freed with the allocator (no region left locked). */
void ringal_fixture_teardown (RingalFixture *fixture,
                              gconstpointer  capacity);

#define ringal_test_add(path, func) \
  g_test_add ((path), RingalFixture, NULL, ringal_fixture_setup, (func), ringal_fixture_teardown)

#define ringal_test_add_sized(path, capacity, func) \
  g_test_add ((path), RingalFixture, GSIZE_TO_POINTER (capacity), \
              ringal_fixture_setup, (func), ringal_fixture_teardown)

G_END_DECLS
