/* ringal-sender.c: RingalSender, ring bytes to another process
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define _GNU_SOURCE  /* memfd_create(), seals, POLLRDHUP */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gunixconnection.h>

#include "ringal-allocator-private.h"
#include "ringal-sender.h"
#include "ringal-share-private.h"

/**
 * RingalSender:
 *
 * Sends bytes in the ring of a shareable allocator to another process,
 * without copying them.
 *
 * The sender's allocator comes from
 * [ctor@Ringal.Allocator.new_shareable]; its connection is one end of a
 * Unix socket ([class@Gio.UnixConnection]), whose other end a
 * [class@Ringal.Receiver] reads in the other process.  The first send
 * passes the store's memfd over the socket.  Every message is an offset
 * and a length, whatever the size of the bytes, in a queue in shared
 * memory: sending costs no system call, unless the receiver waits for the
 * message, when a byte on the socket wakes it.
 *
 * A region sent stays held, as if the sender kept a reference to the
 * bytes, until the receiver lets go of the `GBytes` it got: then the
 * region goes back to the ring without any message, through a queue in
 * shared memory that the sender drains from a thread of its own and
 * whenever an allocation finds the ring full.  Waiting for room
 * ([method@Ringal.Allocator.fixed_wait],
 * [method@Ringal.Allocator.fixed_async]) is woken by such a release as by
 * a local one.
 *
 * When the receiver's end closes (its process may have died), every region
 * it held goes back to the ring.  Dropping the sender closes its side of
 * the socket; the regions the receiver still holds stay held until it lets
 * them go or goes.
 *
 * The receiver is not trusted: what it releases is checked against what
 * was sent, and anything else ends the connection with
 * %RINGAL_ERROR_PROTOCOL, giving every region back.  It maps the store
 * read-only and cannot write to the ring.  It can read all of the store,
 * though: keep in a shareable allocator only what it may see.
 *
 * ```c
 * g_autoptr(RingalAllocator) allocator = ringal_allocator_new_shareable (1 << 20, &error);
 * g_autoptr(RingalSender) sender = ringal_sender_new (allocator, connection);
 * g_autoptr(GBytes) frame = ringal_allocator_copy (allocator, data, len, &error);
 *
 * if (!ringal_sender_send_bytes (sender, frame, NULL, &error))
 *   return FALSE;
 * ```
 *
 * Since: 0.2
 */

struct _RingalSenderLink
{
  atomic_int          ref_count;     /* the sender's and the watcher's */
  pthread_mutex_t     lock;          /* everything below */

  /* The sender's allocator's ring, read only while the sender (which holds
   * the allocator) sends; the watcher, which may outlive both, never
   * touches the allocator: a GObject's last unref on another thread is
   * ordered by atomics TSan cannot see. */
  RingalRing         *ring;
  RingalSenderNode   *node;          /* in the allocator's list */
  int                 socket_fd;     /* a dup: the watcher may outlive the connection */
  int                 messages_fd;
  int                 queue_fd;
  int                 wake_fd;       /* the receiver's releases */
  int                 stop_fd;       /* ours: look at the state again */
  RingalShareMessages *messages;
  gsize               messages_size;
  guint64             sent;
  RingalShareQueue   *queue;
  gsize               queue_size;
  gsize               n_slots;
  guint64             drained;

  /* What the receiver holds: offset in the store -> the GBytes sent, and
   * the rare further sends of bytes at the same offset. */
  GHashTable         *held;
  GHashTable         *held_again;
  guint               n_held;

  GError             *error;         /* why the connection is over */
  gboolean            hello_sent;
  gboolean            sending;
  gboolean            sender_gone;
  gboolean            watching;

  /* The HELLO being written, before the first message; and the bytes
   * of that message, for taking them back if no HELLO went. */
  guint8              out[sizeof (RingalShareMessage)];
  gsize               out_len;
  gsize               out_done;
  gboolean            out_fds;
  GBytes             *out_bytes;
};

struct _RingalSender
{
  GObject             parent_instance;
  RingalAllocator    *allocator;
  GSocketConnection  *connection;
  RingalSenderLink   *link;
  /* Kept for the tests to join (NULL if it could not start); a watcher
   * that ended early is reaped when the sender goes. */
  GThread            *watcher;
};

enum {
  PROP_0,
  PROP_ALLOCATOR,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RingalSender, ringal_sender, G_TYPE_OBJECT)

static void
link_unref (RingalSenderLink *link)
{
  if (atomic_fetch_sub_explicit (&link->ref_count, 1, memory_order_acq_rel) != 1)
    return;

  if (link->messages != NULL)
    munmap (link->messages, link->messages_size);
  if (link->queue != NULL)
    munmap (link->queue, link->queue_size);
  ringal_share_close_fds (&link->socket_fd, 1);
  ringal_share_close_fds (&link->messages_fd, 1);
  ringal_share_close_fds (&link->queue_fd, 1);
  ringal_share_close_fds (&link->wake_fd, 1);
  ringal_share_close_fds (&link->stop_fd, 1);
  g_clear_pointer (&link->held, g_hash_table_unref);
  g_clear_pointer (&link->held_again, g_hash_table_unref);
  g_clear_error (&link->error);
  pthread_mutex_destroy (&link->lock);
  g_free (link);
}

static void
kick (int fd)
{
  guint64 one = 1;

  if (write (fd, &one, sizeof one) < 0 && errno != EAGAIN)
    g_warning ("Could not wake a sender's watcher: %s", g_strerror (errno));
}

/* Takes one hold on the region at @offset off the table; FALSE when the
 * receiver never held it.  What to unref goes to @released. */
static gboolean
unhold_locked (RingalSenderLink *link,
               guint64           offset,
               GPtrArray        *released)
{
  gpointer key = GSIZE_TO_POINTER ((gsize) offset);
  GPtrArray *again = g_hash_table_lookup (link->held_again, key);
  GBytes *bytes;

  if (again != NULL)
    {
      g_ptr_array_add (released, g_ptr_array_steal_index_fast (again, again->len - 1));
      if (again->len == 0)
        g_hash_table_remove (link->held_again, key);
    }
  else if (g_hash_table_steal_extended (link->held, key, NULL, (gpointer *) &bytes))
    g_ptr_array_add (released, bytes);
  else
    return FALSE;

  link->n_held--;
  return TRUE;
}

static void
hold_locked (RingalSenderLink *link,
             guint64           offset,
             GBytes           *bytes)
{
  gpointer key = GSIZE_TO_POINTER ((gsize) offset);

  if (!g_hash_table_contains (link->held, key))
    g_hash_table_insert (link->held, key, g_bytes_ref (bytes));
  else
    {
      GPtrArray *again = g_hash_table_lookup (link->held_again, key);

      if (again == NULL)
        {
          again = g_ptr_array_new ();
          g_hash_table_insert (link->held_again, key, again);
        }
      g_ptr_array_add (again, g_bytes_ref (bytes));
    }
  link->n_held++;
}

/* Ends the connection for good with @error: every region comes back, and
 * the watcher stops.  The regions go to @released, to be unreffed once the
 * lock is dropped. */
static void
fail_locked (RingalSenderLink *link,
             GError           *error,
             GPtrArray        *released)
{
  GHashTableIter iter;
  gpointer value;

  if (link->error != NULL)
    {
      g_error_free (error);
      return;
    }
  link->error = error;

  g_hash_table_iter_init (&iter, link->held);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (released, value);
      g_hash_table_iter_steal (&iter);
    }
  g_hash_table_iter_init (&iter, link->held_again);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *again = value;

      while (again->len > 0)
        g_ptr_array_add (released, g_ptr_array_steal_index_fast (again, again->len - 1));
    }
  g_hash_table_remove_all (link->held_again);
  link->n_held = 0;

  /* Wakes a send blocked on the socket, and the watcher. */
  shutdown (link->socket_fd, SHUT_RDWR);
  kick (link->stop_fd);
}

/* Takes what the receiver released since last time. */
static void
drain_locked (RingalSenderLink *link,
              GPtrArray        *released)
{
  RingalShareQueue *queue = link->queue;
  guint64 written, drained = link->drained;

  if (queue == NULL || link->error != NULL)
    return;

  /* Sequentially consistent: the other half of the pair with the
   * receiver's store of `written` and its read of `wake_wanted`. */
  written = atomic_load_explicit (&queue->written, memory_order_seq_cst);
  if (written - drained > link->n_slots)
    {
      fail_locked (link, g_error_new (RINGAL_ERROR, RINGAL_ERROR_PROTOCOL,
                                      "The receiver's release queue is corrupt: %"
                                      G_GUINT64_FORMAT " releases in a queue of %" G_GSIZE_FORMAT,
                                      written - drained, link->n_slots),
                   released);
      return;
    }

  for (; drained != written; drained++)
    {
      guint64 offset = atomic_load_explicit (&queue->slots[drained & (link->n_slots - 1)],
                                             memory_order_relaxed);

      if (!unhold_locked (link, offset, released))
        {
          fail_locked (link, g_error_new (RINGAL_ERROR, RINGAL_ERROR_PROTOCOL,
                                          "The receiver released the region at offset %"
                                          G_GUINT64_FORMAT ", which it does not hold "
                                          "(never sent, or released already)", offset),
                       released);
          return;
        }
    }

  link->drained = drained;
  atomic_store_explicit (&queue->drained, drained, memory_order_release);
}

/* Asks the receiver to write the eventfd at its next release (one past
 * what we took), then takes what it released before it could see that. */
static void
arm_locked (RingalSenderLink *link,
            GPtrArray        *released)
{
  if (link->queue == NULL || link->error != NULL)
    return;
  atomic_store_explicit (&link->queue->wake_wanted, link->drained + 1, memory_order_seq_cst);
  drain_locked (link, released);
}

static guint
unref_all (GPtrArray *released)
{
  guint n = released->len;

  g_ptr_array_unref (released);
  return n;
}

/* Takes what the receiver released; with @arm, when that is nothing, asks
 * to be woken at its next release (the ring is full, and somebody may
 * wait for room). */
guint
ringal_sender_link_drain (RingalSenderLink *link,
                          gboolean          arm)
{
  GPtrArray *released = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  pthread_mutex_lock (&link->lock);
  drain_locked (link, released);
  if (arm && released->len == 0)
    arm_locked (link, released);
  pthread_mutex_unlock (&link->lock);
  return unref_all (released);
}

/* What the receiver's end of the socket says: it never writes, so
 * anything readable is either the end (it closed, or died) or garbage. */
static GError *
check_socket (RingalSenderLink *link)
{
  guint8 byte;
  gssize n;

  do
    n = recv (link->socket_fd, &byte, 1, MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n > 0)
    return g_error_new_literal (RINGAL_ERROR, RINGAL_ERROR_PROTOCOL,
                                "The receiver wrote to the socket, which it never does");
  if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                "The receiver closed the connection");
  return NULL;
}

/* The watcher thread: drains the release queue when the receiver says so,
 * and gives everything back when the receiver goes. */
static gpointer
watch (gpointer data)
{
  RingalSenderLink *link = data;
  gboolean done = FALSE;

  while (!done)
    {
      struct pollfd fds[3] = {
        { link->socket_fd, POLLIN | POLLRDHUP, 0 },
        { link->wake_fd, POLLIN, 0 },
        { link->stop_fd, POLLIN, 0 },
      };
      GPtrArray *released = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      GError *socket_error = NULL;
      guint64 count;

      if (poll (fds, G_N_ELEMENTS (fds), -1) < 0 && errno != EINTR)
        g_error ("poll() failed in a sender's watcher: %s", g_strerror (errno));

      if (fds[2].revents & POLLIN)
        (void) !read (link->stop_fd, &count, sizeof count);
      if (fds[1].revents & POLLIN)
        (void) !read (link->wake_fd, &count, sizeof count);
      if (fds[0].revents != 0)
        socket_error = check_socket (link);

      pthread_mutex_lock (&link->lock);
      drain_locked (link, released);
      /* Once the sender has gone, nothing allocates: ask for a wake-up at
       * each release until the last comes back. */
      if (link->sender_gone && link->n_held > 0)
        arm_locked (link, released);
      if (socket_error != NULL)
        fail_locked (link, socket_error, released);
      done = link->error != NULL || (link->sender_gone && link->n_held == 0);
      if (done)
        link->watching = FALSE;
      pthread_mutex_unlock (&link->lock);

      unref_all (released);
    }

  ringal_allocator_remove_sender (link->node);
  link_unref (link);
  return NULL;
}

static gboolean
link_start (RingalSenderLink  *link,
            RingalAllocator   *allocator,
            GThread          **watcher,
            GError           **error)
{
  gsize capacity = link->ring->capacity;
  GThread *thread;

  link->n_slots = ringal_share_n_slots (capacity);
  link->messages_size = ringal_share_messages_size (link->n_slots);
  link->messages_fd = ringal_ring_store_memfd (link->messages_size);
  if (link->messages_fd < 0)
    goto io_error;
  link->messages = mmap (NULL, link->messages_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                         link->messages_fd, 0);
  if (link->messages == MAP_FAILED)
    {
      link->messages = NULL;
      goto io_error;
    }
  link->queue_size = ringal_share_queue_size (link->n_slots);
  link->queue_fd = ringal_ring_store_memfd (link->queue_size);
  if (link->queue_fd < 0)
    goto io_error;
  link->queue = mmap (NULL, link->queue_size, PROT_READ | PROT_WRITE, MAP_SHARED, link->queue_fd, 0);
  if (link->queue == MAP_FAILED)
    {
      link->queue = NULL;
      goto io_error;
    }
  link->wake_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  link->stop_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (link->wake_fd < 0 || link->stop_fd < 0)
    goto io_error;

  link->node = ringal_allocator_add_sender (allocator, link);
  atomic_fetch_add_explicit (&link->ref_count, 1, memory_order_relaxed);
  link->watching = TRUE;
  thread = g_thread_try_new ("ringal-sender", watch, link, error);
  if (thread == NULL)
    {
      ringal_allocator_remove_sender (link->node);
      link->watching = FALSE;
      link_unref (link);
      return FALSE;
    }
  *watcher = thread;
  return TRUE;

io_error:
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
               "Could not set up the queues: %s", g_strerror (errno));
  return FALSE;
}

static RingalSenderLink *
link_new (RingalAllocator   *allocator,
          GSocketConnection *connection,
          GThread          **watcher)
{
  RingalSenderLink *link = g_new0 (RingalSenderLink, 1);

  atomic_init (&link->ref_count, 1);
  pthread_mutex_init (&link->lock, NULL);
  link->ring = ringal_allocator_get_ring (allocator);
  link->socket_fd = fcntl (g_socket_get_fd (g_socket_connection_get_socket (connection)),
                           F_DUPFD_CLOEXEC, 0);
  link->messages_fd = link->queue_fd = link->wake_fd = link->stop_fd = -1;
  link->held = g_hash_table_new (NULL, NULL);
  link->held_again = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);

  if (link->socket_fd < 0)
    g_set_error (&link->error, G_IO_ERROR, g_io_error_from_errno (errno),
                 "A sender could not start: %s", g_strerror (errno));
  else if (!link_start (link, allocator, watcher, &link->error))
    g_prefix_error (&link->error, "A sender could not start: ");
  return link;
}

static void
ringal_sender_constructed (GObject *object)
{
  RingalSender *self = RINGAL_SENDER (object);

  G_OBJECT_CLASS (ringal_sender_parent_class)->constructed (object);

  self->link = link_new (self->allocator, self->connection, &self->watcher);
}

static void
ringal_sender_finalize (GObject *object)
{
  RingalSender *self = RINGAL_SENDER (object);
  RingalSenderLink *link = self->link;

  ringal_sender_close (self);
  link_unref (link);
  /* Not joined: the watcher goes on while the receiver holds regions. */
  g_clear_pointer (&self->watcher, g_thread_unref);

  g_clear_object (&self->allocator);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (ringal_sender_parent_class)->finalize (object);
}

static void
ringal_sender_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RingalSender *self = RINGAL_SENDER (object);

  switch (prop_id)
    {
    case PROP_ALLOCATOR:
      g_value_set_object (value, self->allocator);
      break;

    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ringal_sender_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RingalSender *self = RINGAL_SENDER (object);

  switch (prop_id)
    {
    case PROP_ALLOCATOR:
      self->allocator = g_value_dup_object (value);
      break;

    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ringal_sender_class_init (RingalSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ringal_sender_constructed;
  object_class->finalize = ringal_sender_finalize;
  object_class->get_property = ringal_sender_get_property;
  object_class->set_property = ringal_sender_set_property;

  /**
   * RingalSender:allocator: (getter get_allocator)
   *
   * The shareable allocator whose bytes this sender sends.
   *
   * Since: 0.2
   */
  properties[PROP_ALLOCATOR] =
    g_param_spec_object ("allocator", NULL, NULL,
                         RINGAL_TYPE_ALLOCATOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * RingalSender:connection: (getter get_connection)
   *
   * The Unix socket to the receiver.  It belongs to the sender: write
   * nothing else to it, and read nothing from it.
   *
   * Since: 0.2
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         G_TYPE_SOCKET_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ringal_sender_init (RingalSender *self)
{
}

/**
 * ringal_sender_new:
 * @allocator: a shareable allocator, from
 *   [ctor@Ringal.Allocator.new_shareable]
 * @connection: a [class@Gio.UnixConnection] to the receiver
 *
 * Creates a sender of @allocator's bytes over @connection, and starts the
 * thread that takes the regions the receiver lets go.  Errors setting up
 * come back from the first send.
 *
 * Returns: (transfer full): a new sender
 *
 * Since: 0.2
 */
RingalSender *
ringal_sender_new (RingalAllocator   *allocator,
                   GSocketConnection *connection)
{
  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (allocator), NULL);
  g_return_val_if_fail (ringal_allocator_is_shareable (allocator), NULL);
  g_return_val_if_fail (G_IS_UNIX_CONNECTION (connection), NULL);

  return g_object_new (RINGAL_TYPE_SENDER,
                       "allocator", allocator,
                       "connection", connection,
                       NULL);
}

/**
 * ringal_sender_get_allocator:
 * @self: a sender
 *
 * The allocator whose bytes @self sends.
 *
 * Returns: (transfer none): the allocator
 *
 * Since: 0.2
 */
RingalAllocator *
ringal_sender_get_allocator (RingalSender *self)
{
  g_return_val_if_fail (RINGAL_IS_SENDER (self), NULL);

  return self->allocator;
}

/**
 * ringal_sender_get_connection:
 * @self: a sender
 *
 * The connection to the receiver.
 *
 * Returns: (transfer none): the connection
 *
 * Since: 0.2
 */
GSocketConnection *
ringal_sender_get_connection (RingalSender *self)
{
  g_return_val_if_fail (RINGAL_IS_SENDER (self), NULL);

  return self->connection;
}

/**
 * ringal_sender_get_n_held:
 * @self: a sender
 *
 * How many of the messages sent the receiver still holds, as far as the
 * releases taken so far say.
 *
 * Returns: a number of messages
 *
 * Since: 0.2
 */
guint
ringal_sender_get_n_held (RingalSender *self)
{
  guint n;

  g_return_val_if_fail (RINGAL_IS_SENDER (self), 0);

  ringal_sender_link_drain (self->link, FALSE);
  pthread_mutex_lock (&self->link->lock);
  n = self->link->n_held;
  pthread_mutex_unlock (&self->link->lock);
  return n;
}

/**
 * ringal_sender_close:
 * @self: a sender
 *
 * Ends the stream: the receiver gets the end (%NULL) once it has read what
 * was sent.  The regions it holds stay held until it lets go of them, or
 * goes.  Later sends fail with %G_IO_ERROR_CLOSED.  Dropping the last
 * reference to the sender does the same; call this where a garbage
 * collector decides when that happens.
 *
 * Since: 0.2
 */
void
ringal_sender_close (RingalSender *self)
{
  RingalSenderLink *link;

  g_return_if_fail (RINGAL_IS_SENDER (self));

  /* The watcher goes on until the receiver has let go of everything, or
   * goes. */
  link = self->link;
  pthread_mutex_lock (&link->lock);
  if (!link->sender_gone && link->socket_fd >= 0)
    shutdown (link->socket_fd, SHUT_WR);
  link->sender_gone = TRUE;
  if (link->watching)
    kick (link->stop_fd);
  pthread_mutex_unlock (&link->lock);
}

/* For the tests, which must see the watcher end (ringal-share-private.h). */
GThread *
ringal_sender_ref_watcher (RingalSender *self)
{
  g_return_val_if_fail (RINGAL_IS_SENDER (self), NULL);

  return self->watcher != NULL ? g_thread_ref (self->watcher) : NULL;
}

/* Checks @bytes and holds its region, and before the first message lays
 * out the HELLO.  The region is held before the message goes: the
 * receiver may let it go at once. */
static gboolean
begin_send (RingalSenderLink  *link,
            GBytes            *bytes,
            GError           **error)
{
  GPtrArray *released = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const guint8 *store = (const guint8 *) link->ring->base;
  gsize capacity = link->ring->capacity;
  gboolean ok = FALSE;
  const guint8 *data;
  gsize size;

  data = g_bytes_get_data (bytes, &size);

  pthread_mutex_lock (&link->lock);
  if (link->error != NULL)
    {
      g_propagate_error (error, g_error_copy (link->error));
      goto out;
    }
  if (link->sender_gone)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The sender is closed");
      goto out;
    }
  if (link->sending)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           "The sender is already sending");
      goto out;
    }
  if (data == NULL || data < store || data > store + capacity || size > (gsize) (store + capacity - data))
    {
      g_set_error_literal (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT,
                           "Only bytes in the ring of the sender's allocator can be sent: "
                           "freeze a buffer of it, or copy into it");
      goto out;
    }
  if (link->n_held >= link->n_slots)
    drain_locked (link, released);
  if (link->n_held >= link->n_slots)
    {
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL,
                   "The receiver holds %u messages, as many as the release queue takes",
                   link->n_held);
      goto out;
    }

  link->out_len = link->out_done = 0;
  link->out_fds = !link->hello_sent;
  if (!link->hello_sent)
    {
      RingalShareMessage hello = { RINGAL_SHARE_HELLO, RINGAL_SHARE_VERSION, capacity, link->n_slots };

      memcpy (link->out, &hello, sizeof hello);
      link->out_len = sizeof hello;
    }
  hold_locked (link, (guint64) (data - store), bytes);
  link->out_bytes = bytes;
  link->sending = TRUE;
  ok = TRUE;

out:
  pthread_mutex_unlock (&link->lock);
  unref_all (released);
  return ok;
}

/* Puts the message for @bytes in the queue; TRUE when the receiver asked
 * to be woken for it.  Never full: a message is in the queue only while
 * its region is held, and no more are held than the queue has slots. */
static gboolean
push_locked (RingalSenderLink *link,
             GBytes           *bytes)
{
  RingalShareSlot *slot = &link->messages->slots[link->sent & (link->n_slots - 1)];
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  atomic_store_explicit (&slot->offset, (guint64) (data - (const guint8 *) link->ring->base),
                         memory_order_relaxed);
  atomic_store_explicit (&slot->length, size, memory_order_relaxed);
  link->sent++;
  return ringal_share_publish (&link->messages->sent, link->sent, &link->messages->wake_wanted);
}

/* Finishes a send, well or not: a message whose HELLO did not go at all
 * lets go of its region; a HELLO that went in part leaves the stream
 * broken. */
static gboolean
end_send (RingalSenderLink  *link,
          GError            *send_error,
          GError           **error)
{
  GPtrArray *released = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GBytes *bytes = link->out_bytes;
  gboolean wake = FALSE;

  pthread_mutex_lock (&link->lock);
  link->sending = FALSE;
  link->out_bytes = NULL;
  /* The connection ended meanwhile (the watcher saw the receiver go), and
   * its region came back with all the others. */
  if (send_error == NULL && link->error != NULL)
    send_error = g_error_copy (link->error);
  else if (send_error == NULL)
    {
      link->hello_sent = TRUE;
      wake = push_locked (link, bytes);
    }
  else if (link->out_done == 0 && link->error == NULL)
    unhold_locked (link, (guint64) ((const guint8 *) g_bytes_get_data (bytes, NULL) -
                                    (const guint8 *) link->ring->base),
                   released);
  else
    fail_locked (link, g_error_copy (send_error), released);
  pthread_mutex_unlock (&link->lock);
  unref_all (released);

  /* One byte goes whole or not at all.  A full socket already holds
   * wake-ups the receiver has not read; a receiver gone is the watcher's
   * to notice. */
  if (wake)
    {
      guint8 byte = RINGAL_SHARE_WAKE;

      (void) !send (link->socket_fd, &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
    }

  if (send_error == NULL)
    return TRUE;
  g_propagate_error (error, send_error);
  return FALSE;
}

/* Writes what is left of the HELLO without blocking; FALSE with
 * G_IO_ERROR_WOULD_BLOCK when the socket is full. */
static gboolean
write_some (RingalSenderLink  *link,
            GError           **error)
{
  int fds[RINGAL_SHARE_N_FDS] = {
    [RINGAL_SHARE_FD_STORE] = link->ring->store_fd,
    [RINGAL_SHARE_FD_MESSAGES] = link->messages_fd,
    [RINGAL_SHARE_FD_QUEUE] = link->queue_fd,
    [RINGAL_SHARE_FD_WAKE] = link->wake_fd,
  };

  while (link->out_done < link->out_len)
    {
      gssize n = ringal_share_send (link->socket_fd, link->out + link->out_done,
                                    link->out_len - link->out_done,
                                    fds, link->out_fds ? RINGAL_SHARE_N_FDS : 0, error);

      if (n < 0)
        return FALSE;
      link->out_done += (gsize) n;
      link->out_fds = FALSE;
    }
  return TRUE;
}

static gboolean
is_would_block (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
}

/**
 * ringal_sender_send_bytes:
 * @self: a sender
 * @bytes: bytes in the ring of the sender's allocator: frozen from one of
 *   its buffers, or from [method@Ringal.Allocator.copy]
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends @bytes to the receiver: their offset and length, not the bytes
 * themselves, through a queue in shared memory; a system call only when
 * the receiver waits for them.  The region they are in stays held until
 * the receiver lets go of them; the caller may drop @bytes at once.  Only
 * the first send, which passes the store to the receiver, can block,
 * while the socket is full.
 *
 * Fails with %RINGAL_ERROR_INVALID_ARGUMENT for bytes that are not in the
 * ring of the sender's allocator; with %RINGAL_ERROR_FULL when the receiver
 * holds as many messages as the release queue takes (a capacity / 32 of
 * them); with %G_IO_ERROR_CONNECTION_CLOSED once the receiver has gone,
 * and with %RINGAL_ERROR_PROTOCOL once it has released what it did not
 * hold.  The last two end the connection: every region comes back, and
 * every later send fails the same way.
 *
 * Returns: %TRUE once the message is sent
 *
 * Since: 0.2
 */
gboolean
ringal_sender_send_bytes (RingalSender  *self,
                          GBytes        *bytes,
                          GCancellable  *cancellable,
                          GError       **error)
{
  RingalSenderLink *link;
  GError *local_error = NULL;

  g_return_val_if_fail (RINGAL_IS_SENDER (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  link = self->link;
  if (!begin_send (link, bytes, error))
    return FALSE;

  while (!write_some (link, &local_error) && is_would_block (local_error))
    {
      g_clear_error (&local_error);
      if (!g_socket_condition_timed_wait (g_socket_connection_get_socket (self->connection),
                                          G_IO_OUT, -1, cancellable, &local_error))
        break;
    }
  return end_send (link, local_error, error);
}

static gboolean
send_ready (GSocket      *socket,
            GIOCondition  condition,
            gpointer      data)
{
  GTask *task = data;
  RingalSender *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      end_send (self->link, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "Operation was cancelled"), NULL);
      return G_SOURCE_REMOVE;
    }
  if (!write_some (self->link, &error) && is_would_block (error))
    {
      g_error_free (error);
      return G_SOURCE_CONTINUE;
    }
  if (end_send (self->link, error, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  return G_SOURCE_REMOVE;
}

/**
 * ringal_sender_send_bytes_async:
 * @self: a sender
 * @bytes: bytes in the ring of the sender's allocator
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is sent, or on error
 * @user_data: data for @callback
 *
 * Sends @bytes as [method@Ringal.Sender.send_bytes] does; the first send
 * waits in the thread-default main context of the caller while the socket
 * is full.  One send at a time: another while this one is pending fails
 * with %G_IO_ERROR_PENDING.
 *
 * Since: 0.2
 */
void
ringal_sender_send_bytes_async (RingalSender        *self,
                                GBytes              *bytes,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  GSource *source;

  g_return_if_fail (RINGAL_IS_SENDER (self));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ringal_sender_send_bytes_async);

  if (!begin_send (self->link, bytes, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (write_some (self->link, &error) || !is_would_block (error))
    {
      if (end_send (self->link, error, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);

  source = g_socket_create_source (g_socket_connection_get_socket (self->connection),
                                   G_IO_OUT, cancellable);
  g_source_set_static_name (source, "[ringal] sending");
  g_source_set_callback (source, G_SOURCE_FUNC (send_ready), g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/**
 * ringal_sender_send_bytes_finish:
 * @self: a sender
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Ringal.Sender.send_bytes_async].
 *
 * Returns: %TRUE once the message is written
 *
 * Since: 0.2
 */
gboolean
ringal_sender_send_bytes_finish (RingalSender  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (RINGAL_IS_SENDER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ringal_sender_send_bytes_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
