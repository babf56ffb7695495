/* share-bench.c: messages between two processes, three ways
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   ringal-share-bench [--quick] [--rounds N] [--markdown FILE] [--only METHOD] [--size BYTES]
 *
 * For messages of 64 B, 4 KiB and 64 KiB, the producer (this process)
 * copies the message's bytes from a source buffer into its destination
 * and hands it over; the consumer (a child, the same executable run with
 * --child) checks a stamp at both ends of each message and lets it go.
 *
 *   ring    a shareable ring: ringal_buffer_write() into ring memory, then
 *           ringal_sender_send_bytes(); the consumer's GBytes over the
 *           read-only mapping goes back on unref
 *   socket  g_output_stream_write_all() of the bytes through the same kind
 *           of Unix socket, g_input_stream_read_all() in the consumer
 *   memfd   one memfd per message, as GstShmAllocator does: create, size,
 *           map, copy, unmap, pass the fd; the consumer maps it read-only
 *
 * Time runs from the child saying it is ready to its saying it has seen
 * every message; each row is the median of the rounds, each round in a
 * fresh child.  The CPU time adds both processes' user and system time
 * (the consumer's whole life, start-up included).  A last table times a shareable allocator against a plain
 * one in one process: the same ring, over a memfd.
 */

#define _GNU_SOURCE

#include <ringal-glib/ringal-glib.h>
#include <gio/gio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_FD 3
#define RING_SIZE (1024 * 1024)

static const char *methods[] = { "ring", "socket", "memfd" };
static const gsize sizes[] = { 64, 4096, 65536 };
static const guint counts[] = { 200000, 100000, 20000 };

static void
stamp (guint8  *data,
       gsize    size,
       guint64  seq)
{
  memcpy (data, &seq, sizeof seq);
  memcpy (data + size - sizeof seq, &seq, sizeof seq);
}

static gboolean
stamp_holds (const guint8 *data,
             gsize         size,
             guint64       seq)
{
  guint64 first, last;

  memcpy (&first, data, sizeof first);
  memcpy (&last, data + size - sizeof last, sizeof last);
  return first == seq && last == seq;
}

static GSocketConnection *
connection_from_fd (int fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, &error);

  if (socket == NULL)
    g_error ("%s", error->message);
  return g_socket_connection_factory_create_connection (socket);
}

/* Sends @fd with the message's size. */
static void
send_fd (int     socket_fd,
         int     fd,
         guint64 size)
{
  union {
    struct cmsghdr header;
    char space[CMSG_SPACE (sizeof (int))];
  } control;
  struct iovec vector = { &size, sizeof size };
  struct msghdr message = {
    .msg_iov = &vector, .msg_iovlen = 1,
    .msg_control = control.space, .msg_controllen = sizeof control.space,
  };
  struct cmsghdr *header = CMSG_FIRSTHDR (&message);

  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (header), &fd, sizeof fd);
  if (sendmsg (socket_fd, &message, MSG_NOSIGNAL) != sizeof size)
    g_error ("sendmsg: %s", g_strerror (errno));
}

static int
receive_fd (int      socket_fd,
            guint64 *size)
{
  union {
    struct cmsghdr header;
    char space[CMSG_SPACE (sizeof (int))];
  } control;
  struct iovec vector = { size, sizeof *size };
  struct msghdr message = {
    .msg_iov = &vector, .msg_iovlen = 1,
    .msg_control = control.space, .msg_controllen = sizeof control.space,
  };
  ssize_t n = recvmsg (socket_fd, &message, MSG_CMSG_CLOEXEC | MSG_WAITALL);
  int fd;

  if (n == 0)
    return -1;
  if (n != sizeof *size || CMSG_FIRSTHDR (&message) == NULL)
    g_error ("recvmsg: %s", n < 0 ? g_strerror (errno) : "no fd");
  memcpy (&fd, CMSG_DATA (CMSG_FIRSTHDR (&message)), sizeof fd);
  return fd;
}

/* ---- the consumer ---- */

static int
consume (const char *method,
         gsize       size,
         guint       count)
{
  g_autoptr(GSocketConnection) connection = connection_from_fd (CHILD_FD);
  guint bad = 0;

  printf ("ready\n");
  fflush (stdout);

  if (g_str_equal (method, "ring"))
    {
      g_autoptr(RingalReceiver) receiver = ringal_receiver_new (connection);

      for (guint64 seq = 0; seq < count; seq++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) bytes = ringal_receiver_receive_bytes (receiver, NULL, &error);

          if (bytes == NULL || g_bytes_get_size (bytes) != size ||
              !stamp_holds (g_bytes_get_data (bytes, NULL), size, seq))
            bad++;
        }
    }
  else if (g_str_equal (method, "socket"))
    {
      GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
      g_autofree guint8 *data = g_malloc (size);

      for (guint64 seq = 0; seq < count; seq++)
        {
          gsize n = 0;

          if (!g_input_stream_read_all (in, data, size, &n, NULL, NULL) || n != size ||
              !stamp_holds (data, size, seq))
            bad++;
        }
    }
  else
    {
      int socket_fd = g_socket_get_fd (g_socket_connection_get_socket (connection));

      /* Plain blocking calls, without GSocket. */
      fcntl (socket_fd, F_SETFL, fcntl (socket_fd, F_GETFL) & ~O_NONBLOCK);
      for (guint64 seq = 0; seq < count; seq++)
        {
          guint64 got;
          int fd = receive_fd (socket_fd, &got);
          void *data = mmap (NULL, got, PROT_READ, MAP_SHARED, fd, 0);

          if (data == MAP_FAILED || got != size || !stamp_holds (data, size, seq))
            bad++;
          munmap (data, got);
          close (fd);
        }
    }

  printf ("done %u bad\n", bad);
  fflush (stdout);
  return bad == 0 ? 0 : 1;
}

/* ---- the producer ---- */

static double
cpu_ns (const struct rusage *usage)
{
  return (usage->ru_utime.tv_sec + usage->ru_stime.tv_sec) * 1e9 +
         (usage->ru_utime.tv_usec + usage->ru_stime.tv_usec) * 1e3;
}

/* One round: the wall-clock ns per message, and in *cpu the CPU time per
 * message of both processes (user and system, every thread). */
static double
run (const char *self,
     const char *method,
     gsize       size,
     guint       count,
     double     *cpu)
{
  struct rusage before, after, child_usage;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(RingalAllocator) allocator = NULL;
  g_autoptr(RingalSender) sender = NULL;
  g_autofree guint8 *src = g_malloc (size);
  g_autofree char *size_text = g_strdup_printf ("%" G_GSIZE_FORMAT, size);
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  const char *argv[] = { self, "--child", method, size_text, count_text, NULL };
  char line[64];
  int fds[2], target = CHILD_FD, out, status;
  gint64 start, end;
  FILE *child_out;
  GPid pid;

  memset (src, 0x5a, size);
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    g_error ("socketpair: %s", g_strerror (errno));
  if (!g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                         -1, -1, -1, &fds[1], &target, 1,
                                         &pid, NULL, &out, NULL, &error))
    g_error ("%s", error->message);
  close (fds[1]);
  connection = connection_from_fd (fds[0]);
  child_out = fdopen (out, "r");
  if (g_str_equal (method, "memfd"))
    fcntl (fds[0], F_SETFL, fcntl (fds[0], F_GETFL) & ~O_NONBLOCK);
  if (g_str_equal (method, "ring"))
    {
      allocator = ringal_allocator_new_shareable (RING_SIZE, &error);
      g_assert_no_error (error);
      sender = ringal_sender_new (allocator, connection);
    }
  if (fgets (line, sizeof line, child_out) == NULL || !g_str_equal (line, "ready\n"))
    g_error ("the consumer did not start");

  getrusage (RUSAGE_SELF, &before);
  start = g_get_monotonic_time ();
  for (guint64 seq = 0; seq < count; seq++)
    {
      stamp (src, size, seq);
      if (g_str_equal (method, "ring"))
        {
          RingalBuffer *buffer = ringal_allocator_fixed (allocator, size, NULL);
          GBytes *bytes;

          if (buffer == NULL)
            buffer = ringal_allocator_fixed_wait (allocator, size, -1, NULL, &error);
          g_assert_no_error (error);
          ringal_buffer_write (buffer, src, size, NULL);
          bytes = ringal_buffer_freeze (buffer);
          ringal_buffer_unref (buffer);
          if (!ringal_sender_send_bytes (sender, bytes, NULL, &error))
            g_error ("%s", error->message);
          g_bytes_unref (bytes);
        }
      else if (g_str_equal (method, "socket"))
        {
          GOutputStream *o = g_io_stream_get_output_stream (G_IO_STREAM (connection));

          if (!g_output_stream_write_all (o, src, size, NULL, NULL, &error))
            g_error ("%s", error->message);
        }
      else
        {
          int fd = memfd_create ("message", MFD_CLOEXEC | MFD_ALLOW_SEALING);
          void *data;

          if (fd < 0 || ftruncate (fd, (off_t) size) != 0)
            g_error ("memfd: %s", g_strerror (errno));
          data = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
          memcpy (data, src, size);
          munmap (data, size);
          send_fd (fds[0], fd, size);
          close (fd);
        }
    }
  if (fgets (line, sizeof line, child_out) == NULL || !g_str_equal (line, "done 0 bad\n"))
    g_error ("the consumer says %s", line);
  end = g_get_monotonic_time ();
  getrusage (RUSAGE_SELF, &after);

  if (sender != NULL)
    ringal_sender_close (sender);
  /* The child's whole life: its start-up is the same for every method. */
  wait4 (pid, &status, 0, &child_usage);
  *cpu = (cpu_ns (&after) - cpu_ns (&before) + cpu_ns (&child_usage)) / count;
  g_spawn_close_pid (pid);
  fclose (child_out);
  return (double) (end - start) * 1000.0 / count;
}

/* In one process, as any allocator: a fixed buffer of @size, written and
 * dropped, in ns per round trip, from a shareable allocator or not. */
static double
local_round_trip (gboolean shareable,
                  gsize    size,
                  guint    count)
{
  g_autoptr(RingalAllocator) allocator = shareable
    ? ringal_allocator_new_shareable (RING_SIZE, NULL)
    : ringal_allocator_try_new (RING_SIZE, NULL);
  g_autofree guint8 *src = g_malloc0 (size);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < count; i++)
    {
      RingalBuffer *buffer = ringal_allocator_fixed (allocator, size, NULL);

      ringal_buffer_write (buffer, src, size, NULL);
      ringal_buffer_unref (buffer);
    }
  return (double) (g_get_monotonic_time () - start) * 1000.0 / count;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GString) table = g_string_new (NULL);
  const char *markdown = NULL;
  const char *only = NULL;
  gsize only_size = 0;
  guint rounds = 5, divide = 1;

  if (argc == 5 && g_str_equal (argv[1], "--child"))
    return consume (argv[2], (gsize) g_ascii_strtoull (argv[3], NULL, 10),
                    (guint) g_ascii_strtoull (argv[4], NULL, 10));

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--quick"))
        divide = 50, rounds = 1;
      else if (g_str_equal (argv[i], "--rounds") && i + 1 < argc)
        rounds = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--markdown") && i + 1 < argc)
        markdown = argv[++i];
      else if (g_str_equal (argv[i], "--only") && i + 1 < argc)
        only = argv[++i];  /* one method, for a profiler */
      else if (g_str_equal (argv[i], "--size") && i + 1 < argc)
        only_size = (gsize) g_ascii_strtoull (argv[++i], NULL, 10);  /* one size, likewise */
      else
        {
          fprintf (stderr, "usage: %s [--quick] [--rounds N] [--markdown FILE] [--only METHOD] "
                   "[--size BYTES]\n", argv[0]);
          return 2;
        }
    }

  g_string_append (table, "| size | method | messages/s | ns/message | time vs socket "
                          "| CPU ns/message, both processes | CPU vs socket |\n"
                          "|---:|---|---:|---:|---:|---:|---:|\n");
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      double median[G_N_ELEMENTS (methods)], cpu_median[G_N_ELEMENTS (methods)];

      for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
        {
          g_autofree double *ns = g_new (double, rounds);
          g_autofree double *cpu = g_new (double, rounds);

          for (guint r = 0; r < rounds; r++)
            ns[r] = (only == NULL || g_str_equal (only, methods[m])) &&
                    (only_size == 0 || only_size == sizes[s])
                    ? run (self, methods[m], sizes[s], counts[s] / divide, &cpu[r])
                    : (cpu[r] = 1);
          qsort (ns, rounds, sizeof *ns, compare_doubles);
          qsort (cpu, rounds, sizeof *cpu, compare_doubles);
          median[m] = ns[rounds / 2];
          cpu_median[m] = cpu[rounds / 2];
        }
      for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
        g_string_append_printf (table, "| %" G_GSIZE_FORMAT " B | %s | %.0f | %.0f | %.2f | %.0f | %.2f |\n",
                                sizes[s], methods[m], 1e9 / median[m], median[m],
                                median[m] / median[1], cpu_median[m], cpu_median[m] / cpu_median[1]);
    }

  /* The shareable store costs nothing in one process. */
  if (only == NULL && only_size == 0)
    {
      g_string_append (table, "\n| size | in one process | ns per fixed + write + unref |\n"
                              "|---:|---|---:|\n");
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        for (guint shareable = 0; shareable < 2; shareable++)
          {
            g_autofree double *ns = g_new (double, rounds);

            for (guint r = 0; r < rounds; r++)
              ns[r] = local_round_trip (shareable, sizes[s], 20 * counts[s] / divide);
            qsort (ns, rounds, sizeof *ns, compare_doubles);
            g_string_append_printf (table, "| %" G_GSIZE_FORMAT " B | %s | %.1f |\n", sizes[s],
                                    shareable ? "shareable allocator" : "allocator", ns[rounds / 2]);
          }
    }

  fputs (table->str, stdout);
  if (markdown != NULL && !g_file_set_contents (markdown, table->str, -1, NULL))
    g_error ("could not write %s", markdown);
  return 0;
}
