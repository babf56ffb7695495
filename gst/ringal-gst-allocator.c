/* ringal-gst-allocator.c: a GstAllocator serving GstMemory from ring memory
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every memory is one ring block: the GstMemory header and the data it
 * describes, so an allocation costs no malloc.  The header goes in front
 * of the data when the alignment asked for is no larger than the header
 * (the common case: an overflow then hits the next region's guard, which
 * the ring checks, not our header); for larger alignments it goes after
 * the data, so that no alignment padding is wasted in front.
 *
 * Releases come through free(), from any thread.  Threads waiting for
 * room (the WAIT policy) sleep in the ring's own wait,
 * ringal_allocator_alloc_aligned_wait(): any release on the ring wakes
 * them at once, whether it comes through this allocator or from another
 * user of the same ring, and a release costs nothing more while nobody
 * waits.  Flushing cancels the waits.
 */

#include <stdatomic.h>
#include <string.h>

#include "ringal-gst/ringal-gst.h"

GST_DEBUG_CATEGORY_STATIC (ringal_gst_debug);
#define GST_CAT_DEFAULT ringal_gst_debug

/* The largest alignment the ring serves; larger requests get system memory. */
#define MAX_RING_ALIGNMENT 4096

#define DEFAULT_WAIT_TIMEOUT (1 * G_TIME_SPAN_SECOND)

typedef struct {
  GstMemory  mem;
  guint8    *data;    /* the first of mem.maxsize bytes */
  gpointer   block;   /* what ringal_release() takes; NULL: g_free() the header */
} RingalGstMemory;

#define HEADER_SIZE (sizeof (RingalGstMemory))
G_STATIC_ASSERT (HEADER_SIZE % sizeof (gpointer) == 0);

struct _RingalGstAllocator
{
  GstAllocator      parent_instance;

  RingalAllocator  *ring;       /* NULL: each thread's own */
  GstAllocator     *sysmem;     /* for the fallback */

  atomic_int        policy;     /* RingalGstFullPolicy */
  _Atomic gint64    wait_timeout;

  _Atomic guint64   n_fallbacks;
  _Atomic guint64   n_waits;

  GMutex            lock;       /* guards what follows */
  gboolean          flushing;
  GCancellable     *flush;      /* cancelled when flushing starts */
};

/**
 * RingalGstAllocator:
 *
 * A `GstAllocator` whose memory comes from a ring ([class@Ringal.Allocator]):
 * allocating is a few instructions and no malloc, and the `GstMemory`
 * header lives in the same ring block as the data.
 *
 * By default each thread that allocates (each streaming thread of a
 * pipeline) uses its own ring, [func@Ringal.Allocator.get_thread_default];
 * memory may be freed on any thread.  All of `GstAllocationParams` is
 * honoured: the alignment mask (up to 4096 bytes), prefix, padding and the
 * `ZERO_PREFIXED` / `ZERO_PADDED` flags.  Sub-memories (`gst_memory_share`),
 * copies, spans and mapping behave as with system memory.
 *
 * A ring serves short-lived memory in order.  A buffer held for long (an
 * encoder's header, a queue, a jitterbuffer, an appsink) does not stop the
 * ring: the allocator steps over it and serves the memory behind it.  When
 * the pipeline holds about as much as the ring has, no free run holds the
 * request; then the allocator falls back to system memory, or waits for
 * room first: see [property@RingalGst.Allocator:full-policy].
 * Requests larger than the ring, or aligned to more than 4096 bytes, get
 * system memory too; [method@RingalGst.Allocator.get_n_fallbacks] counts
 * them all.
 *
 * ```c
 * ringal_gst_init ();
 * g_autoptr(GstAllocator) allocator = gst_allocator_find (RINGAL_GST_ALLOCATOR_NAME);
 * GstBuffer *buffer = gst_buffer_new_allocate (allocator, 1500, NULL);
 * ```
 */

enum {
  PROP_0,
  PROP_RING,
  PROP_FULL_POLICY,
  PROP_WAIT_TIMEOUT,
  PROP_FLUSHING,
  PROP_N_FALLBACKS,
  PROP_N_WAITS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RingalGstAllocator, ringal_gst_allocator, GST_TYPE_ALLOCATOR)

G_DEFINE_ENUM_TYPE (RingalGstFullPolicy, ringal_gst_full_policy,
  G_DEFINE_ENUM_VALUE (RINGAL_GST_FULL_POLICY_FALLBACK, "fallback"),
  G_DEFINE_ENUM_VALUE (RINGAL_GST_FULL_POLICY_WAIT, "wait"))

static inline gsize
round_up (gsize value,
          gsize to)
{
  return (value + to - 1) & ~(to - 1);
}

static gboolean
is_full (const GError *error)
{
  return g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
}

/* Where the header and the data go in one ring block. */
typedef struct {
  gsize front;      /* bytes before the data: the header, or 0 for after */
  gsize total;
  gsize alignment;  /* of the block */
} Layout;

static gboolean
layout_for (gsize     maxsize,
            gsize     align,
            Layout   *layout,
            GError  **error)
{
  gsize alignment = align + 1;

  if (G_UNLIKELY (alignment == 0 || alignment > MAX_RING_ALIGNMENT))
    {
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT,
                   "Alignment mask %" G_GSIZE_FORMAT " is beyond the ring's %d bytes",
                   align, MAX_RING_ALIGNMENT);
      return FALSE;
    }
  if (G_UNLIKELY (maxsize > G_MAXSIZE - HEADER_SIZE - MAX_RING_ALIGNMENT))
    {
      g_set_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE,
                   "%" G_GSIZE_FORMAT " bytes can never fit a ring", maxsize);
      return FALSE;
    }

  /* Header in front, or after the data when the alignment is larger. */
  layout->front = alignment <= HEADER_SIZE ? round_up (HEADER_SIZE, alignment) : 0;
  layout->total = layout->front != 0 ? layout->front + maxsize
                                     : round_up (maxsize, sizeof (gpointer)) + HEADER_SIZE;
  layout->alignment = MAX (alignment, sizeof (gpointer));
  return TRUE;
}

/* Makes the memory in @block, laid out by @layout. */
static GstMemory *
memory_init (RingalGstAllocator  *self,
             guint8              *block,
             const Layout        *layout,
             GstMemoryFlags       flags,
             gsize                maxsize,
             gsize                align,
             gsize                offset,
             gsize                size)
{
  guint8 *data;
  RingalGstMemory *mem;

  if (layout->front != 0)
    {
      data = block + layout->front;
      mem = (RingalGstMemory *) (data - HEADER_SIZE);
    }
  else
    {
      data = block;
      mem = (RingalGstMemory *) (block + round_up (maxsize, sizeof (gpointer)));
    }
  mem->data = data;
  mem->block = block;

  if (offset != 0 && (flags & GST_MEMORY_FLAG_ZERO_PREFIXED))
    memset (data, 0, offset);
  if (maxsize > offset + size && (flags & GST_MEMORY_FLAG_ZERO_PADDED))
    memset (data + offset + size, 0, maxsize - offset - size);

  gst_memory_init (GST_MEMORY_CAST (mem), flags, GST_ALLOCATOR_CAST (self), NULL,
                   maxsize, align, offset, size);
  return GST_MEMORY_CAST (mem);
}

/* One ring block for header and data; NULL with @error set when the ring
 * cannot serve it.  @align is a mask, as in GstAllocationParams.  With a
 * @flush cancellable, waits for room as the wait policy says. */
static GstMemory *
ring_alloc (RingalGstAllocator  *self,
            RingalAllocator     *ring,
            GCancellable        *flush,
            GstMemoryFlags       flags,
            gsize                maxsize,
            gsize                align,
            gsize                offset,
            gsize                size,
            GError             **error)
{
  Layout layout;
  guint8 *block;

  if (G_UNLIKELY (ring == NULL))
    {
      g_set_error_literal (error, RINGAL_ERROR, RINGAL_ERROR_NO_MEMORY,
                           "This thread has no ring");
      return NULL;
    }
  if (!layout_for (maxsize, align, &layout, error))
    return NULL;

  if (G_LIKELY (flush == NULL))
    block = ringal_allocator_try_alloc_aligned (ring, layout.total, layout.alignment, error);
  else
    block = ringal_allocator_alloc_aligned_wait (ring, layout.total, layout.alignment,
                                                 atomic_load_explicit (&self->wait_timeout,
                                                                       memory_order_relaxed),
                                                 flush, error);
  if (G_UNLIKELY (block == NULL))
    return NULL;
  return memory_init (self, block, &layout, flags, maxsize, align, offset, size);
}

/* Under the wait policy: waits in the ring for room, until the timeout or
 * until the allocator flushes. */
static GstMemory *
alloc_waiting (RingalGstAllocator  *self,
               RingalAllocator     *ring,
               GstMemoryFlags       flags,
               gsize                maxsize,
               gsize                align,
               gsize                offset,
               gsize                size,
               GError             **error)
{
  g_autoptr(GCancellable) flush = NULL;

  g_mutex_lock (&self->lock);
  if (!self->flushing)
    flush = g_object_ref (self->flush);
  g_mutex_unlock (&self->lock);
  if (flush == NULL)
    return NULL;

  atomic_fetch_add_explicit (&self->n_waits, 1, memory_order_relaxed);
  g_clear_error (error);
  return ring_alloc (self, ring, flush, flags, maxsize, align, offset, size, error);
}

static GstMemory *
ringal_gst_allocator_alloc (GstAllocator        *allocator,
                            gsize                size,
                            GstAllocationParams *params)
{
  RingalGstAllocator *self = (RingalGstAllocator *) allocator;
  g_autoptr(GError) error = NULL;
  RingalAllocator *ring;
  GstMemory *mem;
  gsize maxsize, align;

  if (G_UNLIKELY (params->prefix > G_MAXSIZE - size ||
                  params->padding > G_MAXSIZE - size - params->prefix))
    {
      GST_WARNING_OBJECT (self, "size %" G_GSIZE_FORMAT " + prefix %" G_GSIZE_FORMAT
                          " + padding %" G_GSIZE_FORMAT " overflows",
                          size, params->prefix, params->padding);
      return NULL;
    }
  maxsize = size + params->prefix + params->padding;
  align = params->align | gst_memory_alignment;
  ring = self->ring != NULL ? self->ring : ringal_allocator_get_thread_default ();

  mem = ring_alloc (self, ring, NULL, params->flags, maxsize, align, params->prefix, size, &error);
  if (G_LIKELY (mem != NULL))
    return mem;

  if (is_full (error) &&
      atomic_load_explicit (&self->policy, memory_order_relaxed) == RINGAL_GST_FULL_POLICY_WAIT)
    {
      mem = alloc_waiting (self, ring, params->flags, maxsize, align, params->prefix, size, &error);
      if (mem != NULL)
        return mem;
    }

  atomic_fetch_add_explicit (&self->n_fallbacks, 1, memory_order_relaxed);
  GST_DEBUG_OBJECT (self, "system memory for %" G_GSIZE_FORMAT " bytes: %s",
                    maxsize, error != NULL ? error->message : "flushing");
  return gst_allocator_alloc (self->sysmem, size, params);
}

static void
ringal_gst_allocator_free (GstAllocator *allocator,
                           GstMemory    *memory)
{
  RingalGstMemory *mem = (RingalGstMemory *) memory;
  gpointer block = mem->block;

  if (block == NULL)
    {
      g_free (mem);
      return;
    }
  ringal_release (block);  /* wakes the ring's waiters, if any */
}

static gpointer
ringal_gst_memory_map (GstMemory   *memory,
                       gsize        maxsize,
                       GstMapFlags  flags)
{
  return ((RingalGstMemory *) memory)->data;
}

static void
ringal_gst_memory_unmap (GstMemory *memory)
{
}

/* A view of the same bytes: its header comes from the calling thread's
 * ring when there is room, from the heap otherwise. */
static GstMemory *
ringal_gst_memory_share (GstMemory *memory,
                         gssize     offset,
                         gssize     size)
{
  RingalGstAllocator *self = (RingalGstAllocator *) memory->allocator;
  RingalGstMemory *mem = (RingalGstMemory *) memory;
  GstMemory *parent = memory->parent != NULL ? memory->parent : memory;
  RingalAllocator *ring = self->ring != NULL ? self->ring : ringal_allocator_get_thread_default ();
  RingalGstMemory *sub = NULL;

  if (size == -1)
    size = memory->size - offset;

  if (ring != NULL)
    sub = ringal_allocator_try_alloc_aligned (ring, HEADER_SIZE, sizeof (gpointer), NULL);
  if (sub != NULL)
    sub->block = sub;
  else
    {
      sub = g_new (RingalGstMemory, 1);
      sub->block = NULL;
    }
  sub->data = mem->data;

  /* Shared memory is read-only, as GStreamer's own. */
  gst_memory_init (GST_MEMORY_CAST (sub),
                   GST_MINI_OBJECT_FLAGS (parent) | GST_MINI_OBJECT_FLAG_LOCK_READONLY,
                   memory->allocator, parent, memory->maxsize, memory->align,
                   memory->offset + offset, size);
  return GST_MEMORY_CAST (sub);
}

static GstMemory *
ringal_gst_memory_copy (GstMemory *memory,
                        gssize     offset,
                        gssize     size)
{
  RingalGstMemory *mem = (RingalGstMemory *) memory;
  GstAllocationParams params;
  GstMemory *copy;
  GstMapInfo info;

  if (size == -1)
    size = memory->size > (gsize) offset ? (gssize) (memory->size - offset) : 0;

  gst_allocation_params_init (&params);
  params.align = memory->align;
  copy = ringal_gst_allocator_alloc (memory->allocator, size, &params);
  if (copy == NULL)
    return NULL;
  if (!gst_memory_map (copy, &info, GST_MAP_WRITE))
    {
      gst_memory_unref (copy);
      return NULL;
    }
  memcpy (info.data, mem->data + memory->offset + offset, size);
  gst_memory_unmap (copy, &info);
  return copy;
}

static gboolean
ringal_gst_memory_is_span (GstMemory *memory1,
                           GstMemory *memory2,
                           gsize     *offset)
{
  RingalGstMemory *mem1 = (RingalGstMemory *) memory1;
  RingalGstMemory *mem2 = (RingalGstMemory *) memory2;

  /* gst_memory_is_span() has checked that both have the same parent. */
  if (offset != NULL)
    *offset = memory1->offset - memory1->parent->offset;

  return mem1->data + memory1->offset + memory1->size == mem2->data + memory2->offset;
}

static void
ringal_gst_allocator_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  RingalGstAllocator *self = RINGAL_GST_ALLOCATOR (object);

  switch (prop_id)
    {
    case PROP_RING:
      g_value_set_object (value, self->ring);
      break;
    case PROP_FULL_POLICY:
      g_value_set_enum (value, ringal_gst_allocator_get_full_policy (self));
      break;
    case PROP_WAIT_TIMEOUT:
      g_value_set_int64 (value, ringal_gst_allocator_get_wait_timeout (self));
      break;
    case PROP_FLUSHING:
      g_value_set_boolean (value, ringal_gst_allocator_get_flushing (self));
      break;
    case PROP_N_FALLBACKS:
      g_value_set_uint64 (value, ringal_gst_allocator_get_n_fallbacks (self));
      break;
    case PROP_N_WAITS:
      g_value_set_uint64 (value, ringal_gst_allocator_get_n_waits (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ringal_gst_allocator_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  RingalGstAllocator *self = RINGAL_GST_ALLOCATOR (object);

  switch (prop_id)
    {
    case PROP_RING:
      self->ring = g_value_dup_object (value);
      break;
    case PROP_FULL_POLICY:
      ringal_gst_allocator_set_full_policy (self, g_value_get_enum (value));
      break;
    case PROP_WAIT_TIMEOUT:
      ringal_gst_allocator_set_wait_timeout (self, g_value_get_int64 (value));
      break;
    case PROP_FLUSHING:
      ringal_gst_allocator_set_flushing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ringal_gst_allocator_finalize (GObject *object)
{
  RingalGstAllocator *self = RINGAL_GST_ALLOCATOR (object);

  g_clear_object (&self->ring);
  gst_clear_object (&self->sysmem);
  g_clear_object (&self->flush);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ringal_gst_allocator_parent_class)->finalize (object);
}

static void
ringal_gst_allocator_class_init (RingalGstAllocatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstAllocatorClass *allocator_class = GST_ALLOCATOR_CLASS (klass);

  object_class->get_property = ringal_gst_allocator_get_property;
  object_class->set_property = ringal_gst_allocator_set_property;
  object_class->finalize = ringal_gst_allocator_finalize;

  allocator_class->alloc = ringal_gst_allocator_alloc;
  allocator_class->free = ringal_gst_allocator_free;

  /**
   * RingalGstAllocator:ring:
   *
   * The ring every thread allocates from, or %NULL (the default) for each
   * thread's own, [func@Ringal.Allocator.get_thread_default].
   *
   * A ring that is not shared ([ctor@Ringal.Allocator.new_shared]) serves
   * one thread at a time: other threads get system memory.
   */
  properties[PROP_RING] =
    g_param_spec_object ("ring", NULL, NULL,
                         RINGAL_TYPE_ALLOCATOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * RingalGstAllocator:full-policy: (getter get_full_policy) (setter set_full_policy)
   *
   * What to do when the ring has no room: fall back to system memory at
   * once (the default), or wait for room for up to
   * [property@RingalGst.Allocator:wait-timeout] first.
   */
  properties[PROP_FULL_POLICY] =
    g_param_spec_enum ("full-policy", NULL, NULL,
                       RINGAL_GST_TYPE_FULL_POLICY, RINGAL_GST_FULL_POLICY_FALLBACK,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * RingalGstAllocator:wait-timeout: (getter get_wait_timeout) (setter set_wait_timeout)
   *
   * With the wait policy, how long one allocation waits for room before
   * falling back to system memory, in microseconds; -1 for as long as it
   * takes.  The default is one second.
   */
  properties[PROP_WAIT_TIMEOUT] =
    g_param_spec_int64 ("wait-timeout", NULL, NULL,
                        -1, G_MAXINT64, DEFAULT_WAIT_TIMEOUT,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * RingalGstAllocator:flushing: (getter get_flushing) (setter set_flushing)
   *
   * While %TRUE, no allocation waits for room: waiting ones give up at
   * once and get system memory.  Set it when the pipeline flushes or
   * stops, as a buffer pool is set flushing.
   */
  properties[PROP_FLUSHING] =
    g_param_spec_boolean ("flushing", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * RingalGstAllocator:n-fallbacks: (getter get_n_fallbacks)
   *
   * How many memories were served from system memory because no ring
   * could serve them.
   */
  properties[PROP_N_FALLBACKS] =
    g_param_spec_uint64 ("n-fallbacks", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * RingalGstAllocator:n-waits: (getter get_n_waits)
   *
   * How many allocations waited for room.
   */
  properties[PROP_N_WAITS] =
    g_param_spec_uint64 ("n-waits", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  GST_DEBUG_CATEGORY_INIT (ringal_gst_debug, "ringal", 0, "ring allocator for GstMemory");
}

static void
ringal_gst_allocator_init (RingalGstAllocator *self)
{
  GstAllocator *allocator = GST_ALLOCATOR_CAST (self);

  allocator->mem_type = RINGAL_GST_MEMORY_TYPE;
  allocator->mem_map = ringal_gst_memory_map;
  allocator->mem_unmap = ringal_gst_memory_unmap;
  allocator->mem_copy = ringal_gst_memory_copy;
  allocator->mem_share = ringal_gst_memory_share;
  allocator->mem_is_span = ringal_gst_memory_is_span;

  self->sysmem = gst_allocator_find (GST_ALLOCATOR_SYSMEM);
  atomic_init (&self->policy, RINGAL_GST_FULL_POLICY_FALLBACK);
  atomic_init (&self->wait_timeout, DEFAULT_WAIT_TIMEOUT);
  atomic_init (&self->n_fallbacks, 0);
  atomic_init (&self->n_waits, 0);
  g_mutex_init (&self->lock);
  self->flush = g_cancellable_new ();
}

/**
 * ringal_gst_init:
 *
 * Registers a [class@RingalGst.Allocator] that uses each thread's own
 * ring under the name [const@RingalGst.ALLOCATOR_NAME] ("ringal"), so that
 * `gst_allocator_find ("ringal")` returns it.  Call it after `gst_init()`;
 * calling it again does nothing.
 */
void
ringal_gst_init (void)
{
  static gsize registered = 0;

  g_return_if_fail (gst_is_initialized ());

  if (g_once_init_enter (&registered))
    {
      gst_allocator_register (RINGAL_GST_ALLOCATOR_NAME, ringal_gst_allocator_new (NULL));
      g_once_init_leave (&registered, 1);
    }
}

/**
 * ringal_gst_allocator_new:
 * @ring: (nullable): the ring to allocate from, or %NULL for each thread's own
 *
 * Makes an allocator that serves `GstMemory` from @ring, or from the
 * thread-default ring of whichever thread allocates.  Use it with
 * `gst_allocator_alloc()`, `gst_buffer_new_allocate()` or a buffer pool's
 * `gst_buffer_pool_config_set_allocator()`.
 *
 * Returns: (transfer full): a new allocator
 */
GstAllocator *
ringal_gst_allocator_new (RingalAllocator *ring)
{
  GstAllocator *self;

  g_return_val_if_fail (ring == NULL || RINGAL_IS_ALLOCATOR (ring), NULL);

  self = g_object_new (RINGAL_GST_TYPE_ALLOCATOR, "ring", ring, NULL);
  return gst_object_ref_sink (self);
}

/**
 * ringal_gst_allocator_get_ring:
 * @self: an allocator
 *
 * Gets the ring every thread allocates from.
 *
 * Returns: (transfer none) (nullable): the ring, or %NULL when each
 *   thread uses its own
 */
RingalAllocator *
ringal_gst_allocator_get_ring (RingalGstAllocator *self)
{
  g_return_val_if_fail (RINGAL_GST_IS_ALLOCATOR (self), NULL);

  return self->ring;
}

/**
 * ringal_gst_allocator_get_full_policy:
 * @self: an allocator
 *
 * Gets what the allocator does when the ring has no room.
 *
 * Returns: the policy
 */
RingalGstFullPolicy
ringal_gst_allocator_get_full_policy (RingalGstAllocator *self)
{
  g_return_val_if_fail (RINGAL_GST_IS_ALLOCATOR (self), RINGAL_GST_FULL_POLICY_FALLBACK);

  return atomic_load_explicit (&self->policy, memory_order_relaxed);
}

/**
 * ringal_gst_allocator_set_full_policy:
 * @self: an allocator
 * @policy: what to do when the ring has no room
 *
 * Sets what the allocator does when the ring has no room; any thread may
 * call it at any time.
 */
void
ringal_gst_allocator_set_full_policy (RingalGstAllocator  *self,
                                      RingalGstFullPolicy  policy)
{
  g_return_if_fail (RINGAL_GST_IS_ALLOCATOR (self));
  g_return_if_fail (policy == RINGAL_GST_FULL_POLICY_FALLBACK ||
                    policy == RINGAL_GST_FULL_POLICY_WAIT);

  if (atomic_exchange_explicit (&self->policy, policy, memory_order_relaxed) != (int) policy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FULL_POLICY]);
}

/**
 * ringal_gst_allocator_get_wait_timeout:
 * @self: an allocator
 *
 * Gets how long an allocation waits for room under the wait policy.
 *
 * Returns: the timeout in microseconds, or -1 for no limit
 */
gint64
ringal_gst_allocator_get_wait_timeout (RingalGstAllocator *self)
{
  g_return_val_if_fail (RINGAL_GST_IS_ALLOCATOR (self), 0);

  return atomic_load_explicit (&self->wait_timeout, memory_order_relaxed);
}

/**
 * ringal_gst_allocator_set_wait_timeout:
 * @self: an allocator
 * @timeout_us: microseconds, or -1 for no limit
 *
 * Sets how long an allocation waits for room under the wait policy
 * before it falls back to system memory.  Waits already begun keep the
 * timeout they started with.
 */
void
ringal_gst_allocator_set_wait_timeout (RingalGstAllocator *self,
                                       gint64              timeout_us)
{
  g_return_if_fail (RINGAL_GST_IS_ALLOCATOR (self));
  g_return_if_fail (timeout_us >= -1);

  if (atomic_exchange_explicit (&self->wait_timeout, timeout_us, memory_order_relaxed) != timeout_us)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAIT_TIMEOUT]);
}

/**
 * ringal_gst_allocator_get_flushing:
 * @self: an allocator
 *
 * Tells whether the allocator is flushing: allocations do not wait.
 *
 * Returns: %TRUE while flushing
 */
gboolean
ringal_gst_allocator_get_flushing (RingalGstAllocator *self)
{
  gboolean flushing;

  g_return_val_if_fail (RINGAL_GST_IS_ALLOCATOR (self), FALSE);

  g_mutex_lock (&self->lock);
  flushing = self->flushing;
  g_mutex_unlock (&self->lock);
  return flushing;
}

/**
 * ringal_gst_allocator_set_flushing:
 * @self: an allocator
 * @flushing: whether to flush
 *
 * Sets the allocator flushing, or back to normal.  While flushing, no
 * allocation waits for room, and those waiting give up at once and get
 * system memory, as `gst_buffer_pool_set_flushing()` releases threads
 * blocked in a pool.  Call it from any thread.
 */
void
ringal_gst_allocator_set_flushing (RingalGstAllocator *self,
                                   gboolean            flushing)
{
  g_autoptr(GCancellable) cancel = NULL;
  gboolean changed;

  g_return_if_fail (RINGAL_GST_IS_ALLOCATOR (self));

  flushing = !!flushing;
  g_mutex_lock (&self->lock);
  changed = self->flushing != flushing;
  self->flushing = flushing;
  /* Waits hold the cancellable they began with: flushing cancels theirs,
   * and waits after it get a new one. */
  if (changed && flushing)
    cancel = g_object_ref (self->flush);
  else if (changed)
    {
      g_object_unref (self->flush);
      self->flush = g_cancellable_new ();
    }
  g_mutex_unlock (&self->lock);

  if (cancel != NULL)
    g_cancellable_cancel (cancel);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLUSHING]);
}

/**
 * ringal_gst_allocator_get_n_fallbacks:
 * @self: an allocator
 *
 * Counts the memories served from system memory because no ring could
 * serve them: the ring was full (after waiting, under the wait policy),
 * the request was larger than the ring or aligned to more than 4096
 * bytes, or the ring belongs to another thread.
 *
 * Returns: the number of system-memory allocations
 */
guint64
ringal_gst_allocator_get_n_fallbacks (RingalGstAllocator *self)
{
  g_return_val_if_fail (RINGAL_GST_IS_ALLOCATOR (self), 0);

  return atomic_load_explicit (&self->n_fallbacks, memory_order_relaxed);
}

/**
 * ringal_gst_allocator_get_n_waits:
 * @self: an allocator
 *
 * Counts the allocations that waited for room, under the wait policy,
 * whether they got ring memory in the end or not.
 *
 * Returns: the number of waits
 */
guint64
ringal_gst_allocator_get_n_waits (RingalGstAllocator *self)
{
  g_return_val_if_fail (RINGAL_GST_IS_ALLOCATOR (self), 0);

  return atomic_load_explicit (&self->n_waits, memory_order_relaxed);
}
