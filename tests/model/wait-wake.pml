/* wait-wake.pml: the wait-for-room protocol of ringal-glib, for Spin
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One waiter that found the ring full, one thread releasing the region it
 * waits for (ringal-ring.[ch], ringal-allocator-wait.c).  The releasing
 * thread runs on a CPU with a store buffer (x86-TSO): its store-release of
 * the guard may stay invisible to other CPUs while it goes on to read the
 * ring's `attention` flag with only a compiler barrier in between.  A
 * locked instruction (taking the ring's lock) or a membarrier(2) from
 * another thread drains the buffer; so does time (the Drain process).
 *
 * Spin's safety check reports any run that ends with the waiter asleep
 * although the region is free: a lost wake-up, an "invalid end state".
 * With -DNO_MEMBARRIER the waiter registers without the barrier, and Spin
 * must find exactly that run (the negative control).
 */

bit guard_locked = 1;     /* the region the waiter needs, as memory sees it */
bit buffered_unlock = 0;  /* the releaser's unlock, still in its store buffer */
bit waiters = 0;          /* WAITERS in `attention` */
byte wake_seq = 0;
bit ring_lock = 0;
bit allocated = 0;

inline drain ()
{
  atomic {
    if
    :: buffered_unlock -> guard_locked = 0; buffered_unlock = 0
    :: else -> skip
    fi
  }
}

inline lock ()
{
  /* a locked instruction: it drains the caller's store buffer first */
  drain ();
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
  :: waiters ->
       /* ringal_ring_release_slow(): wake under the lock */
       lock ();
       wake_seq++;
       unlock ()
  :: else -> skip
  fi
}

active proctype Drain ()
{
  /* the store buffer empties by itself, sooner or later */
end:
  do
  :: atomic { buffered_unlock -> guard_locked = 0; buffered_unlock = 0 }
  od
}

active proctype Waiter ()
{
  byte seen;

  /* ringal_ring_add_waiter(): register under the lock ... */
  lock ();
  waiters = 1;
  unlock ();
#ifndef NO_MEMBARRIER
  /* ... then the heavy barrier: every CPU's store buffer is drained */
  drain ();
#endif

  do
  :: lock (); seen = wake_seq; unlock ();
     if
     :: guard_locked == 0 -> allocated = 1; break   /* the try succeeds */
     :: else -> skip
     fi;
     /* ringal_ring_wait(): sleep until the sequence moves */
     lock ();
     if
     :: wake_seq == seen -> unlock (); (wake_seq != seen); lock ()
     :: else -> skip
     fi;
     unlock ()
  od;

  assert (allocated == 1)
}
