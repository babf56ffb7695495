/* test-wait.c: waiting for room, blocking and in a main loop
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE  /* RTLD_NEXT */
#endif

#include <dlfcn.h>
#include <errno.h>
#include <gio/gio.h>
#include <pthread.h>
#include <sched.h>

#include "ringal-test-fixture.h"

/* Fills the ring with 200-byte buffers until it is full. */
static GPtrArray *
fill_ring (RingalAllocator *allocator)
{
  GPtrArray *held = g_ptr_array_new_with_free_func ((GDestroyNotify) ringal_buffer_unref);
  GError *error = NULL;
  RingalBuffer *buffer;

  while ((buffer = ringal_allocator_fixed (allocator, 200, &error)) != NULL)
    g_ptr_array_add (held, buffer);
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
  g_clear_error (&error);
  return held;
}

/* Releases what it is given after a pause, on its own thread. */
typedef struct {
  GPtrArray    *held;
  GCancellable *cancellable;
  atomic_bool   done;
} Later;

static void *
release_later (void *data)
{
  Later *later = data;

  g_usleep (30 * 1000);
  atomic_store (&later->done, true);
  if (later->held != NULL)
    g_ptr_array_unref (later->held);
  if (later->cancellable != NULL)
    g_cancellable_cancel (later->cancellable);
  return NULL;
}

static void
test_blocking_woken_by_release (RingalFixture *f,
                                gconstpointer  data)
{
  Later later = { fill_ring (f->allocator), NULL, false };
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer;
  pthread_t thread;

  pthread_create (&thread, NULL, release_later, &later);
  buffer = ringal_allocator_fixed_wait (f->allocator, 200, -1, NULL, &error);
  g_assert_no_error (error);
  /* The room can only have come from the other thread's release. */
  g_assert_true (atomic_load (&later.done));
  ringal_test_write_pattern (buffer, 200, 1);
  ringal_buffer_unref (buffer);
  pthread_join (thread, NULL);
}

static void
test_blocking_timeout (RingalFixture *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) held = fill_ring (f->allocator);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_null (ringal_allocator_fixed_wait (f->allocator, 200, 20 * 1000, NULL, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 20 * 1000);
  g_clear_error (&error);

  /* 0 does not wait at all. */
  g_assert_null (ringal_allocator_fixed_wait (f->allocator, 200, 0, NULL, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
}

static void
test_blocking_cancelled (RingalFixture *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) held = fill_ring (f->allocator);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Later later = { NULL, cancellable, false };
  g_autoptr(GError) error = NULL;
  pthread_t thread;

  pthread_create (&thread, NULL, release_later, &later);
  g_assert_null (ringal_allocator_fixed_wait (f->allocator, 200, -1, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (atomic_load (&later.done));
  pthread_join (thread, NULL);
  g_clear_error (&error);

  /* Already cancelled: no wait. */
  g_assert_null (ringal_allocator_fixed_wait (f->allocator, 200, -1, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Stops the process if a test hangs: a wait that spins holding the ring's
 * lock blocks the releases that would end it. */
static gpointer
watchdog_thread (gpointer data)
{
  atomic_bool *finished = data;

  for (guint i = 0; i < 200 && !atomic_load (finished); i++)
    g_usleep (50 * 1000);
  if (!atomic_load (finished))
    g_error ("the wait hung");
  return NULL;
}

/* A timeout too long to add to the clock waits as -1 does, instead of
 * overflowing into a deadline the wait spins on. */
static void
test_blocking_huge_timeout (RingalFixture *f,
                            gconstpointer  data)
{
  Later later = { fill_ring (f->allocator), NULL, false };
  g_autoptr(GError) error = NULL;
  atomic_bool finished = false;
  GThread *watchdog = g_thread_new ("watchdog", watchdog_thread, &finished);
  RingalBuffer *buffer;
  pthread_t thread;

  pthread_create (&thread, NULL, release_later, &later);
  buffer = ringal_allocator_fixed_wait (f->allocator, 200, G_MAXINT64, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (atomic_load (&later.done));
  pthread_join (thread, NULL);
  ringal_buffer_unref (buffer);

  /* The ring's wait itself: a deadline long past times out at once. */
  g_assert_cmpint (ringal_ring_wait (f->ring, ringal_ring_wake_seq (f->ring), -5), ==, ETIMEDOUT);
  g_assert_cmpint (ringal_ring_wait (f->ring, ringal_ring_wake_seq (f->ring), 0), ==, ETIMEDOUT);
  g_assert_cmpint (ringal_ring_wait (f->ring, ringal_ring_wake_seq (f->ring) - 1, 0), ==, 0);
  atomic_store (&finished, true);
  g_thread_join (watchdog);
}

/* Waiting cannot mend these: they come back at once, even with no timeout. */
static void
test_blocking_hopeless (RingalFixture *f,
                        gconstpointer  data)
{
  GError *error = NULL;
  RingalBuffer *open;

  g_assert_null (ringal_allocator_fixed_wait (f->allocator, 1 << 20, -1, NULL, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
  g_clear_error (&error);

  open = ringal_allocator_extendable (f->allocator, 8, NULL);
  g_assert_null (ringal_allocator_fixed_wait (f->allocator, 10, -1, NULL, &error));
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_BUSY);
  g_clear_error (&error);
  ringal_buffer_unref (open);
}

typedef struct {
  GMainLoop    *loop;
  RingalBuffer *buffer;
  GError       *error;
  void         *thread;
} AsyncResult;

static void
fixed_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  AsyncResult *out = data;

  out->buffer = ringal_allocator_fixed_finish (RINGAL_ALLOCATOR (source), result, &out->error);
  out->thread = ringal_current_thread ();
  g_main_loop_quit (out->loop);
}

static void
test_async_woken_by_release (RingalFixture *f,
                             gconstpointer  data)
{
  Later later = { fill_ring (f->allocator), NULL, false };
  AsyncResult out = { g_main_loop_new (NULL, FALSE), NULL, NULL, NULL };
  pthread_t thread;

  ringal_allocator_fixed_async (f->allocator, 200, NULL, fixed_done, &out);
  pthread_create (&thread, NULL, release_later, &later);
  g_main_loop_run (out.loop);

  g_assert_no_error (out.error);
  g_assert_nonnull (out.buffer);
  g_assert_true (atomic_load (&later.done));
  /* Allocated in the caller's context, on the caller's thread. */
  g_assert_true (out.thread == ringal_current_thread ());
  ringal_buffer_unref (out.buffer);
  pthread_join (thread, NULL);
  g_main_loop_unref (out.loop);
}

static void
test_async_immediate_and_errors (RingalFixture *f,
                                 gconstpointer  data)
{
  AsyncResult out = { g_main_loop_new (NULL, FALSE), NULL, NULL, NULL };

  ringal_allocator_fixed_async (f->allocator, 100, NULL, fixed_done, &out);
  g_main_loop_run (out.loop);
  g_assert_no_error (out.error);
  g_clear_pointer (&out.buffer, ringal_buffer_unref);

  ringal_allocator_fixed_async (f->allocator, 1 << 20, NULL, fixed_done, &out);
  g_main_loop_run (out.loop);
  g_assert_error (out.error, RINGAL_ERROR, RINGAL_ERROR_TOO_LARGE);
  g_assert_null (out.buffer);
  g_clear_error (&out.error);
  g_main_loop_unref (out.loop);
}

static void
test_async_cancelled (RingalFixture *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) held = fill_ring (f->allocator);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Later later = { NULL, cancellable, false };
  AsyncResult out = { g_main_loop_new (NULL, FALSE), NULL, NULL, NULL };
  pthread_t thread;

  ringal_allocator_fixed_async (f->allocator, 200, cancellable, fixed_done, &out);
  pthread_create (&thread, NULL, release_later, &later);
  g_main_loop_run (out.loop);
  g_assert_error (out.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (out.buffer);
  g_clear_error (&out.error);
  pthread_join (thread, NULL);
  g_main_loop_unref (out.loop);
}


/* Set, the next time the asynchronous wait re-arms (sleeps until the
 * next release), this is cancelled right before the re-arm: the one
 * window where a cancellation could be overwritten. */
static GCancellable *cancel_before_rearm;

/* Interposed on GLib's, for the library's calls. */
void
g_source_set_ready_time (GSource *source,
                         gint64   ready_time)
{
  static void (*real) (GSource *, gint64);

  if (real == NULL)
    real = (void (*) (GSource *, gint64)) dlsym (RTLD_NEXT, "g_source_set_ready_time");
  if (ready_time == -1 && cancel_before_rearm != NULL &&
      g_strcmp0 (g_source_get_name (source), "[ringal] waiting for room") == 0)
    g_cancellable_cancel (g_steal_pointer (&cancel_before_rearm));
  real (source, ready_time);
}

static gboolean
quit_on_timeout (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* A cancellation that lands while the wait re-arms still ends it. */
static void
test_async_cancelled_at_rearm (RingalFixture *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) held = fill_ring (f->allocator);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncResult out = { g_main_loop_new (NULL, FALSE), NULL, NULL, NULL };
  guint timeout;

  cancel_before_rearm = cancellable;
  ringal_allocator_fixed_async (f->allocator, 200, cancellable, fixed_done, &out);
  timeout = g_timeout_add_seconds (5, quit_on_timeout, out.loop);
  g_main_loop_run (out.loop);
  g_assert_null (cancel_before_rearm);  /* the window was hit */
  g_assert_error (out.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (out.buffer);
  g_clear_error (&out.error);
  g_source_remove (timeout);
  g_main_loop_unref (out.loop);
}

/* Many asynchronous waits in a row, each woken by a release on another
 * thread: a lost wake-up would leave the loop running until the timeout
 * source below fails the test. */
typedef struct {
  RingalTestChannel channel;
  RingalRing       *ring;
  atomic_bool       finishing;
  gsize             released;
} Releaser;

static gboolean
somebody_waits (RingalRing *ring)
{
  gboolean waiting;

  ringal_ring_lock (ring);
  waiting = ring->n_waiters > 0;
  ringal_ring_unlock (ring);
  return waiting;
}

/* Releases a buffer only once the allocator waits for one, so that many
 * allocations have to wait for a release. */
static void *
releaser_thread (void *data)
{
  Releaser *releaser = data;
  RingalBuffer *buffer;

  while ((buffer = ringal_test_channel_pop (&releaser->channel)) != NULL)
    {
      while (!somebody_waits (releaser->ring) && !atomic_load (&releaser->finishing))
        sched_yield ();
      ringal_buffer_unref (buffer);
      releaser->released++;
    }
  return NULL;
}

typedef struct {
  RingalAllocator *allocator;
  Releaser        *releaser;
  GMainLoop       *loop;
  guint            remaining;
  guint            waited;
} AsyncChurn;

static void churn_next (AsyncChurn *churn);

static void
churn_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  AsyncChurn *churn = data;
  g_autoptr(GError) error = NULL;
  RingalBuffer *buffer = ringal_allocator_fixed_finish (RINGAL_ALLOCATOR (source), result, &error);

  g_assert_no_error (error);
  ringal_test_channel_push (&churn->releaser->channel, buffer);
  churn_next (churn);
}

static void
churn_next (AsyncChurn *churn)
{
  if (churn->remaining-- == 0)
    {
      g_main_loop_quit (churn->loop);
      return;
    }
  ringal_allocator_fixed_async (churn->allocator, 300, NULL, churn_done, churn);
  churn->waited += somebody_waits (ringal_allocator_get_ring (churn->allocator));
}

static gboolean
watchdog (gpointer data)
{
  g_error ("an asynchronous wait was never woken: a lost wake-up");
  return G_SOURCE_REMOVE;
}

static void
test_async_churn (RingalFixture *f,
                  gconstpointer  data)
{
  Releaser *releaser = g_new0 (Releaser, 1);
  AsyncChurn churn = { f->allocator, releaser, g_main_loop_new (NULL, FALSE), 20000, 0 };
  guint watchdog_id = g_timeout_add_seconds (60, watchdog, NULL);
  pthread_t thread;

  releaser->ring = f->ring;
  pthread_create (&thread, NULL, releaser_thread, releaser);
  churn_next (&churn);
  g_main_loop_run (churn.loop);
  atomic_store (&releaser->finishing, true);
  ringal_test_channel_push (&releaser->channel, NULL);
  pthread_join (thread, NULL);

  g_assert_cmpuint (releaser->released, ==, 20000);
  g_test_message ("%u of 20000 allocations waited for a release", churn.waited);
  g_assert_cmpuint (churn.waited, >, 100);
  g_source_remove (watchdog_id);
  g_main_loop_unref (churn.loop);
  g_free (releaser);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ringal_test_add ("/Ringal/Wait/blocking-woken-by-release", test_blocking_woken_by_release);
  ringal_test_add ("/Ringal/Wait/blocking-timeout", test_blocking_timeout);
  ringal_test_add ("/Ringal/Wait/blocking-cancelled", test_blocking_cancelled);
  ringal_test_add ("/Ringal/Wait/blocking-huge-timeout", test_blocking_huge_timeout);
  ringal_test_add ("/Ringal/Wait/blocking-hopeless", test_blocking_hopeless);
  ringal_test_add ("/Ringal/Wait/async-woken-by-release", test_async_woken_by_release);
  ringal_test_add ("/Ringal/Wait/async-immediate-and-errors", test_async_immediate_and_errors);
  ringal_test_add ("/Ringal/Wait/async-cancelled", test_async_cancelled);
  ringal_test_add ("/Ringal/Wait/async-cancelled-at-rearm", test_async_cancelled_at_rearm);
  ringal_test_add ("/Ringal/Wait/async-churn", test_async_churn);

  return g_test_run ();
}
