/* fuzz-share.c: what a hostile peer can make of a RingalReceiver's
 * receive path and of a RingalSender's release queue
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The first byte picks the side (even: receiver, odd: sender).
 *
 * Receiver: the second byte's bit 0 sends a valid HELLO (real memfds)
 * first, bit 1 holds every bytes received until the end, and bit 2 asks,
 * as the sender would, to be woken at the release numbered by the next
 * byte.  After a HELLO, the rest is a byte-code of messages pushed to the
 * queue, writes to the socket and writes of the queue's counter, played by
 * a sender by hand; without one, it goes to the socket as is.  Whatever
 * arrives must be readable to its last byte, any error must be
 * RINGAL_ERROR_PROTOCOL, bytes received before an error stay readable,
 * each bytes received must come back as one release of an offset inside
 * the store, and the eventfd is written exactly when a release reached the
 * one asked for.  A shadow of the queue says how many messages must come
 * (every one before the first past the store) and whether an error must.
 *
 * Sender: the rest is a byte-code of sends, releases (of what was sent, or
 * of any offset), writes of the queue's counter and drains, played by a
 * receiver by hand.  A shadow of what the receiver holds says what the
 * sender must answer: the held count after each drain, RINGAL_ERROR_PROTOCOL
 * exactly when a release was never sent (or is one too many) or the
 * counter lies, and then every region back; and after a full ring, a
 * request to be woken at the first release it has not taken.
 *
 * Built with -fsanitize=fuzzer it is a libFuzzer target; otherwise its
 * main() replays the files named on the command line (the seed corpus).
 */

#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ringal-share-private.h"
#include "share-test-peer.h"
#include "share-test-utils.h"

#define STORE_SIZE (16 * 1024)
#define FUZZ_MAX_INPUT  (32 * 1024)

typedef struct {
  const guint8 *input;
  gsize         left;
} Reader;

static guint8
next_byte (Reader *r)
{
  if (r->left == 0)
    return 0;
  r->left--;
  return *r->input++;
}

static guint64
next_u64 (Reader *r)
{
  guint64 value = 0;

  for (guint i = 0; i < 8; i++)
    value |= (guint64) next_byte (r) << (8 * i);
  return value;
}

static volatile guint8 sink;

static void
touch (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  guint8 sum = 0;

  for (gsize i = 0; i < len; i++)
    sum += data[i];
  sink = sum;
}

/* What a sender by hand does after its HELLO, one byte-code each. */
enum {
  OP_PUSH,          /* u16, u16: a message, offset and length */
  OP_PUSH_ANY,      /* u64, u64: a message, any offset and length */
  OP_WRITE,         /* count % 8, then the bytes: to the socket */
  OP_SET_SENT,      /* u64: the queue's counter, as a liar would */
  N_SENDER_OPS
};

/* What the receiver must make of the messages, by a shadow of the queue. */
typedef struct {
  guint64   n_sent;
  guint64   first_bad;       /* the first message past the store, or n_sent */
  gboolean  garbage;         /* a byte on the socket that is not a wake-up */
  gboolean  lied;            /* the counter was set: only the error is checked */
} MessageShadow;

static void
push_message (RingalShareMessages *messages,
              MessageShadow       *shadow,
              guint64              offset,
              guint64              length)
{
  RingalShareSlot *slot = &messages->slots[shadow->n_sent & (RINGAL_SHARE_MIN_SLOTS - 1)];

  atomic_store (&slot->offset, offset);
  atomic_store (&slot->length, length);
  if (shadow->first_bad == shadow->n_sent && offset <= STORE_SIZE && length <= STORE_SIZE - offset)
    shadow->first_bad++;
  atomic_store (&messages->sent, ++shadow->n_sent);
}

static void
play_sender (Reader              *r,
             int                  fd,
             RingalShareMessages *messages,
             MessageShadow       *shadow)
{
  while (r->left > 0)
    switch (next_byte (r) % N_SENDER_OPS)
      {
      case OP_PUSH:
        {
          guint64 offset = next_byte (r) | (guint64) next_byte (r) << 8;
          guint64 length = next_byte (r) | (guint64) next_byte (r) << 8;

          push_message (messages, shadow, offset, length);
          break;
        }

      case OP_PUSH_ANY:
        {
          guint64 offset = next_u64 (r);

          push_message (messages, shadow, offset, next_u64 (r));
          break;
        }

      case OP_WRITE:
        {
          guint8 bytes[8];
          guint n = next_byte (r) % sizeof bytes;
          gssize written;

          for (guint i = 0; i < n; i++)
            bytes[i] = next_byte (r);
          /* Nobody reads yet: once the socket is full, writes go nowhere. */
          written = n > 0 ? ringal_share_send (fd, bytes, n, NULL, 0, NULL) : 0;
          for (gssize i = 0; i < written; i++)
            shadow->garbage |= bytes[i] != RINGAL_SHARE_WAKE;
          break;
        }

      case OP_SET_SENT:
      default:
        atomic_store (&messages->sent, next_u64 (r));
        shadow->lied = TRUE;
        break;
      }
}

static void
fuzz_receiver (Reader *r)
{
  g_autoptr(GSocketConnection) ours = NULL, theirs = NULL;
  g_autoptr(RingalReceiver) receiver = NULL;
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) error = NULL;
  guint n_received = 0;
  RingalShareMessages *messages = NULL;
  RingalShareQueue *queue = NULL;
  MessageShadow shadow = { 0 };
  gsize messages_size = ringal_share_messages_size (RINGAL_SHARE_MIN_SLOTS);
  gsize queue_size = ringal_share_queue_size (RINGAL_SHARE_MIN_SLOTS);
  guint8 flags = next_byte (r);
  guint64 wake_at = flags & 4 ? next_byte (r) : 0;
  int fd, wake_fd = -1;

  share_test_pair (&ours, &theirs);
  fd = g_socket_get_fd (g_socket_connection_get_socket (ours));
  receiver = ringal_receiver_new (theirs);

  if (flags & 1)
    {
      int fds[RINGAL_SHARE_N_FDS] = {
        ringal_ring_store_memfd (STORE_SIZE),
        ringal_ring_store_memfd (messages_size),
        ringal_ring_store_memfd (queue_size),
        eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK),
      };
      RingalShareMessage hello = {
        RINGAL_SHARE_HELLO, RINGAL_SHARE_VERSION, STORE_SIZE, RINGAL_SHARE_MIN_SLOTS
      };

      messages = mmap (NULL, messages_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                       fds[RINGAL_SHARE_FD_MESSAGES], 0);
      g_assert_true (messages != MAP_FAILED);
      queue = mmap (NULL, queue_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                    fds[RINGAL_SHARE_FD_QUEUE], 0);
      g_assert_true (queue != MAP_FAILED);
      atomic_store (&queue->wake_wanted, wake_at);
      wake_fd = dup (fds[RINGAL_SHARE_FD_WAKE]);
      g_assert_cmpint (ringal_share_send (fd, (const guint8 *) &hello, sizeof hello,
                                          fds, RINGAL_SHARE_N_FDS, NULL), ==, sizeof hello);
      ringal_share_close_fds (fds, RINGAL_SHARE_N_FDS);
      play_sender (r, fd, messages, &shadow);
    }
  else if (r->left > 0)
    g_assert_cmpint (ringal_share_send (fd, r->input, MIN (r->left, FUZZ_MAX_INPUT), NULL, 0, NULL),
                     ==, (gssize) MIN (r->left, FUZZ_MAX_INPUT));
  g_clear_object (&ours);

  for (;;)
    {
      GBytes *bytes = ringal_receiver_receive_bytes (receiver, NULL, &error);

      if (bytes == NULL)
        break;
      g_assert_nonnull (messages);
      touch (bytes);
      n_received++;
      if (flags & 2)
        g_ptr_array_add (held, bytes);
      else
        g_bytes_unref (bytes);
    }
  if (error != NULL)
    g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_PROTOCOL);

  /* Every good message up to the first bad one, and an error exactly when
   * there is one, or garbage on the socket; a queue overrun at once. */
  if (messages != NULL && !shadow.lied)
    {
      gboolean overrun = shadow.n_sent > RINGAL_SHARE_MIN_SLOTS;

      g_assert_cmpuint (n_received, ==, overrun ? 0 : shadow.first_bad);
      g_assert_cmpint (error != NULL, ==, overrun || shadow.first_bad < shadow.n_sent || shadow.garbage);
    }

  /* Bytes received before an error stay readable; then they all go. */
  for (guint i = 0; i < held->len; i++)
    touch (held->pdata[i]);
  g_ptr_array_set_size (held, 0);
  /* One release each, of an offset inside the store. */
  if (queue != NULL)
    {
      gboolean woken = wake_at != 0 && n_received >= wake_at;
      guint64 count = 0;

      g_assert_cmpuint (atomic_load (&queue->written), ==, n_received);
      for (guint i = 0; i < MIN (n_received, RINGAL_SHARE_MIN_SLOTS); i++)
        g_assert_cmpuint (atomic_load (&queue->slots[i]), <=, STORE_SIZE);
      /* Woken once, by the release asked for, which spent the request. */
      g_assert_cmpint (read (wake_fd, &count, sizeof count) == sizeof count, ==, woken);
      g_assert_cmpuint (count, ==, woken ? 1 : 0);
      g_assert_cmpuint (atomic_load (&queue->wake_wanted), ==, woken ? 0 : wake_at);
      close (wake_fd);
      munmap (queue, queue_size);
    }
  if (messages != NULL)
    munmap (messages, messages_size);
}

/* ---- the sender's side ---- */

enum {
  OP_SEND,          /* size / 16: a record of that size */
  OP_RELEASE,       /* index: release what was sent */
  OP_RELEASE_ANY,   /* u64: release any offset */
  OP_SET_WRITTEN,   /* u64: the queue's counter, as a liar would */
  OP_DRAIN,
  N_OPS
};

typedef struct {
  RingalAllocator  *allocator;
  RingalSender     *sender;
  GThread          *watcher;
  GSocketConnection *ours, *theirs;
  ShareTestPeer     peer;        /* the receiver */
  GArray           *sent;        /* offsets the receiver holds: the shadow */
  guint64           drained;     /* what the sender has taken, by the shadow */
  gboolean          failed;      /* the shadow says the sender gave up */
} SenderFuzz;


/* Takes the message just sent, as a receiver would. */
static void
read_message (SenderFuzz *f)
{
  guint64 length, offset = share_test_peer_take (&f->peer, &length);

  g_array_append_val (f->sent, offset);
}

/* What the sender must conclude from the queue, by the shadow. */
static void
shadow_drain (SenderFuzz *f)
{
  if (f->failed || f->peer.queue == NULL)
    return;
  if (f->peer.written - f->drained > f->peer.n_slots)
    {
      f->failed = TRUE;
      return;
    }
  for (; f->drained != f->peer.written; f->drained++)
    {
      guint64 offset = atomic_load (&f->peer.queue->slots[f->drained & (f->peer.n_slots - 1)]);
      guint i;

      for (i = 0; i < f->sent->len; i++)
        if (g_array_index (f->sent, guint64, i) == offset)
          break;
      if (i == f->sent->len)
        {
          f->failed = TRUE;
          return;
        }
      g_array_remove_index_fast (f->sent, i);
    }
}

/* Nothing to release to before the HELLO. */
static void
push (SenderFuzz *f,
      guint64     offset)
{
  if (f->peer.queue != NULL)
    share_test_peer_release (&f->peer, offset);
}

static void
check (SenderFuzz *f)
{
  guint held = ringal_sender_get_n_held (f->sender);

  shadow_drain (f);
  g_assert_cmpuint (held, ==, f->failed ? 0 : f->sent->len);
  if (f->failed)
    g_assert_cmpuint (share_test_bytes_in_use (f->allocator), ==, 0);
}

static GBytes *
record (RingalAllocator *allocator,
        gsize            size)
{
  g_autofree guint8 *data = g_malloc0 (size);

  return ringal_allocator_copy (allocator, data, size, NULL);
}

static void
fuzz_sender (Reader *r)
{
  SenderFuzz f = { 0 };
  g_autoptr(GError) error = NULL;

  f.allocator = ringal_allocator_new_shareable (STORE_SIZE, &error);
  g_assert_no_error (error);
  share_test_pair (&f.ours, &f.theirs);
  share_test_peer_init (&f.peer, g_socket_get_fd (g_socket_connection_get_socket (f.theirs)));
  f.sender = ringal_sender_new (f.allocator, f.ours);
  f.watcher = ringal_sender_ref_watcher (f.sender);
  f.sent = g_array_new (FALSE, FALSE, sizeof (guint64));

  while (r->left > 0)
    {
      switch (next_byte (r) % N_OPS)
        {
        case OP_SEND:
          {
            gsize size = 8 + next_byte (r) * 16;
            g_autoptr(GBytes) bytes = NULL;

            /* The sender and the shadow take the queue together, so that
             * the allocation below (which drains when the ring is full)
             * finds nothing the shadow has not seen. */
            check (&f);
            bytes = record (f.allocator, size);
            /* Full, with nothing left to take: the sender asks to be woken
             * at the first release it has not taken, the next one. */
            if (bytes == NULL && !f.failed && f.peer.queue != NULL)
              g_assert_cmpuint (atomic_load (&f.peer.queue->wake_wanted), ==, f.drained + 1);
            if (bytes == NULL)
              break;  /* the shadow knows what is held */
            if (ringal_sender_send_bytes (f.sender, bytes, NULL, &error))
              read_message (&f);
            else
              {
                g_assert_true (f.failed ||
                               g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_FULL));
                g_clear_error (&error);
              }
            break;
          }

        case OP_RELEASE:
          {
            guint8 index = next_byte (r);

            if (f.sent->len > 0)
              push (&f, g_array_index (f.sent, guint64, index % f.sent->len));
            break;
          }

        case OP_RELEASE_ANY:
          push (&f, next_u64 (r));
          break;

        case OP_SET_WRITTEN:
          if (f.peer.queue != NULL)
            atomic_store (&f.peer.queue->written, f.peer.written = next_u64 (r));
          break;

        case OP_DRAIN:
        default:
          check (&f);
          break;
        }
    }
  check (&f);

  /* Letting go of everything gives the whole ring back. */
  if (!f.failed)
    for (guint i = 0; i < f.sent->len; i++)
      push (&f, g_array_index (f.sent, guint64, i));
  g_array_set_size (f.sent, 0);
  check (&f);
  g_assert_cmpuint (share_test_bytes_in_use (f.allocator), ==, 0);

  share_test_peer_clear (&f.peer);
  g_clear_object (&f.sender);
  g_clear_object (&f.ours);
  g_clear_object (&f.theirs);
  g_clear_object (&f.allocator);
  g_array_unref (f.sent);

  /* The watcher ends on its own once the sender and the receiver's end are
   * gone: wait for it, or what it frees lands in the next input, and
   * libFuzzer's leak check runs while a watcher of this one is alive or has
   * not even started (where LeakSanitizer sees its thread and link leak). */
  g_assert_nonnull (f.watcher);
  g_thread_join (f.watcher);
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  Reader r = { data, size };

  if (size == 0)
    return 0;
  if (next_byte (&r) & 1)
    fuzz_sender (&r);
  else
    fuzz_receiver (&r);
  return 0;
}

#ifndef RINGAL_FUZZ_LIBFUZZER
int
main (int   argc,
      char *argv[])
{
  return ringal_test_replay (argc, argv, LLVMFuzzerTestOneInput);
}
#endif
