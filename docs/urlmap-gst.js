// SPDX-License-Identifier: LGPL-2.1-or-later
// Where gi-docgen links other namespaces to, from libringal-gst's reference.
baseURLs = [
  ['Ringal', '../ringal-glib-1.0/'],
  ['Gst', 'https://gstreamer.freedesktop.org/documentation/gstreamer/'],
  ['GLib', 'https://docs.gtk.org/glib/'],
  ['GObject', 'https://docs.gtk.org/gobject/'],
  ['Gio', 'https://docs.gtk.org/gio/'],
]
