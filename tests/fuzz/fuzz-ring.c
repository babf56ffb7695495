/* fuzz-ring.c: random operations on an allocator, checked against a
 * shadow model after every step
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is a byte-code: the first byte picks the ring's capacity, then
 * each operation is one byte (what) and its arguments.  The model keeps
 * every live buffer (open, closed by ringal_buffer_release(), or frozen),
 * frozen bytes, array and raw block with the bytes it must hold.  After every operation:
 *
 *   1. the ring's invariants hold (ringal_ring_check);
 *   2. no two live regions overlap;
 *   3. every live object still holds exactly its bytes;
 *   4. a failure is one the state allows: TOO_LARGE only past the largest
 *      size, BUSY only while an extendable buffer is open, and FULL only
 *      when no free run between the live objects fits the request: a held
 *      region costs its own bytes, never the rest of the ring;
 *   5. after RELEASE_ALL the largest buffer fits (capacity recovered).
 *
 * Built with -fsanitize=fuzzer it is a libFuzzer target; otherwise its
 * main() replays the files named on the command line (the seed corpus, in
 * the test suite).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringal-test-utils.h"
#include "ringal-array-private.h"
#include "ringal-buffer-private.h"

typedef enum {
  KIND_BUFFER,   /* RingalBuffer, fixed or open extendable */
  KIND_BYTES,    /* GBytes frozen from a buffer */
  KIND_ARRAY,
  KIND_RAW,
} Kind;

typedef struct {
  const guint8 *lo;
  const guint8 *hi;
} Span;

typedef struct {
  Kind        kind;
  gpointer    object;
  GByteArray *shadow;     /* the bytes it must hold */
  gboolean    open;       /* an open extendable buffer */
  gsize       element;    /* arrays: element size */
  gsize       raw_size;   /* raw blocks: the bytes checked */
  gsize       raw_asked;  /* raw blocks: their size */
  gboolean    closed;     /* buffers: given back with ringal_buffer_release() */
  Span        region[2];  /* frozen bytes: what they hold of the store */
} Live;

#define MAX_LIVE 48

typedef struct {
  const guint8    *input;
  gsize            left;
  RingalAllocator *allocator;
  RingalRing      *ring;
  Live             live[MAX_LIVE];
  guint            n_live;
  guint32          next_seed;
} Fuzz;

static const gsize sizes[] = {
  0, 1, 7, 8, 9, 15, 16, 17, 24, 63, 64, 65, 100, 255, 256, 500, 1000, 2000, 4000,
  G_MAXSIZE, G_MAXSIZE / 2, G_MAXSIZE / 8 + 1,
};

#define N_SIZES G_N_ELEMENTS (sizes)
/* indexes past the table: the allocator's largest size, and around it */
#define SIZE_CHOICES (N_SIZES + 3)

static guint8
take (Fuzz *fz)
{
  if (fz->left == 0)
    return 0;
  fz->left--;
  return *fz->input++;
}

static gsize
take_size (Fuzz *fz)
{
  guint choice = take (fz) % SIZE_CHOICES;
  gsize max = ringal_allocator_get_max_size (fz->allocator);

  if (choice < N_SIZES)
    return sizes[choice];
  return max - 1 + (choice - N_SIZES);
}

static void
fail (Fuzz       *fz,
      const char *what)
{
  g_autofree char *dump = ringal_ring_dump (fz->ring);

  /* abort(), which libFuzzer catches and saves the input for */
  g_printerr ("fuzz: %s\n%s", what, dump);
  abort ();
}

static gboolean
extendable_open (Fuzz *fz)
{
  for (guint i = 0; i < fz->n_live; i++)
    if (fz->live[i].open)
      return TRUE;
  return FALSE;
}

/* The oracle for FULL.  A span (Span, above) is what a live object holds of
 * the store, from its region's guard to the end of its data.  The model knows every
 * span without asking the ring, so the free runs between them are an
 * independent judge: a region may also keep an unsplit tail of fewer than
 * RINGAL_RING_MIN_SPLIT_WORDS words, which counts as held. */

#define MAX_SPANS (2 * MAX_LIVE)

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *x = a, *y = b;

  return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* What @buffer holds of the store: its handle's region, unless the handle
 * is kept apart, and its data's region, unless a release gave it back.
 * A released buffer whose region waits to be cut to the handle, or that
 * frozen bytes held when it was released, holds the region whole, as the
 * ring's guard says: its capacity is 0 by then. */
RINGAL_GUARD_ACCESS static void
buffer_spans (RingalBuffer *buffer,
              Span          spans[2])
{
  const guint8 *handle = (const guint8 *) buffer;
  RingalGuard *guard = ringal_buffer_guard (buffer);
  gsize prefix;

  spans[0] = spans[1] = (Span) { NULL, NULL };
  if (!(buffer->flags & RINGAL_BUFFER_APART))
    spans[0] = (Span) { (const guint8 *) guard,
                        buffer->flags & RINGAL_BUFFER_CUT
                        ? (const guint8 *) ringal_guard_next (guard)
                        : handle + RINGAL_BUFFER_PREFIX };
  if (buffer->data != NULL)
    {
      RingalGuard *data_guard = ringal_buffer_data_guard (buffer, &prefix);
      Span data = { (const guint8 *) data_guard,
                    buffer->flags & RINGAL_BUFFER_CLOSED
                    ? (const guint8 *) ringal_guard_next (data_guard)
                    : buffer->data + buffer->capacity };

      if (spans[0].lo == data.lo)
        spans[0] = data;
      else
        spans[1] = data;
    }
}

static void
add_spans (const Span  from[2],
           Span       *spans,
           guint      *n)
{
  for (guint i = 0; i < 2; i++)
    if (from[i].lo != NULL)
      spans[(*n)++] = from[i];
}

/* Every live object's spans, sorted. */
static guint
collect_spans (Fuzz *fz,
               Span *spans)
{
  guint n = 0;

  for (guint i = 0; i < fz->n_live; i++)
    {
      Live *live = &fz->live[i];

      switch (live->kind)
        {
        case KIND_BUFFER:
          {
            Span held[2];

            buffer_spans (live->object, held);
            add_spans (held, spans, &n);
          }
          break;
        case KIND_BYTES:
          add_spans (live->region, spans, &n);
          break;
        case KIND_ARRAY:
          spans[n++] = (Span) { (const guint8 *) live->object - RINGAL_WORD,
                                (const guint8 *) ringal_array_get_data (live->object, NULL) +
                                ringal_array_get_capacity (live->object) * live->element };
          break;
        case KIND_RAW:
          spans[n++] = (Span) { (const guint8 *) live->object - 2 * RINGAL_WORD,
                                (const guint8 *) live->object + live->raw_asked };
          break;
        default:
          g_assert_not_reached ();
        }
    }
  /* Handles kept apart live on the heap, not in the store. */
  for (guint i = 0; i < n; i++)
    if (spans[i].lo < (const guint8 *) fz->ring->base || spans[i].lo >= (const guint8 *) fz->ring->tail)
      spans[i--] = spans[--n];
  qsort (spans, n, sizeof (Span), compare_spans);
  return n;
}

/* Where the free run after a span may start at the earliest. */
static const guint8 *
span_end (const Span *span)
{
  return (const guint8 *) ringal_align_up ((guintptr) span->hi, RINGAL_WORD) +
         (RINGAL_RING_MIN_SPLIT_WORDS - 1) * RINGAL_WORD;
}

/* The largest free run between the spans of the live objects. */
static gsize
largest_free_run (Fuzz *fz)
{
  Span spans[MAX_SPANS];
  guint n = collect_spans (fz, spans);
  const guint8 *cursor = (const guint8 *) fz->ring->base;
  const guint8 *tail = (const guint8 *) fz->ring->tail;
  gsize largest = 0;

  for (guint i = 0; i <= n; i++)
    {
      const guint8 *lo = i < n ? spans[i].lo : tail;

      if (lo > cursor)
        largest = MAX (largest, (gsize) (lo - cursor));
      if (i < n)
        cursor = MAX (cursor, span_end (&spans[i]));
    }
  return largest;
}

/* The free run from @from, where a growing buffer's data region starts,
 * up to the next span: what growing in place can take.  Its own handle,
 * when its data has moved away from it, is in the way like any other. */
static gsize
run_from (Fuzz         *fz,
          const guint8 *from)
{
  Span spans[MAX_SPANS];
  guint n = collect_spans (fz, spans);

  for (guint i = 0; i < n; i++)
    if (spans[i].lo > from)
      return (gsize) (spans[i].lo - from);
  return (gsize) ((const guint8 *) fz->ring->tail - from);
}

/* The bytes of store a region for @size bytes after @prefix with data
 * aligned to @align takes at the most: guard, prefix, padding, data. */
static gsize
region_need (gsize prefix,
             gsize size,
             gsize align)
{
  gsize fixed = RINGAL_WORD + prefix + MAX (align, RINGAL_WORD);

  if (size > G_MAXSIZE - fixed)
    return G_MAXSIZE;
  return fixed + size;
}

/* A failed allocation must be one the state allows.  @need is what its
 * region takes of the store (region_need()): FULL with a free run that
 * large is the ring giving up too early. */
static void
check_failure (Fuzz         *fz,
               const GError *error,
               gsize         size,
               gsize         limit,
               gsize         need)
{
  if (error == NULL)
    fail (fz, "NULL without an error");
  if (error->domain != RINGAL_ERROR)
    fail (fz, "an error outside RINGAL_ERROR");
  switch (error->code)
    {
    case RINGAL_ERROR_TOO_LARGE:
      if (size <= limit)
        fail (fz, "TOO_LARGE for a size that fits an empty ring");
      break;
    case RINGAL_ERROR_FULL:
      if (largest_free_run (fz) >= need)
        fail (fz, "FULL while a free run fits the request");
      break;
    case RINGAL_ERROR_BUSY:
      if (!extendable_open (fz))
        fail (fz, "BUSY with no extendable buffer open");
      break;
    case RINGAL_ERROR_CAPACITY_EXCEEDED:
      break;
    default:
      fail (fz, error->message);
    }
}

static void
fill_more (GByteArray *shadow,
           gsize       n,
           guint32     seed)
{
  gsize start = shadow->len;

  g_byte_array_set_size (shadow, start + n);
  ringal_test_fill (shadow->data + start, n, seed + (guint32) start);
}

static Live *
add_live (Fuzz *fz,
          Kind  kind,
          gpointer object)
{
  Live *live;

  if (fz->n_live == MAX_LIVE)
    return NULL;
  live = &fz->live[fz->n_live++];
  *live = (Live) { kind, object, g_byte_array_new (), FALSE, 0, 0, 0, FALSE, { { NULL } } };
  return live;
}

/* Where the object's memory is and what it holds now. */
static const guint8 *
live_bytes (Live  *live,
            gsize *len,
            gsize *extent)
{
  const guint8 *data = NULL;

  switch (live->kind)
    {
    case KIND_BUFFER:
      data = ringal_buffer_get_data (live->object, len);
      *extent = ringal_buffer_get_capacity (live->object);
      break;
    case KIND_BYTES:
      data = g_bytes_get_data (live->object, len);
      *extent = *len;
      break;
    case KIND_ARRAY:
      data = ringal_array_get_data (live->object, len);
      *extent = ringal_array_get_capacity (live->object) * live->element;
      break;
    case KIND_RAW:
      data = live->object;
      *len = *extent = live->raw_size;
      break;
    default:
      g_assert_not_reached ();
    }
  return data;
}

typedef struct {
  const guint8 *start;
  gsize         extent;
  gpointer      owner;  /* buffers and their bytes share memory */
} Extent;

static int
compare_extents (gconstpointer a,
                 gconstpointer b)
{
  const Extent *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

static void
check_model (Fuzz *fz)
{
  Extent extents[MAX_LIVE];
  guint n_extents = 0;
  char *message = NULL;

  if (!ringal_ring_check (fz->ring, &message))
    fail (fz, message);

  for (guint i = 0; i < fz->n_live; i++)
    {
      Live *live = &fz->live[i];
      gsize len, extent;
      const guint8 *data = live_bytes (live, &len, &extent);

      if (len != live->shadow->len ||
          (len > 0 && memcmp (data, live->shadow->data, len) != 0))
        fail (fz, "a live object does not hold its bytes");
      /* frozen bytes alias their buffer (or its region) */
      if (live->kind != KIND_BYTES && extent > 0)
        extents[n_extents++] = (Extent) { data, extent, live->object };
    }

  qsort (extents, n_extents, sizeof (Extent), compare_extents);
  for (guint i = 1; i < n_extents; i++)
    if (extents[i - 1].start + extents[i - 1].extent > extents[i].start)
      fail (fz, "two live regions overlap");
}

static void
release_live (Fuzz *fz,
              guint index)
{
  Live *live = &fz->live[index];

  switch (live->kind)
    {
    case KIND_BUFFER:
      ringal_buffer_unref (live->object);
      break;
    case KIND_BYTES:
      g_bytes_unref (live->object);
      break;
    case KIND_ARRAY:
      ringal_array_unref (live->object);
      break;
    case KIND_RAW:
      ringal_release (live->object);
      break;
    default:
      g_assert_not_reached ();
    }
  g_byte_array_unref (live->shadow);
  fz->live[index] = fz->live[--fz->n_live];
}

static void
op_allocate (Fuzz     *fz,
             gboolean  extendable)
{
  g_autoptr(GError) error = NULL;
  gsize size = take_size (fz);
  gsize max = ringal_allocator_get_max_size (fz->allocator);
  RingalBuffer *buffer = extendable
    ? ringal_allocator_extendable (fz->allocator, size, &error)
    : ringal_allocator_fixed (fz->allocator, size, &error);
  Live *live;

  if (buffer == NULL)
    {
      check_failure (fz, error, size, max, region_need (RINGAL_BUFFER_PREFIX, size, RINGAL_WORD));
      return;
    }
  if (ringal_buffer_get_capacity (buffer) < size)
    fail (fz, "a buffer smaller than asked for");
  live = add_live (fz, KIND_BUFFER, buffer);
  if (live == NULL)
    {
      ringal_buffer_unref (buffer);
      return;
    }
  live->open = extendable;
}

static Live *
pick (Fuzz *fz,
      Kind  kind)
{
  guint start;

  if (fz->n_live == 0)
    return NULL;
  start = take (fz) % fz->n_live;
  for (guint k = 0; k < fz->n_live; k++)
    {
      Live *live = &fz->live[(start + k) % fz->n_live];

      if (live->kind == kind)
        return live;
    }
  return NULL;
}

static void
op_write (Fuzz *fz)
{
  static const gsize lengths[] = { 0, 1, 5, 8, 16, 33, 100, 300, 1000, 3000 };
  Live *live = pick (fz, KIND_BUFFER);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) more = g_byte_array_new ();
  gsize n = lengths[take (fz) % G_N_ELEMENTS (lengths)];
  gsize before_len, before_capacity, written;
  const guint8 *before_data;

  if (live == NULL)
    return;
  fill_more (more, n, fz->next_seed++);
  before_data = ringal_buffer_get_data (live->object, &before_len);
  before_capacity = ringal_buffer_get_capacity (live->object);

  written = ringal_buffer_write (live->object, more->data, n, &error);
  if (live->closed)
    {
      if (written != 0 || !g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_CLOSED))
        fail (fz, "a released buffer took a write");
      return;
    }
  if (ringal_buffer_is_frozen (live->object))
    {
      if (written != 0 || !g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_FROZEN))
        fail (fz, "a frozen buffer took a write");
      return;
    }
  if (live->open)
    {
      if (written == n)
        g_byte_array_append (live->shadow, more->data, n);
      else if (written != 0 || error == NULL)
        fail (fz, "a partial write to an extendable buffer");
      else
        {
          /* It grows in place over the free run after its data, or moves
           * to any free run that holds it whole; its handle stays where it
           * opened. */
          gsize prefix, grown = before_len + n;
          const guint8 *region = (const guint8 *) ringal_buffer_data_guard (live->object, &prefix);

          if (!g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_FULL) &&
              !g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE))
            fail (fz, "a failed write to an extendable buffer is neither FULL nor TOO_LARGE");
          /* No buffer grows past the allocator's largest size. */
          if (grown > ringal_allocator_get_max_size (fz->allocator))
            {
              if (!g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE))
                fail (fz, "growth past the largest size is not TOO_LARGE");
            }
          else if (run_from (fz, region) >= region_need (prefix, grown, RINGAL_WORD))
            fail (fz, "an extendable buffer did not grow in place over a free run");
          else if (largest_free_run (fz) >= region_need (0, grown, RINGAL_WORD))
            fail (fz, "an extendable buffer did not move to a free run that holds it");
          if (ringal_buffer_get_data (live->object, NULL) != before_data ||
              ringal_buffer_get_capacity (live->object) != before_capacity)
            fail (fz, "a failed write changed the buffer");
        }
    }
  else
    {
      if (written != MIN (n, before_capacity - before_len) || error != NULL)
        fail (fz, "a fixed buffer did not take what fits");
      g_byte_array_append (live->shadow, more->data, written);
    }
}

static void
op_finalize (Fuzz *fz)
{
  Live *live = pick (fz, KIND_BUFFER);
  g_autoptr(GError) error = NULL;
  RingalBuffer *fixed;

  if (live == NULL)
    return;
  fixed = ringal_buffer_finalize (live->object, &error);
  if (live->closed)
    {
      if (fixed != NULL || !g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_CLOSED))
        fail (fz, "finalize of a released buffer did not fail with CLOSED");
    }
  else if (live->open)
    {
      if (fixed != live->object)
        fail (fz, "finalize did not return the buffer");
      ringal_buffer_unref (fixed);
      live->open = FALSE;
    }
  else if (fixed != NULL || !g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_NOT_EXTENDABLE))
    fail (fz, "finalize of a fixed buffer did not fail");
}

static void
op_freeze (Fuzz *fz)
{
  Live *live = pick (fz, KIND_BUFFER);
  Live *frozen;
  GBytes *bytes;
  GByteArray *shadow;

  if (live == NULL)
    return;
  bytes = ringal_buffer_freeze (live->object);
  live->open = FALSE;
  shadow = live->shadow;
  frozen = add_live (fz, KIND_BYTES, bytes);
  if (frozen == NULL)
    {
      g_bytes_unref (bytes);
      return;
    }
  buffer_spans (live->object, frozen->region);
  g_byte_array_append (frozen->shadow, shadow->data, shadow->len);
  /* now and then the buffer goes, and only the bytes keep the region */
  if (take (fz) & 1)
    release_live (fz, (guint) (live - fz->live));
}

static void
op_clone (Fuzz *fz)
{
  Live *live = pick (fz, KIND_BYTES);
  Live *clone;

  if (live == NULL)
    return;
  clone = add_live (fz, KIND_BYTES, live->object);
  if (clone == NULL)
    return;
  g_bytes_ref (live->object);
  memcpy (clone->region, live->region, sizeof clone->region);
  g_byte_array_append (clone->shadow, live->shadow->data, live->shadow->len);
}

/* ringal_buffer_release(): the region goes back now (once the bytes frozen
 * from the buffer are gone), the handle stays a closed object; now and
 * then twice, which must change nothing. */
static void
op_release_buffer (Fuzz *fz)
{
  Live *live = pick (fz, KIND_BUFFER);
  gsize len;

  if (live == NULL)
    return;
  ringal_buffer_release (live->object);
  if (take (fz) & 1)
    ringal_buffer_release (live->object);
  live->closed = TRUE;
  live->open = FALSE;
  g_byte_array_set_size (live->shadow, 0);
  /* (Its data pointer stays while frozen bytes hold the region.) */
  ringal_buffer_get_data (live->object, &len);
  if (!ringal_buffer_is_closed (live->object) || len != 0 ||
      ringal_buffer_get_capacity (live->object) != 0)
    fail (fz, "a released buffer is not closed and empty");
}

static void
op_release (Fuzz *fz)
{
  if (fz->n_live > 0)
    release_live (fz, take (fz) % fz->n_live);
}

static void
op_array (Fuzz *fz)
{
  static const gsize elements[] = { 1, 3, 8, 12, 16, 100, G_MAXSIZE / 4 };
  static const gsize aligns[] = { 1, 8, 16, 64, 256, 4096, 3, 0 };
  static const gsize counts[] = { 0, 1, 2, 10, 100, G_MAXSIZE / 8 + 1, G_MAXSIZE };
  gsize element = elements[take (fz) % G_N_ELEMENTS (elements)];
  gsize align = aligns[take (fz) % G_N_ELEMENTS (aligns)];
  gsize count = counts[take (fz) % G_N_ELEMENTS (counts)];
  g_autoptr(GError) error = NULL;
  RingalArray *array = ringal_allocator_array (fz->allocator, element, align, count, &error);
  Live *live;

  if (array == NULL)
    {
      gboolean bad_align = align == 0 || (align & (align - 1)) != 0 || align > 4096;

      if (bad_align || element == 0)
        {
          if (!g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_INVALID_ARGUMENT))
            fail (fz, "a bad alignment is not INVALID_ARGUMENT");
        }
      else if (count > G_MAXSIZE / element)
        {
          if (!g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE))
            fail (fz, "count * element_size overflow is not TOO_LARGE");
        }
      else
        {
          /* the array's header and its alignment padding come first */
          gsize needed = count * element > G_MAXSIZE - 8192 ? G_MAXSIZE : count * element + align + 128;

          check_failure (fz, error, needed, ringal_allocator_get_max_size (fz->allocator),
                         region_need (RINGAL_ARRAY_PREFIX, count * element, align));
        }
      return;
    }
  if (((guintptr) ringal_array_get_data (array, NULL)) % MAX (align, 1) != 0)
    fail (fz, "an array is not aligned");
  live = add_live (fz, KIND_ARRAY, array);
  if (live == NULL)
    {
      ringal_array_unref (array);
      return;
    }
  live->element = element;
}

static void
op_array_change (Fuzz *fz)
{
  Live *live = pick (fz, KIND_ARRAY);
  g_autoptr(GError) error = NULL;
  guint8 what = take (fz);
  gsize len, capacity, index_;

  if (live == NULL)
    return;
  len = ringal_array_get_len (live->object);
  capacity = ringal_array_get_capacity (live->object);
  index_ = len > 0 ? take (fz) % (len + 1) : 0;

  if (what % 3 == 0)
    {
      gsize k = 1 + take (fz) % 3;
      g_autoptr(GByteArray) elements = g_byte_array_new ();

      /* Elements that cannot fit get a token buffer: the insertion must
       * fail before reading them (ASan would see it read further). */
      fill_more (elements, len + k <= capacity ? k * live->element : 1, fz->next_seed++);
      if (ringal_array_insert_vals (live->object, index_, elements->data, k, &error))
        {
          if (len + k > capacity)
            fail (fz, "an array took more than its capacity");
          /* a GByteArray is a GArray of bytes */
          g_array_insert_vals ((GArray *) live->shadow, index_ * live->element, elements->data, k * live->element);
        }
      else if (len + k <= capacity || !g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_CAPACITY_EXCEEDED))
        fail (fz, "an insertion that fits failed, or failed with the wrong error");
    }
  else if (what % 3 == 1 && index_ < len)
    {
      if (!ringal_array_remove_index (live->object, index_, &error))
        fail (fz, "remove_index failed");
      g_byte_array_remove_range (live->shadow, index_ * live->element, live->element);
    }
  else if (len > 0)
    {
      g_autofree guint8 *element = g_malloc (live->element);

      if (!ringal_array_pop (live->object, element))
        fail (fz, "pop failed on a non-empty array");
      if (memcmp (element, live->shadow->data + (len - 1) * live->element, live->element) != 0)
        fail (fz, "pop gave back the wrong element");
      g_byte_array_set_size (live->shadow, (len - 1) * live->element);
    }
}

static void
op_raw (Fuzz *fz)
{
  g_autoptr(GError) error = NULL;
  gsize size = take_size (fz);
  gpointer block = ringal_allocator_try_alloc (fz->allocator, size, &error);
  Live *live;

  if (block == NULL)
    {
      check_failure (fz, error, size, ringal_ring_max_size (fz->ring, RINGAL_WORD, RINGAL_WORD),
                     region_need (RINGAL_WORD, size, RINGAL_WORD));
      return;
    }
  live = add_live (fz, KIND_RAW, block);
  if (live == NULL)
    {
      ringal_release (block);
      return;
    }
  live->raw_asked = size;
  live->raw_size = MIN (size, 4096);
  fill_more (live->shadow, live->raw_size, fz->next_seed++);
  memcpy (block, live->shadow->data, live->raw_size);
}

static void
op_release_all (Fuzz *fz)
{
  g_autoptr(GError) error = NULL;
  RingalBuffer *largest;

  while (fz->n_live > 0)
    release_live (fz, 0);
  largest = ringal_allocator_fixed (fz->allocator, ringal_allocator_get_max_size (fz->allocator), &error);
  if (largest == NULL)
    fail (fz, "the capacity was not recovered after releasing everything");
  ringal_buffer_unref (largest);
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static gsize stores_at_start = G_MAXSIZE;
  Fuzz fz = { data, size };

  if (stores_at_start == G_MAXSIZE)
    stores_at_start = ringal_ring_count_stores ();

  fz.allocator = ringal_allocator_new ((gsize) 256 << (take (&fz) % 6));
  fz.ring = ringal_allocator_get_ring (fz.allocator);

  while (fz.left > 0)
    {
      switch (take (&fz) % 13)
        {
        case 0: case 1: op_allocate (&fz, FALSE); break;
        case 2: op_allocate (&fz, TRUE); break;
        case 3: op_write (&fz); break;
        case 4: op_finalize (&fz); break;
        case 5: op_freeze (&fz); break;
        case 6: op_clone (&fz); break;
        case 7: op_release (&fz); break;
        case 8: op_array (&fz); break;
        case 9: op_array_change (&fz); break;
        case 10: op_raw (&fz); break;
        case 12: op_release_buffer (&fz); break;
        default: op_release_all (&fz); break;
        }
      check_model (&fz);
    }

  op_release_all (&fz);
  g_object_unref (fz.allocator);
  if (ringal_ring_count_stores () != stores_at_start)
    {
      g_printerr ("fuzz: a store outlived its allocator and every region\n");
      abort ();
    }
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
