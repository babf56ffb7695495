#!/bin/sh
# check-model.sh: verify the wait/wake model with Spin, and its negative
# control: the shipped protocol must have no error, and the one without
# the waiter's membarrier must show the lost wake-up.
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later

set -eu

model=$(cd "$(dirname "$0")" && pwd)/wait-wake.pml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

verify() {
  spin -a "$@" "$model" >/dev/null
  cc -O2 -w -o pan pan.c
  ./pan -m10000 2>&1
}

echo 1..2
shipped=$(verify)
if printf '%s\n' "$shipped" | grep -q 'errors: 0'; then
  states=$(printf '%s\n' "$shipped" | sed -n 's/^ *\([0-9][0-9]*\) states, stored.*/\1/p')
  echo "ok 1 - the protocol has no lost wake-up ($states states)"
else
  echo "not ok 1 - Spin found an error in the protocol"
  printf '%s\n' "$shipped" | sed 's/^/# /'
  exit 1
fi

control=$(verify -DNO_MEMBARRIER)
if printf '%s\n' "$control" | grep -q 'invalid end state'; then
  echo "ok 2 - without the membarrier Spin finds the lost wake-up"
else
  echo "not ok 2 - the negative control found nothing"
  printf '%s\n' "$control" | sed 's/^/# /'
  exit 1
fi
