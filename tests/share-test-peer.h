/* share-test-peer.h: a receiver played by hand, for the tests of what a
 * RingalSender makes of its peer (test-share-protocol.c, fuzz-share.c)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * It takes what the sender sends, and releases what the test says, by
 * the protocol of ringal-share-private.h; it never lies unless the test
 * writes to its queues itself.
 */

#pragma once

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ringal-share-private.h"

G_BEGIN_DECLS

typedef struct {
  int                  fd;             /* our end of the socket */
  RingalShareMessages *messages;       /* NULL until the HELLO */
  gsize                messages_size;
  guint64              taken;
  RingalShareQueue    *queue;          /* NULL until the HELLO */
  gsize                queue_size;
  gsize                n_slots;
  guint64              written;        /* what we told the release queue */
  int                  wake_fd;        /* the sender's eventfd */
} ShareTestPeer;

static inline void
share_test_peer_init (ShareTestPeer *peer,
                      int            fd)
{
  memset (peer, 0, sizeof *peer);
  peer->fd = fd;
  peer->wake_fd = -1;
}

/* The first message comes after the HELLO, whose memfds must be sealed
 * for good, against shrinking and growing. */
static inline void
share_test_peer_take_hello (ShareTestPeer *peer)
{
  RingalShareMessage hello;
  int fds[RINGAL_SHARE_N_FDS];
  guint n_fds = RINGAL_SHARE_N_FDS;

  g_assert_cmpint (ringal_share_receive (peer->fd, (guint8 *) &hello, sizeof hello,
                                         fds, &n_fds, NULL), ==, sizeof hello);
  g_assert_cmpuint (n_fds, ==, RINGAL_SHARE_N_FDS);
  g_assert_cmpuint (hello.type, ==, RINGAL_SHARE_HELLO);
  for (guint i = RINGAL_SHARE_FD_STORE; i <= RINGAL_SHARE_FD_QUEUE; i++)
    g_assert_cmpint (fcntl (fds[i], F_GET_SEALS) & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL),
                     ==, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);

  peer->n_slots = hello.length;
  peer->messages_size = ringal_share_messages_size (peer->n_slots);
  peer->messages = mmap (NULL, peer->messages_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                         fds[RINGAL_SHARE_FD_MESSAGES], 0);
  g_assert_true (peer->messages != MAP_FAILED);
  peer->queue_size = ringal_share_queue_size (peer->n_slots);
  peer->queue = mmap (NULL, peer->queue_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                      fds[RINGAL_SHARE_FD_QUEUE], 0);
  g_assert_true (peer->queue != MAP_FAILED);
  peer->wake_fd = fds[RINGAL_SHARE_FD_WAKE];
  close (fds[RINGAL_SHARE_FD_STORE]);
  close (fds[RINGAL_SHARE_FD_MESSAGES]);
  close (fds[RINGAL_SHARE_FD_QUEUE]);
}

/* Takes the message the sender has just sent, the only one waiting: its
 * offset, and its length in @length. */
static inline guint64
share_test_peer_take (ShareTestPeer *peer,
                      guint64       *length)
{
  RingalShareSlot *slot;

  if (peer->messages == NULL)
    share_test_peer_take_hello (peer);
  g_assert_cmpuint (atomic_load (&peer->messages->sent), ==, peer->taken + 1);
  slot = &peer->messages->slots[peer->taken++ & (peer->n_slots - 1)];
  *length = atomic_load (&slot->length);
  return atomic_load (&slot->offset);
}

/* Gives the region at @offset back, without waking the sender. */
static inline void
share_test_peer_release (ShareTestPeer *peer,
                         guint64        offset)
{
  g_assert_nonnull (peer->queue);
  atomic_store (&peer->queue->slots[peer->written & (peer->n_slots - 1)], offset);
  atomic_store (&peer->queue->written, ++peer->written);
}

static inline void
share_test_peer_clear (ShareTestPeer *peer)
{
  if (peer->messages != NULL)
    munmap (peer->messages, peer->messages_size);
  if (peer->queue != NULL)
    munmap (peer->queue, peer->queue_size);
  ringal_share_close_fds (&peer->wake_fd, 1);
  peer->messages = NULL;
  peer->queue = NULL;
}

G_END_DECLS
