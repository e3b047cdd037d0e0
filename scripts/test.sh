#!/usr/bin/env bash
# Run the whole test suite: package, data schema, audit verdicts, CLI, notebooks (nbval, strict)
# a strict offline build of the book, every page opened in headless Chromium, and the PDF edition.
set -euo pipefail
cd "$(dirname "$0")/.."
# The browser test drives Debian's chromium and the PDF test needs TeX Live, so the test set-up
# installs both.
CNSAUDIT_BROWSER=1 CNSAUDIT_PDF=1 bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
