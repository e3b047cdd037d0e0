"""A caveat (or worse) resting on a figure that was never read says so (review of 2026-12-05): the
problem the audit established decides the verdict, and the headline, the explanation, the audit
row and the command line also say that the figure or statement itself was not read in the source,
from the fields the engine records (the fact's status), for every such claim."""

from __future__ import annotations

import io

import pandas as pd

from cnsaudit.book import audit_page, claim_table, findings
from cnsaudit.engine import audit, schema, wording

from .conftest import edit_cell
from .test_check_words import FAILING
from .test_scope import EVIDENCE, add_pair, row_of, unread_searched

NOTE = "itself was not read in the source"
ESTABLISHED = ("caveat", "inconsistent", "contradicted")


def _unread_and_outranked(results: pd.DataFrame, tables) -> pd.Series:
    """The claims whose verdict outranks a figure no source read prints (the fact's status)."""
    return results["verdict"].isin(ESTABLISHED) & results["status"].isin(schema.UNREAD_STATUSES)


def test_every_caveat_on_an_unread_figure_says_so_and_no_other_claim_does(tables):
    results = audit.run_for_readers(tables)
    flagged = _unread_and_outranked(results, tables)
    assert flagged.sum() >= 24
    for _, row in results[flagged].iterrows():
        assert NOTE in row["headline"], row["claim_id"]
        assert NOTE in row["explanation"], row["claim_id"]
    for _, row in results[~flagged].iterrows():
        assert NOTE not in str(row["headline"]) + str(row["explanation"]), row["claim_id"]
    # The reviewed examples among them.
    ids = set(results.loc[flagged, "claim_id"])
    assert {"alc-49", "alc-50", "alc-55", "ent-26", "ent-30", "lar-05", "res-18", "res-22"} <= ids


def test_the_note_follows_one_cell_and_the_verdict_stays(data_copy):
    cid = add_pair(data_copy, {"species": "human"}, {"species": "mouse", "design": "animal study"})
    row = row_of(cid)
    assert row["verdict"] == "caveat" and NOTE not in row["headline"] + row["explanation"]
    unread_searched(data_copy, "test-fact-1")
    row = row_of(cid)
    assert row["verdict"] == "caveat"  # the problem established outranks what was not read
    assert row["headline"] == ("The evidence comes from mice, not from patients. "
                               "The statement itself was not read in the source.")
    assert ("The statement itself was not read in the source (only an abstract or excerpt of the source "
            "was read), so it is unconfirmed.") in row["explanation"]
    # Without the problem, the claim is unverified and the note is not added to that verdict's words.
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "species", "human")
    row = row_of(cid)
    assert row["verdict"] == "unverified" and NOTE not in row["headline"] + row["explanation"]


def test_a_figure_is_called_a_figure_and_the_status_is_said():
    assert wording.unread("source", {"status": "no_source"}, "figure") == (
        "The figure itself was not read in the source (no primary source for it was identified), so it is "
        "unconfirmed.")
    assert wording.unread("source", {"status": "sheet_only"}, "statement", short=True) == (
        "The statement itself was not read in the source.")


def test_every_headline_stays_within_the_word_limit(results):
    assert (results["headline"].fillna("").str.split().str.len() <= wording.HEADLINE_WORDS).all()


def test_every_short_meaning_leaves_room_for_the_note():
    assert len(wording.unread("source", {"status": "abstract_only"}, "statement", short=True).split()) \
        == wording.UNREAD_WORDS
    for kind, fields in FAILING.items():
        short = wording.explain(kind, fields, lambda key: "Someone et al. 2020", short=True)
        assert len(short.split()) + wording.UNREAD_WORDS <= wording.HEADLINE_WORDS, kind


def test_the_landing_page_the_audit_row_and_the_command_line_show_it(tables):
    results = audit.run_for_readers(tables)
    found = findings.findings(results, tables).set_index("claim_id")
    assert NOTE in found.loc["alc-49", "sentence"]
    assert NOTE in found.loc["ent-26", "sentence"]
    rows = claim_table.rows_for(results[results["claim_id"] == "alc-49"])
    assert NOTE in rows["why"].iloc[0]
    html = audit_page.claims_html(results, tables, "caveat")._repr_html_()
    assert "The statement itself was not read in the source" in html
    from .test_cli import run

    out = run("audit")
    assert out.returncode == 0
    cli = pd.read_csv(io.StringIO(out.stdout)).set_index("claim_id")
    assert NOTE in cli.loc["res-18", "headline"] and NOTE in cli.loc["res-18", "explanation"]

