/* ringal-share.c: the wire and the checks a RingalSender and a
 * RingalReceiver share (private)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define _GNU_SOURCE  /* memfd_create(), seals, POLLRDHUP */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ringal-error.h"
#include "ringal-share-private.h"

#define REQUIRED_SEALS (F_SEAL_SHRINK | F_SEAL_GROW)

/* Enough slots for a message per region of the smallest size a buffer
 * takes (its guard and handle come to 48 bytes), so that the queue never
 * limits a ring of one message per buffer. */
gsize
ringal_share_n_slots (gsize capacity)
{
  gsize n = RINGAL_SHARE_MIN_SLOTS;

  while (n < capacity / 32 && n < RINGAL_SHARE_MAX_SLOTS)
    n <<= 1;
  return n;
}

gsize
ringal_share_queue_size (gsize n_slots)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gsize size = sizeof (RingalShareQueue) + n_slots * sizeof (guint64);

  return (size + page - 1) / page * page;
}

gsize
ringal_share_messages_size (gsize n_slots)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gsize size = sizeof (RingalShareMessages) + n_slots * sizeof (RingalShareSlot);

  return (size + page - 1) / page * page;
}

/* The producer's half of either queue: publishes @count, then answers
 * the consumer's request to be woken, if it is for @count or an earlier
 * one.  TRUE when the caller must wake the consumer, whose request is
 * spent then.  Only a message or release the consumer has not taken yet
 * may spend it: one it took itself before asking would wake it for
 * nothing, and no later one would (tests/model/share-wake.pml). */
gboolean
ringal_share_publish (_Atomic guint64 *count_at,
                      guint64          count,
                      _Atomic guint64 *wake_wanted)
{
  guint64 wanted;

  /* Sequentially consistent, as the consumer's request and its look at
   * the count after it: either it sees @count, or we see its request. */
  atomic_store_explicit (count_at, count, memory_order_seq_cst);
  wanted = atomic_load_explicit (wake_wanted, memory_order_seq_cst);
  return wanted != 0 && count >= wanted &&
         atomic_compare_exchange_strong_explicit (wake_wanted, &wanted, 0,
                                                  memory_order_seq_cst, memory_order_seq_cst);
}

gboolean
ringal_share_protocol_error (GError     **error,
                             const char  *format,
                             ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (RINGAL_ERROR, RINGAL_ERROR_PROTOCOL, format, args));
  va_end (args);
  return FALSE;
}

/* A memfd the peer cannot shrink (which would make our mapping fault) or
 * grow, of exactly @size bytes. */
gboolean
ringal_share_check_memfd (int          fd,
                          gsize        size,
                          const char  *what,
                          GError     **error)
{
  struct stat st;
  int seals;

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    return ringal_share_protocol_error (error, "The %s's fd is not a memfd", what);
  seals = fcntl (fd, F_GET_SEALS);
  if (seals < 0)
    return ringal_share_protocol_error (error, "The %s's fd is not a memfd (%s)",
                                        what, g_strerror (errno));
  if ((seals & REQUIRED_SEALS) != REQUIRED_SEALS)
    return ringal_share_protocol_error (error, "The %s's memfd is not sealed against "
                                        "shrinking and growing (seals 0x%x)", what, seals);
  if ((guint64) st.st_size != (guint64) size)
    return ringal_share_protocol_error (error, "The %s's memfd has %" G_GINT64_FORMAT
                                        " bytes, not %" G_GSIZE_FORMAT,
                                        what, (gint64) st.st_size, size);
  return TRUE;
}

/* The receiver writes to this fd on a release: it must be an eventfd, and
 * non-blocking, so that a release never waits on the sender. */
gboolean
ringal_share_check_eventfd (int      fd,
                            GError **error)
{
  char path[64], target[64];
  ssize_t n;
  int flags;

  g_snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  n = readlink (path, target, sizeof target - 1);
  if (n < 0 || (target[n] = '\0', strcmp (target, "anon_inode:[eventfd]") != 0))
    return ringal_share_protocol_error (error, "The wake-up fd is not an eventfd");
  flags = fcntl (fd, F_GETFL);
  if (flags < 0 || fcntl (fd, F_SETFL, flags | O_NONBLOCK) != 0)
    return ringal_share_protocol_error (error, "The wake-up fd cannot be made non-blocking");
  return TRUE;
}

void
ringal_share_close_fds (int   *fds,
                        guint  n_fds)
{
  for (guint i = 0; i < n_fds; i++)
    if (fds[i] >= 0)
      {
        close (fds[i]);
        fds[i] = -1;
      }
}

static gssize
io_error (const char  *what,
          GError     **error)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "%s: %s", what, g_strerror (saved));
  return -1;
}

/* One non-blocking sendmsg(2): the bytes written, or -1 with
 * G_IO_ERROR_WOULD_BLOCK when the socket is full.  Never raises SIGPIPE. */
gssize
ringal_share_send (int            socket_fd,
                   const guint8  *data,
                   gsize          len,
                   const int     *fds,
                   guint          n_fds,
                   GError       **error)
{
  union {
    struct cmsghdr header;
    char space[CMSG_SPACE (sizeof (int) * RINGAL_SHARE_N_FDS)];
  } control;
  struct iovec vector = { (void *) data, len };
  struct msghdr message = { .msg_iov = &vector, .msg_iovlen = 1 };
  gssize n;

  g_assert (n_fds <= RINGAL_SHARE_N_FDS);
  if (n_fds > 0)
    {
      struct cmsghdr *header;

      memset (&control, 0, sizeof control);
      message.msg_control = control.space;
      message.msg_controllen = CMSG_SPACE (sizeof (int) * n_fds);
      header = CMSG_FIRSTHDR (&message);
      header->cmsg_level = SOL_SOCKET;
      header->cmsg_type = SCM_RIGHTS;
      header->cmsg_len = CMSG_LEN (sizeof (int) * n_fds);
      memcpy (CMSG_DATA (header), fds, sizeof (int) * n_fds);
    }

  do
    n = sendmsg (socket_fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return io_error ("Could not send to the receiver", error);
  return n;
}

/* One non-blocking recvmsg(2): the bytes read (0 at the end of the
 * stream), or -1 with G_IO_ERROR_WOULD_BLOCK when nothing is there yet.
 * On return *n_fds counts the fds that came along; the first ones, up to
 * the *n_fds given, are stored in @fds, and the rest are closed. */
gssize
ringal_share_receive (int       socket_fd,
                      guint8   *data,
                      gsize     len,
                      int      *fds,
                      guint    *n_fds,
                      GError  **error)
{
  union {
    struct cmsghdr header;
    char space[CMSG_SPACE (sizeof (int) * 16)];
  } control;
  struct iovec vector = { data, len };
  struct msghdr message = {
    .msg_iov = &vector, .msg_iovlen = 1,
    .msg_control = control.space, .msg_controllen = sizeof control.space,
  };
  guint max_fds = *n_fds;
  gssize n;

  *n_fds = 0;
  do
    n = recvmsg (socket_fd, &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return io_error ("Could not receive from the sender", error);

  for (struct cmsghdr *header = CMSG_FIRSTHDR (&message); header != NULL;
       header = CMSG_NXTHDR (&message, header))
    {
      const guint8 *payload = CMSG_DATA (header);
      gsize count;

      if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS)
        continue;
      count = (header->cmsg_len - CMSG_LEN (0)) / sizeof (int);
      for (gsize i = 0; i < count; i++)
        {
          int fd;

          memcpy (&fd, payload + i * sizeof (int), sizeof fd);
          if (*n_fds < max_fds)
            fds[*n_fds] = fd;
          else
            close (fd);
          (*n_fds)++;
        }
    }
  /* Fds that did not fit were closed by the kernel: count them too. */
  if (message.msg_flags & MSG_CTRUNC)
    (*n_fds)++;
  return n;
}
