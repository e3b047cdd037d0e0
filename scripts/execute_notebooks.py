"""Re-execute every notebook of the book in place, reproducibly.

    .venv/bin/python scripts/execute_notebooks.py [NOTEBOOK ...]

Runs each notebook top to bottom in a fresh kernel from its own folder, without per-cell timing
metadata, so that running it twice gives byte-identical files (nbval then compares the stored
outputs with a fresh run). It is the same execution the book build does. With no argument it runs
every notebook listed in _toc.yml.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cnsaudit.sphinx_ext import ROOT, book_notebooks, execute_notebook


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or book_notebooks()
    for path in paths:
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        path.write_text(execute_notebook(path) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
