#!/usr/bin/env bash
# Set everything up and run the whole test suite (tests needing ../shared skip without it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test ray

# Browser tests drive Debian's chromium with Playwright (Playwright cannot download its own
# browser here). Installing it needs root, as in CI; elsewhere the browser tests skip.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests ..." >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ||
      echo "warning: could not install chromium; browser tests will skip" >&2
  else
    echo "note: chromium is not installed (sudo apt-get install chromium); browser tests will skip" >&2
  fi
fi

exec .venv/bin/python -m pytest "$@"
