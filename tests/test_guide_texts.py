"""Checks against the guide texts themselves. The guides are not part of the repository: these run
where the texts are present (CNSAUDIT_SEEDS, or ../shared/seeds beside the clone, as in CI) and are
skipped with a one-line reason on a reader's clone. Everything else, the book included, reads only
what `data/` records of the guides."""

from __future__ import annotations

import hashlib

from cnsaudit.engine import data
from cnsaudit.analyses import nomenclature as nm

from .teach import no_problems


def test_every_guide_is_present_and_unchanged(guide_texts, tables):
    for r in tables.guides.itertuples():
        path = guide_texts / r.guide
        assert path.is_file(), f"{r.guide} is missing from {guide_texts}"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == r.sha256, f"{r.guide} has changed"


def test_every_quote_stands_word_for_word_on_its_line(guide_texts, tables):
    for r in tables.quotes.itertuples():
        lines = (guide_texts / r.guide).read_text("utf-8").splitlines()
        assert int(r.line) <= len(lines), f"{r.quote_id}: {r.guide} has no line {r.line}"
        assert r.text in lines[int(r.line) - 1], f"{r.quote_id}: {r.text!r} is not on line {r.line}"


def test_the_recorded_gene_variant_names_are_exactly_what_a_scan_of_the_guides_finds(guide_texts, tables):
    """The chapter shows the scan from data/quotes.csv; run on the texts, it must find the same."""
    scanned = nm.scan_files(sorted(guide_texts / g for g in tables.guides["guide"]))
    recorded = nm.scan_quotes(tables.quotes, tables.guides["guide"])
    key = ["guide", "line", "token"] if {"guide", "line", "token"} <= set(scanned.columns) else list(scanned.columns)
    as_rows = lambda frame: {tuple(r) for r in frame[key].astype(str).itertuples(index=False)}  # noqa: E731
    unrecorded = [f"{dict(zip(key, r))}: found in the guide text, not in data/quotes.csv"
                  for r in sorted(as_rows(scanned) - as_rows(recorded))]
    unfound = [f"{dict(zip(key, r))}: in data/quotes.csv, not found by the scan of the guide text"
               for r in sorted(as_rows(recorded) - as_rows(scanned))]
    no_problems(unrecorded + unfound, "gene-variant names where the scan and data/quotes.csv disagree",
                "record each name the scan finds as a quote (kind 'variant', word for word, with its line) in "
                "data/quotes.csv, and delete quotes the guide no longer holds")
    assert scanned.to_dict("records") == recorded.to_dict("records"), "same names, in another order or form"


def test_a_name_left_out_of_the_quotes_is_noticed(guide_texts, tables):
    quotes = tables.quotes[tables.quotes["quote_id"] != "res-q-variant-lead"]
    scanned = nm.scan_files(sorted(guide_texts / g for g in tables.guides["guide"]))
    assert scanned.to_dict("records") != nm.scan_quotes(quotes, tables.guides["guide"]).to_dict("records")


def test_without_guide_texts_the_data_still_load(no_guide_texts):
    assert data.guide_texts() is None
    assert len(data.load().claims) > 0
