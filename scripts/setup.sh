#!/usr/bin/env bash
# Create .venv with Python >= 3.11 and install newsgraph into it (editable), with the
# extras given as arguments (e.g. "test"). Idempotent: rerunning only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=""
for candidate in python3.11 python3.12 python3.13 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    PY="$candidate"; break
  fi
done
if [ -z "$PY" ]; then
  echo "error: newsgraph needs Python 3.11 or newer (none found on PATH)" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=$(IFS=,; echo "$*")
target="."
[ -n "$extras" ] && target=".[$extras]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target"
