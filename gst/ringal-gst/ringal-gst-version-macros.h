/* ringal-gst-version-macros.h: symbol visibility for libringal-gst
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__RINGAL_GST_INSIDE__) && !defined(RINGAL_GST_COMPILATION)
#error "Only <ringal-gst/ringal-gst.h> can be included directly."
#endif

#include <ringal-glib/ringal-glib.h>

/* libringal-gst is built with -fvisibility=hidden, as libringal-glib is;
 * only what carries RINGAL_GST_AVAILABLE_IN_ALL is exported. */
#ifndef _RINGAL_GST_EXTERN
# if defined(RINGAL_GST_COMPILATION) && defined(__GNUC__)
#  define _RINGAL_GST_EXTERN __attribute__((visibility ("default"))) extern
# else
#  define _RINGAL_GST_EXTERN extern
# endif
#endif

/**
 * RINGAL_GST_AVAILABLE_IN_ALL:
 *
 * Marks a symbol of libringal-gst as exported and available in every
 * release.
 */
#define RINGAL_GST_AVAILABLE_IN_ALL _RINGAL_GST_EXTERN

/**
 * RINGAL_GST_AVAILABLE_IN_0_2:
 *
 * Marks a symbol of libringal-gst as exported and added in 0.2.
 *
 * Since: 0.2
 */
#if RINGAL_VERSION_MAX_ALLOWED < RINGAL_VERSION_0_2
# define RINGAL_GST_AVAILABLE_IN_0_2 G_UNAVAILABLE (0, 2) _RINGAL_GST_EXTERN
#else
# define RINGAL_GST_AVAILABLE_IN_0_2 _RINGAL_GST_EXTERN
#endif
