/* ringal-glib.h: the one header to include
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#define __RINGAL_GLIB_INSIDE__

#include <ringal-glib/ringal-version.h>
#include <ringal-glib/ringal-version-macros.h>
#include <ringal-glib/ringal-enums.h>
#include <ringal-glib/ringal-error.h>
#include <ringal-glib/ringal-buffer.h>
#include <ringal-glib/ringal-array.h>
#include <ringal-glib/ringal-allocator.h>
#include <ringal-glib/ringal-raw.h>
#include <ringal-glib/ringal-stats.h>
#include <ringal-glib/ringal-output-stream.h>
#include <ringal-glib/ringal-sender.h>
#include <ringal-glib/ringal-receiver.h>

#undef __RINGAL_GLIB_INSIDE__
