#!/usr/bin/env bash
# Create .venv with the pinned packages and the system tools the book needs.
# Idempotent: it reinstalls only when requirements.txt or pyproject.toml change.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)
if [ "${CNSAUDIT_BROWSER:-0}" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  need_apt+=(chromium)
fi
if [ "${CNSAUDIT_PDF:-0}" = 1 ] && ! { command -v latexmk >/dev/null 2>&1 && kpsewhich tgtermes.sty >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; }; then
  need_apt+=(texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended latexmk tex-gyre poppler-utils)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing pinned Python packages into .venv"
  # (this machine's pip.conf names local mirrors that may not exist; drop pip's warnings about them)
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  echo "$want" > "$stamp"
fi
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
# jsonschema imports rfc3987_syntax at start-up to check the "iri" string format, and that import
# compiles about 35 Lark grammars: 0.8–1.8 s in every process that imports nbformat (each build, each
# pytest worker). Nothing here validates an "iri"; marking the module absent makes jsonschema skip
# that one format (python-jsonschema/jsonschema#1428, opendatahub-io/notebooks#3532).
site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo 'import sys; sys.modules.setdefault("rfc3987_syntax", None)' > "$site/cnsaudit-skip-iri-grammar.pth"
