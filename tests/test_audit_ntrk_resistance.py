"""The NTRK resistance-model chapter's verdicts, and proof that they follow the data."""

from __future__ import annotations

import pytest

from cnsaudit import nomenclature as nm

from .conftest import edit_cell, unread, verdict_of
from .teach import expected_verdicts

GUIDE = "002_2ff37f2944dc5c1f.txt"

# Written from reading the news item against the primary-literature sheet, independently of the
# engine. The guide is itself the only text found about the study: whatever rests on the Cancer
# Science paper alone stays unverified; background facts are checked against Fuse 2017.
EXPECTED = {
    "res-01": "unverified",     # the Cancer Science paper itself was not found
    "res-02": "consistent",     # it is a news report of a preclinical study
    "res-03": "unverified",     # brain-metastasis model
    "res-04": "unverified",     # KM12SM, NTRK1-rearranged
    "res-05": "unverified",     # M3B entrectinib-resistant
    "res-06": "contradicted",   # "NTRK-GF95R" is not the name of any substitution
    "res-07": "consistent",     # "NTRK1-G595R" names the known TRKA substitution
    "res-08": "unverified",     # that M3B carries it rests on the paper
    "res-09": "consistent",     # G595R resists entrectinib
    "res-10": "unverified",     # entrectinib first-generation: the starting sheet only
    "res-11": "unverified",     # repotrectinib next-generation: the starting sheet only
    "res-12": "unverified",     # designed to overcome G595R: the starting sheet only
    "res-13": "unverified",     # M3B resistant to repotrectinib
    "res-14": "unverified",     # EGFR -> ERK
    "res-15": "unverified",     # triple combination
    "res-16": "unverified",     # restored sensitivity
    "res-17": "unverified",     # only M3B analysed
    "res-18": "unverified",     # extrapolated to patients
    "res-19": "unverified",     # the authors' quoted conclusion, paper not found
    "res-20": "consistent",     # NTRK fusions are rare (about 0.3% of solid tumours)
    "res-21": "unverified",     # M3B derived from KM12SM in the model
}


def test_every_claim_of_the_guide_has_its_expectedverdict_of(results):
    expected_verdicts(results, GUIDE, EXPECTED, "tests/test_audit_ntrk_resistance.py")


def test_every_claim_is_a_category_token_with_a_reason(tables, results):
    claims = tables.claims[tables.claims["guide"] == GUIDE]
    assert (claims["value_type"] == "category").all()
    rows = results[results["guide"] == GUIDE]
    assert (rows["reason"].str.len() > 0).all()


def test_nothing_rests_on_the_news_item_alone_as_if_it_were_primary(tables):
    """Every printed fact this chapter uses from the news item is about the item itself."""
    ev = tables.evidence
    news = ev[(ev["ref"] == "reyer2022jnccn") & (ev["status"] == "printed")]
    assert news["fact_id"].tolist() == ["res-document"]


def test_the_alteration_tokens_are_those_the_nomenclature_check_reads_in_the_guide(tables, guide_texts):
    text = (guide_texts / GUIDE).read_text("utf-8")
    found = {f.variant.token: f.variant for f in nm.find_variants(text, GUIDE)}
    claims = tables.claims.set_index("claim_id")
    assert claims.loc["res-06", "reported"] in found
    assert found[claims.loc["res-06", "reported"]].verdict == "malformed"
    assert nm.parse_variant("NTRK1-G595R").normalised == claims.loc["res-07", "reported"]
    fact = tables.evidence.set_index("fact_id").loc["res-g595r-name", "value"]
    assert nm.parse_variant(fact).verdict == "well-formed"




EVIDENCE = "evidence/ntrk-resistance.csv"
CLAIMS = "claims/ntrk-resistance.csv"
UNREAD = "unread"  # an edit that makes a fact unread (see conftest.unread)


@pytest.mark.parametrize("edits, claim_id, verdict", [
    # Had the guide spelled the mutation correctly, its name would be consistent.
    ([(CLAIMS, "claim_id", "res-06", "reported", "NTRK1 G595R")], "res-06", "consistent"),
    # Found again in a source, the class would be checked: a different ordinal is a contradiction.
    ([(EVIDENCE, "fact_id", "res-gen-repotrectinib", "value", "next-generation"),
      (EVIDENCE, "fact_id", "res-gen-repotrectinib", "status", "printed"),
      (CLAIMS, "claim_id", "res-11", "reported", "third-generation")], "res-11", "contradicted"),
    ([(EVIDENCE, "fact_id", "res-gen-repotrectinib", "value", "next-generation"),
      (EVIDENCE, "fact_id", "res-gen-repotrectinib", "status", "printed")], "res-11", "consistent"),
    # If the Cancer Science paper were found and printed the same mutation, the claim would be
    # verified; if it printed another, contradicted.
    ([(EVIDENCE, "fact_id", "res-m3b-mutation", "status", "printed"),
      (EVIDENCE, "fact_id", "res-m3b-mutation", "value", "NTRK1 G595R")], "res-08", "consistent"),
    ([(EVIDENCE, "fact_id", "res-m3b-mutation", "status", "printed"),
      (EVIDENCE, "fact_id", "res-m3b-mutation", "value", "NTRK1 G667C")], "res-08", "contradicted"),
    ([(EVIDENCE, "fact_id", "res-mechanism", "status", "printed"),
      (EVIDENCE, "fact_id", "res-mechanism", "value", "MET amplification")], "res-14", "contradicted"),
    # A background fact that says otherwise contradicts the guide.
    ([(EVIDENCE, "fact_id", "res-g595r-entrectinib", "value", "sensitive")], "res-09", "contradicted"),
    # A background fact that was not found (and whose search is recorded) leaves the claim unverified.
    ([(UNREAD, "fact_id", "res-g595r-entrectinib", "status", "no_source"),
      ("searches.csv", "search_id", "res-01-q1", "fact_id", "res-g595r-entrectinib")], "res-09", "unverified"),
])
def test_the_verdict_follows_the_data(data_copy, edits, claim_id, verdict):
    before = verdict_of(claim_id)
    for table, key_col, key, column, value in edits:
        if table == UNREAD:  # unread, with the worklist row an unread fact needs
            unread(data_copy / EVIDENCE, key, value)
        else:
            edit_cell(data_copy / table, key_col, key, column, value)
    after = verdict_of(claim_id)
    assert before != verdict
    assert after == verdict
