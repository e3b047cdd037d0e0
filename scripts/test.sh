#!/usr/bin/env bash
# Run the whole test suite: package, data schema, audit verdicts, CLI, notebooks (nbval, strict)
# a strict offline build of the book, and every page opened in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
# The browser test drives Debian's chromium, so the test set-up installs it.
CNSAUDIT_BROWSER=1 bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
