"""Statistics: known values, cross-checks against statsmodels, and properties."""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from cnsaudit.engine import stats


def test_percent_is_exact():
    assert stats.percent(7, 11) == Fraction(700, 11)
    with pytest.raises(ValueError):
        stats.percent(12, 11)
    with pytest.raises(ValueError):
        stats.percent(1, 0)


def test_rounding_accepts_half_up_and_half_even_and_says_which():
    one_eighth = stats.percent(1, 8)  # exactly 12.5
    assert stats.rounds_to(one_eighth, "13") == ["half-up"]
    assert stats.rounds_to(one_eighth, "12") == ["half-even"]
    assert stats.rounds_to(one_eighth, "12.5") == ["half-up", "half-even"]
    assert stats.rounds_to(stats.percent(74, 121), "61.2")
    assert not stats.rounds_to(stats.percent(74, 121), "61.1")


def test_granularity_known_cases():
    assert stats.compatible_numerators("63.6", 11) == [7]
    assert stats.compatible_numerators("36", 14) == [5]
    assert stats.compatible_numerators("73", 19) == []          # impossible with n=19
    assert stats.compatible_numerators("73", 15) == [11]
    assert stats.is_granular("40.0", 5) and not stats.is_granular("41.0", 5)


def test_group_sizes_that_fit_several_percentages_at_once():
    assert stats.group_sizes_fitting(["73", "73", "13", "13"], max_n=40) == [15, 30, 40]


def test_splits_of_a_total_are_all_returned():
    # ALEX measurable-lesion subgroups (Gadgeel 2018): each arm's two percentages and its total.
    assert stats.compatible_splits(["85.7", "78.6"], 21) == [stats.Split(ns=(7, 14), ks=(6, 11))]
    assert stats.compatible_splits(["71.4", "40.0"], 22) == [stats.Split(ns=(7, 15), ks=(5, 6))]
    several = stats.compatible_splits(["50", "50"], 8)
    assert len(several) > 1 and all(sum(s.ns) == 8 for s in several)


def test_sums_within_rounding():
    assert stats.sum_of_parts("36", ["14", "21"])[0]            # 14 + 21 = 35, within ±1.5
    assert not stats.sum_of_parts("73", ["0", "60"])[0]
    assert stats.adds_to_100(["36", "64", "0"])[0]
    assert stats.adds_to_100(["73", "13", "13"])[0]               # 99, within ±1.5
    assert not stats.adds_to_100(["60", "30"])[0]


@pytest.mark.parametrize("k, n, low, high", [
    (32, 50, "49.2", "77.1"),    # Gadgeel 2016 pooled CNS ORR
    (45, 50, "78.2", "96.7"),    # Gadgeel 2016 pooled CNS DCR
    (5, 14, "13", "65"),         # larotrectinib primary CNS tumours, ASCO 2019
    (3, 5, "15", "95"),          # larotrectinib brain metastases, ASCO 2019
    (10, 14, "42", "92"),        # larotrectinib CNS metastases, SNO 2020
])
def test_printed_exact_intervals_are_reproduced_by_clopper_pearson_only(k, n, low, high):
    assert stats.ci_methods_reproducing(k, n, low, high) == ["clopper-pearson"]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=300).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))))
def test_intervals_agree_with_statsmodels_and_contain_the_estimate(kn):
    k, n = kn
    for method, sm in (("clopper-pearson", "beta"), ("wilson", "wilson")):
        low, high = stats.proportion_ci(k, n, method=method)
        sm_low, sm_high = proportion_confint(k, n, method=sm)
        assert low == pytest.approx(100 * sm_low, abs=1e-6)
        assert high == pytest.approx(100 * sm_high, abs=1e-6)
        assert low - 1e-9 <= 100 * k / n <= high + 1e-9


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=500).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n), st.sampled_from([0, 1]))))
def test_granularity_finds_the_true_numerator(knd):
    k, n, decimals = knd
    printed = str(stats.round_to(stats.percent(k, n), decimals))
    assert k in stats.compatible_numerators(printed, n)


def test_hazard_ratio_checks_known_values():
    ok, gm = stats.hr_symmetry("0.40", "0.25", "0.64")
    assert ok and gm == pytest.approx(0.40)
    assert not stats.hr_symmetry("0.60", "0.25", "0.64")[0]
    expected = (math.log(0.64) - math.log(0.25)) / (2 * 1.959964)
    assert stats.se_from_ci("0.25", "0.64") == pytest.approx(expected, rel=1e-5)
    # Peters 2017: HR 0.47 (0.34-0.65), P<0.001
    lo, hi = stats.p_range_from_ci("0.47", "0.34", "0.65")
    assert stats.p_agrees("<0.001", lo, hi)
    # Gadgeel 2018 interaction p=0.36 is not a p from one HR; a printed 0.36 disagrees with HR 0.51
    lo, hi = stats.p_range_from_ci("0.51", "0.33", "0.80")
    assert not stats.p_agrees("0.36", lo, hi)
    assert stats.ci_crosses_one("0.40", "1.15") and not stats.ci_crosses_one("0.25", "0.64")


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0.05, max_value=5), st.floats(min_value=0.05, max_value=2))
def test_p_from_a_symmetric_ci_is_a_probability_and_falls_as_the_ci_narrows(hr, se):
    low, high = hr * math.exp(-1.959964 * se), hr * math.exp(1.959964 * se)
    fmt = lambda x: f"{x:.6f}"  # noqa: E731
    p_wide = stats.p_from_ci(fmt(hr), fmt(low), fmt(high))
    narrow_low, narrow_high = hr * math.exp(-1.959964 * se / 2), hr * math.exp(1.959964 * se / 2)
    p_narrow = stats.p_from_ci(fmt(hr), fmt(narrow_low), fmt(narrow_high))
    assert 0 <= p_narrow <= p_wide <= 1
