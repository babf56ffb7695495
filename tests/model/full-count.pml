/* full-count.pml: how an allocator that found the ring full learns of
 * releases, for Spin
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One allocator whose lap found no room, one thread releasing a region
 * (ringal-ring.c: ringal_ring_reserve_slow(), full_arm(), full_counts();
 * ringal-ring-release.c: ringal_ring_release_slow()).  After a failed lap
 * the allocator announces FULL in `attention` and pays for the heavy
 * barrier, takes the count of releases under the lock, and walks again;
 * if that lap fails too, later requests fail at once while the count has
 * not moved.  The releasing thread runs on a CPU with a store buffer, as
 * in wait-wake.pml: its unlock may stay invisible while it reads
 * `attention` with only a compiler barrier in between.
 *
 * The property: once the release is over and visible, the allocator never
 * rules out the room it made (a stale "full" that no release will ever
 * correct).  With -DNO_MEMBARRIER the allocator announces without the
 * barrier, and Spin must find exactly that run (the negative control).
 */

bit guard_locked = 1;     /* the released region, as memory sees it */
bit buffered_unlock = 0;  /* the releaser's unlock, still in its store buffer */
bit announced = 0;        /* FULL in `attention` */
byte releases = 0;        /* full_releases, under the lock */
bit ring_lock = 0;
bit released = 0;         /* the releaser is done */

inline drain ()
{
  atomic {
    if
    :: buffered_unlock -> guard_locked = 0; buffered_unlock = 0
    :: else -> skip
    fi
  }
}

/* A locked instruction drains the caller's own store buffer first: only
 * the releaser has one here, so only its lock () drains. */
inline lock ()
{
  atomic { ring_lock == 0 -> ring_lock = 1 }
}

inline unlock ()
{
  ring_lock = 0
}

active proctype Releaser ()
{
  /* ringal_ring_release(): store-release, compiler barrier, load */
  buffered_unlock = 1;
  if
  :: announced ->
       /* ringal_ring_release_slow(): count it under the lock */
       drain ();
       lock ();
       releases++;
       unlock ()
  :: else -> skip
  fi;
  released = 1
}

active proctype Drain ()
{
end:
  do
  :: atomic { buffered_unlock -> guard_locked = 0; buffered_unlock = 0 }
  od
}

active proctype Allocator ()
{
  byte base;
  bit found;

  /* the first lap; room found there ends the story */
  if
  :: guard_locked == 0 -> goto done
  :: else -> skip
  fi;

  /* full_arm(): announce under the lock ... */
  lock ();
  announced = 1;
  unlock ();
#ifndef NO_MEMBARRIER
  /* ... then the heavy barrier: every CPU's store buffer is drained */
  drain ();
#endif
  /* full_counts(), then the second lap */
  lock ();
  base = releases;
  unlock ();
  found = !guard_locked;

  if
  :: found -> skip          /* room: nothing is learnt */
  :: else ->
       /* The release is over and its store has reached memory; the next
        * request must not be ruled out by a count that did not move. */
       released == 1;
       buffered_unlock == 0;
       lock ();
       assert (guard_locked == 1 || releases != base);
       unlock ()
  fi;
done:
  skip
}
