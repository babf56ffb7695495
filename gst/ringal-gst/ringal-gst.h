/* ringal-gst.h: the one header of libringal-gst
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#define __RINGAL_GST_INSIDE__

#include <ringal-gst/ringal-gst-version-macros.h>
#include <ringal-gst/ringal-gst-allocator.h>

#undef __RINGAL_GST_INSIDE__
