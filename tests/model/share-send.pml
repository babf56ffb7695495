/* share-send.pml: waking a receiver at a message, for Spin
 *
 * SPDX-FileCopyrightText: 2026 The ringal-glib authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The message queue (ringal-share-private.h): the sender pushes N
 * messages, each a store of the count and then a look at the receiver's
 * request to be woken, answered with a byte on the socket
 * (ringal_share_publish() in ringal-share.c).  The receiver takes what is
 * there; finding nothing, it asks to be woken at the next message, looks
 * once more, and only then sleeps on the socket, whose bytes it spends
 * before it looks again (receive_step() in ringal-receiver.c).
 *
 * The atomics are sequentially consistent, so the model interleaves whole
 * steps.  Spin's safety check reports any run that ends with the receiver
 * asleep although a message waits: a lost wake-up, an "invalid end state".
 * With -DNO_SECOND_LOOK the receiver sleeps right after asking, and Spin
 * must find that run (the negative control).
 */

#define N 3

byte sent = 0;           /* the queue's count: the sender's */
byte wake_wanted = 0;    /* 0, or the first message that should wake */
byte socket_bytes = 0;   /* wake-ups not read yet */

active proctype Sender ()
{
  byte mine = 0, wanted;

  do
  :: mine < N ->
       mine++;
       sent = mine;
       wanted = wake_wanted;
       if
       :: wanted != 0 && mine >= wanted ->
            atomic {
              if
              :: wake_wanted == wanted -> wake_wanted = 0; socket_bytes++
              :: else -> skip
              fi
            }
       :: else -> skip
       fi
  :: else -> break
  od
}

active proctype Receiver ()
{
  byte taken = 0;

  do
  :: taken == N -> break
  :: taken < sent -> taken++
  :: else ->
       /* ask_and_take(): ask, then look once more */
       wake_wanted = taken + 1;
#ifndef NO_SECOND_LOOK
       if
       :: taken < sent -> taken++; goto next
       :: else -> skip
       fi;
#endif
       /* sleep on the socket, then spend what woke us */
       atomic { socket_bytes > 0 -> socket_bytes = 0 };
next:
       skip
  od;
  assert (taken == N)
}
