"""Re-execute every notebook of the book in place, reproducibly, in step with its text form.

    .venv/bin/python scripts/execute_notebooks.py [NOTEBOOK ...]

First takes each notebook's cells from its MyST text form (`sources/<name>.md` beside it: the file
people edit), then runs the notebook top to bottom in a fresh kernel from its own folder, without per-cell timing
metadata, so that running it twice gives byte-identical files (nbval then compares the stored
outputs with a fresh run). It is the same execution the book build does. With no argument it runs
every notebook listed in _toc.yml. Last, it writes the text form again from the executed notebook
(so a notebook without one gets it, and both stay in step).
"""

from __future__ import annotations

import sys
from pathlib import Path

from cnsaudit.book.sources import take_inputs_from_text, write_text_form
from cnsaudit.book.project import ROOT, book_notebooks
from cnsaudit.book.execution import execute_notebook


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or book_notebooks()
    for path in paths:
        if take_inputs_from_text(path):
            print(f"took the cells of {path.relative_to(ROOT)} from its text form", flush=True)
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        path.write_text(execute_notebook(path) + "\n", encoding="utf-8")
        write_text_form(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
