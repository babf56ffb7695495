#!/bin/sh
# check-uninstalled.sh BUILDDIR: build outside programs against the build
# tree itself, through the -uninstalled.pc files Meson writes, as
# `meson devenv`, gst-build-style environments and valac's C do.
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later

set -eu

builddir=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

export PKG_CONFIG_PATH="$builddir/meson-uninstalled"
export LD_LIBRARY_PATH="$builddir/ringal-glib:$builddir/gst${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

cc -o "$out/consumer" "$here/consumer.c" $(pkg-config --cflags --libs ringal-glib-1.0)
"$out/consumer"
echo "uninstalled: ringal-glib-1.0 ok"

if [ -f "$builddir/meson-uninstalled/ringal-gst-1.0-uninstalled.pc" ]; then
  cc -o "$out/gst-consumer" "$here/gst-consumer.c" $(pkg-config --cflags --libs ringal-gst-1.0)
  GST_REGISTRY_1_0="$out/registry.bin" "$out/gst-consumer"
  echo "uninstalled: ringal-gst-1.0 ok"
fi
