"""The larotrectinib chapter's verdicts, and proof that they follow the data rather than a label."""

from __future__ import annotations

import pytest

from cnsaudit.engine import audit, data, stats

from .conftest import edit_cell, unread, verdict_of
from .teach import expected_verdicts

GUIDE = "003_78f3d3862d36bdb2.txt"
CLAIMS = "claims/larotrectinib.csv"
EVIDENCE = "evidence/larotrectinib.csv"
INSTRUCTIONS = "dosing/guide-instructions.csv"

# Written from reading the guide against the primary-literature sheet, independently of the engine.
EXPECTED = {
    "lar-01": "consistent",    # same dose with and without CNS metastases: the label's one dosage for every patient
    "lar-02": "consistent",    # 100 mg BID at BSA >= 1.0
    "lar-03": "consistent",    # 100 mg/m2 BID below 1.0, for children as the guide says
    "lar-04": "consistent",    # with or without food
    "lar-05": "caveat",        # 36% primary CNS: not found again (sheet only), and Doz et al. report the cohort later
    "lar-06": "caveat",        # 60% of 5 with brain metastases, reported again with 14 patients (ESMO 2020)
    "lar-07": "contradicted",  # 73% "CNS metastases at baseline": the matching SNO cohort prints 71% (as lar-46)
    "lar-08": "consistent",    # selective TRKA/B/C inhibitor
    "lar-09": "consistent",    # 2018 label 12.1: constitutively active oncogenic driver
    "lar-10": "caveat",        # Doz 2022: no new safety signals, primary CNS tumours only
    "lar-11": "caveat",        # mostly grade 1 or 2: Hong 2019, adults of a phase I trial only
    "lar-12": "consistent",    # the label Highlights list the same nine reactions
    "lar-13": "contradicted",  # the label names other neurologic reactions (entrectinib wording)
    # The November 2023 label keeps these three for reactions other than liver-test abnormalities.
    "lar-14": "caveat",        # withhold until grade 1 or baseline
    "lar-15": "caveat",        # resume at next modification within 4 weeks
    "lar-16": "caveat",        # discontinue if unresolved at 4 weeks
    "lar-17": "consistent",    # three modifications
    "lar-18": "consistent",    # table 1, six cells
    "lar-19": "caveat",        # the label's doses below 1.0 m² are for children; the guide's table
    "lar-20": "consistent",    # gives them for every patient below 1.0 m²
    "lar-21": "caveat",
    "lar-22": "consistent",
    "lar-23": "caveat",
    "lar-24": "consistent",    # avoid strong inhibitors
    "lar-25": "consistent",    # label 7.1: inhibitors may raise plasma concentrations
    "lar-26": "consistent",    # reduce by 50%
    "lar-27": "consistent",    # 3-5 half-lives
    "lar-28": "caveat",        # the heading names moderate inhibitors; the text gives only the strong rule
    "lar-29": "consistent",    # avoid strong inducers
    "lar-30": "unverified",    # moderate inducers: "avoid" (EU) joined to a doubling no label read prints
    "lar-31": "consistent",    # inducers lower exposure (rifampin)
    "lar-32": "consistent",    # double the dose
    "lar-33": "consistent",
    "lar-34": "consistent",    # Child-Pugh B/C halve the starting dose
    "lar-35": "consistent",    # Child-Pugh A none
    "lar-36": "caveat",        # table 2 row 1 ORR 36%: not found again; the cohort was reported again in July 2020
    "lar-37": "caveat",        # 14% = 2/14 by the sheet only; the July 2020 categories supersede them
    "lar-38": "caveat",        # 21% = 3/14 by the sheet only; superseded likewise
    "lar-39": "caveat",        # 64% by the sheet only; superseded likewise
    "lar-40": "caveat",        # 0% by the sheet only; superseded likewise
    "lar-41": "caveat",        # row 2 ORR 60% = 3/5, superseded by the 14 patients of the ESMO 2020 release
    # Row 2's categories: no later report prints categories for the group (the ESMO release gives the rate).
    "lar-42": "unverified",    # CR dash: the release with the categories was not found again
    "lar-43": "unverified",    # PR 60% = 3/5 by the sheet only
    "lar-44": "unverified",    # SD 40% by the sheet only
    "lar-45": "unverified",    # PD 0%: the sheet's 5 − 3 − 2 leaves none, but nothing read prints the parts
    "lar-46": "contradicted",  # row 3: 73% with n=19 vs 71% of 14 (ESMO 2020 release)
    "lar-47": "unverified",    # the SNO 2020 categories were not found again
    "lar-48": "inconsistent",  # no whole number of 19 patients gives 73%
    "lar-49": "inconsistent",
    "lar-50": "inconsistent",
    "lar-51": "unverified",    # protocol numbers: no larotrectinib CSF protocol in any source read
    "lar-52": "unverified",
    "lar-53": "unverified",
    "lar-54": "unverified",    # -80 °C: only a biomarker biobanking consensus prints it, not a drug assay
    "lar-55": "consistent",    # compound of interest larotrectinib
    "lar-56": "consistent",    # TRK fusion-positive cancer
    "lar-57": "consistent",    # inhibits TRK fusion proteins (EU SmPC 5.1)
    "lar-58": "unverified",    # heparinised paired blood: no protocol found
    "lar-59": "unverified",    # LC-MS/MS: no protocol found
    "lar-60": "caveat",        # CSF to total plasma ratio: the wrong reference (no protocol found either)
    "lar-61": "caveat",        # effective in CNS metastases, stated as shown, backed first by primary CNS tumours
}


def test_every_claim_of_the_guide_has_its_expectedverdict_of(results):
    expected_verdicts(results, GUIDE, EXPECTED, "tests/test_audit_larotrectinib.py")


def test_each_claim_has_a_reason_and_its_checks(results):
    mine = results[results["guide"] == GUIDE]
    assert (mine["reason"].str.len() > 0).all() and (mine["checks"].str.len() > 0).all()


def test_row_3_is_impossible_for_its_n_and_fits_fifteen(results):
    row = results.set_index("claim_id").loc["lar-46"]
    assert "impossible with n=19" in row["recomputed"]
    fitting = stats.group_sizes_fitting(["73", "73", "13", "13"], max_n=40)
    assert fitting == [15, 30, 40]


# The starting sheet's figures for the rows that could not be found again in a source. A test puts
# them back as printed, standing for a source that prints them, to exercise the checks they fed.
SHEET = {
    "lar-pcns-orr": {"value": "36", "n": "14", "k": "5", "ci_low": "13", "ci_high": "65", "ci_level": "95"},
    "lar-pcns-cr": {"value": "2", "n": "14"}, "lar-pcns-pr": {"value": "3", "n": "14"},
    "lar-pcns-sd": {"value": "64", "n": "14"}, "lar-pcns-pd": {"value": "0", "n": "14"},
    "lar-bm-orr": {"k": "3"}, "lar-bm-pr": {"value": "3", "n": "5"}, "lar-bm-sd": {"value": "40", "n": "5", "k": "2"},
    "lar-cnsmet-orr": {"value": "71", "n": "14", "k": "10", "ci_low": "42", "ci_high": "92", "ci_level": "95"},
    "lar-cnsmet-pr": {"value": "10", "n": "14"},
}


def read_again(data_copy, *fact_ids):
    for fact_id in fact_ids:
        for column, value in SHEET[fact_id].items():
            edit_cell(data_copy / EVIDENCE, "fact_id", fact_id, column, value)
        edit_cell(data_copy / EVIDENCE, "fact_id", fact_id, "status", "printed")


def test_primary_counts_are_compared_as_percentages(data_copy):
    read_again(data_copy, "lar-pcns-cr", "lar-cnsmet-pr")
    results = audit.run(data.load()).set_index("claim_id")
    assert "prints 2 of 14" in results.loc["lar-37", "reason"]
    assert "2/14 = 14.29% (primary count)" in results.loc["lar-37", "recomputed"]
    assert "prints 10 of 14" in results.loc["lar-48", "reason"] and results.loc["lar-48", "verdict"] == "contradicted"


def test_a_figure_from_the_sheet_alone_is_unverified_and_says_so(results, data_copy):
    # The SNO 2020 categories come from the starting sheet; no source read prints them, and no later
    # report of the cohort prints categories either.
    row = results.set_index("claim_id").loc["lar-47"]
    assert row["verdict"] == "unverified" and row["status"] == "sheet_only"
    assert "could not be found again" in row["reason"] and "the search log" in row["reason"]
    # The 2019 primary-CNS figures come from the sheet too, but the audit established that the
    # cohort was reported again later: that outranks what could not be read, which is still said.
    row = results.set_index("claim_id").loc["lar-37"]
    assert row["verdict"] == "caveat" and row["status"] == "sheet_only"
    assert "could not be found again" in row["reason"] and "a later report of the same patients" in row["reason"]
    # Found again in a source, the figure is compared as printed (and the later cut-off follows).
    read_again(data_copy, "lar-pcns-cr")
    assert verdict_of("lar-37") == "caveat"


@pytest.mark.parametrize("table, key_col, key, column, value, claim_id, verdict", [
    # A guide percentage no longer reproduced by the primary count is contradicted.
    (CLAIMS, "claim_id", "lar-41", "reported", "80", "lar-41", "contradicted"),
    # Had the guide's Q2 printed the 71% of the brain-metastasis patients, it would be reproduced.
    (CLAIMS, "claim_id", "lar-07", "reported", "71", "lar-07", "consistent"),
    # A reduction table that named children below 1.0 m² would say what the label says.
    (CLAIMS, "claim_id", "lar-19", "population", "paediatric patients with a body-surface area below 1.0 m2",
     "lar-19", "consistent"),
    # A starting dose below 1.0 m² stated for every patient leaves out that the label's is for children.
    (CLAIMS, "claim_id", "lar-03", "population", "", "lar-03", "caveat"),
    # The same dose shown only for the lung cohort would be narrower than the guide's statement.
    (EVIDENCE, "fact_id", "lar-dose-label", "population", "TRK fusion lung cancer", "lar-01", "caveat"),
])
def test_the_verdict_follows_the_data(data_copy, table, key_col, key, column, value, claim_id, verdict):
    before = verdict_of(claim_id)
    edit_cell(data_copy / table, key_col, key, column, value)
    if column == "status" and value == "printed":
        edit_cell(data_copy / table, key_col, key, "value", "0")
    after = verdict_of(claim_id)
    assert before != verdict
    assert after == verdict


def test_categories_that_do_not_add_up_make_the_row_inconsistent(data_copy):
    # Had the guide printed 74% stable disease, its own row (14 + 21 + 74 + 0) would no longer add
    # up to 100, whatever the source prints (and whatever later report supersedes it).
    assert verdict_of("lar-39") == "caveat"
    edit_cell(data_copy / CLAIMS, "claim_id", "lar-39", "reported", "74")
    assert verdict_of("lar-39") == "inconsistent"
    assert verdict_of("lar-37") == "inconsistent"


ROWS = {
    "primary CNS": "table 2 (efficacy) row 1 primary CNS",
    "brain metastases": "table 2 (efficacy) row 2 brain metastases",
    "CNS metastases": "table 2 (efficacy) row 3 CNS metastases",
}


def test_the_efficacy_table_grid_recomputes_each_row(tables):
    from cnsaudit.book import report

    grid = report.percent_table_grid(tables.claims, ROWS)
    assert grid.loc["primary CNS", "complete responses"] == "14% → k = 2"
    assert grid.loc["primary CNS", "parts vs total"] == "14 + 21 = 35 vs 36 (agrees)"
    assert grid.loc["primary CNS", "categories"] == "sum 99 (adds to 100)"
    assert grid.loc["CNS metastases", "objective response rate"] == "73% → impossible"
    assert grid.loc["CNS metastases", "stable disease"] == "13% → impossible"
    with pytest.raises(KeyError):
        report.percent_table_grid(tables.claims, {"x": "no such location"})


def test_the_efficacy_table_grid_notices_rows_that_do_not_add_up(data_copy):
    from cnsaudit.book import report

    edit_cell(data_copy / CLAIMS, "claim_id", "lar-39", "reported", "74")
    edit_cell(data_copy / CLAIMS, "claim_id", "lar-37", "reported", "30")
    grid = report.percent_table_grid(data.load().claims, ROWS)
    assert grid.loc["primary CNS", "categories"] == "sum 125 (does not add to 100)"
    assert grid.loc["primary CNS", "parts vs total"].endswith("(differs)")


def test_printed_rate_rows_reproduce_printed_intervals(tables):
    from cnsaudit.book import report

    row = report.printed_rate_row(tables.evidence, "later cut", "lar-pcns-orr-2020", derived=True)
    assert (row["k/n"], row["printed 95% CI"], row["reproduced by"], row["cut-off"]) == \
        ("10/33", "16–49", "clopper-pearson", "2020-07")
    row = report.printed_rate_row(tables.evidence, "early cut", "lar-bm-orr", derived=True)
    assert (row["k/n"], row["printed 95% CI"]) == ("3/5", "not printed")
    row = report.printed_rate_row(tables.evidence, "ESMO", "lar-esmo-lung-bm-orr", derived=True)
    assert (row["k/n"], row["printed 95% CI"], row["cut-off"]) == ("4/7", "not printed", "2019-07")


@pytest.mark.parametrize("fact_id, claim_id", [
    ("lar-fusion-driver-label", "lar-09"),
    ("lar-ae-common", "lar-12"),
    ("lar-inh-effect", "lar-25"),
])
def test_a_found_statement_unread_again_is_unverified(data_copy, fact_id, claim_id):
    # The search found each statement printed; had only an abstract been read, the claim would
    # fall back to unverified, and its reason would say so and count the searches.
    assert verdict_of(claim_id) == "consistent"
    unread(data_copy / EVIDENCE, fact_id)
    row = audit.run(data.load()).set_index("claim_id").loc[claim_id]
    assert row["verdict"] == "unverified"
    assert "only an abstract or excerpt" in row["reason"] and "the search log" in row["reason"]


def test_a_narrower_evidence_outranks_a_statement_unread_again(data_copy):
    # Doz et al. report no new safety signals in primary CNS tumours; the guide says it of every CNS
    # tumour, metastases included. Unread, the claim keeps that established caveat and says both.
    assert verdict_of("lar-10") == "caveat"
    unread(data_copy / EVIDENCE, "lar-safety-cns")
    row = audit.run(data.load()).set_index("claim_id").loc["lar-10"]
    assert row["verdict"] == "caveat"
    assert "only an abstract or excerpt" in row["reason"] and "a wider group" in row["reason"]
    # Stated for primary CNS tumours, as the source shows it, the claim would be unverified alone.
    edit_cell(data_copy / CLAIMS, "claim_id", "lar-10", "population", "TRK fusion-positive primary CNS tumours")
    assert verdict_of("lar-10") == "unverified"


def test_the_neurologic_list_is_compared_with_the_label(data_copy):
    # The label's section 5.1 names other reactions than the guide; a label printing the guide's
    # four terms would make the claim consistent.
    assert verdict_of("lar-13") == "contradicted"
    edit_cell(data_copy / EVIDENCE, "fact_id", "lar-ae-neuro-label", "value",
              "dizziness; cognitive impairment; mood disorders; sleep disturbance")
    assert verdict_of("lar-13") == "consistent"


def test_small_numbers_are_said_plainly_with_counts_and_exact_intervals(results):
    reasons = results.set_index("claim_id")["reason"]
    assert "rests on single-digit counts: 3/5" in reasons["lar-43"]
    assert "exact 95% CI 14.7–94.7%" in reasons["lar-43"]
    lo, hi = stats.proportion_ci(3, 5)
    assert f"{lo:.1f}–{hi:.1f}" == "14.7–94.7"
    # A comparison resting on larger counts is not flagged.
    assert "single-digit" not in reasons["lar-07"]


def test_an_impossible_n_names_every_size_that_fits_the_row(results, data_copy):
    reason = results.set_index("claim_id").loc["lar-48", "reason"]
    assert "n=19 cannot give 73%" in reason
    assert "every percentage of the row (73%, 13%): 15, 30, 40" in reason
    # Change one percentage of the row and the sizes named follow it.
    edit_cell(data_copy / CLAIMS, "claim_id", "lar-49", "reported", "20")
    fits = stats.group_sizes_fitting(["73", "20", "13"], max_n=40)
    row = audit.run(data.load()).set_index("claim_id").loc["lar-48", "reason"]
    assert f"(73%, 20%, 13%): {', '.join(map(str, fits)) or 'none'}" in row


def test_one_error_is_one_finding(results, data_copy):
    # The five cells of table 2, row 3 fail for one root cause (the row's n) and count once.
    errors = audit.errors(results)
    assert errors.loc["lar-row3-size", "cells"] == 4
    assert errors.loc["lar-row3-size", "claims"] == "lar-46, lar-48, lar-49, lar-50"
    before = len(errors)
    # Without its finding id, a cell counts as an error of its own; its verdict is unchanged.
    edit_cell(data_copy / CLAIMS, "claim_id", "lar-50", "finding", "")
    after = audit.run(data.load())
    assert len(audit.errors(after)) == before + 1
    assert after.set_index("claim_id").loc["lar-50", "verdict"] == "inconsistent"


def test_a_rule_left_out_is_an_omission_and_a_rule_stated_is_a_contradiction(data_copy):
    # Issue 2's heading names moderate inhibitors, but its text gives only the strong-inhibitor
    # rule: the guide leaves the moderate rule out (caveat). Had its text stated that rule for
    # moderate inhibitors, the label's different rule would contradict it.
    row = audit.run(data.load()).set_index("claim_id").loc["lar-28"]
    assert row["verdict"] == "caveat" and "left out, not contradicted" in row["reason"]
    edit_cell(data_copy / CLAIMS, "claim_id", "lar-28", "scope", "")
    assert verdict_of("lar-28") == "contradicted"
    # A factor a label prints otherwise is contradicted: the US labels double for strong inducers.
    edit_cell(data_copy / INSTRUCTIONS, "claim_id", "lar-32", "factor", "3")
    assert verdict_of("lar-32") == "contradicted"


@pytest.mark.parametrize("fact_id, claim_id", [
    ("lar-pcns-cr", "lar-37"), ("lar-pcns-pr", "lar-38"), ("lar-pcns-sd", "lar-39"), ("lar-pcns-pd", "lar-40"),
])
def test_every_figure_of_a_superseded_cohort_gets_the_currency_check(data_copy, fact_id, claim_id):
    # Each response category of the 2019 primary-CNS cohort is of the group that Doz et al. (and the
    # ASCO 2021 abstract, category by category) reported at a later, larger cut-off. The group
    # decides, whatever the series label; a figure of no group and no series would stand as consistent.
    # (The 2019 figures come from the starting sheet alone; put back as printed, they show the check.)
    read_again(data_copy, "lar-pcns-orr", fact_id)
    row = audit.run(data.load()).set_index("claim_id").loc[claim_id]
    assert row["verdict"] == "caveat"
    assert "a later report of the same patients than the 2019-06 cut-off" in row["reason"]
    # The later report of the same end point supersedes: the July 2020 categories, not the rate.
    assert "patients (n=33, cut-off 2020-07, " in row["reason"] and "perreault" in row["reason"].lower()
    assert "objective response rate 30%" not in row["reason"]
    edit_cell(data_copy / EVIDENCE, "fact_id", fact_id, "series", "")
    assert verdict_of(claim_id) == "caveat"
    edit_cell(data_copy / EVIDENCE, "fact_id", fact_id, "population", "")
    assert verdict_of(claim_id) == "consistent"


def test_the_brain_metastasis_row_is_superseded_by_the_same_group_under_another_label(data_copy):
    # Row 2's 60% of 5 (ASCO 2019) and the ESMO 2020 release's 71% of 14 carry no common series:
    # the group alone makes the later report supersede the earlier one (issue 17, item 3).
    facts = data.load().evidence.set_index("fact_id")
    assert facts.loc["lar-bm-orr", "series"] != facts.loc["lar-esmo-bm-orr", "series"]
    row = audit.run(data.load()).set_index("claim_id").loc["lar-41"]
    assert row["verdict"] == "caveat"
    assert "objective response rate 71% (n=14, cut-off 2019-07, " in row["reason"]
    # Had the release reported only the lung cancers among them, row 2 would stand as reproduced.
    edit_cell(data_copy / EVIDENCE, "fact_id", "lar-esmo-bm-orr", "population",
              "TRK fusion lung cancer with CNS metastases")
    assert verdict_of("lar-41") == "consistent"


def test_a_csf_ratio_to_total_plasma_is_a_caveat_whatever_was_read(data_copy):
    # No larotrectinib CSF protocol was found, but the measure the guide uses is known to be the
    # wrong one: that outranks what could not be read.
    row = audit.run(data.load()).set_index("claim_id").loc["lar-60"]
    assert row["verdict"] == "caveat" and row["status"] == "no_source"
    assert "no primary source identified" in row["reason"]
    edit_cell(data_copy / CLAIMS, "claim_id", "lar-60", "measure", "CSF to unbound plasma")
    assert verdict_of("lar-60") == "unverified"


def test_efficacy_in_cns_metastases_backed_by_primary_cns_tumours_is_a_caveat(data_copy):
    # lar-61: stated as shown for CNS metastases, backed first by the primary-CNS cohort.
    row = audit.run(data.load()).set_index("claim_id").loc["lar-61"]
    assert row["verdict"] == "caveat"
    assert "the guide states it for TRK fusion cancer with CNS metastases" in row["reason"]
    assert "the guide states it as settled" in row["reason"]


def test_one_guide_figure_is_compared_with_one_primary(tables):
    # The FAQ's 73% and table 2's 73% for CNS metastases at baseline are one figure from one guide
    # reference; both rows are compared with the same cohort.
    claims = tables.claims.set_index("claim_id")
    assert claims.loc["lar-07", "fact_id"] == claims.loc["lar-46", "fact_id"] == "lar-esmo-bm-orr"
    same = tables.claims[tables.claims["guide"] == claims.loc["lar-07", "guide"]]
    same = same[same["value_type"] == "percent"].groupby(["quantity", "population", "reported"])["fact_id"].nunique()
    assert (same == 1).all(), same[same > 1]


def test_a_derived_remainder_says_its_sum_and_its_small_counts(data_copy):
    # The brain-metastasis categories come from the starting sheet; put back as printed, with the
    # remainder they leave derived again, the engine recomputes the progressive disease.
    read_again(data_copy, "lar-bm-orr", "lar-bm-pr", "lar-bm-sd")
    edit_cell(data_copy / EVIDENCE, "fact_id", "lar-bm-pd", "n", "5")
    edit_cell(data_copy / EVIDENCE, "fact_id", "lar-bm-pd", "status", "derived")
    with (data_copy / "derivations.csv").open("a") as f:
        f.write("lar-bm-pd,remainder,lar-bm-orr lar-bm-pr lar-bm-sd,"
                "the patients less the responses and stable disease\n")
    reason = audit.run(data.load()).set_index("claim_id").loc["lar-45", "reason"]
    assert "not printed; the only value that fits the printed figures is 0 of 5: 5 − 3 − 2 = 0" in reason
    assert "rests on single-digit counts: 0/5" in reason
    # Were two partial responses printed, the remainder (5 − 2 − 2 = 1) would contradict 0%. (The
    # ESMO 2020 release reports the group's response rate again, not its categories.)
    assert verdict_of("lar-45") == "consistent"
    edit_cell(data_copy / EVIDENCE, "fact_id", "lar-bm-pr", "value", "2")
    assert verdict_of("lar-45") == "contradicted"


def _edit_rule(data_copy, version, rule_id, column, value):
    import pandas as pd

    path = data_copy / "dosing" / "larotrectinib.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    hit = (df["version"] == version) & (df["rule_id"] == rule_id)
    assert hit.sum() == 1
    df.loc[hit, column] = value
    df.to_csv(path, index=False)


@pytest.mark.parametrize("rule_id, column, value", [
    # Were the November 2023 withhold rule written for every reaction, the guide would match it.
    ("grade34-withhold", "reaction", "any"),
    # Without a liver-test rule of its own, the version would not narrow the generic rule.
    ("liver-tests", "reaction", "other"),
])
def test_the_november_2023_liver_rule_decides_the_withhold_claims(data_copy, rule_id, column, value):
    assert verdict_of("lar-14") == "caveat"
    _edit_rule(data_copy, "us-2023", rule_id, column, value)
    assert verdict_of("lar-14") == "consistent"


def test_a_paediatric_rule_written_for_every_age_would_match_the_guide(data_copy):
    # The guide's column is for every patient below 1.0 m²; the label's fact is for children.
    assert verdict_of("lar-23") == "caveat"
    edit_cell(data_copy / EVIDENCE, "fact_id", "lar-red3-lt1", "population",
              "patients with a body-surface area below 1.0 m2")
    assert verdict_of("lar-23") == "consistent"


def test_a_paediatric_rule_of_a_claim_naming_no_group_follows_the_label_version(data_copy):
    # With no group on the claim, the label version's own age limit still makes the caveat.
    edit_cell(data_copy / CLAIMS, "claim_id", "lar-23", "population", "")
    assert verdict_of("lar-23") == "caveat"
    _edit_rule(data_copy, "us-2023", "reduction3-lt1", "age_group", "any")
    assert verdict_of("lar-23") == "consistent"


def test_each_dosing_verdict_names_the_label_version_it_rests_on(results):
    by_id = results.set_index("claim_id")["label_version"]
    assert by_id["lar-14"] == by_id["lar-02"] == by_id["lar-23"] == "us-2023"
    # The November 2023 interaction and hepatic sections were not read: the 2022 revision decides.
    assert by_id["lar-24"] == by_id["lar-32"] == by_id["lar-34"] == "us-2022"
    assert by_id["lar-30"] == "eu"  # the one label read that gives any of its instruction
    assert by_id["lar-07"] == "" and by_id["lar-01"] == ""
    assert "November 2023 revision" in results.set_index("claim_id").loc["lar-14", "reason"]


def test_the_label_version_follows_the_rule_links(data_copy):
    assert verdict_of("lar-14") == "caveat"
    # Unlinked from the November 2023 rows, the claim rests on the 2022 revision's generic rule.
    _edit_rule(data_copy, "us-2023", "grade34-withhold", "fact_id", "")
    _edit_rule(data_copy, "us-2023", "liver-tests", "fact_id", "lar-ae-resume lar-ae-stop-weeks")
    from cnsaudit.engine import audit, data

    row = audit.run(data.load()).set_index("claim_id").loc["lar-14"]
    assert (row["verdict"], row["label_version"]) == ("consistent", "us-2022")


def test_a_rule_naming_an_unknown_fact_is_an_error_naming_file_row_and_column(data_copy):
    from cnsaudit.engine.data import DataError, load_all

    _edit_rule(data_copy, "us-2023", "liver-tests", "fact_id", "lar-ae-withhold lar-no-such-fact")
    with pytest.raises(DataError) as info:
        load_all()
    assert "dosing/larotrectinib.csv, row" in str(info.value) and "column 'fact_id'" in str(info.value)
    assert "'lar-no-such-fact' is not a fact_id" in str(info.value)


def test_a_guide_joining_two_labels_is_a_caveat_unless_a_part_is_unread(data_copy):
    row = audit.run(data.load()).set_index("claim_id").loc["lar-30"]
    # "Avoid" is the EU rule; no label read doubles the dose for moderate inducers.
    assert (row["verdict"], row["label_version"]) == ("unverified", "eu")
    assert "no label version read tells the reader to double the dose" in row["reason"]
    # Were the 2022 US rule read as doubling the dose, the guide would join two labels: a caveat.
    _edit_rule(data_copy, "us-2022", "moderate-inducer", "outcome", "adjust")
    _edit_rule(data_copy, "us-2022", "moderate-inducer", "factor", "2")
    _edit_rule(data_copy, "us-2022", "moderate-inducer", "status", "printed")
    row = audit.run(data.load()).set_index("claim_id").loc["lar-30"]
    assert (row["verdict"], row["label_version"]) == ("caveat", "us-2022 eu")
    assert "joins rules of two labels" in row["reason"]
    # And a US label that printed a different factor would state the opposite: contradicted.
    _edit_rule(data_copy, "us-2022", "moderate-inducer", "factor", "1.5")
    assert verdict_of("lar-30") == "contradicted"


def test_the_joined_instruction_follows_one_cell(data_copy):
    assert verdict_of("lar-30") == "unverified"
    # Without the doubling, the instruction is the EU rule alone.
    edit_cell(data_copy / INSTRUCTIONS, "claim_id", "lar-30", "factor", "")
    row = audit.run(data.load()).set_index("claim_id").loc["lar-30"]
    assert (row["verdict"], row["label_version"]) == ("consistent", "eu")


def test_a_bad_instruction_cell_is_named_by_file_row_and_column(data_copy):
    from cnsaudit.engine.data import DataError, load_all

    edit_cell(data_copy / INSTRUCTIONS, "claim_id", "lar-30", "factor", "double")
    with pytest.raises(DataError) as info:
        load_all()
    assert "data/dosing/guide-instructions.csv, row 4 (line 5), column 'factor'" in str(info.value)
    edit_cell(data_copy / INSTRUCTIONS, "claim_id", "lar-30", "factor", "2")
    edit_cell(data_copy / INSTRUCTIONS, "claim_id", "lar-24", "claim_id", "lar-99")
    with pytest.raises(DataError) as info:
        load_all()
    assert "guide-instructions.csv, row 1 (line 2), column 'claim_id': 'lar-99' is not a claim_id" in str(info.value)
