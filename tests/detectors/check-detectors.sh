#!/bin/sh
# check-detectors.sh MISUSE MODE: run each mistake of misuse.c and require
# the report that should catch it.  MODE is "asan" for a build with
# AddressSanitizer, "plain" otherwise (then Valgrind, if present, and the
# ring's own checks are the detectors).
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later

set -u

misuse=$1
mode=$2
failures=0
n=0

# expect TOOL CASE PATTERN: the run must fail, and its stderr match.
expect() {
  tool=$1 case=$2 pattern=$3
  n=$((n + 1))
  case $tool in
    valgrind) set -- valgrind --error-exitcode=99 --suppressions=/usr/share/glib-2.0/valgrind/glib.supp "$misuse" "$case" ;;
    *) set -- "$misuse" "$case" ;;
  esac
  output=$(G_DEBUG=fatal-criticals G_SLICE=always-malloc "$@" 2>&1)
  status=$?
  if [ $status -ne 0 ] && printf '%s\n' "$output" | grep -q "$pattern"; then
    echo "ok $n - $case is reported under $tool ($pattern)"
  else
    echo "not ok $n - $case is not reported under $tool (exit $status, wanted '$pattern')"
    printf '%s\n' "$output" | sed 's/^/# /' | tail -n 20
    failures=$((failures + 1))
  fi
}

if [ "$mode" = asan ]; then
  echo 1..3
  expect asan use-after-release 'AddressSanitizer: use-after-poison'
  expect asan overflow 'AddressSanitizer: use-after-poison'
  expect asan double-release 'AddressSanitizer: use-after-poison'
else
  if command -v valgrind >/dev/null 2>&1; then
    echo 1..5
    expect valgrind use-after-release 'Invalid read'
    expect valgrind double-release 'Invalid read'
  else
    echo 1..3
    echo "# valgrind is not installed: only the ring's own checks are tried"
  fi
  expect ring overflow 'the ring is corrupted'
  expect ring double-release 'released twice'
  if command -v valgrind >/dev/null 2>&1; then
    expect valgrind overflow 'the ring is corrupted'
  else
    expect ring overflow 'the ring is corrupted'
  fi
fi
exit $((failures > 0))
