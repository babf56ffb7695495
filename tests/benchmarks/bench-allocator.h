/* bench-allocator.h: which allocator serves malloc() in this benchmark
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>

const char *bench_allocator_name  (void);
bool        bench_allocator_check (char   *detail,
                                   size_t  detail_size);
