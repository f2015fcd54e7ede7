#!/usr/bin/env bash
# Set everything up and run the whole test suite (tests needing ../shared skip without it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
exec .venv/bin/python -m pytest "$@"
