"""Unit tests for cnsaudit.engine.derive: counts behind subgroup percentages, denominators inside a
cohort, truncation, subgroup capacity, the interaction approximation and the HR table."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from cnsaudit.engine import derive, stats


def test_alex_alectinib_split_is_unique_and_known():
    split = derive.unique_split(["85.7", "78.6"], 21)
    assert (split.ns, split.ks) == ((7, 14), (6, 11))
    assert derive.overall(split) == (17, 21)


def test_alex_crizotinib_split_is_unique_and_known():
    split = derive.unique_split(["71.4", "40.0"], 22)
    assert (split.ns, split.ks) == ((7, 15), (5, 6))
    assert derive.overall(split) == (11, 22)


def test_split_table_lists_every_solution():
    # 50% and 50% within 4 patients: (1,3) fails, (2,2) gives 1/2 + 1/2, (3,1) fails.
    table = derive.split_solutions(["50", "50"], 4, ["a", "b"])
    assert list(table["a: k/n"]) == ["1/2"]
    # 100% and 0% within 3 patients: every size split works (n1 = 1 or 2).
    table = derive.split_solutions(["100", "0"], 3, ["a", "b"])
    assert list(table["a: k/n"]) == ["1/1", "2/2"]
    assert list(table["overall k/n"]) == ["1/3", "2/3"]


def test_split_table_is_empty_when_nothing_fits():
    table = derive.split_solutions(["42.8", "42.8"], 13, ["a", "b"])
    assert table.empty
    assert "a: k/n" in table.columns


def test_unique_split_refuses_ambiguity_and_impossibility():
    with pytest.raises(ValueError, match="2 solutions"):
        derive.unique_split(["100", "0"], 3)
    with pytest.raises(ValueError, match="0 solutions"):
        derive.unique_split(["42.8", "42.8"], 13)


def test_split_labels_must_match():
    with pytest.raises(ValueError):
        derive.split_solutions(["85.7", "78.6"], 21, ["only one label"])


def test_denominators_within_cohort_sizes():
    assert derive.denominators_within("81.8", 20) == [(9, 11)]
    assert derive.denominators_within("81.8", 22) == [(9, 11), (18, 22)]
    assert derive.unique_denominator("76.5", 32) == (13, 17)
    with pytest.raises(ValueError):
        derive.unique_denominator("81.8", 22)


def test_zou_cohort_three_rate_is_reachable_only_by_truncation():
    assert derive.denominators_within("42.8", 13) == []
    assert derive.denominators_by_truncation("42.8", 13) == [(3, 7)]
    assert stats.rounds_to(stats.percent(3, 7), "42.9")


def test_truncation_rule():
    assert derive.truncates_to(Fraction(300, 7), "42.8")
    assert not derive.truncates_to(Fraction(300, 7), "42.9")
    assert derive.truncates_to(Fraction(1, 1), "1.0")
    assert derive.truncates_to(Fraction(2, 3), "0")


def test_subgroups_fit_printed_counts():
    fits = derive.subgroups_fit(7, 14, 25, 64)
    assert [(f.derived_n, f.capacity, f.fits) for f in fits] == [(7, 25, True), (14, 39, True)]
    fits = derive.subgroups_fit(26, 5, 25, 64)
    assert [f.fits for f in fits] == [False, True]
    fits = derive.subgroups_fit(5, 40, 25, 64)
    assert [f.fits for f in fits] == [True, False]
    with pytest.raises(ValueError):
        derive.subgroups_fit(1, 1, 70, 64)


def test_interaction_p_from_two_intervals():
    # Identical HRs cannot differ.
    assert derive.interaction_p("0.5", "0.25", "1.0", "0.5", "0.25", "1.0") == pytest.approx(1.0)
    # ALEX PFS by baseline CNS status: hand computation of the Altman–Bland test.
    import math
    se1 = (math.log(0.64) - math.log(0.25)) / (2 * 1.959964)
    se2 = (math.log(0.80) - math.log(0.33)) / (2 * 1.959964)
    z = abs(math.log(0.40) - math.log(0.51)) / math.hypot(se1, se2)
    from scipy.stats import norm
    assert derive.interaction_p("0.40", "0.25", "0.64", "0.51", "0.33", "0.80") == pytest.approx(
        2 * norm.sf(z), rel=1e-4)


def _evidence(rows):
    cols = ["fact_id", "quantity", "population", "value", "ci_low", "ci_high", "ci_level", "p", "ref"]
    return pd.DataFrame(rows, columns=cols)


def test_hr_table_recomputes_and_flags():
    ev = _evidence([
        ["a", "HR", "sub", "0.58", "0.34", "1.00", "95", None, "r1"],
        ["b", "HR", None, "0.47", "0.34", "0.65", "95", "<0.001", "r2"],
        ["c", "HR", None, "0.47", "0.34", "0.65", "95", "0.2", "r2"],
        ["d", "HR", None, "0.30", "0.34", "0.65", "95", None, "r2"],
    ])
    t = derive.hr_table(ev, ["a", "b", "c", "d"])
    assert t.loc["a", "CI includes 1"] == "yes" and t.loc["b", "CI includes 1"] == "no"
    assert t.loc["a", "p agrees"] == "—" and t.loc["a", "printed p"] == "not printed"
    assert t.loc["b", "p agrees"] == "yes"
    assert t.loc["c", "p agrees"] == "no"
    assert t.loc["d", "log-symmetric"] == "no" and t.loc["b", "log-symmetric"] == "yes"
    assert t.loc["a", "comparison"] == "HR (sub)" and t.loc["b", "comparison"] == "HR"
    assert t.loc["b", "SE(log HR)"] == pytest.approx(0.165, abs=1e-3)


def test_derive_count_finds_the_single_numerator():
    assert derive.derive_count("63.6", 11) == 7
    assert derive.derive_count("50", 4) == 2


@pytest.mark.parametrize("printed, n", [("50", 3), ("33", 300)])
def test_derive_count_refuses_none_or_several(printed, n):
    # 50% of 3 is no whole count; 33% of 300 is both 99 and 100 at that precision.
    with pytest.raises(ValueError, match="not unique"):
        derive.derive_count(printed, n)


def test_one_derive_count():
    from cnsaudit.book import report
    from cnsaudit.analyses import synthesis

    assert report.derive_count is derive.derive_count
    assert not hasattr(synthesis, "derive_count")
