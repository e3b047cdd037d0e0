"""The larotrectinib chapter's verdicts, and proof that they follow the data rather than a label."""

from __future__ import annotations

import pytest

from cnsaudit import data, stats

from .conftest import edit_cell, verdict_of

GUIDE = "003_78f3d3862d36bdb2.txt"
CLAIMS = "claims/larotrectinib.csv"
EVIDENCE = "evidence/larotrectinib.csv"

# Written from reading the guide against the primary-literature sheet, independently of the engine.
EXPECTED = {
    "lar-01": "unverified",    # same dose with CNS metastases: the label says nothing either way
    "lar-02": "consistent",    # 100 mg BID at BSA >= 1.0
    "lar-03": "consistent",    # 100 mg/m2 BID below 1.0
    "lar-04": "consistent",    # with or without food
    "lar-05": "caveat",        # 36% primary CNS, superseded by 30% (n=33, July 2020)
    "lar-06": "consistent",    # 60% brain metastases
    "lar-07": "contradicted",  # 73% "CNS metastases at baseline": the subgroup prints 63%
    "lar-08": "consistent",    # selective TRKA/B/C inhibitor
    "lar-09": "unverified",
    "lar-10": "unverified",
    "lar-11": "unverified",
    "lar-12": "unverified",
    "lar-13": "unverified",
    "lar-14": "consistent",    # withhold until grade 1 or baseline
    "lar-15": "consistent",    # resume at next modification within 4 weeks
    "lar-16": "consistent",    # discontinue if unresolved at 4 weeks
    "lar-17": "consistent",    # three modifications
    "lar-18": "consistent",    # table 1, six cells
    "lar-19": "consistent",
    "lar-20": "consistent",
    "lar-21": "consistent",
    "lar-22": "consistent",
    "lar-23": "consistent",
    "lar-24": "consistent",    # avoid strong inhibitors
    "lar-25": "unverified",    # inhibitors raise exposure: no figure recorded
    "lar-26": "consistent",    # reduce by 50%
    "lar-27": "consistent",    # 3-5 half-lives
    "lar-28": "contradicted",  # moderate inhibitors under the strong-inhibitor rule
    "lar-29": "consistent",    # avoid strong inducers
    "lar-30": "contradicted",  # moderate inducers: "avoid; double" vs label "modify; no avoid"
    "lar-31": "consistent",    # inducers lower exposure (rifampin)
    "lar-32": "consistent",    # double the dose
    "lar-33": "consistent",
    "lar-34": "consistent",    # Child-Pugh B/C halve the starting dose
    "lar-35": "consistent",    # Child-Pugh A none
    "lar-36": "caveat",        # table 2 row 1 ORR 36%: later cut-off
    "lar-37": "consistent",    # 14% = 2/14
    "lar-38": "consistent",    # 21% = 3/14
    "lar-39": "consistent",    # 64%
    "lar-40": "consistent",    # 0%
    "lar-41": "consistent",    # row 2 ORR 60% = 3/5
    "lar-42": "consistent",    # CR dash: no complete response
    "lar-43": "consistent",    # PR 60% = 3/5
    "lar-44": "consistent",    # SD 40%
    "lar-45": "unverified",    # PD 0%: only derivable
    "lar-46": "contradicted",  # row 3: 73% with n=19 vs 71% (10/14)
    "lar-47": "contradicted",  # n=19 vs 14
    "lar-48": "contradicted",
    "lar-49": "contradicted",
    "lar-50": "contradicted",
    "lar-51": "unverified",    # protocol numbers: no larotrectinib CSF protocol in any source read
    "lar-52": "unverified",
    "lar-53": "unverified",
    "lar-54": "unverified",
}


def test_every_claim_of_the_guide_has_its_expectedverdict_of(results):
    got = results[results["guide"] == GUIDE].set_index("claim_id")["verdict"].to_dict()
    assert got == EXPECTED


def test_each_claim_has_a_reason_and_its_checks(results):
    mine = results[results["guide"] == GUIDE]
    assert (mine["reason"].str.len() > 0).all() and (mine["checks"].str.len() > 0).all()


def test_row_3_is_impossible_for_its_n_and_fits_fifteen(results):
    row = results.set_index("claim_id").loc["lar-46"]
    assert "impossible with n=19" in row["recomputed"]
    fitting = stats.group_sizes_fitting(["73", "73", "13", "13"], max_n=40)
    assert fitting == [15, 30, 40]


def test_primary_counts_are_compared_as_percentages(results):
    row = results.set_index("claim_id").loc["lar-37"]
    assert "prints 2 of 14" in row["reason"] and "2/14 = 14.29% (primary count)" in row["recomputed"]
    row = results.set_index("claim_id").loc["lar-48"]
    assert "prints 10 of 14" in row["reason"] and row["verdict"] == "contradicted"




@pytest.mark.parametrize("table, key_col, key, column, value, claim_id, verdict", [
    # A guide percentage no longer reproduced by the primary count is contradicted.
    (CLAIMS, "claim_id", "lar-38", "reported", "29", "lar-38", "contradicted"),
    # Without a later cut-off in the series, the 36% would stand as it is.
    (EVIDENCE, "fact_id", "lar-pcns-orr-2020", "cutoff", "2019-01", "lar-05", "consistent"),
    # If the label told readers to avoid moderate inducers and double the dose, the guide would match.
    (EVIDENCE, "fact_id", "lar-ind-moderate", "value", "avoid; if unavoidable double the dose",
     "lar-30", "consistent"),
    # Had the CNS-metastasis subgroup printed 73%, Q2 would be reproduced.
    (EVIDENCE, "fact_id", "lar-lung-cns-orr", "value", "73", "lar-07", "consistent"),
    # A primary that printed the absence of progression would turn a derivation into a check.
    (EVIDENCE, "fact_id", "lar-bm-pd", "status", "printed", "lar-45", "consistent"),
    # A guide response rate whose count differs from the primary's.
    (CLAIMS, "claim_id", "lar-43", "reported", "40", "lar-43", "contradicted"),
    # The CNS-metastasis cohort with the guide's n would leave only the figures to disagree.
    (CLAIMS, "claim_id", "lar-47", "n", "14", "lar-47", "consistent"),
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
    # If the primary printed 74% stable disease and the guide copied it, the guide's own row
    # (14 + 21 + 74 + 0) would no longer add up to 100.
    assert verdict_of("lar-39") == "consistent"
    edit_cell(data_copy / EVIDENCE, "fact_id", "lar-pcns-sd", "value", "74")
    edit_cell(data_copy / CLAIMS, "claim_id", "lar-39", "reported", "74")
    assert verdict_of("lar-39") == "inconsistent"
    assert verdict_of("lar-37") == "inconsistent"


ROWS = {
    "primary CNS": "table 2 (efficacy) row 1 primary CNS",
    "brain metastases": "table 2 (efficacy) row 2 brain metastases",
    "CNS metastases": "table 2 (efficacy) row 3 CNS metastases",
}


def test_the_efficacy_table_grid_recomputes_each_row(tables):
    from cnsaudit import report

    grid = report.percent_table_grid(tables.claims, ROWS)
    assert grid.loc["primary CNS", "complete responses"] == "14% → k = 2"
    assert grid.loc["primary CNS", "parts vs total"] == "14 + 21 = 35 vs 36 (agrees)"
    assert grid.loc["primary CNS", "categories"] == "sum 99 (adds to 100)"
    assert grid.loc["CNS metastases", "objective response rate"] == "73% → impossible"
    assert grid.loc["CNS metastases", "stable disease"] == "13% → impossible"
    with pytest.raises(KeyError):
        report.percent_table_grid(tables.claims, {"x": "no such location"})


def test_the_efficacy_table_grid_notices_rows_that_do_not_add_up(data_copy):
    from cnsaudit import report

    edit_cell(data_copy / CLAIMS, "claim_id", "lar-39", "reported", "74")
    edit_cell(data_copy / CLAIMS, "claim_id", "lar-37", "reported", "30")
    grid = report.percent_table_grid(data.load().claims, ROWS)
    assert grid.loc["primary CNS", "categories"] == "sum 125 (does not add to 100)"
    assert grid.loc["primary CNS", "parts vs total"].endswith("(differs)")


def test_printed_rate_rows_reproduce_printed_intervals(tables):
    from cnsaudit import report

    row = report.printed_rate_row(tables.evidence, "later cut", "lar-pcns-orr-2020", derived=True)
    assert (row["k/n"], row["printed 95% CI"], row["reproduced by"], row["cut-off"]) == \
        ("10/33", "16–49", "clopper-pearson", "2020-07")
    row = report.printed_rate_row(tables.evidence, "early cut", "lar-bm-orr")
    assert (row["k/n"], row["reproduced by"], row["counts"]) == ("3/5", "clopper-pearson", "printed")
    row = report.printed_rate_row(tables.evidence, "ESMO", "lar-esmo-lung-bm-orr", derived=True)
    assert (row["k/n"], row["printed 95% CI"], row["cut-off"]) == ("4/7", "not printed", "not printed")
