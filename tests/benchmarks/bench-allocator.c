/* bench-allocator.c: which allocator serves malloc() in this benchmark
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Built once per executable with BENCH_ALLOCATOR set to glibc, mimalloc,
 * jemalloc or tcmalloc.  Linking a library is not enough: the check asks
 * the allocator's own API whether it owns a block that malloc() returned,
 * and asks the dynamic linker where `malloc` resolves to.
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-allocator.h"

#if BENCH_ALLOCATOR_MIMALLOC
# include <mimalloc.h>
#elif BENCH_ALLOCATOR_JEMALLOC
# include <jemalloc/jemalloc.h>
#elif BENCH_ALLOCATOR_TCMALLOC
# include <gperftools/tcmalloc.h>
#else
# include <gnu/libc-version.h>
#endif

const char *
bench_allocator_name (void)
{
  return BENCH_ALLOCATOR;
}

/* Fills @detail and returns true when malloc() really is served by the
 * allocator this executable is named after. */
bool
bench_allocator_check (char   *detail,
                       size_t  detail_size)
{
  void *(*resolved) (size_t) = (void *(*) (size_t)) dlsym (RTLD_DEFAULT, "malloc");
  const char *library = "?";
  void *volatile block;
  bool owned = false;
  char version[64] = "";
  Dl_info info;

  if (resolved != NULL && dladdr ((void *) resolved, &info) && info.dli_fname != NULL)
    library = info.dli_fname;

  block = malloc (100);

#if BENCH_ALLOCATOR_MIMALLOC
  owned = mi_is_in_heap_region (block);
  snprintf (version, sizeof version, "%d", mi_version ());
#elif BENCH_ALLOCATOR_JEMALLOC
  {
    const char *jv = NULL;
    size_t len = sizeof jv;

    /* The block's usable size as jemalloc's size classes give it. */
    owned = mallctl ("version", (void *) &jv, &len, NULL, 0) == 0 &&
            malloc_usable_size (block) == nallocx (100, 0);
    snprintf (version, sizeof version, "%s", jv != NULL ? jv : "?");
  }
#elif BENCH_ALLOCATOR_TCMALLOC
  {
    int major, minor;
    const char *patch;

    owned = tc_malloc_size (block) >= 100 && strstr (library, "tcmalloc") != NULL;
    snprintf (version, sizeof version, "%s", tc_version (&major, &minor, &patch));
  }
#else
  owned = strstr (library, "libc.so") != NULL;
  snprintf (version, sizeof version, "%s", gnu_get_libc_version ());
#endif

  free (block);

  owned = owned && strstr (library, BENCH_ALLOCATOR_LIBRARY) != NULL;
  snprintf (detail, detail_size, "%s %s, malloc from %s", BENCH_ALLOCATOR, version, library);
  return owned;
}
