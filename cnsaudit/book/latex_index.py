"""The PDF's index of claims: each claim row of a table indexes its claim id (``\\index``), so the
index at the back lists every claim with the pages of its rows (its chapter and the audit page)."""

from __future__ import annotations

import csv
import re
from functools import cache

from ..engine.data import data_dir

HEAD = "Claims"
# A row of a LaTeX table whose first cell is a claim id, after the row's label if it has one.
_ROW = re.compile(r"(?m)^(?P<label>\\phantomsection\\label\{\\detokenize\{[^{}]*\}\})?"
                  r"(?P<claim>[a-z][a-z0-9]*(?:-[a-z0-9]+)+) & ")


@cache
def claim_ids() -> frozenset[str]:
    ids = set()
    for path in sorted((data_dir() / "claims").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            ids.update(row["claim_id"] for row in csv.DictReader(f))
    return frozenset(ids)


def index_entry(claim: str) -> str:
    return rf"\index{{{HEAD}!{claim}}}"


def index_claim_rows(latex: str, claims: frozenset[str] | None = None) -> str:
    """`latex` with an index entry at the start of every table row whose first cell is a claim id."""
    known = claim_ids() if claims is None else claims

    def mark(m: re.Match) -> str:
        if m.group("claim") not in known:
            return m.group(0)
        return f"{m.group('label') or ''}{index_entry(m.group('claim'))}{m.group('claim')} & "

    return _ROW.sub(mark, latex)
