#!/usr/bin/env bash
# Build the book against the newest releases of its direct dependencies (pyproject.toml), nothing
# pinned, to learn what the next versions break before the pinned build meets them.
#
#   bash scripts/build-newest.sh               the newest Jupyter Book 1.x and the newest of
#                                              everything else; strict build, then the fast tests
#   bash scripts/build-newest.sh sphinx        no Jupyter Book: the newest Sphinx, myst-nb and
#                                              theme, through the configuration Jupyter Book
#                                              generates (`jupyter-book config sphinx`), the way
#                                              forward the day Jupyter Book 1 stops working
#
# Each mode builds a copy of the tracked files in _build/newest-<mode>/ with its own virtual
# environment, and writes what it installed to _build/newest-<mode>/freeze.txt and the versions
# that differ from requirements.txt to _build/newest-<mode>/changed.txt (also to the job summary
# when $GITHUB_STEP_SUMMARY is set). Exit status: that of the first step that failed.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-jupyter-book}
case "$mode" in jupyter-book|sphinx) ;; *) echo "usage: $0 [jupyter-book|sphinx]" >&2; exit 2 ;; esac

work=_build/newest-$mode
rm -rf "$work"
mkdir -p "$work/src"
git ls-files -z | xargs -0 tar -cf - | tar -xf - -C "$work/src"
command -v dot >/dev/null 2>&1 || bash scripts/setup.sh   # graphviz, as for every build

PY=${PYTHON:-python3}
"$PY" -m venv "$work/.venv"
pip=("$work/.venv/bin/python" -m pip install -q --disable-pip-version-check)
if [ "$mode" = sphinx ]; then
  # The configuration comes from the pinned Jupyter Book (scripts/setup.sh), the build from the newest Sphinx.
  bash scripts/setup.sh
  .venv/bin/jupyter-book config sphinx "$work/src" >/dev/null
  # Jupyter Book's own extensions are the ones that tie it to Sphinx 7; the book needs none of them.
  printf '%s\n' "" "# scripts/build-newest.sh: built by Sphinx alone" \
    "extensions = [e for e in extensions if e not in ('jupyter_book', 'sphinx_comments', 'sphinx_multitoc_numbering')]" \
    >> "$work/src/conf.py"
  "${pip[@]}" -e "$work/src[sphinx,test]"
else
  "${pip[@]}" -e "$work/src[book,test]"
fi
"$work/.venv/bin/python" -m ipykernel install --sys-prefix --name python3 >/dev/null
# As scripts/setup.sh does (and a test checks): jsonschema's "iri" grammar is never loaded.
site=$("$work/.venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo 'import sys; sys.modules.setdefault("rfc3987_syntax", None)' > "$site/cnsaudit-skip-iri-grammar.pth"

"$work/.venv/bin/python" -m pip freeze --exclude-editable > "$work/freeze.txt"
"$work/.venv/bin/python" - "$mode" requirements.txt "$work/freeze.txt" > "$work/changed.txt" <<'PY'
import re, sys

def pins(path):
    found = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line)
        if m:  # one spelling per package name (PEP 503), so "PyYAML" and "pyyaml" are one package
            found[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return found

mode, pinned, newest = sys.argv[1], pins(sys.argv[2]), pins(sys.argv[3])
rows = [f"| {name} | {pinned.get(name, 'not pinned')} | {version} |"
        for name, version in sorted(newest.items()) if pinned.get(name) != version]
rows += [f"| {name} | {version} | not installed |" for name, version in sorted(pinned.items()) if name not in newest]
print(f"## Newest dependencies ({mode}): {len(rows)} packages differ from requirements.txt\n")
print("| package | pinned | newest |\n|---|---|---|")
print("\n".join(rows))
PY
cat "$work/changed.txt"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$work/changed.txt" >> "$GITHUB_STEP_SUMMARY"; fi

cd "$work/src"
../.venv/bin/python -m cnsaudit validate
if [ "$mode" = sphinx ]; then
  ../.venv/bin/sphinx-build -W -n --keep-going -b html . _build/html
else
  ../.venv/bin/jupyter-book build . -W -n --keep-going
fi
# The fast loop: package, data, verdicts and lint (the end-to-end checks need the pinned build).
../.venv/bin/python -m pytest -m "not slow" -q
