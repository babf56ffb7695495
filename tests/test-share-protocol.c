/* test-share-protocol.c: what a RingalSender and a RingalReceiver do with
 * a peer that does not follow the protocol
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The peer is played by hand on the other end of a socketpair: every case
 * must end in a clear GError, and lose nothing.
 */

#define _GNU_SOURCE  /* memfd_create(), the seals */

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ringal-share-private.h"
#include "share-test-peer.h"
#include "share-test-utils.h"

/* ---- a sender by hand, to a real receiver ---- */

typedef struct {
  GSocketConnection *sender_end;
  GSocketConnection *receiver_end;
  RingalReceiver    *receiver;
  int                fd;
  int                hello_fds[RINGAL_SHARE_N_FDS];
  guint8            *store;        /* the hand-made store, writable here */
  gsize              capacity;
  RingalShareMessages *messages;
  gsize              messages_size;
  guint64            sent;
} FakeSender;

static void
fake_sender_setup (FakeSender    *f,
                   gconstpointer  data)
{
  share_test_pair (&f->sender_end, &f->receiver_end);
  f->fd = g_socket_get_fd (g_socket_connection_get_socket (f->sender_end));
  f->receiver = ringal_receiver_new (f->receiver_end);
  f->capacity = 64 * 1024;
  f->messages_size = ringal_share_messages_size (RINGAL_SHARE_MIN_SLOTS);
  f->hello_fds[RINGAL_SHARE_FD_STORE] = ringal_ring_store_memfd (f->capacity);
  f->hello_fds[RINGAL_SHARE_FD_MESSAGES] = ringal_ring_store_memfd (f->messages_size);
  f->hello_fds[RINGAL_SHARE_FD_QUEUE] =
    ringal_ring_store_memfd (ringal_share_queue_size (RINGAL_SHARE_MIN_SLOTS));
  f->hello_fds[RINGAL_SHARE_FD_WAKE] = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  for (guint i = 0; i < RINGAL_SHARE_N_FDS; i++)
    g_assert_cmpint (f->hello_fds[i], >=, 0);
  f->store = mmap (NULL, f->capacity, PROT_READ | PROT_WRITE, MAP_SHARED,
                   f->hello_fds[RINGAL_SHARE_FD_STORE], 0);
  g_assert_true (f->store != MAP_FAILED);
  f->messages = mmap (NULL, f->messages_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                      f->hello_fds[RINGAL_SHARE_FD_MESSAGES], 0);
  g_assert_true (f->messages != MAP_FAILED);
}

static void
fake_sender_teardown (FakeSender    *f,
                      gconstpointer  data)
{
  munmap (f->store, f->capacity);
  munmap (f->messages, f->messages_size);
  ringal_share_close_fds (f->hello_fds, RINGAL_SHARE_N_FDS);
  g_clear_object (&f->receiver);
  g_clear_object (&f->sender_end);
  g_clear_object (&f->receiver_end);
}

static void
send_raw (FakeSender   *f,
          const void   *data,
          gsize         len,
          const int    *fds,
          guint         n_fds)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (ringal_share_send (f->fd, data, len, fds, n_fds, &error), ==, (gssize) len);
  g_assert_no_error (error);
}

static void
send_message (FakeSender *f,
              guint32     type,
              guint32     version,
              guint64     offset,
              guint64     length,
              const int  *fds,
              guint       n_fds)
{
  RingalShareMessage message = { type, version, offset, length };

  send_raw (f, &message, sizeof message, fds, n_fds);
}

/* Puts a message in the queue, as the sender does, and wakes the receiver
 * whether it asked or not: spare wake-ups must do no harm. */
static void
send_bytes_message (FakeSender *f,
                    guint64     offset,
                    guint64     length)
{
  RingalShareSlot *slot = &f->messages->slots[f->sent & (RINGAL_SHARE_MIN_SLOTS - 1)];
  guint8 wake = RINGAL_SHARE_WAKE;

  atomic_store (&slot->offset, offset);
  atomic_store (&slot->length, length);
  atomic_store (&f->messages->sent, ++f->sent);
  send_raw (f, &wake, 1, NULL, 0);
}

static void
send_hello (FakeSender *f)
{
  send_message (f, RINGAL_SHARE_HELLO, RINGAL_SHARE_VERSION, f->capacity,
                RINGAL_SHARE_MIN_SLOTS, f->hello_fds, RINGAL_SHARE_N_FDS);
}

/* The next receive fails with RINGAL_ERROR_PROTOCOL, saying @words; so
 * does the one after. */
static void
assert_protocol_error (FakeSender *f,
                       const char *words)
{
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = ringal_receiver_receive_bytes (f->receiver, NULL, &error);

      g_assert_null (bytes);
      g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_PROTOCOL);
      if (strstr (error->message, words) == NULL)
        g_error ("\"%s\" does not say \"%s\"", error->message, words);
    }
}

static void
test_garbage (FakeSender    *f,
              gconstpointer  data)
{
  send_raw (f, "this is not the protocol at all", 31, NULL, 0);
  assert_protocol_error (f, "not its store's fds");
}

static void
test_message_before_fd (FakeSender    *f,
                        gconstpointer  data)
{
  send_message (f, 0x53594252, 0, 0, 16, NULL, 0);
  assert_protocol_error (f, "not its store's fds");
}

static void
test_hello_without_fds (FakeSender    *f,
                        gconstpointer  data)
{
  send_message (f, RINGAL_SHARE_HELLO, RINGAL_SHARE_VERSION, f->capacity,
                RINGAL_SHARE_MIN_SLOTS, NULL, 0);
  assert_protocol_error (f, "not its store's fds");
}

static void
test_too_few_fds (FakeSender    *f,
                  gconstpointer  data)
{
  send_message (f, RINGAL_SHARE_HELLO, RINGAL_SHARE_VERSION, f->capacity,
                RINGAL_SHARE_MIN_SLOTS, f->hello_fds, 1);
  assert_protocol_error (f, "with 1 fds");
}

static void
test_store_not_memfd (FakeSender    *f,
                      gconstpointer  data)
{
  int pipe_fds[2];

  g_assert_cmpint (pipe (pipe_fds), ==, 0);
  close (f->hello_fds[RINGAL_SHARE_FD_STORE]);
  f->hello_fds[RINGAL_SHARE_FD_STORE] = pipe_fds[0];
  send_hello (f);
  close (pipe_fds[1]);
  assert_protocol_error (f, "not a memfd");
}

static void
test_store_not_sealed (FakeSender    *f,
                       gconstpointer  data)
{
  int fd = memfd_create ("unsealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);

  g_assert_cmpint (ftruncate (fd, (off_t) f->capacity), ==, 0);
  close (f->hello_fds[RINGAL_SHARE_FD_STORE]);
  f->hello_fds[RINGAL_SHARE_FD_STORE] = fd;
  send_hello (f);
  assert_protocol_error (f, "not sealed");
}

static void
test_store_wrong_size (FakeSender    *f,
                       gconstpointer  data)
{
  /* Sealed, but half the size the HELLO says: a mapping of the rest
   * would fault. */
  close (f->hello_fds[RINGAL_SHARE_FD_STORE]);
  f->hello_fds[RINGAL_SHARE_FD_STORE] = ringal_ring_store_memfd (f->capacity / 2);
  send_hello (f);
  assert_protocol_error (f, "bytes, not");
}

static void
test_queues_wrong_size (FakeSender    *f,
                        gconstpointer  data)
{
  send_message (f, RINGAL_SHARE_HELLO, RINGAL_SHARE_VERSION, f->capacity,
                RINGAL_SHARE_MIN_SLOTS * 1024, f->hello_fds, RINGAL_SHARE_N_FDS);
  assert_protocol_error (f, "message queue's memfd has");
}

static void
test_release_queue_wrong_size (FakeSender    *f,
                               gconstpointer  data)
{
  close (f->hello_fds[RINGAL_SHARE_FD_QUEUE]);
  f->hello_fds[RINGAL_SHARE_FD_QUEUE] = ringal_ring_store_memfd (f->messages_size * 2);
  send_hello (f);
  assert_protocol_error (f, "release queue's memfd has");
}

static void
test_wake_not_eventfd (FakeSender    *f,
                       gconstpointer  data)
{
  int pipe_fds[2];

  g_assert_cmpint (pipe (pipe_fds), ==, 0);
  close (f->hello_fds[RINGAL_SHARE_FD_WAKE]);
  f->hello_fds[RINGAL_SHARE_FD_WAKE] = pipe_fds[1];
  send_hello (f);
  close (pipe_fds[0]);
  assert_protocol_error (f, "not an eventfd");
}

static void
test_bad_hello_fields (FakeSender    *f,
                       gconstpointer  data)
{
  send_message (f, RINGAL_SHARE_HELLO, RINGAL_SHARE_VERSION, f->capacity + 1,
                RINGAL_SHARE_MIN_SLOTS, f->hello_fds, RINGAL_SHARE_N_FDS);
  assert_protocol_error (f, "cannot have");
}

static void
test_wrong_version (FakeSender    *f,
                    gconstpointer  data)
{
  send_message (f, RINGAL_SHARE_HELLO, RINGAL_SHARE_VERSION + 1, f->capacity,
                RINGAL_SHARE_MIN_SLOTS, f->hello_fds, RINGAL_SHARE_N_FDS);
  assert_protocol_error (f, "version");
}

/* A good message first: its bytes stay valid after the bad one. */
static GBytes *
receive_good (FakeSender *f)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  memcpy (f->store + 64, "good bytes", 10);
  send_hello (f);
  send_bytes_message (f, 64, 10);
  bytes = ringal_receiver_receive_bytes (f->receiver, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "good bytes", 10);
  return bytes;
}

static void
test_offset_past_store (FakeSender    *f,
                        gconstpointer  data)
{
  g_autoptr(GBytes) good = receive_good (f);

  send_bytes_message (f, f->capacity + 8, 0);
  assert_protocol_error (f, "past the end of its store");
  g_assert_cmpmem (g_bytes_get_data (good, NULL), g_bytes_get_size (good), "good bytes", 10);
}

static void
test_length_past_store (FakeSender    *f,
                        gconstpointer  data)
{
  g_autoptr(GBytes) good = receive_good (f);

  send_bytes_message (f, f->capacity - 8, 9);
  assert_protocol_error (f, "past the end of its store");
}

static void
test_length_overflows (FakeSender    *f,
                       gconstpointer  data)
{
  g_autoptr(GBytes) good = receive_good (f);

  send_bytes_message (f, 8, G_MAXUINT64 - 4);
  assert_protocol_error (f, "past the end of its store");
}

static void
test_message_queue_corrupt (FakeSender    *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) good = receive_good (f);

  atomic_store (&f->messages->sent, (guint64) RINGAL_SHARE_MIN_SLOTS + 2);
  assert_protocol_error (f, "message queue is corrupt");
}

static void
test_second_hello (FakeSender    *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) good = receive_good (f);

  send_message (f, RINGAL_SHARE_HELLO, RINGAL_SHARE_VERSION, f->capacity,
                RINGAL_SHARE_MIN_SLOTS, NULL, 0);
  assert_protocol_error (f, "where only wake-ups go");
}

static void
test_late_fds (FakeSender    *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) good = receive_good (f);
  guint8 wake = RINGAL_SHARE_WAKE;

  send_raw (f, &wake, 1, f->hello_fds, 1);
  assert_protocol_error (f, "where none were expected");
}

static void
test_not_a_wake_up (FakeSender    *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) good = receive_good (f);

  send_raw (f, "W?", 2, NULL, 0);
  assert_protocol_error (f, "wrote 0x3f to the socket");
}

static void
test_too_many_in_flight (FakeSender    *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_ptr_array_add (held, receive_good (f));
  /* Nobody drains: the queue can take back RINGAL_SHARE_MIN_SLOTS. */
  while (held->len < RINGAL_SHARE_MIN_SLOTS)
    {
      g_autoptr(GError) error = NULL;

      send_bytes_message (f, 64, 10);
      g_ptr_array_add (held, ringal_receiver_receive_bytes (f->receiver, NULL, &error));
      g_assert_no_error (error);
    }
  send_bytes_message (f, 64, 10);
  assert_protocol_error (f, "more messages than its release queue");
}

static void
test_truncated (FakeSender    *f,
                gconstpointer  data)
{
  RingalShareMessage hello = { RINGAL_SHARE_HELLO, RINGAL_SHARE_VERSION, f->capacity,
                               RINGAL_SHARE_MIN_SLOTS };

  send_raw (f, &hello, 10, f->hello_fds, RINGAL_SHARE_N_FDS);
  g_clear_object (&f->sender_end);
  assert_protocol_error (f, "in the middle of a message");
}

/* Messages sent before the end are all there to take after it. */
static void
test_messages_before_the_end (FakeSender    *f,
                              gconstpointer  data)
{
  g_autoptr(GBytes) good = receive_good (f);

  for (guint i = 1; i <= 3; i++)
    send_bytes_message (f, 64 + i, 10 - i);
  g_clear_object (&f->sender_end);
  for (guint i = 1; i <= 4; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = ringal_receiver_receive_bytes (f->receiver, NULL, &error);

      g_assert_no_error (error);
      if (i == 4)
        g_assert_null (bytes);
      else
        g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                         "good bytes" + i, 10 - i);
    }
}

static void
on_received (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  GBytes **bytes = data;
  g_autoptr(GError) error = NULL;

  *bytes = ringal_receiver_receive_bytes_finish (RINGAL_RECEIVER (source), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*bytes);
}

/* A receiver that found the queue empty asks to be woken at the first
 * message it has not taken, and is woken by it, not before. */
static void
test_asks_for_the_next_message (FakeSender    *f,
                                gconstpointer  data)
{
  g_autoptr(GBytes) good = receive_good (f);
  g_autoptr(GBytes) next = NULL;

  ringal_receiver_receive_bytes_async (f->receiver, NULL, on_received, &next);
  g_assert_cmpuint (atomic_load (&f->messages->wake_wanted), ==, 2);
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (next);

  send_bytes_message (f, 66, 8);
  while (next == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpmem (g_bytes_get_data (next, NULL), g_bytes_get_size (next), "od bytes", 8);
}

static void
test_clean_end (FakeSender    *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) good = receive_good (f);

  g_clear_object (&f->sender_end);
  g_assert_null (ringal_receiver_receive_bytes (f->receiver, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
eventfd_was_written (int fd)
{
  guint64 count = 0;

  return read (fd, &count, sizeof count) == sizeof count && count > 0;
}

/* The sender asks to be woken from the second release on: it took the
 * first itself.  A receiver that read the request late, after pushing the
 * first, must leave it for the second, or the eventfd wakes a watcher with
 * nothing to take and the second release wakes nobody. */
static void
test_wake_only_for_a_new_release (FakeSender    *f,
                                  gconstpointer  data)
{
  gsize queue_size = ringal_share_queue_size (RINGAL_SHARE_MIN_SLOTS);
  RingalShareQueue *queue = mmap (NULL, queue_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                                  f->hello_fds[RINGAL_SHARE_FD_QUEUE], 0);
  g_autoptr(GBytes) first = receive_good (f);
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (queue != MAP_FAILED);
  send_bytes_message (f, 128, 10);
  second = ringal_receiver_receive_bytes (f->receiver, NULL, &error);
  g_assert_no_error (error);

  atomic_store (&queue->wake_wanted, 2);
  g_clear_pointer (&first, g_bytes_unref);
  g_assert_cmpuint (atomic_load (&queue->written), ==, 1);
  g_assert_cmpuint (atomic_load (&queue->wake_wanted), ==, 2);
  g_assert_false (eventfd_was_written (f->hello_fds[RINGAL_SHARE_FD_WAKE]));

  g_clear_pointer (&second, g_bytes_unref);
  g_assert_cmpuint (atomic_load (&queue->written), ==, 2);
  g_assert_cmpuint (atomic_load (&queue->wake_wanted), ==, 0);
  g_assert_true (eventfd_was_written (f->hello_fds[RINGAL_SHARE_FD_WAKE]));

  munmap (queue, queue_size);
}

/* ---- a receiver by hand, from a real sender ---- */

typedef struct {
  RingalAllocator   *allocator;
  RingalSender      *sender;
  GThread           *watcher;
  GSocketConnection *sender_end;
  GSocketConnection *receiver_end;
  ShareTestPeer      peer;
} FakeReceiver;

static void
fake_receiver_setup (FakeReceiver  *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->allocator = ringal_allocator_new_shareable (64 * 1024, &error);
  g_assert_no_error (error);
  share_test_pair (&f->sender_end, &f->receiver_end);
  share_test_peer_init (&f->peer,
                        g_socket_get_fd (g_socket_connection_get_socket (f->receiver_end)));
  f->sender = ringal_sender_new (f->allocator, f->sender_end);
  f->watcher = ringal_sender_ref_watcher (f->sender);
  g_assert_nonnull (f->watcher);
}

static void
fake_receiver_teardown (FakeReceiver  *f,
                        gconstpointer  data)
{
  share_test_peer_clear (&f->peer);
  g_clear_object (&f->sender);
  g_clear_object (&f->receiver_end);
  g_clear_object (&f->sender_end);
  g_clear_object (&f->allocator);
  /* With the sender and the receiver's end gone, the watcher ends: no
   * thread of this test outlives it. */
  g_thread_join (f->watcher);
}

/* Sends @len bytes and takes the message as a receiver would; returns the
 * offset. */
static guint64
send_one (FakeReceiver *f,
          gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = share_test_record (f->allocator, 0, len, &error);
  guint64 offset, length;

  g_assert_no_error (error);
  g_assert_true (ringal_sender_send_bytes (f->sender, bytes, NULL, &error));
  g_assert_no_error (error);

  offset = share_test_peer_take (&f->peer, &length);
  g_assert_cmpuint (length, ==, len);
  return offset;
}

/* The next send fails with RINGAL_ERROR_PROTOCOL saying @words, and every
 * region has come back. */
static void
assert_sender_failed (FakeReceiver *f,
                      const char   *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = ringal_allocator_copy (f->allocator, (const guint8 *) "x", 1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ringal_sender_get_n_held (f->sender), ==, 0);
  g_assert_false (ringal_sender_send_bytes (f->sender, bytes, NULL, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_PROTOCOL);
  if (strstr (error->message, words) == NULL)
    g_error ("\"%s\" does not say \"%s\"", error->message, words);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_assert_cmpuint (share_test_bytes_in_use (f->allocator), ==, 0);
}

static void
test_release_never_sent (FakeReceiver  *f,
                         gconstpointer  data)
{
  guint64 offset = send_one (f, 100);

  share_test_peer_release (&f->peer, offset + 8);
  assert_sender_failed (f, "does not hold");
}

static void
test_release_twice (FakeReceiver  *f,
                    gconstpointer  data)
{
  guint64 offset = send_one (f, 100);

  send_one (f, 200);
  share_test_peer_release (&f->peer, offset);
  g_assert_cmpuint (ringal_sender_get_n_held (f->sender), ==, 1);
  share_test_peer_release (&f->peer, offset);
  assert_sender_failed (f, "released already");
}

static void
test_release_garbage_offset (FakeReceiver  *f,
                             gconstpointer  data)
{
  send_one (f, 100);
  share_test_peer_release (&f->peer, G_MAXUINT64);
  assert_sender_failed (f, "does not hold");
}

static void
test_queue_corrupt (FakeReceiver  *f,
                    gconstpointer  data)
{
  send_one (f, 100);
  atomic_store (&f->peer.queue->written, (guint64) f->peer.n_slots + 5);
  assert_sender_failed (f, "corrupt");
}

/* The watcher notices by itself, woken by the eventfd. */
static void
test_release_woken (FakeReceiver  *f,
                    gconstpointer  data)
{
  guint64 offset = send_one (f, 100);
  guint64 one = 1;

  share_test_peer_release (&f->peer, offset);
  g_assert_cmpint (write (f->peer.wake_fd, &one, sizeof one), ==, sizeof one);
  share_test_wait_all_back (f->allocator);
}

/* A full ring drains the queue and asks to be woken: at the release after
 * the ones it took, never at one it took already. */
static void
test_asks_for_the_next_release (FakeReceiver  *f,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) ringal_buffer_unref);
  g_autoptr(GError) error = NULL;
  guint64 offset = send_one (f, 100);
  RingalBuffer *buffer;

  share_test_peer_release (&f->peer, offset);
  g_assert_cmpuint (atomic_load (&f->peer.queue->wake_wanted), ==, 0);
  while ((buffer = ringal_allocator_fixed (f->allocator, 1000, &error)) != NULL)
    g_ptr_array_add (kept, buffer);
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);

  g_assert_cmpuint (atomic_load (&f->peer.queue->drained), ==, 1);
  g_assert_cmpuint (atomic_load (&f->peer.queue->wake_wanted), ==, 2);
}

/* What the receiver released comes back for every kind of allocation that
 * finds the ring full, not only for buffers: the ring asks for it. */
typedef enum {
  KIND_BUFFER,
  KIND_EXTENDABLE,
  KIND_ARRAY,
  KIND_RAW,
  KIND_ALIGNED,
  KIND_ALIGNED_WAIT,
} AllocationKind;

static gboolean
allocate_and_free (RingalAllocator *allocator,
                   AllocationKind   kind,
                   gsize            size,
                   GError         **error)
{
  switch (kind)
    {
    case KIND_BUFFER:
      {
        g_autoptr(RingalBuffer) buffer = ringal_allocator_fixed (allocator, size, error);
        return buffer != NULL;
      }

    case KIND_EXTENDABLE:
      {
        /* Starts small in the free run left, and grows past it. */
        g_autofree guint8 *data = g_malloc0 (size);
        g_autoptr(RingalBuffer) buffer = ringal_allocator_extendable (allocator, 64, error);

        return buffer != NULL && ringal_buffer_write (buffer, data, size, error);
      }

    case KIND_ARRAY:
      {
        g_autoptr(RingalArray) array = ringal_allocator_array (allocator, 1, 64, size, error);
        return array != NULL;
      }

    case KIND_RAW:
      {
        gpointer mem = ringal_allocator_try_alloc (allocator, size, error);

        ringal_release (mem);
        return mem != NULL;
      }

    case KIND_ALIGNED:
      {
        gpointer mem = ringal_allocator_try_alloc_aligned (allocator, size, 4096, error);

        ringal_release (mem);
        return mem != NULL;
      }

    case KIND_ALIGNED_WAIT:
    default:
      {
        /* Nothing wakes it but the drain its own try makes. */
        gpointer mem = ringal_allocator_alloc_aligned_wait (allocator, size, 64,
                                                            G_USEC_PER_SEC, NULL, error);

        ringal_release (mem);
        return mem != NULL;
      }
    }
}

static void
test_every_allocation_drains (FakeReceiver  *f,
                              gconstpointer  data)
{
  AllocationKind kind = GPOINTER_TO_INT (data);
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GError) error = NULL;
  gsize wanted = 16 * 1024;

  /* The receiver holds most of the ring, */
  while (share_test_bytes_in_use (f->allocator) < 60 * 1024)
    {
      guint64 offset = send_one (f, 2000);

      g_array_append_val (offsets, offset);
    }
  g_assert_false (allocate_and_free (f->allocator, kind, wanted, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
  g_clear_error (&error);

  /* and lets go of it without waking anybody. */
  for (guint i = 0; i < offsets->len; i++)
    share_test_peer_release (&f->peer, g_array_index (offsets, guint64, i));
  g_assert_true (allocate_and_free (f->allocator, kind, wanted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ringal_sender_get_n_held (f->sender), ==, 0);
}

static gboolean
socket_has_a_wake_up (FakeReceiver *f)
{
  guint8 byte = 0;

  return recv (f->peer.fd, &byte, 1, MSG_DONTWAIT) == 1 && byte == RINGAL_SHARE_WAKE;
}

/* A message wakes the receiver with a byte on the socket only when it
 * asked, and only from the message it asked for on. */
static void
test_wakes_the_receiver_when_asked (FakeReceiver  *f,
                                    gconstpointer  data)
{
  send_one (f, 100);
  send_one (f, 100);
  g_assert_false (socket_has_a_wake_up (f));

  atomic_store (&f->peer.messages->wake_wanted, f->peer.taken + 2);
  send_one (f, 100);
  g_assert_false (socket_has_a_wake_up (f));
  g_assert_cmpuint (atomic_load (&f->peer.messages->wake_wanted), ==, f->peer.taken + 1);
  send_one (f, 100);
  g_assert_true (socket_has_a_wake_up (f));
  g_assert_cmpuint (atomic_load (&f->peer.messages->wake_wanted), ==, 0);
  send_one (f, 100);
  g_assert_false (socket_has_a_wake_up (f));
}

static void
test_receiver_writes (FakeReceiver  *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean failed = FALSE;

  send_one (f, 100);
  g_assert_cmpint (write (f->peer.fd, "?", 1), ==, 1);
  for (guint i = 0; i < 1000 && !failed; i++)
    {
      g_autoptr(GBytes) bytes = ringal_allocator_copy (f->allocator, (const guint8 *) "x", 1, NULL);

      g_usleep (G_USEC_PER_SEC / 100);
      if (!ringal_sender_send_bytes (f->sender, bytes, NULL, &error))
        failed = TRUE;
      else
        g_assert_no_error (error);
    }
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_PROTOCOL);
  g_assert_cmpuint (share_test_bytes_in_use (f->allocator), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define RECEIVER_TEST(path, func) \
  g_test_add ("/share-protocol/receiver/" path, FakeSender, NULL, \
              fake_sender_setup, func, fake_sender_teardown)
#define SENDER_TEST(path, func) \
  g_test_add ("/share-protocol/sender/" path, FakeReceiver, NULL, \
              fake_receiver_setup, func, fake_receiver_teardown)

  RECEIVER_TEST ("garbage", test_garbage);
  RECEIVER_TEST ("message-before-fd", test_message_before_fd);
  RECEIVER_TEST ("hello-without-fds", test_hello_without_fds);
  RECEIVER_TEST ("too-few-fds", test_too_few_fds);
  RECEIVER_TEST ("store-not-memfd", test_store_not_memfd);
  RECEIVER_TEST ("store-not-sealed", test_store_not_sealed);
  RECEIVER_TEST ("store-wrong-size", test_store_wrong_size);
  RECEIVER_TEST ("queues-wrong-size", test_queues_wrong_size);
  RECEIVER_TEST ("release-queue-wrong-size", test_release_queue_wrong_size);
  RECEIVER_TEST ("wake-not-eventfd", test_wake_not_eventfd);
  RECEIVER_TEST ("bad-hello-fields", test_bad_hello_fields);
  RECEIVER_TEST ("wrong-version", test_wrong_version);
  RECEIVER_TEST ("offset-past-store", test_offset_past_store);
  RECEIVER_TEST ("length-past-store", test_length_past_store);
  RECEIVER_TEST ("length-overflows", test_length_overflows);
  RECEIVER_TEST ("message-queue-corrupt", test_message_queue_corrupt);
  RECEIVER_TEST ("second-hello", test_second_hello);
  RECEIVER_TEST ("late-fds", test_late_fds);
  RECEIVER_TEST ("not-a-wake-up", test_not_a_wake_up);
  RECEIVER_TEST ("too-many-in-flight", test_too_many_in_flight);
  RECEIVER_TEST ("truncated", test_truncated);
  RECEIVER_TEST ("clean-end", test_clean_end);
  RECEIVER_TEST ("messages-before-the-end", test_messages_before_the_end);
  RECEIVER_TEST ("asks-for-the-next-message", test_asks_for_the_next_message);
  RECEIVER_TEST ("wake-only-for-a-new-release", test_wake_only_for_a_new_release);

  SENDER_TEST ("release-never-sent", test_release_never_sent);
  SENDER_TEST ("release-twice", test_release_twice);
  SENDER_TEST ("release-garbage-offset", test_release_garbage_offset);
  SENDER_TEST ("queue-corrupt", test_queue_corrupt);
  SENDER_TEST ("release-woken", test_release_woken);
  SENDER_TEST ("asks-for-the-next-release", test_asks_for_the_next_release);
  SENDER_TEST ("wakes-the-receiver-when-asked", test_wakes_the_receiver_when_asked);
  g_test_add ("/share-protocol/sender/drained-by/buffer", FakeReceiver,
              GINT_TO_POINTER (KIND_BUFFER), fake_receiver_setup,
              test_every_allocation_drains, fake_receiver_teardown);
  g_test_add ("/share-protocol/sender/drained-by/extendable", FakeReceiver,
              GINT_TO_POINTER (KIND_EXTENDABLE), fake_receiver_setup,
              test_every_allocation_drains, fake_receiver_teardown);
  g_test_add ("/share-protocol/sender/drained-by/array", FakeReceiver,
              GINT_TO_POINTER (KIND_ARRAY), fake_receiver_setup,
              test_every_allocation_drains, fake_receiver_teardown);
  g_test_add ("/share-protocol/sender/drained-by/raw", FakeReceiver,
              GINT_TO_POINTER (KIND_RAW), fake_receiver_setup,
              test_every_allocation_drains, fake_receiver_teardown);
  g_test_add ("/share-protocol/sender/drained-by/aligned", FakeReceiver,
              GINT_TO_POINTER (KIND_ALIGNED), fake_receiver_setup,
              test_every_allocation_drains, fake_receiver_teardown);
  g_test_add ("/share-protocol/sender/drained-by/aligned-wait", FakeReceiver,
              GINT_TO_POINTER (KIND_ALIGNED_WAIT), fake_receiver_setup,
              test_every_allocation_drains, fake_receiver_teardown);
  SENDER_TEST ("receiver-writes", test_receiver_writes);

  return g_test_run ();
}
