#!/usr/bin/env bash
# Check every external link of the book (DOIs, PubMed, regulators' pages, the repository) with
# Sphinx's linkcheck builder, then name each broken one. This needs the network, so it is not part
# of the offline build or the test suite: .github/workflows/watch.yml runs it every week.
# Exit status 1 when a link is broken; the list is in _build/linkcheck/output.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -rf _build/linkcheck
# The build's own exit status is not the verdict: the report below reads every link's result and
# fails on a broken one, naming it.
status=0
.venv/bin/jupyter-book build . --builder linkcheck || status=$?
if [ ! -f _build/linkcheck/output.json ]; then
  echo "linkcheck: the build stopped before checking any link (exit $status)" >&2
  exit "$(( status == 0 ? 2 : status ))"
fi
.venv/bin/python -m cnsaudit.book.linkcheck _build/linkcheck/output.json
