"""Bad input is rejected with an error naming the file, the row and the column."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from cnsaudit.engine import data
from cnsaudit.engine.data import DataError

from .conftest import edit_cell

CLAIMS = "claims/entrectinib.csv"
EVIDENCE = "evidence/entrectinib.csv"
SEARCHES = "searches.csv"


def test_the_committed_data_is_valid(tables):
    for name in ("claims", "evidence", "guides"):
        assert len(getattr(tables, name)), f"data/ holds no {name}: the tables load but are empty"
    # Every guide of data/guides.csv has claims, and every claim's guide is listed there: the number
    # of guides is whatever guides.csv lists, never a count typed here.
    listed, claimed = set(tables.guides["guide"]), set(tables.claims["guide"])
    assert not listed - claimed, (f"data/guides.csv lists {sorted(listed - claimed)} but no claim in "
                                  "data/claims/ names it: add its claims or remove its row")
    for key, table in (("claim_id", "claims"), ("fact_id", "evidence")):
        doubled = sorted(set(getattr(tables, table)[key][getattr(tables, table)[key].duplicated()]))
        assert not doubled, f"data/{table}/: the {key}s {doubled} appear more than once; give each row its own id"


def _error(data_copy) -> str:
    with pytest.raises(DataError) as info:
        data.load(data_copy)
    return str(info.value)


# (file, key column, key, column, bad value, expected message, expected row of that key)
CELL_CASES = [
    (CLAIMS, "claim_id", "ent-26", "n", "eleven", "is not a whole number"),
    (CLAIMS, "claim_id", "ent-26", "n", "11.0", "is not a whole number"),
    (CLAIMS, "claim_id", "ent-26", "reported", "163.6", "a percentage must lie between 0 and 100"),
    (CLAIMS, "claim_id", "ent-26", "reported", "-5", "a value that is not a category must be a printed number"),
    (EVIDENCE, "fact_id", "ntrk-orr", "k", "130", "0 ≤ k ≤ n"),
    (EVIDENCE, "fact_id", "ntrk-orr", "n", "0", "0 ≤ k ≤ n and n > 0"),
    (CLAIMS, "claim_id", "ent-07", "reported", "0", "a ratio must be greater than 0"),
    (CLAIMS, "claim_id", "ent-07", "unit", "ratio ", "is not one of"),
    (CLAIMS, "claim_id", "ent-07", "species", "Rat", "is not one of"),
    (CLAIMS, "claim_id", "ent-07", "claim", "<script>alert(1)</script>", "contains markup"),
    (CLAIMS, "claim_id", "ent-07", "claim", " leading space", "white space"),
    (CLAIMS, "claim_id", "ent-07", "ref", "nosuchkey2020", "is not a key in references.bib"),
    (CLAIMS, "claim_id", "ent-07", "guide", "999_0000000000000000.txt", "is not listed in data/guides.csv"),
    (CLAIMS, "claim_id", "ent-07", "fact_id", "no-such-fact", "is not a fact_id"),
    (CLAIMS, "claim_id", "ent-07", "ref", "demetri2022entrectinib", "differs from the reference of fact"),
    (CLAIMS, "claim_id", "ent-07", "claim_id", "ent-08", "duplicate value"),
    (CLAIMS, "claim_id", "ent-07", "location", "", "is empty but required"),
    (EVIDENCE, "fact_id", "ntrk-dor", "ci_low", "40.0", "lower ≤ point ≤ upper"),
    (EVIDENCE, "fact_id", "ntrk-dor", "ci_high", "12.0", "lower ≤ point ≤ upper"),   # bounds reversed
    (EVIDENCE, "fact_id", "ntrk-orr", "n", "-121", "is not a whole number"),          # negative count
    (EVIDENCE, "fact_id", "ntrk-dor", "ci_level", "95%", "is not a whole number"),     # unit typed in
    (EVIDENCE, "fact_id", "ntrk-dor", "species", "human ", "is not one of"),          # stray space
    (EVIDENCE, "fact_id", "ntrk-dor", "ci_level", "", "CI needs both bounds and a level"),
    (EVIDENCE, "fact_id", "ntrk-dor", "ci_high", "38,2", "is not a printed number"),
    (EVIDENCE, "fact_id", "ntrk-dor", "cutoff", "31/08/2020", "is not a date"),
    (EVIDENCE, "fact_id", "ntrk-dor", "status", "printed ", "is not one of"),
    (EVIDENCE, "fact_id", "ntrk-ic-dor", "value", "22.1", "a value is given exactly when its status is printed"),
    (EVIDENCE, "fact_id", "ntrk-dor", "value", "", "a value is given exactly when its status is printed"),
    (EVIDENCE, "fact_id", "ntrk-ic-dor", "status", "not_found", "is not one of"),  # the old status
    (SEARCHES, "search_id", "ent-26-q1", "outcome", "maybe", "is not one of"),
    (SEARCHES, "search_id", "ent-26-q1", "fact_id", "no-such-fact", "is not a fact_id in data/evidence/"),
    (SEARCHES, "search_id", "ent-26-q1", "claim_id", "ent-99", "is not a claim_id in data/claims/"),
    (SEARCHES, "search_id", "ent-26-q1", "searched", "30/11/2026", "is not a date"),
    (SEARCHES, "search_id", "ent-26-q1", "ref", "nosuchkey2020", "is not a key in references.bib"),
    (SEARCHES, "search_id", "ent-26-q1", "query", "", "is empty but required"),
]


@pytest.mark.parametrize("table, key_col, key, column, bad, message", CELL_CASES,
                         ids=[f"{c[2]}-{c[3]}-{c[4]!r}" for c in CELL_CASES])
def test_bad_cell_is_named_by_file_row_and_column(data_copy, table, key_col, key, column, bad, message):
    path = data_copy / table
    lines = path.read_text().splitlines()
    # The key is the first column, so its line number is its data row (the header is line 0).
    row = next(i for i, line in enumerate(lines) if line.startswith(key + ","))
    edit_cell(path, key_col, key, column, bad)
    error = _error(data_copy)
    line = next((text for text in error.splitlines() if message in text), None)
    assert line is not None, error
    assert f"data/{table}, row {row} (line {row + 1})" in line, line
    assert re.search(rf"column '{column}'|'{column}'", line), line


def test_missing_column(data_copy):
    path = data_copy / CLAIMS
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="consequence").to_csv(path, index=False)
    error = _error(data_copy)
    assert "data/claims/entrectinib.csv, column 'consequence': required column is missing" in error


def test_unknown_column(data_copy):
    path = data_copy / CLAIMS
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",extra"] + [row + "," for row in lines[1:]]) + "\n")
    assert "column 'extra': unknown column" in _error(data_copy)


def test_empty_file(data_copy):
    (data_copy / EVIDENCE).write_text("")
    assert "data/evidence/entrectinib.csv: the file is empty" in _error(data_copy)


def test_byte_order_mark(data_copy):
    path = data_copy / CLAIMS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "data/claims/entrectinib.csv: the file starts with a byte-order mark" in _error(data_copy)


def test_missing_bibliography(data_copy, tmp_path):
    with pytest.raises(DataError, match="references.bib: file not found"):
        data.load(data_copy, bibfile=tmp_path / "references.bib")


def test_seed_file_changed_or_missing(data_copy, tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    monkeypatch.setenv("CNSAUDIT_SEEDS", str(seeds))
    data.load()  # no guide texts at all: a reader's clone, nothing to compare
    (seeds / "001_557834016323f385.txt").write_text("edited")
    error = _error(data_copy)
    assert "000_74ab3254b9657455.txt' does not exist" in error
    assert "'001_557834016323f385.txt' in " in error and "has changed since its claims were read" in error


def test_an_unread_fact_with_no_recorded_search_is_refused(data_copy):
    # ntrk-ic-orr is unread (abstract_only) and linked from ent-26: without a search row it fails.
    path = data_copy / SEARCHES
    lines = path.read_text().splitlines()
    path.write_text("\n".join(line for line in lines if ",ntrk-ic-orr," not in line) + "\n")
    evidence = (data_copy / EVIDENCE).read_text().splitlines()
    row = next(i for i, line in enumerate(evidence) if line.startswith("ntrk-ic-orr,"))
    assert (f"data/{EVIDENCE}, row {row} (line {row + 1}), column 'status': 'abstract_only', but "
            "data/searches.csv records no search for 'ntrk-ic-orr'") in _error(data_copy)


def test_a_quote_from_an_unlisted_guide(data_copy):
    path = data_copy / "quotes.csv"
    path.write_text(path.read_text().replace("002_2ff37f2944dc5c1f.txt,17", "009_0000000000000000.txt,17"))
    assert ("data/quotes.csv, row 3 (line 4), column 'guide': '009_0000000000000000.txt' is not "
            "listed in data/guides.csv") in _error(data_copy)


def test_a_quote_line_that_is_not_a_line_number(data_copy):
    edit_cell(data_copy / "quotes.csv", "quote_id", "res-q-generation", "line", "0")
    assert "data/quotes.csv, row 1 (line 2), column 'line': '0' is not a line number ≥ 1" in _error(data_copy)


def test_every_error_is_reported_at_once(data_copy):
    edit_cell(data_copy / CLAIMS, "claim_id", "ent-26", "n", "x")
    edit_cell(data_copy / EVIDENCE, "fact_id", "ntrk-dor", "cutoff", "never")
    error = _error(data_copy)
    assert "claims/entrectinib.csv" in error and "evidence/entrectinib.csv" in error


def test_a_population_must_be_listed_in_the_tree_of_groups(data_copy):
    # The audit compares a claim's group with its fact's through data/populations/; a group missing
    # there is named with its file, row and column, and with what to do.
    lines = (data_copy / CLAIMS).read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("ent-32,"))
    edit_cell(data_copy / CLAIMS, "claim_id", "ent-32", "population", "a group nobody listed")
    assert (f"data/{CLAIMS}, row {row} (line {row + 1}), column 'population': 'a group nobody listed' is not "
            "a population listed in data/populations/ (add it there, within the group that contains it)"
            ) in _error(data_copy)
