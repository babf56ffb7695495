/* ringal-ring-store.c: where a ring's store comes from (private)
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Anonymous memory for a ring of one process; a sealed memfd for a ring
 * whose bytes another process maps (ringal_allocator_new_shareable()).
 */

#define _GNU_SOURCE  /* memfd_create(), seals, POLLRDHUP */

#include "config.h"

#include "ringal-ring-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

/* A ring streams through its whole store, one page after another: from
 * this size on, ask for huge pages, so that it costs few TLB misses. */
#define RINGAL_RING_HUGE_PAGES_FROM (4 * 1024 * 1024)

/* The seals of a shareable store: its size is fixed for good, so that a
 * peer's mapping can never lose its pages (SIGBUS) to a truncation. */
#define RINGAL_RING_STORE_SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)

/* A memfd of @size bytes whose size can never change; -1 with errno set. */
int
ringal_ring_store_memfd (size_t size)
{
  int fd = memfd_create ("ringal-ring", MFD_CLOEXEC | MFD_ALLOW_SEALING);

  if (fd < 0)
    return -1;
  if (ftruncate (fd, (off_t) size) != 0 ||
      fcntl (fd, F_ADD_SEALS, RINGAL_RING_STORE_SEALS) != 0)
    {
      int saved = errno;

      close (fd);
      errno = saved;
      return -1;
    }
  return fd;
}

/* Maps a store of @size bytes, in a memfd when @shareable; *fd is the
 * memfd, or -1.  NULL when the system says no: an impossible size fails
 * here instead of aborting. */
RingalGuard *
ringal_ring_store_map (size_t  size,
                       bool    shareable,
                       int    *fd)
{
  void *store;

  *fd = -1;
  if (!shareable)
    /* mmap rather than malloc: page aligned, and untouched pages cost
     * nothing. */
    store = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  else
    {
      if ((*fd = ringal_ring_store_memfd (size)) < 0)
        return NULL;
      store = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
    }

  if (store == MAP_FAILED)
    {
      if (*fd >= 0)
        close (*fd);
      *fd = -1;
      return NULL;
    }
#ifdef MADV_HUGEPAGE
  if (!shareable && size >= RINGAL_RING_HUGE_PAGES_FROM)
    madvise (store, size, MADV_HUGEPAGE);
#endif
  return store;
}

void
ringal_ring_store_unmap (RingalGuard *store,
                         size_t       size,
                         int          fd)
{
  munmap (store, size);
  if (fd >= 0)
    close (fd);
}
