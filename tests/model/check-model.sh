#!/bin/sh
# check-model.sh MODEL WHAT [CONTROL]: verify a protocol model
# (tests/model/*.pml) with Spin, and its negative control: the shipped
# protocol must have no error, and the one built with -DCONTROL (by
# default NO_MEMBARRIER) must show WHAT, the error the shipped protocol
# prevents, in Spin's words.
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later

set -eu

model=$(cd "$(dirname "$0")" && pwd)/$1
symptom=$2
control=${3:-NO_MEMBARRIER}
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
  echo "ok 1 - $1: Spin finds no error ($states states)"
else
  echo "not ok 1 - Spin found an error in the protocol"
  printf '%s\n' "$shipped" | sed 's/^/# /'
  exit 1
fi

negative=$(verify -D"$control")
if printf '%s\n' "$negative" | grep -q "$symptom"; then
  echo "ok 2 - $1 with $control: Spin finds the $symptom"
else
  echo "not ok 2 - the negative control ($control) found nothing"
  printf '%s\n' "$negative" | sed 's/^/# /'
  exit 1
fi
