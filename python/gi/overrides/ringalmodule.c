/* ringalmodule.c: gi.overrides._ringal, what Ringal.py needs from C
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * PyGObject copies a byte array argument element by element unless it is
 * `bytes`, and returns ring memory as a new `bytes`.  This module gives
 * Ringal.py the buffer protocol both ways: writes and copies from any
 * contiguous buffer with one memcpy, and memoryviews of ring memory with
 * none.  A view holds the Python object it was taken from, so the memory
 * stays until the view is released; Ringal.py refuses to release, freeze
 * or grow a buffer while a view of it exists.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pygobject.h>

#include <ringal-glib/ringal-glib.h>

/* Views exported per buffer handle (several Python wrappers may share
 * one), guarded by the GIL. */
static GHashTable *exports;

static guint
exports_of (RingalBuffer *buffer)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (exports, buffer));
}

static RingalBuffer *
buffer_from_object (PyObject *object)
{
  if (!pyg_boxed_check (object, RINGAL_TYPE_BUFFER))
    {
      PyErr_Format (PyExc_TypeError, "expected a Ringal.Buffer, not %s",
                    Py_TYPE (object)->tp_name);
      return NULL;
    }
  return pyg_boxed_get (object, RingalBuffer);
}

/* Any contiguous buffer, read-only is fine: bytes, bytearray, memoryview,
 * array.array, mmap... */
static int
get_input (PyObject  *object,
           Py_buffer *view)
{
  if (PyObject_GetBuffer (object, view, PyBUF_SIMPLE) < 0)
    {
      if (PyErr_ExceptionMatches (PyExc_TypeError))
        {
          PyErr_Clear ();
          PyErr_Format (PyExc_TypeError,
                        "expected a bytes-like object (bytes, bytearray, memoryview, "
                        "array.array...), not %s", Py_TYPE (object)->tp_name);
        }
      return -1;
    }
  return 0;
}

/* The method's object and one argument. */
static gboolean
one_argument (Py_ssize_t  nargs,
              const char *method)
{
  if (nargs == 2)
    return TRUE;
  PyErr_Format (PyExc_TypeError, "%s() takes exactly one argument (%zd given)", method, nargs - 1);
  return FALSE;
}

/* BufferExporter: a base without fields for Ringal.Buffer, which gives it
 * the buffer protocol, so that memoryview (buffer) works. */
static int
exporter_getbuffer (PyObject  *self,
                    Py_buffer *view,
                    int        flags)
{
  static char empty[1];
  RingalBuffer *buffer = buffer_from_object (self);
  const guint8 *data;
  gboolean frozen;
  gsize len;

  if (buffer == NULL)
    return -1;
  if (ringal_buffer_is_closed (buffer))
    {
      PyErr_SetString (PyExc_BufferError, "the buffer has been released: it has no memory to view");
      view->obj = NULL;
      return -1;
    }

  data = ringal_buffer_get_data (buffer, &len);
  frozen = ringal_buffer_is_frozen (buffer);
  if (PyBuffer_FillInfo (view, self, data != NULL ? (void *) data : empty, (Py_ssize_t) len,
                         frozen, flags) < 0)
    return -1;

  g_hash_table_insert (exports, buffer, GUINT_TO_POINTER (exports_of (buffer) + 1));
  return 0;
}

static void
exporter_releasebuffer (PyObject  *self,
                        Py_buffer *view)
{
  RingalBuffer *buffer = pyg_boxed_get (self, RingalBuffer);
  guint n = exports_of (buffer);

  if (n <= 1)
    g_hash_table_remove (exports, buffer);
  else
    g_hash_table_insert (exports, buffer, GUINT_TO_POINTER (n - 1));
}

static PyBufferProcs exporter_buffer_procs = {
  .bf_getbuffer = exporter_getbuffer,
  .bf_releasebuffer = exporter_releasebuffer,
};

static PyTypeObject exporter_type = {
  PyVarObject_HEAD_INIT (NULL, 0)
  .tp_name = "gi.overrides._ringal.BufferExporter",
  .tp_basicsize = sizeof (PyObject),
  .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
  .tp_as_buffer = &exporter_buffer_procs,
  .tp_doc = "Gives Ringal.Buffer the buffer protocol: memoryview (buffer).",
};

/* BytesView: what a read-only memoryview of a GBytes holds on to. */
typedef struct {
  PyObject_HEAD
  GBytes *bytes;
} BytesView;

static int
bytes_view_getbuffer (PyObject  *self,
                      Py_buffer *view,
                      int        flags)
{
  static char empty[1];
  gsize len;
  gconstpointer data = g_bytes_get_data (((BytesView *) self)->bytes, &len);

  return PyBuffer_FillInfo (view, self, data != NULL ? (void *) data : empty,
                            (Py_ssize_t) len, 1, flags);
}

static void
bytes_view_dealloc (PyObject *self)
{
  g_bytes_unref (((BytesView *) self)->bytes);
  Py_TYPE (self)->tp_free (self);
}

static PyBufferProcs bytes_view_buffer_procs = {
  .bf_getbuffer = bytes_view_getbuffer,
};

static PyTypeObject bytes_view_type = {
  PyVarObject_HEAD_INIT (NULL, 0)
  .tp_name = "gi.overrides._ringal.BytesView",
  .tp_basicsize = sizeof (BytesView),
  .tp_flags = Py_TPFLAGS_DEFAULT,
  .tp_dealloc = bytes_view_dealloc,
  .tp_as_buffer = &bytes_view_buffer_procs,
  .tp_doc = "Holds a GLib.Bytes for the memoryviews of it.",
};

static PyObject *
module_view_bytes (PyObject *module,
                   PyObject *object)
{
  BytesView *holder;
  PyObject *view;

  if (!pyg_boxed_check (object, G_TYPE_BYTES))
    {
      PyErr_Format (PyExc_TypeError, "expected a GLib.Bytes, not %s", Py_TYPE (object)->tp_name);
      return NULL;
    }

  holder = PyObject_New (BytesView, &bytes_view_type);
  if (holder == NULL)
    return NULL;
  holder->bytes = g_bytes_ref (pyg_boxed_get (object, GBytes));
  view = PyMemoryView_FromObject ((PyObject *) holder);
  Py_DECREF (holder);
  return view;
}

static PyObject *
module_exports (PyObject *module,
                PyObject *object)
{
  RingalBuffer *buffer = buffer_from_object (object);

  if (buffer == NULL)
    return NULL;
  return PyLong_FromUnsignedLong (exports_of (buffer));
}

static PyObject *
module_write (PyObject  *module,
              PyObject  *const *args,
              Py_ssize_t nargs)
{
  RingalBuffer *buffer;
  GError *error = NULL;
  Py_buffer input;
  gsize written;

  if (!one_argument (nargs, "write"))
    return NULL;
  buffer = buffer_from_object (args[0]);
  if (buffer == NULL || get_input (args[1], &input) < 0)
    return NULL;

  /* Growing may move the bytes a view points at. */
  if (ringal_buffer_is_extendable (buffer) && exports_of (buffer) > 0)
    {
      PyBuffer_Release (&input);
      PyErr_SetString (PyExc_BufferError,
                       "an open extendable buffer cannot be written to while a memoryview "
                       "of it exists: it may move as it grows; release the view first");
      return NULL;
    }

  written = ringal_buffer_write (buffer, input.buf, (gsize) input.len, &error);
  PyBuffer_Release (&input);
  if (pyg_error_check (&error))
    return NULL;
  return PyLong_FromSize_t (written);
}

static PyObject *
module_copy (PyObject  *module,
             PyObject  *const *args,
             Py_ssize_t nargs)
{
  RingalAllocator *allocator;
  GError *error = NULL;
  Py_buffer input;
  GBytes *bytes;

  if (!one_argument (nargs, "copy"))
    return NULL;
  if (!pygobject_check (args[0], pygobject_lookup_class (RINGAL_TYPE_ALLOCATOR)))
    {
      PyErr_SetString (PyExc_TypeError, "expected a Ringal.Allocator");
      return NULL;
    }
  allocator = RINGAL_ALLOCATOR (pygobject_get (args[0]));
  if (get_input (args[1], &input) < 0)
    return NULL;

  bytes = ringal_allocator_copy (allocator, input.buf, (gsize) input.len, &error);
  PyBuffer_Release (&input);
  if (pyg_error_check (&error))
    return NULL;
  return pyg_boxed_new (G_TYPE_BYTES, bytes, FALSE, TRUE);
}

static PyObject *
module_release (PyObject *module,
                PyObject *object)
{
  RingalBuffer *buffer = buffer_from_object (object);

  if (buffer == NULL)
    return NULL;
  if (exports_of (buffer) > 0 && !ringal_buffer_is_closed (buffer))
    {
      PyErr_Format (PyExc_BufferError,
                    "the buffer cannot be released while %u memoryview(s) of it exist: "
                    "release them first (view.release(), or a with block around the view)",
                    exports_of (buffer));
      return NULL;
    }
  ringal_buffer_release (buffer);
  Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
  { "view_bytes", module_view_bytes, METH_O,
    "view_bytes(bytes: GLib.Bytes) -> memoryview: a read-only view, without a copy" },
  { "exports", module_exports, METH_O,
    "exports(buffer) -> int: how many views of the buffer exist" },
  { "write", (PyCFunction) (void (*) (void)) module_write, METH_FASTCALL,
    "write(buffer, data) -> int: ringal_buffer_write() from any contiguous buffer" },
  { "copy", (PyCFunction) (void (*) (void)) module_copy, METH_FASTCALL,
    "copy(allocator, data) -> GLib.Bytes: ringal_allocator_copy() from any contiguous buffer" },
  { "release", module_release, METH_O,
    "release(buffer): ringal_buffer_release(), refused while views exist" },
  { NULL, NULL, 0, NULL },
};

static struct PyModuleDef module_def = {
  PyModuleDef_HEAD_INIT,
  .m_name = "gi.overrides._ringal",
  .m_doc = "The C half of the Ringal overrides: the buffer protocol.",
  .m_size = -1,
  .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__ringal (void);

PyMODINIT_FUNC
PyInit__ringal (void)
{
  PyObject *module;

  if (pygobject_init (3, 0, 0) == NULL)
    return NULL;
  if (PyType_Ready (&exporter_type) < 0 || PyType_Ready (&bytes_view_type) < 0)
    return NULL;

  module = PyModule_Create (&module_def);
  if (module == NULL)
    return NULL;
  if (PyModule_AddObjectRef (module, "BufferExporter", (PyObject *) &exporter_type) < 0)
    {
      Py_DECREF (module);
      return NULL;
    }

  exports = g_hash_table_new (NULL, NULL);
  return module;
}
