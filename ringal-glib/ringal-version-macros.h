/* ringal-version-macros.h: symbol visibility and availability annotations
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__RINGAL_GLIB_INSIDE__) && !defined(RINGAL_GLIB_COMPILATION)
#error "Only <ringal-glib/ringal-glib.h> can be included directly."
#endif

#include <glib.h>

#include <ringal-glib/ringal-version.h>

/* The library is built with -fvisibility=hidden; only what carries one of
 * the RINGAL_AVAILABLE_* annotations below is exported. */
#ifndef _RINGAL_EXTERN
# if defined(RINGAL_GLIB_COMPILATION) && defined(__GNUC__)
#  define _RINGAL_EXTERN __attribute__((visibility ("default"))) extern
# else
#  define _RINGAL_EXTERN extern
# endif
#endif

#define RINGAL_VERSION_CUR_STABLE \
  (G_ENCODE_VERSION (RINGAL_MAJOR_VERSION, RINGAL_MINOR_VERSION))

/**
 * RINGAL_VERSION_1_0:
 *
 * The first release, 0.1, whose API is ringal-glib-1.0.
 */
#define RINGAL_VERSION_1_0 (G_ENCODE_VERSION (0, 1))

/**
 * RINGAL_VERSION_0_2:
 *
 * The 0.2 release: held buffers no longer stop a ring, explicit release,
 * write in place, rings shared between processes.
 *
 * Since: 0.2
 */
#define RINGAL_VERSION_0_2 (G_ENCODE_VERSION (0, 2))

#ifndef RINGAL_VERSION_MIN_REQUIRED
# define RINGAL_VERSION_MIN_REQUIRED (RINGAL_VERSION_1_0)
#endif

#ifndef RINGAL_VERSION_MAX_ALLOWED
# define RINGAL_VERSION_MAX_ALLOWED (RINGAL_VERSION_CUR_STABLE)
#endif

/**
 * RINGAL_DEPRECATED:
 *
 * Marks a symbol as deprecated: using it warns, unless
 * `RINGAL_DISABLE_DEPRECATION_WARNINGS` is defined.
 */

/**
 * RINGAL_DEPRECATED_FOR:
 * @f: the symbol to use instead
 *
 * Marks a symbol as deprecated in favour of @f: using it warns, unless
 * `RINGAL_DISABLE_DEPRECATION_WARNINGS` is defined.
 */
#ifdef RINGAL_DISABLE_DEPRECATION_WARNINGS
# define RINGAL_DEPRECATED _RINGAL_EXTERN
# define RINGAL_DEPRECATED_FOR(f) _RINGAL_EXTERN
#else
# define RINGAL_DEPRECATED G_DEPRECATED _RINGAL_EXTERN
# define RINGAL_DEPRECATED_FOR(f) G_DEPRECATED_FOR(f) _RINGAL_EXTERN
#endif

/**
 * RINGAL_AVAILABLE_IN_ALL:
 *
 * Marks a symbol as exported and available in every release.
 */
#define RINGAL_AVAILABLE_IN_ALL _RINGAL_EXTERN

#if RINGAL_VERSION_MAX_ALLOWED < RINGAL_VERSION_1_0
# define RINGAL_AVAILABLE_IN_1_0 G_UNAVAILABLE (0, 1) _RINGAL_EXTERN
#else
# define RINGAL_AVAILABLE_IN_1_0 _RINGAL_EXTERN
#endif

/**
 * RINGAL_AVAILABLE_IN_0_2:
 *
 * Marks a symbol as exported and added in 0.2: using it warns when
 * `RINGAL_VERSION_MAX_ALLOWED` is older.
 *
 * Since: 0.2
 */
#if RINGAL_VERSION_MAX_ALLOWED < RINGAL_VERSION_0_2
# define RINGAL_AVAILABLE_IN_0_2 G_UNAVAILABLE (0, 2) _RINGAL_EXTERN
#else
# define RINGAL_AVAILABLE_IN_0_2 _RINGAL_EXTERN
#endif
