"""Every figure marked 'printed' in data/evidence/ appears in the primary-literature sheet, the
factual base of the book: a number cannot be marked printed unless a source printed it."""

from __future__ import annotations

import re

import pytest

from cnsaudit import data

SHEET = data.ROOT.parent / "shared" / "sources" / "primary-literature.md"
# Figures printed in words in the sheet and recorded as numbers.
IN_WORDS = {("lar-pcns-pd", "0"): "the sheet prints 'no PD'"}
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers_missing_from(sheet_text: str, evidence) -> list[tuple[str, str, str]]:
    known = set(NUMBER.findall(sheet_text))
    missing = []
    for r in evidence[evidence["status"] == "printed"].itertuples():
        for column in ("value", "n", "k", "ci_low", "ci_high", "p"):
            cell = getattr(r, column)
            for number in NUMBER.findall(str(cell)) if cell is not None else []:
                if number not in known and (r.fact_id, number) not in IN_WORDS:
                    missing.append((r.fact_id, column, number))
    return missing


def test_every_printed_figure_is_in_the_primary_literature_sheet(tables):
    if not SHEET.is_file():
        pytest.skip(f"{SHEET} is not beside this clone")
    assert numbers_missing_from(SHEET.read_text(encoding="utf-8"), tables.evidence) == []


def test_an_invented_figure_is_caught(tables):
    if not SHEET.is_file():
        pytest.skip(f"{SHEET} is not beside this clone")
    evidence = tables.evidence.copy()
    evidence.loc[evidence["fact_id"] == "ent-aper", "value"] = "1.1–1.17"
    missing = numbers_missing_from(SHEET.read_text(encoding="utf-8"), evidence)
    assert ("ent-aper", "value", "1.17") in missing
