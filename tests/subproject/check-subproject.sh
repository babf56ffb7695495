#!/bin/sh
# check-subproject.sh SOURCE_ROOT: build the tiny outside project next to
# this script with a copy of SOURCE_ROOT as its subprojects/ringal-glib,
# forcing the fallback, and run its program.
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later

set -eu

source_root=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/consumer/subprojects/ringal-glib"
cp "$here/meson.build" "$here/main.c" "$work/consumer/"
# The working tree as it is, without build directories (_build, ...) or
# git metadata: what a release tarball or a wrap would bring.
tar -C "$source_root" --exclude='./_*' --exclude=./.git -cf - . |
  tar -C "$work/consumer/subprojects/ringal-glib" -xf -

# Even if an installed ringal-glib-1.0 could be found, use the subproject.
meson setup "$work/build" "$work/consumer" \
  --force-fallback-for=ringal-glib-1.0 --wrap-mode=nodownload
meson compile -C "$work/build"

"$work/build/consumer"

# The program must run against the subproject's library, not another one.
library=$(ldd "$work/build/consumer" | sed -n 's/^.*libringal-glib-1\.0\.so\.0 => \([^ ]*\).*$/\1/p')
case "$library" in
  "$work/build/subprojects/ringal-glib/"*) ;;
  *) echo "the consumer uses '$library', not the subproject's library"; exit 1 ;;
esac
echo "subproject: ok ($library)"
