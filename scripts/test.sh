#!/usr/bin/env bash
# Run the whole test suite: package, data schema, audit verdicts, CLI, notebooks (nbval, strict)
# and a strict offline build of the book.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
