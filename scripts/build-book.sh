#!/usr/bin/env bash
# Build the HTML book into _build/html: every notebook re-executed, warnings are errors.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -rf _build/html _build/.doctrees _build/jupyter_execute
.venv/bin/python -m cnsaudit validate
.venv/bin/jupyter-book build . -W -n --keep-going
echo "book: open _build/html/index.html"
