/* test-allocator.c: RingalAllocator construction, properties and errors
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ringal-test-fixture.h"

static void
test_new (void)
{
  struct { gsize asked, real; } cases[] = {
    { 1, 256 }, { 255, 256 }, { 256, 256 }, { 4096, 4096 }, { 4097, 8192 },
    { 1 << 20, 1 << 20 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RingalAllocator) allocator = ringal_allocator_new (cases[i].asked);
      gulong capacity = 0, max_size = 0;

      g_assert_true (RINGAL_IS_ALLOCATOR (allocator));
      g_object_get (allocator, "capacity", &capacity, "max-size", &max_size, NULL);
      g_assert_cmpuint (capacity, ==, cases[i].real);
      g_assert_cmpuint (ringal_allocator_get_capacity (allocator), ==, cases[i].real);
      g_assert_cmpuint (max_size, ==, ringal_allocator_get_max_size (allocator));
      g_assert_cmpuint (max_size, <, capacity);
      g_assert_cmpuint (max_size, >=, capacity - 64);
    }
}

/* The properties the constructors set are construct-only properties, so
 * that g_object_new() and the bindings' natural constructors set them. */
static void
test_construct_properties (void)
{
  GParamSpec *pspec = g_object_class_find_property (g_type_class_peek (RINGAL_TYPE_ALLOCATOR),
                                                    "capacity");
  g_autoptr(RingalAllocator) allocator = NULL;
  g_autoptr(RingalAllocator) shared = NULL;
  g_autoptr(RingalBuffer) buffer = NULL;
  g_autoptr(GError) error = NULL;
  gboolean is_shared = TRUE;

  g_assert_nonnull (pspec);
  g_assert_true (pspec->flags & G_PARAM_READABLE);
  g_assert_true (pspec->flags & G_PARAM_CONSTRUCT_ONLY);

  allocator = g_object_new (RINGAL_TYPE_ALLOCATOR, "capacity", (gulong) 8000, NULL);
  g_assert_true (g_initable_init (G_INITABLE (allocator), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ringal_allocator_get_capacity (allocator), ==, 8192);
  g_object_get (allocator, "shared", &is_shared, NULL);
  g_assert_false (is_shared);
  buffer = ringal_allocator_fixed (allocator, 4000, &error);
  g_assert_no_error (error);

  shared = g_initable_new (RINGAL_TYPE_ALLOCATOR, NULL, &error,
                           "capacity", (gulong) 4096, "shared", TRUE, NULL);
  g_assert_no_error (error);
  g_object_get (shared, "shared", &is_shared, NULL);
  g_assert_true (is_shared);
  g_assert_cmpuint (ringal_allocator_get_capacity (shared), ==, 4096);
}

/* A capacity that cannot be served: no critical, an object that reports
 * why through GInitable and through every allocation, and nothing lost. */
static void
test_construct_errors (void)
{
  struct { gulong capacity; RingalError code; } cases[] = {
    { 0, RINGAL_ERROR_INVALID_ARGUMENT },
    { G_MAXULONG, RINGAL_ERROR_TOO_LARGE },
  };
  gsize stores = ringal_ring_count_stores ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RingalAllocator) allocator = g_object_new (RINGAL_TYPE_ALLOCATOR,
                                                           "capacity", cases[i].capacity, NULL);
      GError *error = NULL;

      g_assert_false (g_initable_init (G_INITABLE (allocator), NULL, &error));
      g_assert_error (error, RINGAL_ERROR, (gint) cases[i].code);
      g_clear_error (&error);
      g_assert_null (ringal_allocator_fixed (allocator, 10, &error));
      g_assert_error (error, RINGAL_ERROR, (gint) cases[i].code);
      g_clear_error (&error);
      g_assert_null (ringal_allocator_try_alloc (allocator, 10, &error));
      g_assert_error (error, RINGAL_ERROR, (gint) cases[i].code);
      g_clear_error (&error);
      g_assert_null (ringal_allocator_alloc (allocator, 10));
      g_assert_null (ringal_allocator_get_stats (allocator, &error));
      g_assert_error (error, RINGAL_ERROR, (gint) cases[i].code);
      g_clear_error (&error);

      g_assert_null (g_initable_new (RINGAL_TYPE_ALLOCATOR, NULL, &error,
                                     "capacity", cases[i].capacity, NULL));
      g_assert_error (error, RINGAL_ERROR, (gint) cases[i].code);
      g_clear_error (&error);
    }
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
}

/* g_object_new() alone, as bindings may call it, gives the default. */
static void
test_default_construction (void)
{
  g_autoptr(RingalAllocator) allocator = g_object_new (RINGAL_TYPE_ALLOCATOR, NULL);
  g_autoptr(RingalBuffer) buffer = NULL;

  g_assert_cmpuint (ringal_allocator_get_capacity (allocator), ==, RINGAL_ALLOCATOR_DEFAULT_CAPACITY);
  buffer = ringal_allocator_fixed (allocator, 1000, NULL);
  g_assert_nonnull (buffer);
}

/* D9 and the bad capacities: errors, never an abort. */
static void
test_try_new_errors (void)
{
  struct { gsize capacity; RingalError code; } cases[] = {
    { 0, RINGAL_ERROR_INVALID_ARGUMENT },
    { G_MAXSIZE, RINGAL_ERROR_TOO_LARGE },
    { G_MAXSIZE / 2, RINGAL_ERROR_TOO_LARGE },
    { (gsize) 1 << 47, RINGAL_ERROR_NO_MEMORY },
  };
  gsize stores = ringal_ring_count_stores ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GError *error = NULL;

      g_assert_null (ringal_allocator_try_new (cases[i].capacity, &error));
      g_assert_error (error, RINGAL_ERROR, (gint) cases[i].code);
      g_assert_nonnull (error->message);
      g_clear_error (&error);
    }
  g_assert_cmpuint (ringal_ring_count_stores (), ==, stores);
}

static void
test_new_criticals (void)
{
  RingalAllocator *allocator;

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*capacity of an allocator cannot be 0*");
  allocator = ringal_allocator_new (0);
  g_test_assert_expected_messages ();
  g_assert_null (allocator);

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*Could not allocate a store*");
  allocator = ringal_allocator_new ((gsize) 1 << 47);
  g_test_assert_expected_messages ();
  g_assert_null (allocator);
}

/* Another object where an allocator belongs: the fast path takes only an
 * allocator its thread owns, and everything else meets the type check. */
static void
test_wrong_type_self (void)
{
  g_autoptr(GObject) other = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GError) error = NULL;
  guint8 byte = 0;

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*RINGAL_IS_ALLOCATOR*");
  g_assert_null (ringal_allocator_fixed ((RingalAllocator *) other, 8, &error));
  g_test_assert_expected_messages ();
  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*RINGAL_IS_ALLOCATOR*");
  g_assert_null (ringal_allocator_extendable ((RingalAllocator *) other, 8, &error));
  g_test_assert_expected_messages ();
  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*RINGAL_IS_ALLOCATOR*");
  g_assert_null (ringal_allocator_copy ((RingalAllocator *) other, &byte, 1, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
}

/* A set error is a programming error on the fast path too. */
static void
test_error_already_set (void)
{
  g_autoptr(RingalAllocator) allocator = ringal_allocator_new (4096);
  g_autoptr(GError) error = g_error_new_literal (RINGAL_ERROR, RINGAL_ERROR_FULL, "earlier");

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*error == NULL || *error == NULL*");
  g_assert_null (ringal_allocator_fixed (allocator, 8, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
}

/* NULL where an allocator belongs is a programming error: a critical and
 * a NULL result, never a crash. */
static void
test_null_self (void)
{
  g_autoptr(GError) error = NULL;

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*RINGAL_IS_ALLOCATOR*");
  g_assert_null (ringal_allocator_fixed (NULL, 8, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*RINGAL_IS_ALLOCATOR*");
  g_assert_null (ringal_allocator_extendable (NULL, 8, &error));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*RINGAL_IS_ALLOCATOR*");
  g_assert_cmpuint (ringal_allocator_get_capacity (NULL), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*self != NULL*");
  g_assert_cmpuint (ringal_buffer_write (NULL, (const guint8 *) "x", 1, &error), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*self != NULL*");
  g_assert_null (ringal_buffer_freeze (NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*self != NULL*");
  ringal_buffer_unref (NULL);
  g_test_assert_expected_messages ();
}

static void
test_write_null_data (RingalFixture *f,
                      gconstpointer  data)
{
  g_autoptr(RingalBuffer) buffer = ringal_allocator_fixed (f->allocator, 16, NULL);

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*data != NULL || len == 0*");
  g_assert_cmpuint (ringal_buffer_write (buffer, NULL, 4, NULL), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (ringal_buffer_get_len (buffer), ==, 0);
}

static gpointer
thread_default_in_thread (gpointer data)
{
  RingalAllocator *allocator = ringal_allocator_get_thread_default ();

  g_assert_true (allocator == ringal_allocator_get_thread_default ());
  return allocator;
}

static void
test_thread_default (void)
{
  RingalAllocator *mine = ringal_allocator_get_thread_default ();
  GThread *thread = g_thread_new ("other", thread_default_in_thread, NULL);
  gpointer theirs = g_thread_join (thread);
  g_autoptr(RingalBuffer) buffer = NULL;

  g_assert_true (RINGAL_IS_ALLOCATOR (mine));
  g_assert_true (mine == ringal_allocator_get_thread_default ());
  g_assert_true (theirs != mine);
  g_assert_cmpuint (ringal_allocator_get_capacity (mine), ==, RINGAL_ALLOCATOR_DEFAULT_CAPACITY);

  buffer = ringal_allocator_fixed (mine, 100, NULL);
  g_assert_nonnull (buffer);
}

static gpointer
thread_default_capacity (gpointer data)
{
  return GSIZE_TO_POINTER (ringal_allocator_get_capacity (ringal_allocator_get_thread_default ()));
}

/* The capacity of thread-default allocators made from now on. */
static void
test_default_capacity (void)
{
  gsize capacity;

  /* The suite runs without RINGAL_DEFAULT_CAPACITY. */
  g_assert_cmpuint (ringal_allocator_get_default_capacity (), ==, RINGAL_ALLOCATOR_DEFAULT_CAPACITY);

  ringal_allocator_set_default_capacity (64 * 1024);
  g_assert_cmpuint (ringal_allocator_get_default_capacity (), ==, 64 * 1024);
  capacity = GPOINTER_TO_SIZE (g_thread_join (g_thread_new ("t", thread_default_capacity, NULL)));
  g_assert_cmpuint (capacity, ==, 64 * 1024);

  g_test_expect_message ("Ringal", G_LOG_LEVEL_CRITICAL, "*capacity > 0*");
  ringal_allocator_set_default_capacity (0);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (ringal_allocator_get_default_capacity (), ==, 64 * 1024);

  ringal_allocator_set_default_capacity (RINGAL_ALLOCATOR_DEFAULT_CAPACITY);
}

/* RINGAL_DEFAULT_CAPACITY: a value whose unit would wrap it round is
 * rejected with a warning, not taken modulo 2^64. */
static void
test_default_capacity_environment (gconstpointer data)
{
  const char *value = data;

  if (g_test_subprocess ())
    {
      g_log_set_always_fatal (G_LOG_FATAL_MASK);  /* the warning is the point */
      g_setenv ("RINGAL_DEFAULT_CAPACITY", value, TRUE);
      g_print ("capacity %" G_GSIZE_FORMAT "\n", ringal_allocator_get_default_capacity ());
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  if (g_str_equal (value, "64k"))
    {
      g_test_trap_assert_stdout ("capacity 65536\n");
      g_test_trap_assert_stderr ("");
    }
  else
    {
      g_autofree char *expected = g_strdup_printf ("capacity %d\n", RINGAL_ALLOCATOR_DEFAULT_CAPACITY);

      g_test_trap_assert_stdout (expected);
      g_test_trap_assert_stderr ("*RINGAL_DEFAULT_CAPACITY=*is not a capacity*");
    }
}

/* FULL is not forever: releasing makes room for the same request. */
static void
test_full_then_room (RingalFixture *f,
                     gconstpointer  data)
{
  GPtrArray *buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) ringal_buffer_unref);
  GError *error = NULL;
  RingalBuffer *buffer;

  while ((buffer = ringal_allocator_fixed (f->allocator, 500, &error)) != NULL)
    g_ptr_array_add (buffers, buffer);
  g_assert_error (error, RINGAL_ERROR, RINGAL_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "500"));
  g_clear_error (&error);

  g_ptr_array_remove_index (buffers, 0);
  buffer = ringal_allocator_fixed (f->allocator, 500, &error);
  g_assert_no_error (error);
  g_ptr_array_add (buffers, buffer);
  g_ptr_array_unref (buffers);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ringal/Allocator/new", test_new);
  g_test_add_func ("/Ringal/Allocator/construct-properties", test_construct_properties);
  g_test_add_func ("/Ringal/Allocator/construct-errors", test_construct_errors);
  g_test_add_func ("/Ringal/Allocator/default-construction", test_default_construction);
  g_test_add_func ("/Ringal/Allocator/try-new-errors", test_try_new_errors);
  g_test_add_func ("/Ringal/Allocator/new-criticals", test_new_criticals);
  g_test_add_func ("/Ringal/Allocator/null-self", test_null_self);
  g_test_add_func ("/Ringal/Allocator/wrong-type-self", test_wrong_type_self);
  g_test_add_func ("/Ringal/Allocator/error-already-set", test_error_already_set);
  g_test_add_func ("/Ringal/Allocator/thread-default", test_thread_default);
  g_test_add_func ("/Ringal/Allocator/default-capacity", test_default_capacity);
  g_test_add_data_func ("/Ringal/Allocator/default-capacity-environment/64k", "64k",
                        test_default_capacity_environment);
  g_test_add_data_func ("/Ringal/Allocator/default-capacity-environment/wraps", "17179869185G",
                        test_default_capacity_environment);
  g_test_add_data_func ("/Ringal/Allocator/default-capacity-environment/huge", "99999999999999999999999",
                        test_default_capacity_environment);
  ringal_test_add ("/Ringal/Allocator/write-null-data", test_write_null_data);
  ringal_test_add ("/Ringal/Allocator/full-then-room", test_full_then_room);

  return g_test_run ();
}
