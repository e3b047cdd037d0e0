"""Rounding twice (half up to one more decimal, then half up to the printed digits): accepted as a
way to reproduce a printed figure, but every match that needs it is flagged and said."""

from __future__ import annotations

from fractions import Fraction

import pytest

from cnsaudit.engine import audit, data, derive, stats

from .conftest import edit_cell

LAR_CLAIMS = "claims/larotrectinib.csv"


def test_five_of_eight_gives_the_lung_subgroups_interval_only_if_rounded_twice():
    # Drilon et al. print 63% (25–91); 5/8 has the exact interval 24.49–91.48.
    low, high = stats.proportion_ci(5, 8)
    assert 24.48 < low < 24.5 and 91.4 < high < 91.5
    assert stats.rounds_to(low, "25") == [stats.TWICE] and stats.only_twice(stats.rounds_to(low, "25"))
    assert not stats.only_twice(stats.rounds_to(high, "91"))
    assert stats.ci_rounding(5, 8, "25", "91") == {"clopper-pearson": True}
    (fit,) = derive.counts_reproducing("63", "25", "91", max_n=40)
    assert (fit.k, fit.n, fit.methods, fit.rounded_twice) == (5, 8, ("clopper-pearson",), True)


def test_a_match_that_rounding_once_gives_is_not_flagged():
    # The primary-CNS cohort: 5/14, printed 36% (13–65), reproduced by the exact interval at once.
    assert stats.ci_rounding(5, 14, "13", "65") == {"clopper-pearson": False}
    assert stats.rounds_to(stats.percent(5, 14), "36") == ["half-up", "half-even"]
    assert stats.rounds_to(24.486, "24") == ["half-up", "half-even"]
    assert stats.numerators_only_twice("36", 14) == []


def test_what_even_rounding_twice_cannot_give_still_fails():
    assert stats.rounds_to(24.44, "25") == []  # 24.4, then 24
    assert stats.ci_rounding(5, 8, "26", "91") == {}
    assert derive.counts_reproducing("63", "26", "91", max_n=40) == []
    assert stats.compatible_numerators("73", 19) == []


def test_a_percentage_only_rounding_twice_gives():
    # 5/11 = 45.45%: once 45, twice 45.5 and then 46.
    assert stats.compatible_numerators("46", 11) == [5]
    assert stats.numerators_only_twice("46", 11) == [5]
    assert stats.rounds_twice_to(Fraction(500, 11), "46") and not stats.rounds_twice_to(Fraction(500, 11), "45.4")
    assert stats.rounds_to(Fraction(500, 11), "45") == ["half-up", "half-even"]


def _lar05(data_copy, **cells) -> dict:
    for column, value in cells.items():
        edit_cell(data_copy / LAR_CLAIMS, "claim_id", "lar-05", column, value)
    return audit.run(data.load()).set_index("claim_id").loc["lar-05"].to_dict()


@pytest.mark.parametrize("low, outcome, flagged", [
    ("25", "interval: pass (only if rounded twice)", True),
    ("24", "interval: pass;", False),
    ("26", "interval: fail (inconsistent)", False),
])
def test_the_interval_check_records_and_says_a_match_that_needs_rounding_twice(data_copy, low, outcome, flagged):
    row = _lar05(data_copy, reported="63", n="8", k="5", ci_low=low, ci_high="91", ci_level="95")
    assert outcome in row["checks"] + ";"
    assert (audit.ROUNDED_TWICE in row["reason"]) == flagged
    if flagged:
        assert f"{low}–91 is reproduced for 5/8 by clopper-pearson ({audit.ROUNDED_TWICE})" in row["reason"]


def test_the_granularity_check_records_a_count_only_rounding_twice_gives(data_copy):
    row = _lar05(data_copy, reported="46", n="11")
    assert "granularity: pass (only if rounded twice)" in row["checks"]
    assert f"46% is attainable with n=11 only as k = 5 ({audit.ROUNDED_TWICE})" in row["reason"]
    # One count less of the same n is out of reach however it is rounded: the check fails.
    row = _lar05(data_copy, reported="47", n="11")
    assert "granularity: fail (inconsistent)" in row["checks"] and row["verdict"] in ("inconsistent", "contradicted")


def test_group_sizes_that_fit_only_if_rounded_twice_are_named_apart(data_copy):
    # No whole number of 3 patients gives 46%; of the sizes up to 40 that do, 11, 22 and 33 do so
    # only if rounded twice (5/11, 10/22 and 15/33 are 45.45%).
    row = _lar05(data_copy, reported="46", n="3")
    assert "granularity: fail (inconsistent)" in row["checks"]
    assert "the n up to 40 that give every percentage of the row (46%): 13, 24, 26, 28, 35, 37, 39" in row["reason"]
    assert f"further n up to 40 that give them: 11, 22, 33 ({audit.ROUNDED_TWICE})" in row["reason"]


def test_a_derivation_whose_only_fit_needs_rounding_twice_says_so(data_copy):
    # Were cohort 1's rate printed as 46% of at most 11 patients, 5/11 (45.45%) would be the only
    # fit, and only if rounded twice: the guide's 11 stays reproduced, and the reason says on what.
    evidence = data_copy / "evidence/alectinib.csv"
    edit_cell(evidence, "fact_id", "zou-c1-icorr", "value", "46")
    edit_cell(evidence, "fact_id", "zou-c1-n", "value", "11")
    row = audit.run(data.load()).set_index("claim_id").loc["alc-19"]
    assert row["verdict"] == "consistent"
    assert "derivation: pass (only if rounded twice)" in row["checks"]
    assert "within 11 patients: 5/11" in row["reason"] and f"({audit.ROUNDED_TWICE})" in row["reason"]
    # Printed as 47%, nothing within 11 patients gives it, rounded once or twice.
    edit_cell(evidence, "fact_id", "zou-c1-icorr", "value", "47")
    assert audit.run(data.load()).set_index("claim_id").loc["alc-19", "verdict"] == "unverified"
