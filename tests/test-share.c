/* test-share.c: a ring shared with another process, with both processes
 * checking every byte
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The test binary is also the other process: `--child MODE N` runs one of
 * the children below on the socket passed as fd 3, and talks to the test
 * on its stdout.
 */

#define _GNU_SOURCE  /* the seals */

#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "share-test-utils.h"

#define CHILD_FD 3

/* ---- the children ---- */

static int
child_fail (const char *format,
            ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  g_print ("\n");
  return 1;
}

static gpointer
drop_on_thread (gpointer data)
{
  g_bytes_unref (data);
  return NULL;
}

/* Receives records until the end, checks each, drops them (every third on
 * another thread; the first @hold_first held for a while: the sender waits
 * for room meanwhile), and prints what it saw. */
static int
child_check (RingalReceiver *receiver,
             guint           hold_first)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint64 hash = SHARE_TEST_HASH_INIT;
  guint32 seq = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      GBytes *bytes = ringal_receiver_receive_bytes (receiver, NULL, &error);

      if (bytes == NULL)
        {
          if (error != NULL)
            return child_fail ("receive failed: %s", error->message);
          break;
        }
      if (!share_test_record_holds (bytes, seq))
        return child_fail ("record %u is not what was sent", seq);
      hash = share_test_hash (hash, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      seq++;

      if (seq <= hold_first)
        {
          g_ptr_array_add (held, bytes);
          if (seq == hold_first)
            {
              /* The sender is waiting for room by now; let go late. */
              g_usleep (G_USEC_PER_SEC / 5);
              g_ptr_array_set_size (held, 0);
            }
        }
      else if (seq % 3 == 0)
        g_thread_join (g_thread_new ("drop", drop_on_thread, bytes));
      else
        g_bytes_unref (bytes);
    }

  g_print ("received %u hash %016" G_GINT64_MODIFIER "x\n", seq, hash);
  return 0;
}

/* Receives @n records, holds them, says so, and waits to be killed. */
static int
child_hold (RingalReceiver *receiver,
            guint           n)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  while (held->len < n)
    {
      g_autoptr(GError) error = NULL;
      GBytes *bytes = ringal_receiver_receive_bytes (receiver, NULL, &error);

      if (bytes == NULL)
        return child_fail ("receive failed: %s", error ? error->message : "the end");
      if (!share_test_record_holds (bytes, held->len))
        return child_fail ("record %u is not what was sent", held->len);
      g_ptr_array_add (held, bytes);
    }
  g_print ("holding %u\n", held->len);
  fflush (stdout);
  for (;;)
    pause ();
}

/* Writes to the bytes it received: the mapping is read-only, so this
 * dies of SIGSEGV. */
static int
child_write (RingalReceiver *receiver)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = ringal_receiver_receive_bytes (receiver, NULL, &error);
  volatile guint8 *data;

  if (bytes == NULL)
    return child_fail ("receive failed");
  g_print ("writing\n");
  fflush (stdout);
  data = (volatile guint8 *) g_bytes_get_data (bytes, NULL);
  data[0] = 42;
  g_print ("wrote\n");
  return 0;
}

/* The other way round: sends @n records, and exits without waiting for
 * the receiver to let go of them. */
static int
child_send (GSocketConnection *connection,
            guint              n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new_shareable (1 << 20, &error);
  g_autoptr(RingalSender) sender = ringal_sender_new (allocator, connection);

  for (guint32 seq = 0; seq < n; seq++)
    {
      g_autoptr(GBytes) bytes = share_test_record (allocator, seq, 64 + seq % 500, &error);

      if (bytes == NULL || !ringal_sender_send_bytes (sender, bytes, NULL, &error))
        return child_fail ("send failed: %s", error->message);
    }
  g_print ("sent %u\n", n);
  fflush (stdout);
  _exit (0);
}

static int
run_child (const char *mode,
           guint       n)
{
  g_autoptr(GSocketConnection) connection = share_test_connection_from_fd (CHILD_FD);
  g_autoptr(RingalReceiver) receiver = NULL;

  if (g_str_equal (mode, "send"))
    return child_send (connection, n);

  receiver = ringal_receiver_new (connection);
  if (g_str_equal (mode, "check"))
    return child_check (receiver, n);
  if (g_str_equal (mode, "hold"))
    return child_hold (receiver, n);
  if (g_str_equal (mode, "write"))
    return child_write (receiver);
  return child_fail ("no such child: %s", mode);
}

/* ---- the test's side ---- */

/* Plain fork and exec, no GSubprocess: its worker thread would show in
 * TSan as races in GLib, which TSan cannot see into. */
typedef struct {
  GPid               pid;
  int                out;
  GSocketConnection *connection;
} Child;

static void
child_start (Child      *child,
             const char *mode,
             guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *argv[] = { self, "--child", mode, count, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  int fds[2];
  int target = CHILD_FD;

  g_assert_no_error (error);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  /* That child's write must fault, not be reported by a sanitizer. */
  if (g_str_equal (mode, "write"))
    {
      envp = g_environ_setenv (envp, "ASAN_OPTIONS", "handle_segv=0", TRUE);
      envp = g_environ_setenv (envp, "TSAN_OPTIONS", "handle_segv=0", TRUE);
    }
  g_spawn_async_with_pipes_and_fds (NULL, argv, (const char * const *) envp,
                                    G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                    -1, -1, -1, &fds[1], &target, 1,
                                    &child->pid, NULL, &child->out, NULL, &error);
  g_assert_no_error (error);
  close (fds[1]);
  child->connection = share_test_connection_from_fd (fds[0]);
}

static char *
child_read_line (Child *child)
{
  GString *line = g_string_new (NULL);
  char c;

  while (read (child->out, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  return g_string_free (line, FALSE);
}

/* The child's wait status. */
static int
child_wait (Child *child)
{
  int status;

  g_assert_cmpint (waitpid (child->pid, &status, 0), ==, child->pid);
  return status;
}

static void
child_clear (Child *child)
{
  close (child->out);
  g_spawn_close_pid (child->pid);
  g_clear_object (&child->connection);
}


/* Sends records @first to @first + @n - 1, of @size bytes each. */
static void
send_records (RingalSender    *sender,
              RingalAllocator *allocator,
              guint32          first,
              guint32          n,
              gsize            size)
{
  for (guint32 seq = first; seq < first + n; seq++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = share_test_record (allocator, seq, size, &error);

      g_assert_no_error (error);
      ringal_sender_send_bytes (sender, bytes, NULL, &error);
      g_assert_no_error (error);
    }
}

/* Waits up to 10 s for the sender's watcher to take everything back. */
static void
assert_all_back (RingalSender    *sender,
                 RingalAllocator *allocator)
{
  for (guint i = 0;
       i < 1000 && (ringal_sender_get_n_held (sender) > 0 || share_test_bytes_in_use (allocator) > 0);
       i++)
    g_usleep (G_USEC_PER_SEC / 100);
  g_assert_cmpuint (ringal_sender_get_n_held (sender), ==, 0);
  g_assert_cmpuint (share_test_bytes_in_use (allocator), ==, 0);
}

static void
test_seals (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new_shareable (100, &error);
  RingalRing *ring;
  int seals;

  g_assert_no_error (error);
  g_assert_true (ringal_allocator_is_shareable (allocator));
  /* Whole pages, for the receiver's mapping. */
  g_assert_cmpuint (ringal_allocator_get_capacity (allocator), ==, (gsize) sysconf (_SC_PAGESIZE));

  ring = ringal_allocator_get_ring (allocator);
  seals = fcntl (ring->store_fd, F_GET_SEALS);
  g_assert_cmpint (seals, >=, 0);
  g_assert_cmpint (seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL), ==,
                   F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
  g_assert_cmpint (ftruncate (ring->store_fd, 0), !=, 0);
  g_assert_cmpint (ftruncate (ring->store_fd, 1 << 20), !=, 0);
  g_assert_cmpint (fcntl (ring->store_fd, F_ADD_SEALS, F_SEAL_WRITE), !=, 0);

  /* An allocator like any other. */
  {
    g_autoptr(GBytes) bytes = ringal_allocator_copy (allocator, (const guint8 *) "abc", 3, &error);

    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (bytes, NULL), 3, "abc", 3);
  }
  g_assert_false (ringal_allocator_is_shareable (ringal_allocator_get_thread_default ()));

  g_assert_null (ringal_allocator_new_shareable (0, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
}

/* Far more bytes than the ring holds, so that they can only get through if
 * releases come back; both sides hash everything. */
static void
test_check_every_byte (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new_shareable (64 * 1024, &error);
  g_autoptr(RingalSender) sender = NULL;
  g_autofree char *line = NULL;
  g_autofree char *expected = NULL;
  guint64 hash = SHARE_TEST_HASH_INIT;
  guint32 state = 7;
  gsize total = 0;
  guint32 seq;
  Child child;

  g_assert_no_error (error);
  child_start (&child, "check", 10);
  sender = ringal_sender_new (allocator, child.connection);

  for (seq = 0; total < 16 * 1024 * 1024; seq++)
    {
      gsize len = sizeof (ShareRecordHeader) + ringal_test_next_random (&state) % 4000;
      g_autoptr(GBytes) bytes = share_test_record (allocator, seq, len, &error);

      g_assert_no_error (error);
      hash = share_test_hash (hash, g_bytes_get_data (bytes, NULL), len);
      total += len;
      ringal_sender_send_bytes (sender, bytes, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (total, >, 200 * ringal_allocator_get_capacity (allocator));
  g_clear_object (&sender);

  line = child_read_line (&child);
  expected = g_strdup_printf ("received %u hash %016" G_GINT64_MODIFIER "x", seq, hash);
  g_assert_cmpstr (line, ==, expected);
  g_assert_cmpint (child_wait (&child), ==, 0);

  /* The sender is gone; its watcher took the last releases back. */
  share_test_wait_all_back (allocator);
  child_clear (&child);
}

static void
test_killed_receiver (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new_shareable (64 * 1024, &error);
  g_autoptr(RingalSender) sender = NULL;
  g_autofree char *line = NULL;
  Child child;
  int status;

  g_assert_no_error (error);
  child_start (&child, "hold", 50);
  sender = ringal_sender_new (allocator, child.connection);
  send_records (sender, allocator, 0, 50, 1000);

  line = child_read_line (&child);
  g_assert_cmpstr (line, ==, "holding 50");
  g_assert_cmpuint (ringal_sender_get_n_held (sender), ==, 50);
  g_assert_cmpuint (share_test_bytes_in_use (allocator), >=, 50 * 1000);

  kill (child.pid, SIGKILL);
  status = child_wait (&child);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  assert_all_back (sender, allocator);

  /* And the sender says why it cannot send any more. */
  {
    g_autoptr(GBytes) bytes = ringal_allocator_copy (allocator, (const guint8 *) "x", 1, &error);

    g_assert_no_error (error);
    g_assert_false (ringal_sender_send_bytes (sender, bytes, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  }
  child_clear (&child);
}

static void
test_read_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new_shareable (64 * 1024, &error);
  g_autoptr(RingalSender) sender = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *line = NULL;
  Child child;
  int status;

  g_assert_no_error (error);
  child_start (&child, "write", 1);
  sender = ringal_sender_new (allocator, child.connection);
  bytes = share_test_record (allocator, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_true (ringal_sender_send_bytes (sender, bytes, NULL, &error));

  line = child_read_line (&child);
  g_assert_cmpstr (line, ==, "writing");
  status = child_wait (&child);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGSEGV);
  /* Not a byte changed. */
  g_assert_true (share_test_record_holds (bytes, 0));
  child_clear (&child);
}

/* The ring is full of what the receiver holds; fixed_wait() sleeps until
 * the receiver lets go, in another process. */
static void
test_wait_woken_by_remote_release (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new_shareable (16 * 1024, &error);
  g_autoptr(RingalSender) sender = NULL;
  g_autofree char *line = NULL;
  Child child;

  g_assert_no_error (error);
  /* The child holds the first 12 records, 12 KiB, for 200 ms. */
  child_start (&child, "check", 12);
  sender = ringal_sender_new (allocator, child.connection);
  send_records (sender, allocator, 0, 12, 1000);
  /* No room for 8 KiB until the child lets go. */
  {
    g_autoptr(RingalBuffer) buffer = ringal_allocator_fixed (allocator, 8000, &error);

    g_assert_null (buffer);
    g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
    g_clear_error (&error);
  }
  /* This one waits in fixed_wait(), woken by the child's releases. */
  send_records (sender, allocator, 12, 1, 8000);
  g_clear_object (&sender);
  line = child_read_line (&child);
  g_assert_true (g_str_has_prefix (line, "received 13 "));
  g_assert_cmpint (child_wait (&child), ==, 0);
  child_clear (&child);
}

static void
async_ready (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* The same with fixed_async() and the asynchronous send and receive, in
 * one process: the release comes from the receiver's side of the queue. */
static void
test_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new_shareable (4096, &error);
  g_autoptr(GSocketConnection) a = NULL, b = NULL;
  g_autoptr(RingalSender) sender = NULL;
  g_autoptr(RingalReceiver) receiver = NULL;
  g_autoptr(GBytes) sent = NULL;
  g_autoptr(GBytes) received = NULL;
  g_autoptr(RingalBuffer) waited = NULL;
  GAsyncResult *result = NULL;

#if defined(__SANITIZE_THREAD__)
  /* The wake-up goes through GLib's main-context lock, which TSan cannot
   * see (raw futexes): it would report races that are not there. */
  g_test_skip ("GMainContext's locks are invisible to TSan");
  return;
#endif

  share_test_pair (&a, &b);
  sender = ringal_sender_new (allocator, a);
  receiver = ringal_receiver_new (b);

  ringal_receiver_receive_bytes_async (receiver, NULL, async_ready, &result);
  sent = share_test_record (allocator, 0, 3000, &error);
  g_assert_no_error (error);
  {
    GAsyncResult *send_result = NULL;

    ringal_sender_send_bytes_async (sender, sent, NULL, async_ready, &send_result);
    g_assert_true (ringal_sender_send_bytes_finish (sender, wait_for_result (&send_result), &error));
    g_assert_no_error (error);
    g_object_unref (send_result);
  }
  received = ringal_receiver_receive_bytes_finish (receiver, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (share_test_record_holds (received, 0));
  g_clear_pointer (&sent, g_bytes_unref);

  /* Only the receiver holds the region now. */
  ringal_allocator_fixed_async (allocator, 3000, NULL, async_ready, &result);
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (result);
  g_clear_pointer (&received, g_bytes_unref);
  waited = ringal_allocator_fixed_finish (allocator, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (waited);
  g_clear_object (&result);
}

static void
test_not_ring_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new_shareable (4096, &error);
  g_autoptr(RingalAllocator) other = ringal_allocator_new_shareable (4096, &error);
  g_autoptr(GSocketConnection) a = NULL, b = NULL;
  g_autoptr(RingalSender) sender = NULL;
  g_autoptr(GBytes) heap = g_bytes_new ("heap", 4);
  g_autoptr(GBytes) elsewhere = ringal_allocator_copy (other, (const guint8 *) "ring", 4, &error);
  g_autoptr(GBytes) mine = ringal_allocator_copy (allocator, (const guint8 *) "mine", 4, &error);

  g_assert_no_error (error);
  share_test_pair (&a, &b);
  sender = ringal_sender_new (allocator, a);

  g_assert_false (ringal_sender_send_bytes (sender, heap, NULL, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (ringal_sender_send_bytes (sender, elsewhere, NULL, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* Nothing was lost: the sender still works. */
  g_assert_true (ringal_sender_send_bytes (sender, mine, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ringal_sender_get_n_held (sender), ==, 1);
}

/* close() ends the stream at once; what the receiver holds stays held. */
static void
test_close (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new_shareable (4096, &error);
  g_autoptr(GSocketConnection) a = NULL, b = NULL;
  g_autoptr(RingalSender) sender = NULL;
  g_autoptr(RingalReceiver) receiver = NULL;
  g_autoptr(GBytes) sent = ringal_allocator_copy (allocator, (const guint8 *) "last", 4, &error);
  g_autoptr(GBytes) received = NULL;

  g_assert_no_error (error);
  share_test_pair (&a, &b);
  sender = ringal_sender_new (allocator, a);
  receiver = ringal_receiver_new (b);
  g_assert_true (ringal_sender_send_bytes (sender, sent, NULL, &error));
  g_clear_pointer (&sent, g_bytes_unref);
  ringal_sender_close (sender);

  sent = ringal_allocator_copy (allocator, (const guint8 *) "more", 4, &error);
  g_assert_false (ringal_sender_send_bytes (sender, sent, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_clear_pointer (&sent, g_bytes_unref);

  received = ringal_receiver_receive_bytes (receiver, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (received, NULL), g_bytes_get_size (received), "last", 4);
  g_assert_null (ringal_receiver_receive_bytes (receiver, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ringal_sender_get_n_held (sender), ==, 1);
  g_assert_cmpuint (share_test_bytes_in_use (allocator), >, 0);
  g_clear_pointer (&received, g_bytes_unref);
  g_assert_cmpuint (ringal_sender_get_n_held (sender), ==, 0);
  g_assert_cmpuint (share_test_bytes_in_use (allocator), ==, 0);
}

/* The sender's process exits while the receiver holds its bytes: they
 * stay valid, and the stream ends. */
static void
test_sender_dies (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RingalReceiver) receiver = NULL;
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *line = NULL;
  Child child;

  child_start (&child, "send", 300);
  receiver = ringal_receiver_new (child.connection);
  for (;;)
    {
      GBytes *bytes = ringal_receiver_receive_bytes (receiver, NULL, &error);

      g_assert_no_error (error);
      if (bytes == NULL)
        break;
      g_ptr_array_add (held, bytes);
    }
  g_assert_cmpuint (held->len, ==, 300);
  line = child_read_line (&child);
  g_assert_cmpstr (line, ==, "sent 300");
  g_assert_cmpint (child_wait (&child), ==, 0);

  for (guint i = 0; i < held->len; i++)
    g_assert_true (share_test_record_holds (held->pdata[i], i));
  /* Releasing into a queue nobody reads any more is harmless. */
  g_ptr_array_set_size (held, 0);
  g_assert_null (ringal_receiver_receive_bytes (receiver, NULL, &error));
  g_assert_no_error (error);
  child_clear (&child);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/share/seals", test_seals);
  g_test_add_func ("/share/check-every-byte", test_check_every_byte);
  g_test_add_func ("/share/killed-receiver", test_killed_receiver);
  g_test_add_func ("/share/read-only", test_read_only);
  g_test_add_func ("/share/wait-woken-by-remote-release", test_wait_woken_by_remote_release);
  g_test_add_func ("/share/async", test_async);
  g_test_add_func ("/share/not-ring-bytes", test_not_ring_bytes);
  g_test_add_func ("/share/sender-dies", test_sender_dies);
  g_test_add_func ("/share/close", test_close);

  return g_test_run ();
}
