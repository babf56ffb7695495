/* ringal-receiver.c: RingalReceiver, ring bytes from another process
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define _GNU_SOURCE  /* memfd_create(), seals, POLLRDHUP */

#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gio/gunixconnection.h>

#include "ringal-error.h"
#include "ringal-receiver.h"
#include "ringal-ring.h"
#include "ringal-share-private.h"

/**
 * RingalReceiver:
 *
 * Receives, from a [class@Ringal.Sender] in another process, bytes that
 * stay in the sender's ring: no byte is copied.
 *
 * [method@Ringal.Receiver.receive_bytes] returns a [struct@GLib.Bytes]
 * over a read-only mapping of the sender's store.  Messages wait in a
 * queue in shared memory, and taking one costs no system call: the
 * receiver sleeps on the socket only when the queue is empty.  Drop the
 * bytes when done, on any thread: the region goes back to the sender with
 * no message, through another such queue.  Hold received bytes no longer than any ring
 * memory: the sender's ring waits for them.
 *
 * The connection stays open while the receiver or any bytes it returned
 * are alive; when it closes (or the process dies), the sender takes back
 * every region.  When the sender goes, the bytes stay valid until they are
 * dropped, and receiving returns %NULL: the end of the stream.
 *
 * The sender is not trusted either: a message before the store's fd, an
 * fd that is not a sealed memfd of the size announced, bytes past the end
 * of the store, or anything else that is not the protocol fails with
 * %RINGAL_ERROR_PROTOCOL, and so does every receive after it; bytes
 * received before stay valid.  Writing to the bytes faults: the mapping is
 * read-only.
 *
 * ```python
 * receiver = Ringal.Receiver.new(connection)
 * while (frame := receiver.receive_bytes(None)) is not None:
 *     handle(frame.get_data())
 * ```
 *
 * Since: 0.2
 */

/* What the receiver and every GBytes it returned share. */
typedef struct {
  atomic_int          ref_count;     /* C11, which TSan sees */
  GSocketConnection  *connection;   /* open while anything here is alive */
  const guint8       *store;
  gsize               capacity;
  RingalShareQueue   *queue;
  gsize               queue_size;
  gsize               n_slots;
  int                 wake_fd;
  pthread_mutex_t     push_lock;    /* threads of this process pushing */
  guint64             written;
} ReceiverLink;

typedef struct {
  ReceiverLink *link;
  guint64       offset;
} Release;

/* A HELLO, or that many wake-ups, at a time. */
#define IN_SIZE 256

struct _RingalReceiver
{
  GObject             parent_instance;
  GSocketConnection  *connection;
  int                 socket_fd;
  ReceiverLink       *link;          /* NULL until the HELLO */
  GError             *error;         /* the sender broke the protocol */
  gboolean            at_end;
  gboolean            receiving;

  /* The message queue: the sender's, mapped read-write for the request to
   * be woken. */
  RingalShareMessages *messages;
  gsize               messages_size;
  guint64             taken;

  int                 fds[RINGAL_SHARE_N_FDS];
  guint               n_fds;
  guint8              in[IN_SIZE];
  gsize               in_start;
  gsize               in_end;
};

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RingalReceiver, ringal_receiver, G_TYPE_OBJECT)

static void
link_unref (ReceiverLink *link)
{
  if (atomic_fetch_sub_explicit (&link->ref_count, 1, memory_order_acq_rel) != 1)
    return;

  munmap ((void *) link->store, link->capacity);
  munmap (link->queue, link->queue_size);
  close (link->wake_fd);
  pthread_mutex_destroy (&link->push_lock);
  g_object_unref (link->connection);
  g_free (link);
}

/* Gives the region at @offset back to the sender: one slot of the queue,
 * and a write to the eventfd if the sender asked for one. */
static void
link_release (ReceiverLink *link,
              guint64       offset)
{
  RingalShareQueue *queue = link->queue;
  gboolean wake = FALSE;

  pthread_mutex_lock (&link->push_lock);
  /* Never full for an honest sender, which sends no more than it has
   * slots for; a release the sender's queue has no room for is dropped,
   * which harms only that sender. */
  if (link->written - atomic_load_explicit (&queue->drained, memory_order_acquire) < link->n_slots)
    {
      atomic_store_explicit (&queue->slots[link->written & (link->n_slots - 1)], offset,
                             memory_order_relaxed);
      link->written++;
      wake = ringal_share_publish (&queue->written, link->written, &queue->wake_wanted);
    }
  pthread_mutex_unlock (&link->push_lock);

  if (wake)
    {
      guint64 one = 1;

      /* Full (the sender has not read it yet) is as good as written. */
      (void) !write (link->wake_fd, &one, sizeof one);
    }
}

static void
release_free (gpointer data)
{
  Release *release = data;

  link_release (release->link, release->offset);
  link_unref (release->link);
  g_free (release);
}

static void
poison (RingalReceiver *self,
        GError         *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
}

static void
ringal_receiver_finalize (GObject *object)
{
  RingalReceiver *self = RINGAL_RECEIVER (object);

  ringal_share_close_fds (self->fds, self->n_fds);
  if (self->messages != NULL)
    munmap (self->messages, self->messages_size);
  g_clear_pointer (&self->link, link_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (ringal_receiver_parent_class)->finalize (object);
}

static void
ringal_receiver_constructed (GObject *object)
{
  RingalReceiver *self = RINGAL_RECEIVER (object);

  G_OBJECT_CLASS (ringal_receiver_parent_class)->constructed (object);

  self->socket_fd = g_socket_get_fd (g_socket_connection_get_socket (self->connection));
}

static void
ringal_receiver_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RingalReceiver *self = RINGAL_RECEIVER (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ringal_receiver_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RingalReceiver *self = RINGAL_RECEIVER (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ringal_receiver_class_init (RingalReceiverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ringal_receiver_constructed;
  object_class->finalize = ringal_receiver_finalize;
  object_class->get_property = ringal_receiver_get_property;
  object_class->set_property = ringal_receiver_set_property;

  /**
   * RingalReceiver:connection: (getter get_connection)
   *
   * The Unix socket from the sender.  It belongs to the receiver: read
   * nothing else from it, and write nothing to it.
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
ringal_receiver_init (RingalReceiver *self)
{
  for (guint i = 0; i < RINGAL_SHARE_N_FDS; i++)
    self->fds[i] = -1;
}

/**
 * ringal_receiver_new:
 * @connection: a [class@Gio.UnixConnection] from the sender
 *
 * Creates a receiver of what a [class@Ringal.Sender] sends over
 * @connection.
 *
 * Returns: (transfer full): a new receiver
 *
 * Since: 0.2
 */
RingalReceiver *
ringal_receiver_new (GSocketConnection *connection)
{
  g_return_val_if_fail (G_IS_UNIX_CONNECTION (connection), NULL);

  return g_object_new (RINGAL_TYPE_RECEIVER, "connection", connection, NULL);
}

/**
 * ringal_receiver_get_connection:
 * @self: a receiver
 *
 * The connection from the sender.
 *
 * Returns: (transfer none): the connection
 *
 * Since: 0.2
 */
GSocketConnection *
ringal_receiver_get_connection (RingalReceiver *self)
{
  g_return_val_if_fail (RINGAL_IS_RECEIVER (self), NULL);

  return self->connection;
}

static gboolean
is_power_of_two (guint64 n)
{
  return n != 0 && (n & (n - 1)) == 0;
}

/* The HELLO: check everything it says and comes with, then map. */
static gboolean
take_hello (RingalReceiver            *self,
            const RingalShareMessage  *message,
            GError                   **error)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  ReceiverLink *link;
  void *store, *messages, *queue;
  gsize messages_size, queue_size;

  if (message->type != RINGAL_SHARE_HELLO || self->n_fds == 0)
    return ringal_share_protocol_error (error, "The first message from the sender is "
                                        "not its store's fds");
  if (self->n_fds != RINGAL_SHARE_N_FDS)
    return ringal_share_protocol_error (error, "The sender's first message came with %u "
                                        "fds, not %d", self->n_fds, RINGAL_SHARE_N_FDS);
  if (message->version != RINGAL_SHARE_VERSION)
    return ringal_share_protocol_error (error, "The sender speaks version %u of the "
                                        "protocol, not %u", message->version, RINGAL_SHARE_VERSION);
  if (!is_power_of_two (message->offset) || message->offset < page ||
      message->offset > RINGAL_RING_MAX_CAPACITY)
    return ringal_share_protocol_error (error, "The sender's store cannot have %"
                                        G_GUINT64_FORMAT " bytes", message->offset);
  if (!is_power_of_two (message->length) || message->length < RINGAL_SHARE_MIN_SLOTS ||
      message->length > RINGAL_SHARE_MAX_SLOTS)
    return ringal_share_protocol_error (error, "The sender's queues cannot have %"
                                        G_GUINT64_FORMAT " slots", message->length);
  messages_size = ringal_share_messages_size (message->length);
  queue_size = ringal_share_queue_size (message->length);
  if (!ringal_share_check_memfd (self->fds[RINGAL_SHARE_FD_STORE], message->offset, "store", error) ||
      !ringal_share_check_memfd (self->fds[RINGAL_SHARE_FD_MESSAGES], messages_size,
                                 "message queue", error) ||
      !ringal_share_check_memfd (self->fds[RINGAL_SHARE_FD_QUEUE], queue_size, "release queue", error) ||
      !ringal_share_check_eventfd (self->fds[RINGAL_SHARE_FD_WAKE], error))
    return FALSE;

  /* Read-only: the receiver cannot touch the sender's guards. */
  store = mmap (NULL, message->offset, PROT_READ, MAP_SHARED, self->fds[RINGAL_SHARE_FD_STORE], 0);
  if (store == MAP_FAILED)
    goto map_error;
  messages = mmap (NULL, messages_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                   self->fds[RINGAL_SHARE_FD_MESSAGES], 0);
  if (messages == MAP_FAILED)
    {
      munmap (store, message->offset);
      goto map_error;
    }
  queue = mmap (NULL, queue_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                self->fds[RINGAL_SHARE_FD_QUEUE], 0);
  if (queue == MAP_FAILED)
    {
      munmap (store, message->offset);
      munmap (messages, messages_size);
      goto map_error;
    }

  link = g_new0 (ReceiverLink, 1);
  atomic_init (&link->ref_count, 1);
  link->connection = g_object_ref (self->connection);
  link->store = store;
  link->capacity = message->offset;
  link->queue = queue;
  link->queue_size = queue_size;
  link->n_slots = message->length;
  link->wake_fd = self->fds[RINGAL_SHARE_FD_WAKE];
  link->written = atomic_load_explicit (&link->queue->written, memory_order_relaxed);
  pthread_mutex_init (&link->push_lock, NULL);
  self->fds[RINGAL_SHARE_FD_WAKE] = -1;
  ringal_share_close_fds (self->fds, self->n_fds);
  self->n_fds = 0;
  self->link = link;
  self->messages = messages;
  self->messages_size = messages_size;
  return TRUE;

map_error:
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
               "Could not map the sender's store: %s", g_strerror (errno));
  return FALSE;
}

typedef enum {
  QUEUE_EMPTY,
  QUEUE_TAKEN,
  QUEUE_BROKEN,
} QueueTake;

/* Takes the next message from the queue and makes it into bytes, or says
 * what is wrong with it.  What the sender wrote is read once, then
 * checked. */
static QueueTake
take_queued (RingalReceiver  *self,
             GBytes         **bytes,
             GError         **error)
{
  ReceiverLink *link = self->link;
  RingalShareSlot *slot;
  guint64 sent, offset, length, in_flight;
  Release *release;

  /* Sequentially consistent: the other half of the pair with the sender's
   * store of `sent` and its read of `wake_wanted`. */
  sent = atomic_load_explicit (&self->messages->sent, memory_order_seq_cst);
  if (sent == self->taken)
    return QUEUE_EMPTY;
  if (sent - self->taken > link->n_slots)
    {
      ringal_share_protocol_error (error, "The sender's message queue is corrupt: %"
                                   G_GUINT64_FORMAT " messages in a queue of %" G_GSIZE_FORMAT,
                                   sent - self->taken, link->n_slots);
      return QUEUE_BROKEN;
    }

  slot = &self->messages->slots[self->taken & (link->n_slots - 1)];
  offset = atomic_load_explicit (&slot->offset, memory_order_relaxed);
  length = atomic_load_explicit (&slot->length, memory_order_relaxed);
  if (offset > link->capacity || length > link->capacity - offset)
    {
      ringal_share_protocol_error (error, "The sender sent %" G_GUINT64_FORMAT " bytes at offset %"
                                   G_GUINT64_FORMAT ", past the end of its store of %"
                                   G_GSIZE_FORMAT " bytes", length, offset, link->capacity);
      return QUEUE_BROKEN;
    }
  in_flight = self->taken - atomic_load_explicit (&link->queue->drained, memory_order_acquire);
  if (in_flight >= link->n_slots)
    {
      ringal_share_protocol_error (error, "The sender sent more messages than its release "
                                   "queue of %" G_GSIZE_FORMAT " slots can take back", link->n_slots);
      return QUEUE_BROKEN;
    }

  self->taken++;
  release = g_new (Release, 1);
  release->link = link;
  release->offset = offset;
  atomic_fetch_add_explicit (&link->ref_count, 1, memory_order_relaxed);
  *bytes = g_bytes_new_with_free_func (link->store + offset, length, release_free, release);
  return QUEUE_TAKEN;
}

/* Before sleeping on the socket: asks to be woken at the next message,
 * then takes one sent before the sender could see that.  A request that
 * such a message answered is taken back, or it would wake us for the one
 * after, for nothing. */
static QueueTake
ask_and_take (RingalReceiver  *self,
              GBytes         **bytes,
              GError         **error)
{
  guint64 wanted = self->taken + 1;
  QueueTake take;

  atomic_store_explicit (&self->messages->wake_wanted, wanted, memory_order_seq_cst);
  take = take_queued (self, bytes, error);
  if (take == QUEUE_TAKEN)
    atomic_compare_exchange_strong_explicit (&self->messages->wake_wanted, &wanted, 0,
                                             memory_order_relaxed, memory_order_relaxed);
  return take;
}

/* After the HELLO, the socket carries wake-ups, one byte each, and
 * nothing else; they only say to look at the queue. */
static gboolean
spend_wakes (RingalReceiver  *self,
             GError         **error)
{
  for (gsize i = self->in_start; i < self->in_end; i++)
    if (self->in[i] != RINGAL_SHARE_WAKE)
      return ringal_share_protocol_error (error, "The sender wrote 0x%02x to the socket, "
                                          "where only wake-ups go", self->in[i]);
  self->in_start = self->in_end = 0;
  return TRUE;
}

typedef enum {
  STEP_DONE,         /* bytes, the end (NULL), or an error */
  STEP_WOULD_BLOCK,
} Step;

/* Takes the next message, reading the socket (the HELLO first, then
 * wake-ups) only when the queue is empty; never blocks. */
static Step
receive_step (RingalReceiver  *self,
              GBytes         **bytes,
              GError         **error)
{
  *bytes = NULL;

  for (;;)
    {
      GError *local_error = NULL;
      guint n_fds = RINGAL_SHARE_N_FDS;
      int fds[RINGAL_SHARE_N_FDS];
      gssize n;

      if (self->error != NULL)
        {
          g_propagate_error (error, g_error_copy (self->error));
          return STEP_DONE;
        }

      if (self->link == NULL && self->in_end - self->in_start >= sizeof (RingalShareMessage))
        {
          RingalShareMessage hello;

          memcpy (&hello, self->in + self->in_start, sizeof hello);
          self->in_start += sizeof hello;
          if (!take_hello (self, &hello, &local_error))
            poison (self, local_error);
          continue;
        }

      if (self->link != NULL)
        {
          QueueTake take;

          if (!spend_wakes (self, &local_error))
            {
              poison (self, local_error);
              continue;
            }
          /* Whatever was sent before the end is still there to take. */
          take = take_queued (self, bytes, &local_error);
          if (take == QUEUE_EMPTY && !self->at_end)
            take = ask_and_take (self, bytes, &local_error);
          if (take == QUEUE_BROKEN)
            {
              poison (self, local_error);
              continue;
            }
          if (take == QUEUE_TAKEN || self->at_end)
            return STEP_DONE;
        }
      else if (self->at_end)
        {
          if (self->in_end > self->in_start)
            {
              poison (self, g_error_new_literal (RINGAL_ERROR, RINGAL_ERROR_PROTOCOL,
                                                 "The sender's stream ends in the middle of a message"));
              continue;
            }
          return STEP_DONE;
        }

      memmove (self->in, self->in + self->in_start, self->in_end - self->in_start);
      self->in_end -= self->in_start;
      self->in_start = 0;

      n = ringal_share_receive (self->socket_fd, self->in + self->in_end, IN_SIZE - self->in_end,
                                fds, &n_fds, &local_error);
      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_error_free (local_error);
              return STEP_WOULD_BLOCK;
            }
          g_propagate_error (error, local_error);
          return STEP_DONE;
        }

      if (n_fds > 0)
        {
          /* Fds come once, with the first byte of the HELLO. */
          if (self->link != NULL || self->n_fds > 0 || self->in_end > 0 || n_fds > RINGAL_SHARE_N_FDS)
            {
              ringal_share_close_fds (fds, MIN (n_fds, RINGAL_SHARE_N_FDS));
              poison (self, g_error_new (RINGAL_ERROR, RINGAL_ERROR_PROTOCOL,
                                         "The sender sent %u fds where none were expected", n_fds));
              continue;
            }
          memcpy (self->fds, fds, n_fds * sizeof (int));
          self->n_fds = n_fds;
        }
      if (n == 0)
        self->at_end = TRUE;
      self->in_end += (gsize) n;
    }
}

/**
 * ringal_receiver_receive_bytes:
 * @self: a receiver
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Waits for the next bytes from the sender.  They are read-only and stay
 * in the sender's ring: drop them when done, on any thread, and the region
 * goes back to the sender.
 *
 * Returns %NULL without an error at the end of the stream, when the sender
 * has gone.  Fails with %RINGAL_ERROR_PROTOCOL when the sender broke the
 * protocol, and so does every later call.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL at the end or
 *   on error
 *
 * Since: 0.2
 */
GBytes *
ringal_receiver_receive_bytes (RingalReceiver  *self,
                               GCancellable    *cancellable,
                               GError         **error)
{
  GSocket *socket;
  GBytes *bytes;

  g_return_val_if_fail (RINGAL_IS_RECEIVER (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->receiving)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           "The receiver is already receiving");
      return NULL;
    }

  socket = g_socket_connection_get_socket (self->connection);
  while (receive_step (self, &bytes, error) == STEP_WOULD_BLOCK)
    if (!g_socket_condition_timed_wait (socket, G_IO_IN, -1, cancellable, error))
      return NULL;
  return bytes;
}

static gboolean
receive_ready (GSocket      *socket,
               GIOCondition  condition,
               gpointer      data)
{
  GTask *task = data;
  RingalReceiver *self = g_task_get_source_object (task);
  GError *error = NULL;
  GBytes *bytes;

  if (g_task_return_error_if_cancelled (task))
    {
      self->receiving = FALSE;
      return G_SOURCE_REMOVE;
    }
  if (receive_step (self, &bytes, &error) == STEP_WOULD_BLOCK)
    return G_SOURCE_CONTINUE;

  self->receiving = FALSE;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  return G_SOURCE_REMOVE;
}

/**
 * ringal_receiver_receive_bytes_async:
 * @self: a receiver
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when bytes arrive, at the end, or on
 *   error
 * @user_data: data for @callback
 *
 * Waits for the next bytes as [method@Ringal.Receiver.receive_bytes] does,
 * in the thread-default main context of the caller.  One receive at a
 * time: another while this one is pending fails with %G_IO_ERROR_PENDING.
 *
 * Since: 0.2
 */
void
ringal_receiver_receive_bytes_async (RingalReceiver      *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  GSource *source;
  GBytes *bytes;

  g_return_if_fail (RINGAL_IS_RECEIVER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ringal_receiver_receive_bytes_async);

  if (self->receiving)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The receiver is already receiving");
      return;
    }
  if (receive_step (self, &bytes, &error) == STEP_DONE)
    {
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
      return;
    }

  self->receiving = TRUE;
  source = g_socket_create_source (g_socket_connection_get_socket (self->connection),
                                   G_IO_IN, cancellable);
  g_source_set_static_name (source, "[ringal] receiving");
  g_source_set_callback (source, G_SOURCE_FUNC (receive_ready), g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/**
 * ringal_receiver_receive_bytes_finish:
 * @self: a receiver
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Ringal.Receiver.receive_bytes_async].
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL at the end or
 *   on error
 *
 * Since: 0.2
 */
GBytes *
ringal_receiver_receive_bytes_finish (RingalReceiver  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (RINGAL_IS_RECEIVER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ringal_receiver_receive_bytes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
