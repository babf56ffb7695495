/* share-wake.pml: waking a sender at a remote release, for Spin
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A sender waits for room (ringal-allocator-wait.c) that only the
 * receiver in the other process can give back, through the release queue
 * (ringal-share-private.h).  Three processes:
 *
 * - Receiver: lets go of its N regions one by one: pushes each to the
 *   queue, then reads `wake_wanted` and, if asked, clears it and writes
 *   the eventfd (ringal-receiver.c, link_release()).
 * - Watcher: the sender's thread, woken by the eventfd; drains the queue
 *   and releases what it took into the ring, waking the waiter
 *   (ringal-sender.c, watch()).
 * - Waiter: needs all N regions back.  Each try drains the queue itself;
 *   a drain that finds nothing arms `wake_wanted` and drains once more,
 *   and only then sleeps until the ring's wake sequence moves
 *   (ringal-allocator.c, allocate_slow(), and ringal-sender.c).
 *
 * The atomics are sequentially consistent, so the model interleaves whole
 * steps.  Spin's safety check reports any run that ends with the waiter
 * asleep although every region was released: a lost wake-up, an "invalid
 * end state".
 *
 * Shipped: the sender arms with the count of releases it has taken plus
 * one, and the receiver spends the arm only on a release at or past it.
 * With -DONE_BIT, the arm is a plain flag, as first shipped: a release
 * the sender has already taken itself can spend the arm, and Spin must
 * find that run (the negative control).
 */

#define N 3

byte written = 0;        /* the queue's count of releases: the receiver's */
byte drained = 0;        /* the sender's, under its link's lock */
byte wake_wanted = 0;    /* 0, or the first release that should wake */
byte eventfd = 0;
byte wake_seq = 0;       /* the ring's */
byte in_ring = 0;        /* regions back in the sender's ring */

/* drain_locked() and the unref that follows: the taken regions go back to
 * the ring, whose release wakes the waiter (it is registered throughout). */
inline drain (taken)
{
  atomic { taken = written - drained; drained = written };
  if
  :: taken > 0 -> atomic { in_ring = in_ring + taken; wake_seq++ }
  :: else -> skip
  fi
}

active proctype Receiver ()
{
  byte mine = 0, arm;

  do
  :: mine < N ->
       mine++;
       written = mine;
       arm = wake_wanted;
#ifdef ONE_BIT
       if
       :: arm != 0 ->
            atomic {
              if
              :: wake_wanted != 0 -> wake_wanted = 0; eventfd++
              :: else -> skip
              fi
            }
       :: else -> skip
       fi
#else
       if
       :: arm != 0 && mine >= arm ->
            atomic {
              if
              :: wake_wanted == arm -> wake_wanted = 0; eventfd++
              :: else -> skip
              fi
            }
       :: else -> skip
       fi
#endif
  :: else -> break
  od
}

active proctype Watcher ()
{
  byte taken;

end:
  do
  :: atomic { eventfd > 0 -> eventfd = 0 };
     drain (taken)
  od
}

active proctype Waiter ()
{
  byte seen, taken;

  do
  :: seen = wake_seq;
     /* a try: allocate, and while it fails, drain until nothing comes */
     do
     :: in_ring == N -> goto done
     :: else ->
          drain (taken);
          if
          :: taken > 0 -> skip
          :: else ->
               /* arm_locked(): ask for a wake-up, then take what came
                * before the receiver could see that */
#ifdef ONE_BIT
               wake_wanted = 1;
#else
               wake_wanted = drained + 1;
#endif
               drain (taken);
               if
               :: taken > 0 -> skip
               :: else -> break
               fi
          fi
     od;
     /* ringal_ring_wait(): sleep until the sequence moves */
     (wake_seq != seen)
  od;
done:
  assert (in_ring == N)
}
