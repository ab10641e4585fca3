#!/usr/bin/env bash
# Reads the output of `python -m migrations_scripts status` on stdin and fails unless every
# migration it lists is applied: one "pending", "being applied" or unknown line, or no
# migrations section at all, is a failure (an output this script does not understand must
# stop the deploy rather than pass it).
set -euo pipefail

awk '
  /^migrations:/ { section = 1; next }
  section && /^  / {
    seen = 1
    if ($0 ~ /^  none$/ || $0 ~ /  applied [0-9]/) next
    print "not applied: " substr($0, 3)
    bad = 1
    next
  }
  section { section = 0 }
  END {
    if (!seen) { print "no migrations section in the status output"; exit 1 }
    exit bad
  }
' >&2
