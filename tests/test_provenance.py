"""Every figure marked 'printed' in data/evidence/ appears in the primary-literature sheet, the
factual base of the book, or verbatim in the excerpt recorded with a search for that fact in
data/searches.csv: a number cannot be marked printed unless a source printed it."""

from __future__ import annotations

import re

import pytest

from cnsaudit.engine import audit, data, excerpt

from .teach import no_problems

SHEET = data.ROOT.parent / "shared" / "sources" / "primary-literature.md"
# Figures printed in words in the sheet and recorded as numbers.
IN_WORDS = {("lar-pcns-pd", "0"): "the sheet prints 'no PD'"}
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def excerpts_by_fact(searches) -> dict[str, str]:
    """The verbatim excerpts recorded for each fact (joined), from data/searches.csv."""
    rows = searches.dropna(subset=["excerpt"])
    return rows.groupby("fact_id")["excerpt"].apply(" | ".join).to_dict()


def numbers_missing_from(sheet_text: str | None, evidence, searches=None,
                         facts: set[str] | None = None) -> list[tuple[str, str, str]]:
    """Figures of printed facts found neither in the sheet (when given) nor in an excerpt recorded
    for the same fact. `facts` limits the check to those fact ids."""
    known = set(NUMBER.findall(sheet_text or ""))
    excerpts = excerpts_by_fact(searches) if searches is not None else {}
    missing = []
    for r in evidence[evidence["status"] == "printed"].itertuples():
        if facts is not None and r.fact_id not in facts:
            continue
        text = excerpts.get(r.fact_id, "")
        in_excerpt = set(NUMBER.findall(text)) | excerpt.numbers_in(text)  # with figures in words
        for column in ("value", "n", "k", "ci_low", "ci_high", "p"):
            cell = getattr(r, column)
            for number in NUMBER.findall(str(cell)) if cell is not None else []:
                if (number not in known and number not in in_excerpt
                        and (r.fact_id, number) not in IN_WORDS):
                    missing.append((r.fact_id, column, number))
    return missing


def test_every_printed_figure_is_in_the_sheet_or_a_recorded_excerpt(tables):
    if not SHEET.is_file():
        pytest.skip(f"{SHEET} is not beside this clone")
    missing = numbers_missing_from(SHEET.read_text(encoding="utf-8"), tables.evidence, tables.searches)
    no_problems([f"data/evidence/, fact {fact}, column '{column}': {number}" for fact, column, number in missing],
                f"figures marked printed that neither {SHEET.name} nor an excerpt of data/searches.csv prints",
                "record the source's own words that print the figure as the excerpt of a search row for the fact "
                "in data/searches.csv, or, if no source read prints it, set the fact's status to what was read")


def test_figures_found_by_a_search_are_in_its_excerpt(tables):
    # Runs on every clone: a fact whose search recorded an excerpt is checked against it alone.
    facts = set(excerpts_by_fact(tables.searches))
    assert facts, "no excerpt recorded in data/searches.csv"
    missing = numbers_missing_from(None, tables.evidence, tables.searches, facts)
    no_problems([f"data/evidence/, fact {fact}, column '{column}': {number}" for fact, column, number in missing],
                "figures of a fact that the excerpt recorded for it in data/searches.csv does not print",
                "copy the figure as the excerpt prints it into the evidence row, or extend the excerpt with the "
                "source's words that print it")


def test_a_found_statement_has_its_excerpt(tables):
    # Every printed fact that a search found carries the words that print it.
    found = tables.searches[tables.searches["outcome"].isin(["found", "found-different"])]
    printed = set(tables.evidence.loc[tables.evidence["status"] == "printed", "fact_id"])
    with_excerpt = set(excerpts_by_fact(tables.searches))
    no_problems([f"data/searches.csv, fact {f}: a search found it, but no excerpt is recorded"
                 for f in sorted(set(found["fact_id"]) & printed - with_excerpt)],
                "printed facts found by a search without the words that print them",
                "put the source's own words in the 'excerpt' of the search row that found the fact")


def test_a_figure_typed_beside_an_excerpt_is_caught(tables):
    evidence = tables.evidence.copy()
    evidence.loc[evidence["fact_id"] == "alex-nct-esmo", "value"] = "NCT02075841"
    missing = numbers_missing_from(None, evidence, tables.searches, {"alex-nct-esmo"})
    assert ("alex-nct-esmo", "value", "02075841") in missing


def test_an_invented_figure_is_caught(tables):
    if not SHEET.is_file():
        pytest.skip(f"{SHEET} is not beside this clone")
    evidence = tables.evidence.copy()
    evidence.loc[evidence["fact_id"] == "ent-aper", "value"] = "1.1–1.17"
    missing = numbers_missing_from(SHEET.read_text(encoding="utf-8"), evidence)
    assert ("ent-aper", "value", "1.17") in missing


def unverified_with_a_found_search(results, searches) -> list[str]:
    """Claims left unverified for want of a reading although a search of theirs is marked as having
    found the statement printed: the search log and the verdict would tell the reader two different
    things. (A claim whose fact was read can be unverified for another reason, such as a part of a
    dosing instruction that no label version prints; its search rightly says found.)"""
    rows = results[(results["verdict"] == "unverified") & (results["status"] != "printed")]
    return sorted(c for c, f in zip(rows["claim_id"], rows["fact_id"])
                  if (audit.searches_for(searches, c, f)["outcome"] == "found").any())


def test_no_claim_is_unverified_beside_a_search_that_found_it(results, tables):
    no_problems([f"claim {c}: unverified, but a search row of data/searches.csv filed under it or its fact "
                 "says 'found'" for c in unverified_with_a_found_search(results, tables.searches)],
                "unverified claims beside a search that found their figure",
                "if the source prints it, mark the fact printed with its excerpt in data/evidence/; if not, "
                "correct the search's 'outcome'")


def test_a_found_search_beside_an_unverified_claim_is_caught(results, tables):
    searches = tables.searches.copy()
    searches.loc[searches["claim_id"] == "res-08", "outcome"] = "found"
    assert unverified_with_a_found_search(results, searches) == ["res-08"]
