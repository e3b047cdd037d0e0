"""The NTRK resistance-model chapter's verdicts, and proof that they follow the data."""

from __future__ import annotations

import pytest

from cnsaudit.engine import audit, data
from cnsaudit.analyses import nomenclature as nm

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
    "res-09": "caveat",         # G595R resists entrectinib, shown in TPM3-NTRK1 cell models only
    "res-10": "unverified",     # entrectinib first-generation: the starting sheet only
    "res-11": "unverified",     # repotrectinib next-generation: the starting sheet only
    "res-12": "unverified",     # designed to overcome G595R: the starting sheet only
    "res-13": "unverified",     # M3B resistant to repotrectinib
    "res-14": "unverified",     # EGFR -> ERK
    "res-15": "unverified",     # triple combination
    "res-16": "unverified",     # restored sensitivity
    "res-17": "unverified",     # only M3B analysed
    "res-18": "caveat",         # stated for patients from one resistant cell line
    "res-19": "unverified",     # the authors' quoted conclusion, paper not found
    "res-20": "caveat",         # rare in solid tumours (about 0.3%); stated for every cancer
    "res-21": "unverified",     # M3B derived from KM12SM in the model
    "res-22": "caveat",         # any tumour with G595R and ERK activation, from one cell line
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
    # (The guide's group is made the source's, so that no problem is established without the figure.)
    ([(CLAIMS, "claim_id", "res-09", "population", "TPM3-NTRK1 G595R mutant cells"),
      (UNREAD, "fact_id", "res-g595r-entrectinib", "status", "no_source"),
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


@pytest.mark.parametrize("edits, claim_id, verdict", [
    # Patients from cells (issue 17, item 1): a claim about the resistant cells, were it stated for
    # patients, would be a caveat although the paper behind it was never read.
    ([(CLAIMS, "claim_id", "res-13", "species", "human")], "res-13", "caveat"),
    # res-18 is stated for patients, for every NTRK fusion-positive cancer and for the whole second
    # generation: each problem is known without the paper; only with none is it merely unread.
    ([(CLAIMS, "claim_id", "res-18", "species", "in vitro"),
      (CLAIMS, "claim_id", "res-18", "population", "M3B cells"),
      (CLAIMS, "claim_id", "res-18", "drug_class", "")], "res-18", "unverified"),
    # Stated for the group the evidence shows and for repotrectinib alone, the generalisation is only unread.
    ([(CLAIMS, "claim_id", "res-22", "population", "M3B cells"),
      (CLAIMS, "claim_id", "res-22", "drug_class", "")], "res-22", "unverified"),
    # Fuse and colleagues' cells, were they the guide's whole group, would leave nothing to qualify.
    ([(CLAIMS, "claim_id", "res-09", "population", "TPM3-NTRK1 G595R mutant cells")], "res-09", "consistent"),
    # The rarity stated for solid tumours only would be what the database shows.
    ([(CLAIMS, "claim_id", "res-20", "population", "patients with solid tumours")], "res-20", "consistent"),
    # A claim about the resistant cells stated for a whole class of drugs that the study did not cover.
    ([(CLAIMS, "claim_id", "res-14", "drug_class", "TRK inhibitors")], "res-14", "caveat"),
    # Put as settled, a name read in a cell study is qualified by the design behind it.
    ([(CLAIMS, "claim_id", "res-07", "strength", "settled")], "res-07", "caveat"),
])
def test_the_evidence_rules_follow_the_data(data_copy, edits, claim_id, verdict):
    before = verdict_of(claim_id)
    for table, key_col, key, column, value in edits:
        edit_cell(data_copy / table, key_col, key, column, value)
    assert before != verdict
    assert verdict_of(claim_id) == verdict


def test_a_class_statement_from_one_of_the_class_is_a_caveat_and_names_who_studied_it(data_copy):
    """res-22 speaks for every second-generation TRK inhibitor; the study behind it (known only from a
    news item) used repotrectinib. The reason names the study's authors, not the news item's."""
    edit_cell(data_copy / CLAIMS, "claim_id", "res-22", "population", "M3B cells")  # only the class left
    row = audit.run_for_readers(data.load()).set_index("claim_id").loc["res-22"]
    assert row["verdict"] == "caveat"
    assert ("Seiji Yano and colleagues (not read; as reported by Reyer 2022) studied entrectinib and "
            "repotrectinib; the guide states it for all second-generation TRK inhibitors") in row["reason"]
    assert "Reyer 2022 studied" not in row["reason"]
    edit_cell(data_copy / EVIDENCE, "fact_id", "res-mechanism", "drugs_studied",
              "entrectinib repotrectinib selitrectinib")
    assert verdict_of("res-22") == "unverified"


def test_a_news_item_is_never_named_as_the_study(data_copy):
    """Without `study_by`, the words would credit the news item's author with the cell work."""
    row = audit.run_for_readers(data.load()).set_index("claim_id").loc["res-18"]
    authors = "Seiji Yano and colleagues (not read; as reported by Reyer 2022)"
    assert f"{authors} studied this in cells in vitro and mice, not in patients" in row["reason"]
    edit_cell(data_copy / EVIDENCE, "fact_id", "res-clinical", "study_by", "")
    row = audit.run_for_readers(data.load()).set_index("claim_id").loc["res-18"]
    assert "Reyer 2022 studied this in cells in vitro and mice" in row["reason"]


def test_a_problem_known_without_the_figure_outranks_its_being_unread(data_copy):
    """Unread, Fuse and colleagues' fact still says which cells it was studied in, so the guide's wider
    group stays a caveat rather than falling back to unverified (issue 17, item 1)."""
    unread(data_copy / EVIDENCE, "res-g595r-entrectinib", "no_source")
    edit_cell(data_copy / "searches.csv", "search_id", "res-01-q1", "fact_id", "res-g595r-entrectinib")
    row = audit.run(data.load()).set_index("claim_id").loc["res-09"]
    assert row["verdict"] == "caveat"
    assert row["status"] == "no_source"
    assert "TPM3-NTRK1 G595R mutant cells" in row["reason"]
