#!/usr/bin/env bash
# Set everything up and run the demo: build newsgraph-demo.duckdb from the bundled sample corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/newsgraph demo "$@"
