#!/usr/bin/python3
# check-exports.py NM LIBRARY HEADER...: the shared library exports the
# public API of the headers and nothing else.
#
# Fails on an exported symbol that does not start with ringal_ (a leaked
# helper, or a static library linked in whole), on a ringal_ symbol that
# no public header declares (a private function such as ringal_ring_new
# without hidden visibility), and on a public function that is not
# exported (a declaration without RINGAL_AVAILABLE_IN_ALL).
#
# SPDX-FileCopyrightText: 2026 The ringal-glib authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import re
import subprocess
import sys


def exported_symbols(nm, library):
    output = subprocess.run([nm, '-D', '--defined-only', library],
                            capture_output=True, text=True, check=True).stdout
    symbols = set()
    for line in output.splitlines():
        fields = line.split()
        # value type name; versioned names carry @VERSION
        if len(fields) == 3:
            symbols.add(fields[2].split('@')[0])
    return symbols


def public_functions(headers):
    names = set()
    for header in headers:
        with open(header) as f:
            text = f.read()
        # Code in doc comments is not a declaration, and function-like
        # macros (ringal_array_index) are not symbols.
        text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        text = re.sub(r'^#\s*define\b.*?(?<!\\)$', '', text, flags=re.M | re.S)
        names.update(re.findall(r'\b(ringal_\w+)\s*\(', text))
        # G_DECLARE_FINAL_TYPE (RingalAllocator, ringal_allocator, ...)
        # declares ringal_allocator_get_type ().
        for prefix in re.findall(r'G_DECLARE_\w+_TYPE\s*\(\s*\w+\s*,\s*(ringal_\w+)\s*,', text):
            names.add(prefix + '_get_type')
    return names


def main(argv):
    if len(argv) < 4:
        print('usage: check-exports.py NM LIBRARY HEADER...', file=sys.stderr)
        return 2
    nm, library, headers = argv[1], argv[2], argv[3:]
    exported = exported_symbols(nm, library)
    public = public_functions(headers)
    problems = []

    for name in sorted(exported):
        if not name.startswith('ringal_'):
            problems.append('exported, not in the ringal_ namespace: %s' % name)
        elif name not in public:
            problems.append('exported, but no public header declares it: %s' % name)
    for name in sorted(public - exported):
        problems.append('declared in a public header, but not exported: %s' % name)

    print('%d symbols exported, %d public functions declared' % (len(exported), len(public)))
    for problem in problems:
        print('FAIL:', problem)
    if not exported:
        problems.append('nothing exported')
        print('FAIL: %s exports nothing' % library)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
