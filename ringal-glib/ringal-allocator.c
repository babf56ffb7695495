/* ringal-allocator.c: RingalAllocator, a ring of short-lived buffers
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "ringal-allocator-private.h"
#include "ringal-buffer-private.h"
#include "ringal-error-private.h"

/**
 * RingalAllocator:
 *
 * A ring allocator for short-lived buffers.
 *
 * The allocator owns one store, allocated once, and hands out
 * [struct@Ringal.Buffer]s from it in order, going round and round.  Each
 * buffer is preceded by a one-word guard that says where the next region
 * starts and whether this one is in use.  Allocating walks forward from
 * where the last allocation ended, merging released regions until the
 * request fits and splitting off what it does not need; at the end of the
 * store it starts again at the front.  Releasing a buffer clears one bit in
 * its guard, from any thread.
 *
 * That makes allocation and release cheap, as long as buffers are released
 * in roughly the order they were allocated: network frames, IPC messages,
 * log records, media chunks.  A buffer that is kept for long does not stop
 * the allocator: it steps over it and goes on behind it, so the buffer
 * costs its own bytes, and %RINGAL_ERROR_FULL means that no free run in
 * the ring holds the request.  [method@Ringal.Allocator.get_stats] names
 * the buffers held longest.  Data that lives for the whole program still
 * belongs elsewhere: the ring cycles only through the bytes nobody holds.
 *
 * An allocator serves one thread at a time; the buffers it makes, and the
 * [struct@GLib.Bytes] frozen from them, may be used and released on any
 * thread.  [func@Ringal.Allocator.get_thread_default] gives each thread an
 * allocator of its own.
 *
 * Dropping the last reference to an allocator never waits for its buffers
 * and never frees memory that one of them still uses: the store is freed
 * when its last buffer is released.
 *
 * ```c
 * g_autoptr(RingalAllocator) allocator = ringal_allocator_new (64 * 1024);
 * g_autoptr(GError) error = NULL;
 * g_autoptr(RingalBuffer) message = ringal_allocator_extendable (allocator, 64, &error);
 *
 * ringal_buffer_write (message, header, header_len, &error);
 * ringal_buffer_write (message, payload, payload_len, &error);
 * g_autoptr(GBytes) frame = ringal_buffer_freeze (message);
 * ```
 */

enum {
  PROP_0,
  PROP_CAPACITY,
  PROP_MAX_SIZE,
  PROP_SHARED,
  PROP_SHAREABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void ringal_allocator_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RingalAllocator, ringal_allocator, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      ringal_allocator_initable_iface_init))

/* The owner of an allocator whose construction failed: no thread, so that
 * every allocation takes enter_slow(), which reports why. */
static const char construction_failed;

/* Set once the class exists: the cheap type check of the fast paths. */
static gpointer allocator_class;

static GPrivate thread_default_allocator = G_PRIVATE_INIT (g_object_unref);
static atomic_size_t thread_default_capacity;  /* 0 until first asked for */

static void
ringal_allocator_constructed (GObject *object)
{
  RingalAllocator *self = RINGAL_ALLOCATOR (object);
  RingalRingStatus status;

  G_OBJECT_CLASS (ringal_allocator_parent_class)->constructed (object);

  /* The store is made here, as GSocket makes its socket, so that an
   * allocator made by g_object_new() alone (as bindings do) works; a
   * failure is kept for g_initable_init() and for every allocation. */
  if (self->requested_capacity == 0)
    g_set_error_literal (&self->construct_error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT,
                         "The capacity of an allocator cannot be 0");
  else if ((self->ring = self->shareable
                         ? ringal_allocator_new_shareable_ring (self->requested_capacity, &status)
                         : ringal_ring_new (self->requested_capacity, &status)) == NULL)
    ringal_set_error_from_status (&self->construct_error, status, NULL,
                                  self->requested_capacity, RINGAL_RING_MAX_CAPACITY);

  if (self->construct_error != NULL)
    {
      /* The smallest store, so that what does not allocate still works. */
      atomic_store_explicit (&self->owner, (void *) &construction_failed, memory_order_relaxed);
      self->ring = ringal_ring_new (1, &status);
      if (self->ring == NULL)
        g_error ("Could not allocate the smallest store");
    }
  ringal_ring_set_wake_notify (self->ring, ringal_allocator_wake_async_waiters, self);
  /* A shared allocator has no owner, so the inline path never applies to
   * it; nor where the owner is not the thread pointer the inline code
   * compares it with. */
#ifdef RINGAL_CURRENT_THREAD_IS_THREAD_POINTER
  self->fast_abi = self->ring->fast_abi;
#endif
}

static void
ringal_allocator_finalize (GObject *object)
{
  RingalAllocator *self = RINGAL_ALLOCATOR (object);

  /* Never waits: buffers still out keep the store, and the last of them to
   * be released frees it. */
  /* No waiter is left: each holds a reference to the allocator. */
  ringal_ring_set_wake_notify (self->ring, NULL, NULL);
  ringal_allocator_forget_senders (self);
  ringal_ring_orphan (self->ring);
  pthread_mutex_destroy (&self->shared_lock);
  g_clear_error (&self->construct_error);

  G_OBJECT_CLASS (ringal_allocator_parent_class)->finalize (object);
}

static void
ringal_allocator_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RingalAllocator *self = RINGAL_ALLOCATOR (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      g_value_set_ulong (value, ringal_allocator_get_capacity (self));
      break;

    case PROP_MAX_SIZE:
      g_value_set_ulong (value, ringal_allocator_get_max_size (self));
      break;

    case PROP_SHARED:
      g_value_set_boolean (value, self->shared);
      break;

    case PROP_SHAREABLE:
      g_value_set_boolean (value, ringal_allocator_is_shareable (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ringal_allocator_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RingalAllocator *self = RINGAL_ALLOCATOR (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      self->requested_capacity = g_value_get_ulong (value);
      break;

    case PROP_SHARED:
      self->shared = g_value_get_boolean (value);
      break;

    case PROP_SHAREABLE:
      self->shareable = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Reports what constructed() could not do. */
static gboolean
ringal_allocator_initable_init (GInitable     *initable,
                                GCancellable  *cancellable,
                                GError       **error)
{
  RingalAllocator *self = RINGAL_ALLOCATOR (initable);

  if (self->construct_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->construct_error));
      return FALSE;
    }
  return TRUE;
}

static void
ringal_allocator_initable_iface_init (GInitableIface *iface)
{
  iface->init = ringal_allocator_initable_init;
}

static void
ringal_allocator_class_init (RingalAllocatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  allocator_class = klass;
  object_class->constructed = ringal_allocator_constructed;
  object_class->finalize = ringal_allocator_finalize;
  object_class->get_property = ringal_allocator_get_property;
  object_class->set_property = ringal_allocator_set_property;

  /**
   * RingalAllocator:capacity: (getter get_capacity)
   *
   * The size of the store in bytes.  Set at construction, it is the least
   * number of bytes the store should have (by default 1 MiB); read, it is
   * that capacity rounded up to a power of two, as the store has it.
   *
   * The store is made at construction, so that
   * `g_object_new (RINGAL_TYPE_ALLOCATOR, "capacity", n, NULL)`,
   * Python's `Ringal.Allocator(capacity=n)` and GJS's
   * `new Ringal.Allocator({capacity: n})` all work.  A capacity that
   * cannot be served (0, or more than `G_MAXSIZE / 4`, or more than the
   * system gives) makes [method@Gio.Initable.init] fail with the reason,
   * as [ctor@Ringal.Allocator.try_new] does, and every allocation fail
   * with the same error.
   */
  properties[PROP_CAPACITY] =
    g_param_spec_ulong ("capacity", NULL, NULL,
                        0, G_MAXULONG, RINGAL_ALLOCATOR_DEFAULT_CAPACITY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * RingalAllocator:max-size: (getter get_max_size)
   *
   * The largest buffer the allocator can ever hand out, in bytes: a little
   * less than the capacity, because of the guards and the buffer's own
   * bookkeeping.  Once every buffer has been released, a request of up to
   * this size always succeeds.
   */
  properties[PROP_MAX_SIZE] =
    g_param_spec_ulong ("max-size", NULL, NULL,
                        0, G_MAXULONG, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * RingalAllocator:shared: (getter is_shared)
   *
   * Whether any thread may allocate at any time, taking a lock, as from
   * [ctor@Ringal.Allocator.new_shared]; set at construction.
   *
   * Since: 0.2
   */
  properties[PROP_SHARED] =
    g_param_spec_boolean ("shared", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * RingalAllocator:shareable: (getter is_shareable)
   *
   * Whether the store is a sealed memfd another process can map, as from
   * [ctor@Ringal.Allocator.new_shareable]; set at construction.
   *
   * Since: 0.2
   */
  properties[PROP_SHAREABLE] =
    g_param_spec_boolean ("shareable", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ringal_allocator_init (RingalAllocator *self)
{
  pthread_mutex_init (&self->shared_lock, NULL);
  g_queue_init (&self->async_waiters);
}

static RingalAllocator *
allocator_new (gsize      capacity,
               gboolean   shared,
               GError   **error)
{
  return g_initable_new (RINGAL_TYPE_ALLOCATOR, NULL, error,
                         "capacity", (gulong) capacity, "shared", shared, NULL);
}

/**
 * ringal_allocator_try_new: (constructor)
 * @capacity: the least number of bytes the store should have
 * @error: return location for a #GError
 *
 * Creates an allocator whose store has at least @capacity bytes (rounded up
 * to a power of two, and to at least 256).  Fails with
 * %RINGAL_ERROR_INVALID_ARGUMENT for a capacity of 0, with
 * %RINGAL_ERROR_TOO_LARGE above `G_MAXSIZE / 4`, and with
 * %RINGAL_ERROR_NO_MEMORY when the system cannot provide the store.
 *
 * Returns: (transfer full): a new allocator, or %NULL on error
 */
RingalAllocator *
ringal_allocator_try_new (gsize    capacity,
                          GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return allocator_new (capacity, FALSE, error);
}

/**
 * ringal_allocator_new:
 * @capacity: the least number of bytes the store should have
 *
 * Creates an allocator whose store has at least @capacity bytes, rounded up
 * to a power of two.  The store is allocated now, once; pages the ring has
 * not reached yet cost no memory.
 *
 * A capacity of 0, or one the system cannot provide, is a programming error
 * here: it logs a critical and returns %NULL.  Use
 * [ctor@Ringal.Allocator.try_new] to get a #GError instead.
 *
 * Returns: (transfer full) (nullable): a new allocator
 */
RingalAllocator *
ringal_allocator_new (gsize capacity)
{
  g_autoptr(GError) error = NULL;
  RingalAllocator *self;

  self = allocator_new (capacity, FALSE, &error);
  if (self == NULL)
    g_critical ("%s: %s", G_STRFUNC, error->message);

  return self;
}

/**
 * ringal_allocator_new_shared:
 * @capacity: the least number of bytes the store should have
 *
 * Creates an allocator that any thread may allocate from at any time: a
 * ring shared by several streaming threads feeding one pool, say.  Each
 * allocation takes a lock, so a ring per thread
 * ([func@Ringal.Allocator.get_thread_default]) is faster where it fits.
 * Fails as [ctor@Ringal.Allocator.new] does.
 *
 * In Vala it is `new Ringal.Allocator.shared (capacity)`; in Python and
 * GJS, `Ringal.Allocator.new_shared (capacity)`, or the natural
 * constructor with the [property@Ringal.Allocator:shared] property.
 *
 * Returns: (transfer full) (nullable): a new shared allocator
 */
RingalAllocator *
ringal_allocator_new_shared (gsize capacity)
{
  g_autoptr(GError) error = NULL;
  RingalAllocator *self;

  self = allocator_new (capacity, TRUE, &error);
  if (self == NULL)
    g_critical ("%s: %s", G_STRFUNC, error->message);

  return self;
}

/* RINGAL_DEFAULT_CAPACITY, in bytes, with an optional k, M or G. */
static gsize
default_capacity_from_environment (void)
{
  const char *text = g_getenv ("RINGAL_DEFAULT_CAPACITY");
  guint64 value;
  guint shift = 0;
  char *end;

  if (text == NULL || *text == '\0')
    return RINGAL_ALLOCATOR_DEFAULT_CAPACITY;

  value = g_ascii_strtoull (text, &end, 10);
  switch (*end)
    {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
  /* Checked before the shift, which would wrap a huge value round. */
  if (*end != '\0' || value == 0 || value > (RINGAL_RING_MAX_CAPACITY >> shift))
    {
      g_warning ("RINGAL_DEFAULT_CAPACITY=%s is not a capacity; using %d bytes",
                 text, RINGAL_ALLOCATOR_DEFAULT_CAPACITY);
      return RINGAL_ALLOCATOR_DEFAULT_CAPACITY;
    }
  return (gsize) (value << shift);
}

/**
 * ringal_allocator_set_default_capacity:
 * @capacity: the capacity of thread-default allocators made from now on
 *
 * Sets the capacity of the allocators that
 * [func@Ringal.Allocator.get_thread_default] makes from now on; those made
 * already keep theirs.  Call it early, before threads start allocating.
 * Without a call, the capacity comes from the `RINGAL_DEFAULT_CAPACITY`
 * environment variable (bytes, with an optional `k`, `M` or `G`), or is
 * 512 KiB.
 *
 * A ring cycles through its whole store, so what it keeps in the cache is
 * its capacity, not the bytes in use: a few times the most your thread
 * holds at once, and no more than half the processor's L2 cache per core,
 * is fastest (see the ring-size table in the benchmarks).
 */
void
ringal_allocator_set_default_capacity (gsize capacity)
{
  g_return_if_fail (capacity > 0 && capacity <= RINGAL_RING_MAX_CAPACITY);

  atomic_store (&thread_default_capacity, capacity);
}

/**
 * ringal_allocator_get_default_capacity:
 *
 * The capacity [func@Ringal.Allocator.get_thread_default] gives the
 * allocators it makes: see [func@Ringal.Allocator.set_default_capacity].
 *
 * Returns: a capacity in bytes
 */
gsize
ringal_allocator_get_default_capacity (void)
{
  size_t capacity = atomic_load (&thread_default_capacity);

  if (G_UNLIKELY (capacity == 0))
    {
      size_t unset = 0;

      capacity = default_capacity_from_environment ();
      /* Unless set meanwhile: an explicit call wins over the environment. */
      if (!atomic_compare_exchange_strong (&thread_default_capacity, &unset, capacity))
        capacity = unset;
    }
  return capacity;
}

/**
 * ringal_allocator_get_thread_default:
 *
 * The calling thread's own allocator, made on first use with the capacity
 * of [func@Ringal.Allocator.get_default_capacity].  It goes when the thread
 * ends, without waiting for anything: buffers it handed out to other
 * threads stay valid, and the last of them to be released frees its store.
 *
 * Returns: (transfer none): the allocator of this thread
 */
RingalAllocator *
ringal_allocator_get_thread_default (void)
{
  RingalAllocator *self = g_private_get (&thread_default_allocator);

  if (G_UNLIKELY (self == NULL))
    {
      g_autoptr(GError) error = NULL;

      self = allocator_new (ringal_allocator_get_default_capacity (), FALSE, &error);
      if (self == NULL)
        g_error ("Could not make this thread's allocator: %s", error->message);
      atomic_store_explicit (&self->owner, ringal_current_thread (), memory_order_relaxed);
      g_private_set (&thread_default_allocator, self);
    }

  return self;
}

/**
 * ringal_allocator_get_capacity:
 * @self: an allocator
 *
 * The size of the store in bytes.
 *
 * Returns: the capacity
 */
gsize
ringal_allocator_get_capacity (RingalAllocator *self)
{
  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), 0);

  return self->ring->capacity;
}

/**
 * ringal_allocator_get_max_size:
 * @self: an allocator
 *
 * The largest buffer @self can ever hand out, in bytes.  Larger requests
 * fail with %RINGAL_ERROR_TOO_LARGE.
 *
 * Returns: the largest buffer size
 */
gsize
ringal_allocator_get_max_size (RingalAllocator *self)
{
  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), 0);

  return ringal_ring_max_size (self->ring, RINGAL_BUFFER_PREFIX, RINGAL_WORD);
}

/* Not the owner's thread: take a shared allocator's lock, or an unowned
 * allocator for this thread; anything else is a second thread. */
gboolean
ringal_allocator_enter_slow (RingalAllocator  *self,
                             GError          **error)
{
  void *me = ringal_current_thread ();
  void *nobody = NULL;

  if (G_UNLIKELY (self->construct_error != NULL))
    {
      g_propagate_error (error, g_error_copy (self->construct_error));
      return FALSE;
    }
  if (self->shared)
    {
      pthread_mutex_lock (&self->shared_lock);
      if (atomic_load_explicit (&self->ring->extending, memory_order_acquire))
        {
          pthread_mutex_unlock (&self->shared_lock);
          ringal_allocator_set_busy_error (self, error);
          return FALSE;
        }
      return TRUE;
    }

  if (!atomic_compare_exchange_strong_explicit (&self->owner, &nobody, me,
                                                memory_order_acquire, memory_order_relaxed))
    {
      g_set_error_literal (error, RINGAL_ERROR, RINGAL_ERROR_WRONG_THREAD,
                           "This allocator belongs to another thread: use one "
                           "allocator per thread, or a shared allocator");
      return FALSE;
    }

  /* Taken: from now on the fast path applies. */
  return ringal_allocator_enter (self, error);
}

/* BUSY, naming the stream when a stream holds the buffer: its user never
 * opened one himself. */
void
ringal_allocator_set_busy_error (RingalAllocator  *self,
                                 GError          **error)
{
  if (atomic_load_explicit (&self->stream_extending, memory_order_relaxed))
    g_set_error_literal (error, RINGAL_ERROR, RINGAL_ERROR_BUSY,
                         "An output stream on this allocator holds its extendable "
                         "buffer until the stream is closed");
  else
    g_set_error_literal (error, RINGAL_ERROR, RINGAL_ERROR_BUSY,
                         "An extendable buffer is open on this allocator");
}

/**
 * ringal_allocator_disown:
 * @self: an allocator that belongs to the calling thread
 *
 * Lets another thread take @self: the next thread to allocate from it
 * becomes its owner.  An allocator belongs to the first thread that
 * allocates from it; allocating from any other thread fails with
 * %RINGAL_ERROR_WRONG_THREAD, which keeps two threads from ever walking
 * the ring at once.  Call this on the owning thread when handing the
 * allocator over.  Shared allocators have no owner.
 */
void
ringal_allocator_disown (RingalAllocator *self)
{
  g_return_if_fail (RINGAL_IS_ALLOCATOR (self));
  g_return_if_fail (self->shared ||
                    atomic_load_explicit (&self->owner, memory_order_relaxed) == ringal_current_thread ());

  atomic_store_explicit (&self->owner, NULL, memory_order_release);
}

/**
 * ringal_allocator_is_shared:
 * @self: an allocator
 *
 * Whether any thread may allocate from @self at any time.
 *
 * Returns: %TRUE for a shared allocator
 */
gboolean
ringal_allocator_is_shared (RingalAllocator *self)
{
  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), FALSE);

  return self->shared;
}

/* Not the owner, a shared allocator, an extendable buffer open, a free run
 * at the head too small, or a failure: out of the hot path.  So is the full
 * check of the arguments: the fast path compares the class pointer alone
 * (the type is final), and whatever is not an allocator comes here. */
static G_GNUC_NO_INLINE RingalBuffer *
allocate_slow (RingalAllocator  *self,
               gsize             size,
               gboolean          extendable,
               GError          **error)
{
  RingalBuffer *buffer;

  g_return_val_if_fail (RINGAL_IS_ALLOCATOR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ringal_allocator_enter (self, error))
    return NULL;
  buffer = ringal_buffer_new (self->ring, size, extendable, error);
  ringal_allocator_count (self, buffer != NULL);
  ringal_allocator_leave (self);
  return buffer;
}

static inline RingalBuffer *
allocate (RingalAllocator  *self,
          gsize             size,
          gboolean          extendable,
          GError          **error)
{
  /* Handles kept apart from the store take the slow path. */
  if (G_LIKELY (self != NULL && self->parent_instance.g_type_instance.g_class == allocator_class &&
                (error == NULL || *error == NULL) && ringal_allocator_is_mine (self) &&
                atomic_load_explicit (&self->ring->handles, memory_order_relaxed) ==
                RINGAL_RING_HANDLES_IN_REGION))
    {
      /* An extendable buffer takes the whole free run at the head: most
       * then never need to grow, and closing gives back the rest. */
      RingalGuard *guard = ringal_ring_reserve_fast_run (self->ring, RINGAL_BUFFER_PREFIX, size,
                                                         extendable);

      if (G_LIKELY (guard != NULL))
        {
          ringal_allocator_count (self, TRUE);
          return ringal_buffer_init (self->ring, guard, extendable);
        }
    }
  return allocate_slow (self, size, extendable, error);
}

/**
 * ringal_allocator_fixed:
 * @self: an allocator
 * @size: the least capacity of the buffer, in bytes
 * @error: return location for a #GError
 *
 * Allocates a buffer that holds at least @size bytes.  A @size of 0 gives
 * an empty buffer of its own, as `malloc (0)` gives a pointer of its own.
 * The buffer's capacity is @size rounded up to a whole machine word (8
 * bytes on 64-bit systems), and a little more when the rest of a free run
 * is too small for a region of its own: writes may fill all of it, as
 * [method@Ringal.Buffer.get_capacity] tells.
 *
 * Fails with %RINGAL_ERROR_FULL when no free run anywhere in the ring
 * holds the request (buffers still in use are stepped over, so one held
 * buffer never stops the ring; release buffers and try again), with
 * %RINGAL_ERROR_TOO_LARGE above [property@Ringal.Allocator:max-size], and
 * with %RINGAL_ERROR_BUSY while an extendable buffer is open.
 *
 * Returns: (transfer full): a new buffer, or %NULL on error
 */
RingalBuffer *
ringal_allocator_fixed (RingalAllocator  *self,
                        gsize             size,
                        GError          **error)
{
  return allocate (self, size, FALSE, error);
}

/**
 * ringal_allocator_extendable:
 * @self: an allocator
 * @size: the initial capacity of the buffer, in bytes
 * @error: return location for a #GError
 *
 * Allocates a buffer that grows as it is written to.  Until it is finalized
 * (or frozen, or released), @self serves nothing else: other requests fail
 * with %RINGAL_ERROR_BUSY.  Fails as [method@Ringal.Allocator.fixed] does.
 *
 * Returns: (transfer full): a new extendable buffer, or %NULL on error
 */
RingalBuffer *
ringal_allocator_extendable (RingalAllocator  *self,
                             gsize             size,
                             GError          **error)
{
  return allocate (self, size, TRUE, error);
}

/**
 * ringal_allocator_copy:
 * @self: an allocator
 * @data: (array length=len): the bytes to copy
 * @len: the number of bytes in @data
 * @error: return location for a #GError
 *
 * Copies @data into a new buffer and returns it frozen: the one call a
 * binding needs to put a message into ring memory.  Fails as
 * [method@Ringal.Allocator.fixed] does.
 *
 * Returns: (transfer full): the bytes, in ring memory, or %NULL on error
 */
GBytes *
ringal_allocator_copy (RingalAllocator  *self,
                       const guint8     *data,
                       gsize             len,
                       GError          **error)
{
  RingalBuffer *buffer;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  buffer = allocate (self, len, FALSE, error);
  if (buffer == NULL)
    return NULL;

  /* write() and freeze() of a buffer nobody else has seen, and the GBytes
   * takes over its one reference: no atomic operation at all. */
  if (len > 0)
    memcpy (buffer->data, data, len);
  buffer->len = len;
  buffer->flags |= RINGAL_BUFFER_FROZEN;
  return g_bytes_new_with_free_func (buffer->data, len,
                                     (GDestroyNotify) ringal_buffer_unref, buffer);
}

RingalRing *
ringal_allocator_get_ring (RingalAllocator *self)
{
  return self->ring;
}
