/* share-test-utils.h: two processes over a Unix socket, for the tests of
 * RingalSender and RingalReceiver
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sys/socket.h>

#include <gio/gio.h>
#include <gio/gunixconnection.h>

#include "ringal-test-utils.h"

G_BEGIN_DECLS

/* A record: its number, its length, then ringal_test_pattern_byte()s. */
typedef struct {
  guint32 seq;
  guint32 len;
} ShareRecordHeader;

static inline GSocketConnection *
share_test_connection_from_fd (int fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, &error);

  g_assert_no_error (error);
  return g_socket_connection_factory_create_connection (socket);
}

/* Both ends of a socketpair, as connections. */
static inline void
share_test_pair (GSocketConnection **a,
                 GSocketConnection **b)
{
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  *a = share_test_connection_from_fd (fds[0]);
  *b = share_test_connection_from_fd (fds[1]);
  g_assert_true (G_IS_UNIX_CONNECTION (*a));
}

/* FNV-1a, so that both processes can compare everything they saw. */
static inline guint64
share_test_hash (guint64       hash,
                 const guint8 *data,
                 gsize         len)
{
  for (gsize i = 0; i < len; i++)
    hash = (hash ^ data[i]) * 0x100000001b3ull;
  return hash;
}

#define SHARE_TEST_HASH_INIT 0xcbf29ce484222325ull

/* A record of @len bytes in all (header included, at least its size),
 * waiting up to 20 s for room: for the receiver to let go. */
static inline GBytes *
share_test_record (RingalAllocator *allocator,
                   guint32          seq,
                   gsize            len,
                   GError         **error)
{
  g_autoptr(RingalBuffer) buffer = ringal_allocator_fixed_wait (allocator, len, 20 * G_USEC_PER_SEC,
                                                                NULL, error);
  g_autofree guint8 *data = g_malloc (len);
  ShareRecordHeader header = { seq, (guint32) (len - sizeof header) };

  if (buffer == NULL)
    return NULL;
  memcpy (data, &header, sizeof header);
  ringal_test_fill (data + sizeof header, header.len, seq);
  g_assert_cmpuint (ringal_buffer_write (buffer, data, len, NULL), ==, len);
  return ringal_buffer_freeze (buffer);
}

static inline gsize
share_test_bytes_in_use (RingalAllocator *allocator)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalStats) stats = ringal_allocator_get_stats (allocator, &error);

  g_assert_no_error (error);
  return stats->bytes_in_use;
}

/* Waits, ten seconds at most, for the sender's watcher to take back every
 * region of @allocator: it runs on its own time. */
static inline void
share_test_wait_all_back (RingalAllocator *allocator)
{
  for (guint i = 0; i < 1000 && share_test_bytes_in_use (allocator) > 0; i++)
    g_usleep (G_USEC_PER_SEC / 100);
  g_assert_cmpuint (share_test_bytes_in_use (allocator), ==, 0);
}

/* Whether @bytes is record @seq, every byte of it. */
static inline gboolean
share_test_record_holds (GBytes  *bytes,
                         guint32  seq)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  ShareRecordHeader header;

  if (len < sizeof header)
    return FALSE;
  memcpy (&header, data, sizeof header);
  return header.seq == seq && header.len == len - sizeof header &&
         ringal_test_pattern_holds (data + sizeof header, header.len, seq);
}

G_END_DECLS
