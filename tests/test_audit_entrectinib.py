"""The entrectinib chapter's verdicts, and proof that they follow the data rather than a label."""

from __future__ import annotations

import pytest

from cnsaudit import audit

from .conftest import edit_cell, verdict_of

GUIDE = "000_74ab3254b9657455.txt"

# Written from reading the guide against the primary-literature sheet, independently of the engine.
EXPECTED = {
    "ent-01": "contradicted",   # header names Emzeltrectinib
    "ent-02": "consistent",
    "ent-03": "unverified",
    "ent-04": "unverified",
    "ent-05": "consistent",
    "ent-06": "unverified",
    "ent-07": "consistent",     # AP-ER 1.1-1.15
    "ent-08": "consistent",     # crizotinib >=2.8
    "ent-09": "unverified",     # "up to 3.5"
    "ent-10": "consistent",
    "ent-11": "unverified",     # IC50 1.33 uM
    "ent-12": "unverified",
    "ent-13": "caveat",         # CSF/Cu,p >0.2 measured before steady state
    "ent-14": "caveat",         # compared with steady-state comparators
    "ent-15": "caveat",
    "ent-16": "unverified",
    "ent-17": "unverified",
    "ent-18": "unverified",
    "ent-19": "unverified",
    "ent-20": "unverified",
    "ent-21": "caveat",         # 6 h infusion, brain not at steady state
    "ent-22": "unverified",
    "ent-23": "unverified",
    "ent-24": "unverified",
    "ent-25": "consistent",
    "ent-26": "unverified",     # 63.6% not printed; fits 7/11
    "ent-27": "unverified",
    "ent-28": "unverified",
    "ent-29": "unverified",
    "ent-30": "unverified",
}


def test_every_claim_of_the_guide_has_its_expectedverdict_of(results):
    got = results[results["guide"] == GUIDE].set_index("claim_id")["verdict"].to_dict()
    assert got == EXPECTED


def test_each_claim_has_exactly_one_verdict_and_a_reason(results):
    assert results["claim_id"].is_unique
    assert results["verdict"].isin(audit.VERDICTS).all()
    assert (results["reason"].str.len() > 0).all()
    assert (results["checks"].str.len() > 0).all()


def test_the_derived_count_behind_the_intracranial_rate_is_shown(results):
    row = results.set_index("claim_id").loc["ent-26"]
    assert row["recomputed"] == "7/11 = 63.64% (derived)"
    assert "only as k = 7" in row["reason"]




@pytest.mark.parametrize("table, key_col, key, column, value, claim_id, verdict", [
    # A guide figure that no longer matches the primary one is contradicted.
    ("claims/entrectinib.csv", "claim_id", "ent-07", "reported", "1.3–1.5", "ent-07", "contradicted"),
    ("evidence/entrectinib.csv", "fact_id", "criz-aper", "value", "≥3.1", "ent-08", "contradicted"),
    # The header name matching the primary identity makes the claim consistent.
    ("claims/entrectinib.csv", "claim_id", "ent-01", "reported", "Entrectinib", "ent-01", "consistent"),
    # Once a primary figure is found, the claim is checked instead of left unverified.
    ("evidence/entrectinib.csv", "fact_id", "ent-pgp-ic50", "status", "printed", "ent-11", "contradicted"),
    # If the entrectinib ratio had been measured at steady state, there would be nothing to qualify.
    ("evidence/entrectinib.csv", "fact_id", "ent-csf", "steady_state", "yes", "ent-13", "consistent"),
    # A percentage impossible for the printed n is contradicted by the primary source.
    ("claims/entrectinib.csv", "claim_id", "ent-26", "reported", "65.0", "ent-26", "contradicted"),
    # A percentage impossible for the guide's own n is inconsistent.
    ("claims/entrectinib.csv", "claim_id", "ent-28", "n", "19", "ent-28", "inconsistent"),
])
def test_the_verdict_follows_the_data(data_copy, table, key_col, key, column, value, claim_id, verdict):
    before = verdict_of(claim_id)
    edit_cell(data_copy / table, key_col, key, column, value)
    if column == "status" and value == "printed":
        edit_cell(data_copy / table, key_col, key, "value", "2.5")
    after = verdict_of(claim_id)
    assert before != verdict
    assert after == verdict


def test_newer_data_turns_a_match_into_a_caveat(data_copy):
    path = data_copy / "evidence/entrectinib.csv"
    # ent-26 reproduces a not-found figure; give the NTRK ORR claim a later cut-off to compare with.
    claims = data_copy / "claims/entrectinib.csv"
    with claims.open("a") as f:
        f.write("ent-99,000_74ab3254b9657455.txt,test,ORR,entrectinib,objective response rate,,percent,"
                "61.2,%,121,74,,,,,human,,,,,ntrk-orr,demetri2022entrectinib,\n")
    assert verdict_of("ent-99") == "consistent"
    with path.open("a") as f:
        f.write("ntrk-orr-2024,entrectinib,objective response rate,later cut,percent,60.0,%,150,90,,,,,"
                "human,,2024-01-01,ntrk-orr,printed,demetri2022entrectinib,abstract,\n")
    assert verdict_of("ent-99") == "caveat"
