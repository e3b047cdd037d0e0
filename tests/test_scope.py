"""The evidence rules (issue 17): what a claim states against the group, species, drugs, design, end
point, measure and currency of the evidence behind it. Each rule is shown flipping a verdict when one
cell of data/ changes, on a claim and a fact written for the test beside the real ones."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cnsaudit.engine import audit, data, scope, wording

from .conftest import add_row, edit_cell, unread

GUIDE = "000_74ab3254b9657455.txt"
CLAIMS = "claims/entrectinib.csv"
EVIDENCE = "evidence/entrectinib.csv"
POPULATIONS = "populations/entrectinib.csv"




def add_pair(folder: Path, claim: dict | None = None, fact: dict | None = None, n: int = 1) -> str:
    """A category claim and the printed fact that reproduces it; the given cells override."""
    fact_id, claim_id = f"test-fact-{n}", f"ent-{900 + n}"
    add_row(folder / EVIDENCE, **{
        "fact_id": fact_id, "drug": "entrectinib", "quantity": "test statement", "value_type": "category",
        "value": "shown", "status": "printed", "ref": "fischer2020entrectinib", "source_location": "abstract",
        "excerpt": "it was shown", **(fact or {})})
    add_row(folder / CLAIMS, **{
        "claim_id": claim_id, "guide": GUIDE, "location": "test", "claim": "A test statement",
        "drug": "entrectinib", "quantity": "test statement", "value_type": "category", "reported": "shown",
        "fact_id": fact_id, "ref": "fischer2020entrectinib", "consequence": "study design", **(claim or {})})
    return claim_id


def unread_searched(folder: Path, fact_id: str) -> None:
    """Make a test fact unread, with the search the schema asks of every unread fact."""
    unread(folder / EVIDENCE, fact_id)
    add_row(folder / "searches.csv", search_id=f"search-{fact_id}", fact_id=fact_id, searched="2026-12-05",
            corpus="pages", query="test query", returned="nothing that prints it", outcome="not-found")


def add_groups(folder: Path, *pairs: tuple[str, str]) -> None:
    for group, within in pairs:
        add_row(folder / POPULATIONS, population=group, within=within)


def row_of(claim_id: str) -> pd.Series:
    return audit.run(data.load()).set_index("claim_id").loc[claim_id]


def verdict(claim_id: str) -> str:
    return row_of(claim_id)["verdict"]


# --- groups ---------------------------------------------------------------------------------------


def test_a_claim_wider_than_the_group_behind_it_is_a_caveat_and_the_same_group_is_not(data_copy):
    add_groups(data_copy, ("test patients", ""), ("test cohort", "test patients"), ("test other", ""))
    cid = add_pair(data_copy, {"population": "test patients"}, {"population": "test cohort"})
    row = row_of(cid)
    assert row["verdict"] == "caveat"
    assert "shows it for test cohort only; the guide states it for test patients, a wider group" in row["reason"]
    assert "Shown only for test cohort; it may not hold for all test patients." in row["explanation"]
    edit_cell(data_copy / CLAIMS, "claim_id", cid, "population", "test cohort")
    assert verdict(cid) == "consistent"
    # A statement drawn from an unrelated group is unsupported for this one, not contradicted ...
    edit_cell(data_copy / CLAIMS, "claim_id", cid, "population", "test other")
    assert verdict(cid) == "caveat"
    # ... and a rule shown for the whole group holds for a part of it.
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "population", "test patients")
    edit_cell(data_copy / CLAIMS, "claim_id", cid, "population", "test cohort")
    assert verdict(cid) == "consistent"


def test_a_figure_of_another_group_is_contradicted(data_copy):
    add_groups(data_copy, ("test patients", ""), ("test cohort", "test patients"))
    cid = add_pair(data_copy, {"population": "test cohort", "value_type": "number", "reported": "12",
                               "unit": "months"},
                   {"population": "test patients", "value_type": "number", "value": "12", "unit": "months",
                    "excerpt": "a median of 12 months"})
    assert verdict(cid) == "contradicted"  # the whole group's figure given for a part of it
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "population", "test cohort")
    assert verdict(cid) == "consistent"


def test_every_group_named_is_listed_and_the_groups_form_a_tree(data_copy):
    add_pair(data_copy, {"population": "a group nobody listed"})
    with pytest.raises(data.DataError) as err:
        data.load()
    assert "data/claims/entrectinib.csv" in str(err.value) and "population" in str(err.value)
    assert "a group nobody listed" in str(err.value)


def test_a_group_cannot_lie_within_itself(data_copy):
    add_groups(data_copy, ("test a", "test b"), ("test b", "test a"))
    with pytest.raises(data.DataError, match="lies within itself"):
        data.load()


# --- species, drugs, design, measure -------------------------------------------------------------


def test_patients_from_animals_is_a_caveat_even_where_the_figure_was_not_read(data_copy):
    cid = add_pair(data_copy, {"species": "human"}, {"species": "mouse"})
    assert verdict(cid) == "caveat"
    unread_searched(data_copy, "test-fact-1")
    row = row_of(cid)
    # The established problem outranks what could not be read, and the reason says both.
    assert row["verdict"] == "caveat"
    assert "studied this in mice, not in patients; the guide states it for patients" in row["reason"]
    assert "only an abstract or excerpt" in row["reason"]
    edit_cell(data_copy / CLAIMS, "claim_id", cid, "species", "mouse")
    assert verdict(cid) == "unverified"
    edit_cell(data_copy / CLAIMS, "claim_id", cid, "species", "rat")
    assert verdict(cid) == "contradicted"  # another species named, not a wider statement


def test_a_class_wide_statement_from_some_of_the_class_is_a_caveat(data_copy):
    cid = add_pair(data_copy, {"drug_class": "TRK inhibitors"},
                   {"drugs_studied": "entrectinib larotrectinib"})
    row = row_of(cid)
    assert row["verdict"] == "caveat"
    assert "studied entrectinib and larotrectinib; the guide states it for all TRK inhibitors" in row["reason"]
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "drugs_studied",
              "entrectinib larotrectinib repotrectinib selitrectinib")
    assert verdict(cid) == "consistent"


def test_a_settled_statement_needs_settling_evidence(data_copy):
    cid = add_pair(data_copy, {"strength": "settled"}, {"design": "single-arm trial"})
    assert verdict(cid) == "caveat"
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "design", "randomised trial")
    assert verdict(cid) == "consistent"
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "design", "")
    with pytest.raises(data.DataError) as err:
        data.load()
    assert "strength" in str(err.value) and "test-fact-1" in str(err.value)


def test_csf_over_total_plasma_is_a_caveat_and_names_the_binding_where_printed(data_copy):
    cid = add_pair(data_copy, {"measure": "CSF to total plasma"})
    assert verdict(cid) == "caveat"
    add_row(data_copy / EVIDENCE, fact_id="test-binding", drug="entrectinib", quantity="plasma protein binding",
            value_type="number", value="99", unit="%", status="printed", ref="fischer2020entrectinib",
            source_location="abstract", excerpt="99% bound")
    assert "total plasma concentration of a drug 99% bound" in row_of(cid)["reason"]
    edit_cell(data_copy / CLAIMS, "claim_id", cid, "measure", "CSF to unbound plasma")
    assert verdict(cid) == "consistent"


# --- end point and assessor ----------------------------------------------------------------------


def test_an_intracranial_figure_is_not_a_whole_body_one(data_copy):
    cid = add_pair(data_copy, {"endpoint": "intracranial objective response", "assessor": "not stated"},
                   {"endpoint": "objective response", "assessor": "investigator"})
    row = row_of(cid)
    assert row["verdict"] == "contradicted"
    assert "the guide gives it as intracranial objective response" in row["reason"]
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "endpoint", "intracranial objective response")
    assert verdict(cid) == "consistent"  # an assessor the guide does not state never contradicts
    edit_cell(data_copy / CLAIMS, "claim_id", cid, "assessor", "independent central review")
    assert verdict(cid) == "contradicted"


# --- currency by population ----------------------------------------------------------------------


def test_a_later_report_of_the_same_group_supersedes_whatever_the_series(data_copy):
    add_groups(data_copy, ("test cohort", ""), ("test other cohort", ""))
    cid = add_pair(data_copy, {"population": "test cohort"},
                   {"population": "test cohort", "cutoff": "2019-06", "series": "test-early"})
    assert verdict(cid) == "consistent"
    add_row(data_copy / EVIDENCE, fact_id="test-later", drug="entrectinib", quantity="objective response rate",
            population="test cohort", value_type="percent", value="50", unit="%", n="30", cutoff="2021-01",
            series="test-late", status="printed", ref="fischer2020entrectinib", source_location="abstract",
            excerpt="50% of 30")
    row = row_of(cid)
    assert row["verdict"] == "caveat"
    assert "a later report of the same patients than the 2019-06 cut-off" in row["reason"]
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-later", "population", "test other cohort")
    assert verdict(cid) == "consistent"
    # Where a cut-off is missing, more patients make the later report.
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-later", "population", "test cohort")
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "cutoff", "")
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "n", "12")
    assert verdict(cid) == "caveat"
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "n", "40")
    assert verdict(cid) == "consistent"


def test_an_unread_early_figure_is_superseded_too(data_copy):
    add_groups(data_copy, ("test cohort", ""))
    cid = add_pair(data_copy, {"population": "test cohort"}, {"population": "test cohort", "cutoff": "2019-06"})
    unread_searched(data_copy, "test-fact-1")
    assert verdict(cid) == "unverified"
    add_row(data_copy / EVIDENCE, fact_id="test-later", drug="entrectinib", quantity="objective response rate",
            population="test cohort", value_type="percent", value="50", unit="%", n="30", cutoff="2021-01",
            status="printed", ref="fischer2020entrectinib", source_location="abstract", excerpt="50% of 30")
    assert verdict(cid) == "caveat"


# --- the words ------------------------------------------------------------------------------------


def test_every_kind_of_finding_has_words_and_an_explanation():
    cases = [
        scope.Found("population", False, "caveat",
                    {"claim_group": "a", "fact_group": "b", "relation": "wider", "ref": "r"}),
        scope.Found("species", False, "caveat", {"claim_species": "human", "fact_species": "in vitro", "ref": "r",
                                                 "extrapolated": True}),
        scope.Found("drug class", False, "caveat",
                    {"drug_class": "ALK inhibitors", "studied": ["alectinib"], "ref": "r"}),
        scope.Found("strength", False, "caveat", {"design": "cell study", "species": None, "ref": "r"}),
        scope.Found("measure", False, "caveat", {"measure": "CSF to total plasma", "drug": "x"}),
        scope.Found("end point", False, "contradicted", {"claim_endpoint": "a", "fact_endpoint": "b", "ref": "r"}),
        scope.Found("assessor", False, "contradicted", {"claim_assessor": "investigator",
                                                        "fact_assessor": "independent central review", "ref": "r"}),
        scope.Found("currency", False, "caveat", {"cutoff": None, "n": None, "ref": "r", "quantity": "q", "newer": []}),
    ]
    for found in cases:
        said, meant = wording.say(found.kind, found.fields), wording.explain(found.kind, found.fields)
        assert said and meant.endswith("."), found.kind
        # A source is named through the cite function, never as a raw key, where one is given.
        cited = wording.say(found.kind, found.fields, cite=lambda key: "Someone et al. 2020")
        assert " r " not in f" {cited} " or found.kind in ("measure",), found.kind


def test_an_assessor_the_source_does_not_name_is_said_not_passed_in_silence(data_copy):
    cid = add_pair(data_copy, {"endpoint": "objective response", "assessor": "independent central review"},
                   {"endpoint": "objective response", "assessor": "not stated"})
    row = row_of(cid)
    assert row["verdict"] == "consistent"
    assert "does not say who did" in row["reason"]
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "assessor", "independent central review")
    assert "does not say who did" not in row_of(cid)["reason"]
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "assessor", "investigator")
    assert verdict(cid) == "contradicted"


def test_cut_offs_are_compared_at_the_precision_both_print():
    reports = scope.Reports(pd.DataFrame([
        {"fact_id": "early", "drug": "x", "population": "g", "status": "printed", "cutoff": "2019-07", "n": None,
         "series": None, "endpoint": None},
        {"fact_id": "same-month", "drug": "x", "population": "g", "status": "printed", "cutoff": "2019-07-15",
         "n": None, "series": None, "endpoint": None},
    ]))
    assert reports.newer({"fact_id": "early", "drug": "x", "population": "g", "cutoff": "2019-07",
                          "n": None, "series": None, "endpoint": None}) == []


def test_a_later_report_of_another_end_point_does_not_supersede():
    rows = pd.DataFrame([
        {"fact_id": "later", "drug": "x", "population": "g", "status": "printed", "cutoff": "2021-01", "n": None,
         "series": None, "endpoint": "duration of response"},
        {"fact_id": "later-safety", "drug": "x", "population": "g", "status": "printed", "cutoff": "2021-01",
         "n": None, "series": None, "endpoint": None},
    ])
    early = {"fact_id": "early", "drug": "x", "population": "g", "cutoff": "2019-07", "n": None, "series": None,
             "endpoint": "objective response"}
    assert scope.Reports(rows).newer(early) == []
    rows.loc[0, "endpoint"] = "objective response"
    assert [r["fact_id"] for r in scope.Reports(rows).newer(early)] == ["later"]


def test_one_group_has_one_label_across_the_chapters(data_copy):
    """The entrectinib adults with NTRK fusion-positive solid tumours lie inside the larotrectinib
    chapter's patients with TRK fusion cancer: one group, one label, so the engine compares the two
    guides' statements about it as the same group."""
    cid = add_pair(data_copy, {"population": "patients with TRK fusion cancer"},
                   {"population": "adults with NTRK fusion-positive solid tumours"})
    assert verdict(cid) == "caveat"  # the adults only, stated for everyone with the fusion
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "population", "patients with TRK fusion cancer")
    assert verdict(cid) == "consistent"


def test_a_study_known_only_from_a_news_item_is_named_by_its_authors(data_copy):
    """The source read is named as the study unless `study_by` names the study's own authors (the
    column is optional, so this file has none; tests/test_audit_ntrk_resistance.py edits a real one)."""
    cid = add_pair(data_copy, {"species": "human"}, {"species": "in vitro"})
    row = audit.run_for_readers(data.load()).set_index("claim_id").loc[cid]
    assert "Fischer et al. 2020 studied this in cells in vitro, not in patients" in row["reason"]
    f = {"claim_species": "human", "fact_species": "in vitro", "extrapolated": True, "ref": "fischer2020entrectinib",
         "study_by": "Ann Other and colleagues"}
    assert wording.say("species", f, str).startswith(
        "Ann Other and colleagues (not read; as reported by fischer2020entrectinib) studied this in cells in vitro")
