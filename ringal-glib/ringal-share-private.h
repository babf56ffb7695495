/* ringal-share-private.h: what a RingalSender and a RingalReceiver agree on
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The protocol (docs/sharing.md has the whole story):
 *
 * - On the socket, the sender first writes a HELLO of 24 bytes carrying
 *   four fds: the allocator's store (a sealed memfd, mapped read-only by
 *   the receiver), the message queue and the release queue (sealed memfds
 *   of their own, mapped read-write by both), and an eventfd.  After that
 *   the socket carries only wake-ups, one byte each.  The receiver never
 *   writes to the socket.
 *
 * - The message queue is a single-producer ring of (offset, length) in
 *   the store: the sender pushes each message and bumps `sent`; the
 *   receiver takes them.  A message costs no system call: only when the
 *   receiver found the queue empty and set `wake_wanted` (to the number of
 *   the first message it has not taken) does the sender clear it and write
 *   a wake-up byte to the socket, on which the receiver sleeps.
 *
 * - The release queue is a single-producer ring of offsets: the receiver
 *   pushes the offset of each region it lets go and bumps `written`; the
 *   sender takes them and bumps `drained`.  The sender takes them when it
 *   needs room (an allocation finds the ring full), so that a release
 *   costs the receiver no system call; only when the sender has set
 *   `wake_wanted` (it found the ring full, or it waits for the last
 *   regions to come back) does the receiver clear it and write the
 *   eventfd, which wakes the sender's watcher thread.  Set-then-read on
 *   both sides, sequentially consistent.  The request names the first
 *   release it is for (one past what the sender has taken), and only
 *   that release or a later one spends it: a release the sender took
 *   itself before asking must not, or the wake-up goes to nothing and no
 *   later release sends another (tests/model/share-wake.pml).
 *
 * Neither queue can overflow for an honest peer: the sender holds no more
 * messages than a queue has slots, and every message in either queue is
 * one it holds.
 *
 * Nothing either side reads from the other is trusted: the sender checks
 * every offset against its own table of what it sent, the receiver every
 * message against the store it mapped.
 */

#pragma once

#include <stdalign.h>
#include <stdatomic.h>

#include <gio/gio.h>

G_BEGIN_DECLS

#define RINGAL_SHARE_HELLO    0x4f4c4852u  /* "RHLO" */
#define RINGAL_SHARE_VERSION  2u
#define RINGAL_SHARE_WAKE     ((guint8) 'W')  /* the one byte of a wake-up */

#define RINGAL_SHARE_MIN_SLOTS 64
#define RINGAL_SHARE_MAX_SLOTS (1u << 20)

/* HELLO: version, the store's capacity, the slots of each queue. */
typedef struct {
  guint32 type;
  guint32 version;
  guint64 offset;
  guint64 length;
} RingalShareMessage;

G_STATIC_ASSERT (sizeof (RingalShareMessage) == 24);

/* The fds that come with a HELLO, in this order. */
enum {
  RINGAL_SHARE_FD_STORE,
  RINGAL_SHARE_FD_MESSAGES,
  RINGAL_SHARE_FD_QUEUE,
  RINGAL_SHARE_FD_WAKE,
  RINGAL_SHARE_N_FDS
};

/* The message queue's memfd.  Each counter has a cache line of its own. */
typedef struct {
  _Atomic guint64 offset;   /* where the bytes start in the store */
  _Atomic guint64 length;   /* how many there are */
} RingalShareSlot;

typedef struct {
  alignas (64) _Atomic guint64 sent;          /* the sender's */
  alignas (64) _Atomic guint64 wake_wanted;   /* 0, or the first `sent` to wake at:
                                                 * the receiver's; the sender clears it */
  alignas (64) RingalShareSlot slots[];
} RingalShareMessages;

/* The release queue's memfd.  Each counter has a cache line of its own. */
typedef struct {
  alignas (64) _Atomic guint64 written;   /* the receiver's */
  alignas (64) _Atomic guint64 drained;   /* the sender's */
  alignas (64) _Atomic guint64 wake_wanted;   /* 0, or the first `written` to wake at:
                                                 * the sender's; the receiver clears it */
  alignas (64) _Atomic guint64 slots[];
} RingalShareQueue;

gsize    ringal_share_n_slots        (gsize               capacity);
gsize    ringal_share_queue_size     (gsize               n_slots);
gsize    ringal_share_messages_size  (gsize               n_slots);

gboolean ringal_share_publish        (_Atomic guint64    *count_at,
                                      guint64             count,
                                      _Atomic guint64    *wake_wanted);

gboolean ringal_share_check_memfd    (int                 fd,
                                      gsize               size,
                                      const char         *what,
                                      GError            **error);
gboolean ringal_share_check_eventfd  (int                 fd,
                                      GError            **error);

void     ringal_share_close_fds      (int                *fds,
                                      guint               n_fds);

gssize   ringal_share_send           (int                 socket_fd,
                                      const guint8       *data,
                                      gsize               len,
                                      const int          *fds,
                                      guint               n_fds,
                                      GError            **error);
gssize   ringal_share_receive        (int                 socket_fd,
                                      guint8             *data,
                                      gsize               len,
                                      int                *fds,
                                      guint              *n_fds,
                                      GError            **error);

/* A RingalSender's state, which outlives it while the receiver holds
 * regions (ringal-sender.c), and the allocator's list of them
 * (ringal-allocator-shareable.c), which failed allocations drain. */
typedef struct _RingalSenderLink RingalSenderLink;

guint    ringal_sender_link_drain    (RingalSenderLink   *link,
                                      gboolean            arm);

/* The sender's watcher thread (NULL if it could not start), for a test to
 * join once it has dropped the sender and closed the receiver's end: the
 * watcher ends then, but on its own time. */
struct _RingalSender;

GThread *ringal_sender_ref_watcher   (struct _RingalSender *self);

typedef struct _RingalSenderNode RingalSenderNode;
struct _RingalAllocator;

RingalSenderNode *ringal_allocator_add_sender    (struct _RingalAllocator *self,
                                                  RingalSenderLink        *link);
void              ringal_allocator_remove_sender (RingalSenderNode        *node);

gboolean ringal_share_protocol_error (GError            **error,
                                      const char         *format,
                                      ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
