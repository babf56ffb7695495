#!/bin/sh
# check-install.sh BUILDDIR: install the build into a temporary tree, then
# use it as an outsider would: a C program built with pkg-config, and the
# Ringal namespace from Python and GJS.
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later

set -eu

builddir=$1
here=$(cd "$(dirname "$0")" && pwd)
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$builddir" --destdir "$dest" --no-rebuild --quiet

pc=$(find "$dest" -name ringal-glib-1.0.pc | head -n 1)
typelib=$(find "$dest" -name Ringal-1.0.typelib | head -n 1)
library=$(find "$dest" -name 'libringal-glib-1.0.so.0' | head -n 1)
for file in "$pc" "$typelib" "$library" \
            "$(find "$dest" -name ringal-glib.h | head -n 1)" \
            "$(find "$dest" -name Ringal-1.0.gir | head -n 1)"; do
  [ -n "$file" ] || { echo "not installed: a file is missing"; find "$dest"; exit 1; }
done
if [ -n "$(find "$dest" -name ringal-ring.h)" ]; then
  echo "a private header was installed"
  exit 1
fi

# The .pc names the configured prefix: a copy points it into the
# temporary tree (only ours: gio-2.0 stays where the system has it).
mkdir "$dest/pkgconfig"
sed "s|^prefix=|prefix=$dest|" "$pc" > "$dest/pkgconfig/ringal-glib-1.0.pc"
export PKG_CONFIG_PATH="$dest/pkgconfig"
export LD_LIBRARY_PATH="$(dirname "$library")"
export GI_TYPELIB_PATH="$(dirname "$typelib")"

cc -o "$dest/consumer" "$here/consumer.c" $(pkg-config --cflags --libs ringal-glib-1.0)
"$dest/consumer"

# The overrides, gi.overrides.Ringal and its C module, from the tree alone:
# the build tree's python/ must not be on the path.
overrides=$(find "$dest" -path '*/gi/overrides/Ringal.py' | head -n 1)
[ -n "$overrides" ] || { echo "not installed: gi/overrides/Ringal.py"; exit 1; }
[ -n "$(find "$(dirname "$overrides")" -name '_ringal*.so')" ] ||
  { echo "not installed: the _ringal module next to Ringal.py"; exit 1; }
PYTHONPATH="$(dirname "$(dirname "$(dirname "$overrides")")")" RINGAL_DEST="$dest" /usr/bin/python3 - <<'PY'
import os
import sys
import gi
gi.require_version('Ringal', '1.0')
from gi.repository import Ringal
import gi.overrides.Ringal as overrides
assert overrides.__file__.startswith(os.environ['RINGAL_DEST']), overrides.__file__
allocator = Ringal.Allocator.new(4096)
frozen = allocator.copy(bytearray(b'from python'))
assert frozen.get_data() == b'from python', frozen.get_data()
with allocator.fixed(16) as buffer:
    buffer.write(memoryview(b'in place'))
    with memoryview(buffer) as view:
        assert view.tobytes() == b'in place'
assert buffer.is_closed()
print('python: overrides from', os.path.dirname(overrides.__file__))
PY

if command -v gjs >/dev/null 2>&1; then
  gjs -c "
    imports.gi.versions.Ringal = '1.0';
    const Ringal = imports.gi.Ringal;
    const frozen = Ringal.Allocator.new(4096).copy(new TextEncoder().encode('from gjs'));
    if (new TextDecoder().decode(frozen.toArray()) !== 'from gjs') throw new Error('bytes differ');
    print('gjs: Ringal imported');
  "
fi
# libringal-gst, when it was built: the same from outside.
gst_pc=$(find "$dest" -name ringal-gst-1.0.pc | head -n 1)
if [ -n "$gst_pc" ]; then
  sed "s|^prefix=|prefix=$dest|" "$gst_pc" > "$dest/pkgconfig/ringal-gst-1.0.pc"
  cc -o "$dest/gst-consumer" "$here/gst-consumer.c" $(pkg-config --cflags --libs ringal-gst-1.0)
  "$dest/gst-consumer"
  if [ -n "$(find "$dest" -name RingalGst-1.0.typelib)" ]; then
    /usr/bin/python3 - <<'PY'
import gi
gi.require_version('Gst', '1.0')
gi.require_version('RingalGst', '1.0')
from gi.repository import Gst, RingalGst
Gst.init(None)
RingalGst.init()
assert isinstance(Gst.Allocator.find('ringal'), RingalGst.Allocator)
print('python: RingalGst imported')
PY
  fi
  echo "install: ringal-gst ok"
fi
echo "install: ok"
