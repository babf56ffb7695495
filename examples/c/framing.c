/* framing.c: a producer thread frames records into ring buffers and hands
 * them, frozen as GBytes, to a consumer thread that checks and tallies them.
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Run: build-aux/dev demo   (or _build/examples/ringal-framing [N])
 */

#include <ringal-glib/ringal-glib.h>
#include <stdio.h>
#include <string.h>

/* A frame: a 12-byte header (magic, sequence, payload length), then the
 * payload, then a 4-byte checksum of the payload. */
#define FRAME_MAGIC 0x52474C31u  /* "RGL1" */

typedef struct {
  guint32 magic;
  guint32 sequence;
  guint32 length;
} FrameHeader;

static guint32
checksum (const guint8 *data,
          gsize         len)
{
  guint32 sum = 2166136261u;  /* FNV-1a */

  for (gsize i = 0; i < len; i++)
    sum = (sum ^ data[i]) * 16777619u;
  return sum;
}

typedef struct {
  GAsyncQueue *queue;
  guint        n_frames;
  guint64      n_bytes;
  guint        n_full;
} Producer;

typedef struct {
  GAsyncQueue *queue;
  guint        n_frames;
  guint64      n_bytes;
  guint        n_bad;
} Consumer;

/* Frames one record into an extendable buffer: the header, the payload in
 * pieces as a formatter would produce it, the checksum; then freezes it. */
static GBytes *
frame_record (RingalAllocator  *allocator,
              guint32           sequence,
              const char       *payload,
              GError          **error)
{
  g_autoptr(RingalBuffer) frame = NULL;
  FrameHeader header = { FRAME_MAGIC, sequence, (guint32) strlen (payload) };
  guint32 sum = checksum ((const guint8 *) payload, header.length);

  frame = ringal_allocator_extendable (allocator, sizeof header, error);
  if (frame == NULL)
    return NULL;

  if (ringal_buffer_write (frame, (const guint8 *) &header, sizeof header, error) == 0 ||
      ringal_buffer_write (frame, (const guint8 *) payload, header.length / 2, error) != header.length / 2 ||
      ringal_buffer_write (frame, (const guint8 *) payload + header.length / 2,
                           header.length - header.length / 2, error) != header.length - header.length / 2 ||
      ringal_buffer_write (frame, (const guint8 *) &sum, sizeof sum, error) == 0)
    return NULL;

  return ringal_buffer_freeze (frame);
}

static gpointer
produce (gpointer data)
{
  Producer *producer = data;
  /* Small on purpose, so that the ring fills up and we see the producer
   * wait for the consumer: the normal life of a ring. */
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new (64 * 1024);
  g_autoptr(GString) payload = g_string_new (NULL);

  for (guint32 sequence = 0; sequence < producer->n_frames; sequence++)
    {
      GBytes *frame;

      g_string_printf (payload, "sensor=%u temperature=%d.%u humidity=%u%% note=%.*s",
                       sequence % 17, (gint) (sequence % 40) - 5, sequence % 10,
                       30 + sequence % 60, (int) (sequence % 200),
                       "the quick brown fox jumps over the lazy dog and keeps running "
                       "through the ring, round and round, never stopping for long, "
                       "because short-lived buffers are what a ring is for; "
                       "long-lived ones clog it.");

      for (;;)
        {
          g_autoptr(GError) error = NULL;

          frame = frame_record (allocator, sequence, payload->str, &error);
          if (frame != NULL)
            break;
          if (!g_error_matches (error, RINGAL_ERROR, RINGAL_ERROR_FULL))
            g_error ("framing failed: %s", error->message);
          /* The consumer has not released enough yet: let it run. */
          producer->n_full++;
          g_thread_yield ();
        }

      producer->n_bytes += g_bytes_get_size (frame);
      g_async_queue_push (producer->queue, frame);
    }

  /* An empty GBytes ends the stream. */
  g_async_queue_push (producer->queue, g_bytes_new (NULL, 0));
  return NULL;
}

static gpointer
consume (gpointer data)
{
  Consumer *consumer = data;

  for (;;)
    {
      g_autoptr(GBytes) frame = g_async_queue_pop (consumer->queue);
      gsize size;
      const guint8 *bytes = g_bytes_get_data (frame, &size);
      FrameHeader header;
      guint32 sum;

      if (size == 0)
        break;

      memcpy (&header, bytes, sizeof header);
      memcpy (&sum, bytes + sizeof header + header.length, sizeof sum);
      if (header.magic != FRAME_MAGIC ||
          header.sequence != consumer->n_frames ||
          size != sizeof header + header.length + sizeof sum ||
          sum != checksum (bytes + sizeof header, header.length))
        consumer->n_bad++;

      consumer->n_frames++;
      consumer->n_bytes += size;
      /* Dropping the GBytes here, on the consumer thread, gives the region
       * back to the producer's ring. */
    }

  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  guint n_frames = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 200000;
  GAsyncQueue *queue = g_async_queue_new ();
  Producer producer = { queue, n_frames, 0, 0 };
  Consumer consumer = { queue, 0, 0, 0 };
  gint64 start = g_get_monotonic_time ();
  GThread *producer_thread, *consumer_thread;
  double seconds;

  producer_thread = g_thread_new ("producer", produce, &producer);
  consumer_thread = g_thread_new ("consumer", consume, &consumer);
  g_thread_join (producer_thread);
  g_thread_join (consumer_thread);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_async_queue_unref (queue);

  printf ("ringal-glib %s framing demo (C)\n", RINGAL_VERSION_S);
  printf ("  frames framed     %u (%" G_GUINT64_FORMAT " bytes) in a 64 KiB ring\n",
          producer.n_frames, producer.n_bytes);
  printf ("  frames checked    %u (%" G_GUINT64_FORMAT " bytes), %u bad\n",
          consumer.n_frames, consumer.n_bytes, consumer.n_bad);
  printf ("  ring-full retries %u (the producer waited for the consumer)\n", producer.n_full);
  printf ("  time              %.3f s, %.0f frames/s\n", seconds, consumer.n_frames / seconds);

  return consumer.n_bad == 0 && consumer.n_frames == producer.n_frames ? 0 : 1;
}
