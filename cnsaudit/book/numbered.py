"""Numbered, captioned result tables a reader can cite ("Table 3"), in the page and in the PDF.

myst-nb numbers a cell's figure from its metadata but has no such thing for a table. A table shown
through :func:`numbered` carries its name and caption in its own output instead:

- HTML: ``<div class="cnsaudit-numbered" data-name=… data-caption=…>`` around the table;
- LaTeX: a first line ``% cnsaudit-numbered <name>``, then a ``longtable`` whose ``\\caption`` is
  followed by the placeholder label :data:`LABEL`.

`cnsaudit.book.sphinx_ext` turns either into a ``numbered_table`` node, which Sphinx numbers with the
tables (``numfig``), which ``{numref}`` reaches from any page (a missing name fails ``-n``), and
whose LaTeX label the PDF's ``\\ref`` resolves.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from .latex_output import escape as _latex_escape
from .latex_output import longtable

LABEL = "cnsaudit-numbered-label"
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
HTML_HEAD = re.compile(r'^<div class="cnsaudit-numbered" data-name="(?P<name>[^"]+)" '
                       r'data-caption="(?P<caption>[^"]*)">')
LATEX_HEAD = re.compile(r"^% cnsaudit-numbered (?P<name>\S+)\n")


def _frame_latex(frame: pd.DataFrame, caption: str) -> str:
    """A DataFrame as a captioned longtable with wrapped columns, every cell escaped."""
    body = frame.reset_index() if any(frame.index.names) else frame.reset_index(drop=True)
    body = body.astype(object).where(body.notna(), "—").astype(str).map(_latex_escape)
    body.columns = [_latex_escape(c) for c in body.columns]
    width = 0.95 / max(1, len(body.columns))
    columns = "".join(rf"p{{{width:.3f}\linewidth}}" for _ in body.columns)
    return longtable(body, columns, caption=_latex_escape(caption), label=LABEL)


def _frame_html(frame: pd.DataFrame) -> str:
    """A DataFrame as an escaped HTML table: the index as an ordinary first column (no index-name
    row), a dash for a missing value, and each cell labelled with its column (``data-label``), so
    that at phone width each row can stack as a card."""
    body = frame.reset_index() if any(frame.index.names) else frame
    columns = [str(c) for c in body.columns]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    rows = []
    for record in body.itertuples(index=False):
        cells = "".join(f'<td data-label="{html.escape(c, quote=True)}">'
                        f'{"—" if pd.isna(v) else html.escape(str(v))}</td>' for c, v in zip(columns, record))
        rows.append(f"<tr>{cells}</tr>")
    return (f'<table class="cnsaudit-result"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


class Numbered:
    """A table with a Sphinx name (``tab-…``) and a caption; numbered by the book."""

    def __init__(self, table, name: str, caption: str):
        if not NAME.match(name):
            raise ValueError(f"table name {name!r}: lower-case words joined by hyphens")
        self.table, self.name, self.caption = table, name, caption

    def _inner_html(self) -> str:
        if isinstance(self.table, pd.DataFrame):
            return _frame_html(self.table)
        if hasattr(self.table, "_repr_html_"):
            return self.table._repr_html_()
        raise TypeError(f"{type(self.table).__name__} has no HTML form")

    def _repr_html_(self) -> str:
        return (f'<div class="cnsaudit-numbered" data-name="{self.name}" '
                f'data-caption="{html.escape(self.caption, quote=True)}">{self._inner_html()}</div>')

    def latex(self) -> str:
        if isinstance(self.table, pd.DataFrame):
            inner = _frame_latex(self.table, self.caption)
        else:
            inner = self.table.latex(caption=self.caption, label=LABEL)
        return f"% cnsaudit-numbered {self.name}\n{inner}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .latex_output import LATEX_MIME

        return {"text/html": self._repr_html_(), LATEX_MIME: self.latex(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        if isinstance(self.table, pd.DataFrame):
            with pd.option_context("display.max_colwidth", None, "display.width", 200):
                inner = self.table.to_string()
        else:
            inner = repr(self.table)
        return f"{self.caption}\n{inner}"


def numbered(table, name: str, caption: str) -> Numbered:
    """Show `table` (a DataFrame, a claim table or any object with HTML and LaTeX forms) as a
    numbered table with this caption; cite it in the text with ``{numref}`name```."""
    return Numbered(table, name, caption)
