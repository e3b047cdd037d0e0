"""The alectinib chapter's verdicts, and proof that they follow the data rather than a label."""

from __future__ import annotations

import pytest

from cnsaudit.engine import audit, data, derive
from cnsaudit.engine.data import DataError

from .conftest import edit_cell, unread, verdict_of
from .teach import expected_verdicts

GUIDE = "001_557834016323f385.txt"

# Written from reading the guide against the primary-literature sheet, independently of the engine.
EXPECTED = {
    "alc-01": "contradicted",   # header names Allitinib (AST1306, an EGFR/HER2 inhibitor)
    "alc-02": "unverified",     # alectinib's CAS number: the starting sheet only (the guide's is allitinib's)
    "alc-03": "unverified",     # 30-40% at diagnosis: no primary source
    "alc-04": "unverified",     # 50-60% after first-generation TKIs
    "alc-05": "consistent",     # crizotinib's poor penetration, which Kodama et al. print of crizotinib
    "alc-06": "consistent",     # alectinib not a P-gp substrate (Kodama, Caco-2)
    "alc-07": "consistent",     # crizotinib efficiently removed by P-gp (Tang 2014, mouse and in vitro)
    "alc-08": "consistent",     # PFS HR 0.40 (0.25-0.64)
    "alc-09": "consistent",     # time to CNS progression, P<0.0001
    "alc-10": "consistent",     # lower CNS progression risk with upfront alectinib
    "alc-11": "consistent",     # 85.7
    "alc-12": "consistent",     # 78.6
    "alc-13": "consistent",     # 71.4
    "alc-14": "consistent",     # 40.0
    "alc-15": "consistent",     # IRC
    "alc-16": "unverified",     # RANO-BM
    "alc-17": "unverified",     # pooled 64.0% of 50: the starting sheet only
    "alc-18": "consistent",     # Zou cohort 1 81.8
    "alc-19": "consistent",     # n=11: not printed, the only size within cohort 1 giving 81.8%
    "alc-20": "consistent",     # Zou cohort 2 76.5
    "alc-21": "consistent",     # n=17: not printed, the only size within cohort 2 giving 76.5%
    "alc-22": "consistent",     # NCT number printed by the 2017 ESMO abstract
    "alc-23": "consistent",     # ALEX design
    "alc-24": "consistent",     # imaging schedule (Gadgeel 2018 abstract)
    "alc-25": "unverified",     # RECIST and RANO-BM
    "alc-26": "consistent",     # Yang comparison
    "alc-27": "consistent",     # China (Yang 2025 abstract)
    "alc-28": "contradicted",   # 311 patients: right number, but 146 of them are the ALEX arm, not real-world
    "alc-29": "contradicted",   # 146 of the 311 are the ALEX trial arm
    "alc-30": "unverified",     # nine sites
    "alc-31": "unverified",     # rwPFS definition
    "alc-32": "unverified",     # rwiPFS definition
    "alc-33": "consistent",     # IPTW (Yang 2025 abstract)
    "alc-34": "unverified",     # Gainor case series not read
    "alc-35": "unverified",     # eight LM patients
    "alc-36": "unverified",     # all had relief
    "alc-37": "consistent",     # guideline names alectinib for LM
    "alc-38": "unverified",     # Level III not found
    "alc-39": "consistent",     # takeaway on upfront alectinib
    "alc-40": "caveat",         # effective CNS concentrations in patients: a high brain-to-plasma ratio in rats
    "alc-41": "consistent",     # ALEX is phase III
    "alc-42": "consistent",     # longer time to CNS progression with baseline CNS metastases too
    "alc-43": "contradicted",   # table 1 heads the real-world comparator "crizotinib": it was crizotinib then alectinib
    "alc-44": "consistent",     # the 2022 study is retrospective
    "alc-45": "unverified",     # IC-ORR as a shrinkage rate: not defined in the abstract
    "alc-46": "contradicted",   # the 2025 study called a pivotal clinical trial
    "alc-47": "consistent",     # uniform brain imaging in all patients
    "alc-48": "caveat",         # "demonstrates" effectiveness: a retrospective study
    "alc-49": "caveat",         # RWE "confirms" the trials: settled, on a retrospective study
    "alc-50": "caveat",         # a settled design rule for all kinase inhibitors from animal work on alectinib alone
    "alc-51": "caveat",         # guideline recommends alectinib for untreated parenchymal brain metastases, not all
    "alc-52": "unverified",     # may delay radiotherapy
    "alc-53": "unverified",     # basis of the Level III recommendation
    "alc-54": "unverified",     # MRI or CT: modality not in the abstract
    "alc-55": "caveat",         # CNS activity in patients "rooted in" molecular properties: settled, on mouse work
    "alc-56": "consistent",     # P-gp carries many drugs out across the barrier (Löscher and Potschka 2005)
    "alc-57": "consistent",     # leptomeningeal metastasis a grave complication (Pan et al. 2018)
    "alc-58": "consistent",     # CNS a common site in ALK-positive NSCLC (Remon and Besse 2018)
}


def test_every_claim_of_the_guide_has_its_expectedverdict_of(results):
    expected_verdicts(results, GUIDE, EXPECTED, "tests/test_audit_alectinib.py")


def test_each_claim_has_a_reason(results):
    rows = results[results["guide"] == GUIDE]
    assert (rows["reason"].str.len() > 0).all()
    assert rows["claim_id"].str.match(r"^alc-\d\d$").all()


def read_again(data_copy, fact_id, **cells):
    """Put a row the sources read did not show again back as printed (a source printing its figures)."""
    for column, value in cells.items():
        edit_cell(data_copy / "evidence/alectinib.csv", "fact_id", fact_id, column, value)
    edit_cell(data_copy / "evidence/alectinib.csv", "fact_id", fact_id, "status", "printed")


def test_pooled_rate_shows_its_derived_count(data_copy):
    # The pooled rate comes from the starting sheet; found again, its count is derived from it.
    assert verdict_of("alc-17") == "unverified"
    read_again(data_copy, "pool-orr-meas", value="64.0", n="50", ci_low="49.2", ci_high="77.1", ci_level="95")
    row = audit.run(data.load()).set_index("claim_id").loc["alc-17"]
    assert row["verdict"] == "consistent" and row["recomputed"] == "32/50 = 64.00% (derived)"
    edit_cell(data_copy / "claims/alectinib.csv", "claim_id", "alc-17", "reported", "64.1")
    assert verdict_of("alc-17") == "contradicted"


def test_the_cas_number_is_checked_once_found_again(data_copy):
    # The guide's CAS number is allitinib's; alectinib's number comes from the starting sheet alone.
    assert verdict_of("alc-02") == "unverified"
    read_again(data_copy, "alc-cas", value="1256580-46-7")
    assert verdict_of("alc-02") == "contradicted"
    edit_cell(data_copy / "claims/alectinib.csv", "claim_id", "alc-02", "reported", "1256580-46-7")
    assert verdict_of("alc-02") == "consistent"


def test_the_hr_claim_is_recomputed_from_its_interval(results):
    row = results.set_index("claim_id").loc["alc-08"]
    assert "SE(log HR) = 0.240" in row["recomputed"]


def test_derived_counts_match_the_guides_group_sizes(tables):
    facts = tables.evidence.set_index("fact_id")
    claims = tables.claims.set_index("claim_id")
    for claim_id, rate, size in [("alc-19", "zou-c1-icorr", "zou-c1-n"), ("alc-21", "zou-c2-icorr", "zou-c2-n")]:
        k, n = derive.unique_denominator(facts.loc[rate, "value"], int(facts.loc[size, "value"]))
        assert int(claims.loc[claim_id, "reported"]) == n
    for arm, ids, total in [("alc", ("alex-icorr-rt-alc", "alex-icorr-nort-alc"), "alex-meas-alc"),
                            ("criz", ("alex-icorr-rt-criz", "alex-icorr-nort-criz"), "alex-meas-criz")]:
        split = derive.unique_split([facts.loc[i, "value"] for i in ids], int(facts.loc[total, "value"]))
        assert sum(split.ns) == int(facts.loc[total, "value"])




@pytest.mark.parametrize("table, key_col, key, column, value, claim_id, verdict", [
    # The header naming alectinib would be consistent.
    ("claims/alectinib.csv", "claim_id", "alc-01", "reported", "Alectinib", "alc-01", "consistent"),
    # A CAS number matching the primary identity would be consistent.
    # A subgroup rate the primary does not print is contradicted.
    ("claims/alectinib.csv", "claim_id", "alc-11", "reported", "87.5", "alc-11", "contradicted"),
    # A CI that differs from the primary's is contradicted.
    ("claims/alectinib.csv", "claim_id", "alc-08", "ci_high", "0.70", "alc-08", "contradicted"),
    # A primary HR that differs from the guide's contradicts it.
    ("evidence/alectinib.csv", "fact_id", "alex-pfs-cns", "value", "0.30", "alc-08", "contradicted"),
    # A pooled rate impossible for the printed n of 50 is contradicted.
    # If the primary printed only real-world patients, the description would be consistent.
    ("evidence/alectinib.csv", "fact_id", "yang-composition", "value", "real-world retrospective", "alc-29",
     "consistent"),
    # The p threshold of time to CNS progression must match the primary's.
    ("claims/alectinib.csv", "claim_id", "alc-09", "p", "<0.05", "alc-09", "contradicted"),
])
def test_the_verdict_follows_the_data(data_copy, table, key_col, key, column, value, claim_id, verdict):
    before = verdict_of(claim_id)
    edit_cell(data_copy / table, key_col, key, column, value)
    after = verdict_of(claim_id)
    assert before != verdict
    assert after == verdict


def test_a_found_guideline_level_is_checked(data_copy):
    path = data_copy / "evidence/alectinib.csv"
    assert verdict_of("alc-38") == "unverified"
    edit_cell(path, "fact_id", "huntoon-lm-level", "status", "printed")
    edit_cell(path, "fact_id", "huntoon-lm-level", "value", "Level I")
    assert verdict_of("alc-38") == "contradicted"
    edit_cell(path, "fact_id", "huntoon-lm-level", "value", "Level III")
    assert verdict_of("alc-38") == "consistent"


def test_a_guide_hr_off_its_own_interval_is_inconsistent(data_copy):
    path = data_copy / "claims/alectinib.csv"
    # Guide and primary both move to an HR that is not the geometric mean of 0.25-0.64.
    edit_cell(path, "claim_id", "alc-08", "reported", "0.55")
    edit_cell(data_copy / "evidence/alectinib.csv", "fact_id", "alex-pfs-cns", "value", "0.55")
    assert verdict_of("alc-08") == "inconsistent"


@pytest.mark.parametrize("fact_id, claim_id", [
    ("alex-nct-esmo", "alc-22"),
    ("yang-country", "alc-27"),
    ("yang-iptw", "alc-33"),
])
def test_a_found_statement_follows_its_evidence_row(data_copy, fact_id, claim_id):
    # Each was found printed by a search; a primary printing something else contradicts the guide,
    # and a row left unread makes it unverified again.
    assert verdict_of(claim_id) == "consistent"
    edit_cell(data_copy / "evidence/alectinib.csv", "fact_id", fact_id, "value", "something else")
    assert verdict_of(claim_id) == "contradicted"
    unread(data_copy / "evidence/alectinib.csv", fact_id)
    assert verdict_of(claim_id) == "unverified"


def test_a_figure_only_the_printed_figures_allow_is_consistent(results):
    # Cohort 1's 11 patients with target lesions are not printed, but 9/11 is the only fraction of
    # at most the 20 patients of cohort 1 that prints as 81.8%: reproduced, the status stays derived.
    row = results.set_index("claim_id").loc["alc-19"]
    assert row["verdict"] == "consistent" and row["status"] == "derived"
    assert row["reason"].startswith(
        "not printed; the only value that fits the printed figures (searched up to n = 20) is 11")
    assert "9/11" in row["reason"]


def test_a_derivation_the_printed_figures_do_not_pin_down_stays_unverified(data_copy):
    # Were cohort 1 printed with 40 patients, 9/11, 18/22 and 27/33 would all print as 81.8%.
    assert verdict_of("alc-19") == "consistent"
    edit_cell(data_copy / "evidence/alectinib.csv", "fact_id", "zou-c1-n", "value", "40")
    row = audit.run(data.load()).set_index("claim_id").loc["alc-19"]
    assert row["verdict"] == "unverified"
    assert "3 values fit the printed figures (searched up to n = 40): " in row["reason"]
    assert "9/11, 18/22, 27/33" in row["reason"]


def test_a_guide_figure_other_than_the_only_one_that_fits_is_contradicted(data_copy):
    edit_cell(data_copy / "claims/alectinib.csv", "claim_id", "alc-21", "reported", "16")
    row = audit.run(data.load()).set_index("claim_id").loc["alc-21"]
    assert row["verdict"] == "contradicted"
    assert "(searched up to n = 32) is 17, not the guide's 16: " in row["reason"]


def test_a_derived_fact_without_its_derivation_stays_unverified(data_copy):
    path = data_copy / "derivations.csv"
    path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                            if not line.startswith("zou-c2-target-n,")))
    assert verdict_of("alc-21") == "unverified"


@pytest.mark.parametrize("line, message", [
    ("alex-phase,denominator,zou-c1-icorr zou-c1-n,", "is not a fact with status 'derived'"),
    ("zou-c1-target-n,denominator,zou-c1-icorr zou-lm-n,", "'zou-lm-n' is not a fact with status 'printed'"),
])
def test_a_derivation_must_compute_a_derived_fact_from_printed_ones(data_copy, line, message):
    path = data_copy / "derivations.csv"
    rows = [r for r in path.read_text().splitlines() if not r.startswith("zou-c1-target-n,")]
    path.write_text("\n".join(rows + [line]) + "\n")
    with pytest.raises(DataError, match=message):
        data.load(data_copy)


def test_a_derivation_says_when_rounding_and_truncation_disagree_and_when_counts_are_small(results):
    reasons = results.set_index("claim_id")["reason"]
    # 13/17 is 76.47%: rounded it prints as 76.5, cut off as 76.4; no fraction of at most 32 cuts off to 76.5.
    assert "if the primary cut off digits instead of rounding: no fraction" in reasons["alc-21"]
    assert "cut off digits" not in reasons["alc-19"]  # 9/11 gives 81.8 either way
    assert "rests on single-digit counts: 9/11 (derived; exact 95% CI 48.2–97.7%)" in reasons["alc-19"]


def test_the_n_printed_beside_a_rate_is_checked_against_it(results, data_copy):
    # Table 2 prints n=11 beside 81.8%: only 9 of 11 gives it, and the reason says so with its interval.
    reason = results.set_index("claim_id").loc["alc-18", "reason"]
    assert "81.8% is attainable with n=11 only as k = 9" in reason
    assert "rests on single-digit counts: 9/11" in reason
    edit_cell(data_copy / "claims/alectinib.csv", "claim_id", "alc-18", "n", "12")
    assert verdict_of("alc-18") == "inconsistent"


@pytest.mark.parametrize("table, key_col, key, column, value, claim_id, before, after", [
    # Group: the guideline recommends alectinib for untreated parenchymal brain metastases; stated for
    # that group, the guide's claim is no longer wider than its evidence.
    ("claims/alectinib.csv", "claim_id", "alc-51", "population",
     "ALK-positive NSCLC with untreated parenchymal brain metastases", "alc-51", "caveat", "consistent"),
    # Group: Yang's 311 patients include the ALEX arm; stated for all of them, the count is theirs.
    ("claims/alectinib.csv", "claim_id", "alc-28", "population",
     "real-world patients in China and the ALEX alectinib arm", "alc-28", "contradicted", "consistent"),
    # Species: a brain-to-plasma ratio measured in patients would carry a statement about patients.
    ("evidence/alectinib.csv", "fact_id", "alc-brain-plasma", "species", "human", "alc-40", "caveat", "consistent"),
    # Strength: the same retrospective evidence behind a hedged statement raises no caveat.
    ("claims/alectinib.csv", "claim_id", "alc-48", "strength", "", "alc-48", "caveat", "consistent"),
    # Group: a source speaking only of patients on crizotinib (as Kodama et al. do) is narrower than the guide.
    ("evidence/alectinib.csv", "fact_id", "alc-cns-common-remon", "population",
     "ALK-positive NSCLC treated with crizotinib", "alc-58", "consistent", "caveat"),
    # Class: the guide speaks of first-generation ALK inhibitors; Kodama et al.'s sentence about
    # crizotinib covers the class (crizotinib is its one member), evidence about alectinib alone does not.
    ("evidence/alectinib.csv", "fact_id", "alc-criz-penetration", "drugs_studied", "alectinib",
     "alc-05", "consistent", "caveat"),
    # End point: progression-free survival is not time to CNS progression.
    ("claims/alectinib.csv", "claim_id", "alc-08", "endpoint", "time to CNS progression", "alc-08",
     "consistent", "contradicted"),
    # Assessor: the PFS hazard ratio is investigator-assessed, not independently reviewed.
    ("claims/alectinib.csv", "claim_id", "alc-08", "assessor", "independent central review", "alc-08",
     "consistent", "contradicted"),
])
def test_the_evidence_rules_follow_one_cell(data_copy, table, key_col, key, column, value, claim_id, before, after):
    assert verdict_of(claim_id) == before
    edit_cell(data_copy / table, key_col, key, column, value)
    assert verdict_of(claim_id) == after
