#!/usr/bin/env bash
# Build the PDF edition into _build/latex/cnsaudit.pdf (pdflatex; installs TeX Live from Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
CNSAUDIT_PDF=1 bash scripts/setup.sh
.venv/bin/python -m cnsaudit validate
.venv/bin/jupyter-book build . --builder pdflatex
# What the PDF edition is checked for (tests/test_pdf.py): code, text dumps, overfull lines, wrap marks.
.venv/bin/python -m cnsaudit.tools.pdf_check _build/latex
echo "pdf: _build/latex/cnsaudit.pdf"
