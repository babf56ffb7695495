/* share-producer.c: frames records into a shareable ring and sends them,
 * without a copy, to a consumer in another process, which checks them.
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Run: build-aux/dev demo, or
 *   _build/examples/ringal-share-producer N -- python3 examples/python/share-consumer.py
 *
 * The consumer is started with the other end of a Unix socket as fd 3 and
 * RINGAL_SHARE_FD=3 in its environment.  The frames are those of
 * framing.c: a 12-byte header (magic, sequence, payload length), the
 * payload, a 4-byte FNV-1a checksum of the payload.
 */

#include <ringal-glib/ringal-glib.h>
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define FRAME_MAGIC 0x52474C31u  /* "RGL1" */
#define CONSUMER_FD 3
#define RING_SIZE   (64 * 1024)

typedef struct {
  guint32 magic;
  guint32 sequence;
  guint32 length;
} FrameHeader;

static guint32
checksum (const guint8 *data,
          gsize         len)
{
  guint32 sum = 2166136261u;

  for (gsize i = 0; i < len; i++)
    sum = (sum ^ data[i]) * 16777619u;
  return sum;
}

/* Frames one record straight into ring memory and freezes it.  When the
 * ring is full, waits for the consumer to let go of earlier frames: its
 * releases come back through shared memory and wake us. */
static GBytes *
frame_record (RingalAllocator  *allocator,
              guint32           sequence,
              const char       *payload,
              guint            *n_waits,
              GError          **error)
{
  FrameHeader header = { FRAME_MAGIC, sequence, (guint32) strlen (payload) };
  guint32 sum = checksum ((const guint8 *) payload, header.length);
  gsize size = sizeof header + header.length + sizeof sum;
  g_autoptr(RingalBuffer) frame = ringal_allocator_fixed (allocator, size, NULL);

  if (frame == NULL)
    {
      (*n_waits)++;
      frame = ringal_allocator_fixed_wait (allocator, size, 10 * G_USEC_PER_SEC, NULL, error);
      if (frame == NULL)
        return NULL;
    }
  ringal_buffer_write (frame, (const guint8 *) &header, sizeof header, NULL);
  ringal_buffer_write (frame, (const guint8 *) payload, header.length, NULL);
  ringal_buffer_write (frame, (const guint8 *) &sum, sizeof sum, NULL);
  return ringal_buffer_freeze (frame);
}

static GPid
start_consumer (char   **argv,
                int     *our_fd)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "RINGAL_SHARE_FD", "3", TRUE);
  int fds[2], target = CONSUMER_FD;
  GPid pid;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    g_error ("socketpair: %s", g_strerror (errno));
  if (!g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) argv,
                                         (const char * const *) envp,
                                         G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                         NULL, NULL, -1, -1, -1, &fds[1], &target, 1,
                                         &pid, NULL, NULL, NULL, &error))
    g_error ("could not start the consumer: %s", error->message);
  close (fds[1]);
  *our_fd = fds[0];
  return pid;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalAllocator) allocator = NULL;
  g_autoptr(RingalSender) sender = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) payload = g_string_new (NULL);
  guint n_frames, n_waits = 0;
  guint64 n_bytes = 0;
  gint64 start;
  double seconds;
  int fd, status;
  GPid pid;

  if (argc < 4 || strcmp (argv[2], "--") != 0)
    {
      fprintf (stderr, "usage: %s N -- CONSUMER [ARGS...]\n", argv[0]);
      return 2;
    }
  n_frames = (guint) g_ascii_strtoull (argv[1], NULL, 10);

  pid = start_consumer (argv + 3, &fd);
  socket = g_socket_new_from_fd (fd, &error);
  if (socket == NULL)
    g_error ("%s", error->message);
  connection = g_socket_connection_factory_create_connection (socket);

  /* Small on purpose: it carries hundreds of times its size, so every
   * region goes round and comes back from the other process many times. */
  allocator = ringal_allocator_new_shareable (RING_SIZE, &error);
  if (allocator == NULL)
    g_error ("%s", error->message);
  sender = ringal_sender_new (allocator, connection);

  printf ("ringal-glib %s: two processes, one ring (C producer, Python consumer)\n", RINGAL_VERSION_S);
  fflush (stdout);

  start = g_get_monotonic_time ();
  for (guint32 sequence = 0; sequence < n_frames; sequence++)
    {
      g_autoptr(GBytes) frame = NULL;

      g_string_printf (payload, "sensor=%u temperature=%d.%u humidity=%u%% note=%.*s",
                       sequence % 17, (gint) (sequence % 40) - 5, sequence % 10,
                       30 + sequence % 60, (int) (sequence % 200),
                       "the quick brown fox jumps over the lazy dog and keeps running "
                       "through the ring, round and round, never stopping for long, "
                       "because short-lived buffers are what a ring is for; "
                       "long-lived ones clog it.");
      frame = frame_record (allocator, sequence, payload->str, &n_waits, &error);
      if (frame == NULL || !ringal_sender_send_bytes (sender, frame, NULL, &error))
        g_error ("frame %u: %s", sequence, error->message);
      n_bytes += g_bytes_get_size (frame);
    }
  ringal_sender_close (sender);

  if (waitpid (pid, &status, 0) != pid)
    g_error ("waitpid: %s", g_strerror (errno));
  g_spawn_close_pid (pid);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

  printf ("  frames sent       %u (%" G_GUINT64_FORMAT " bytes) through a %d KiB shareable ring,\n"
          "                    %.0f times its size, as (offset, length) in shared memory\n",
          n_frames, n_bytes, RING_SIZE / 1024, (double) n_bytes / RING_SIZE);
  printf ("  ring-full waits   %u (woken by the consumer's releases)\n", n_waits);
  printf ("  time              %.3f s, %.0f frames/s\n", seconds, n_frames / seconds);

  return WIFEXITED (status) && WEXITSTATUS (status) == 0 ? 0 : 1;
}
