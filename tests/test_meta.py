"""Random-effects pooling: known DerSimonian–Laird values, and the negative-τ² pitfall."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.meta_analysis import combine_effects

from cnsaudit.engine.pooling import pool_proportions


def _dl_by_hand(ks, ns):
    k, n = np.array(ks, float), np.array(ns, float)
    y, v = np.log(k / (n - k)), 1 / k + 1 / (n - k)
    w = 1 / v
    fe = (w * y).sum() / w.sum()
    q = (w * (y - fe) ** 2).sum()
    tau2 = max(0.0, (q - (len(k) - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    wr = 1 / (v + tau2)
    return tau2, (wr * y).sum() / wr.sum(), q


def test_heterogeneous_studies_match_dersimonian_laird_by_hand():
    ks, ns = [5, 30, 12], [40, 50, 20]
    tau2, mean, q = _dl_by_hand(ks, ns)
    pooled = pool_proportions(ks, ns)
    assert tau2 > 0 and not pooled.floored
    assert pooled.tau2 == pytest.approx(tau2)
    assert pooled.q == pytest.approx(q)
    assert pooled.percent == pytest.approx(100 / (1 + math.exp(-mean)))
    assert 0 < pooled.i2 < 100 and pooled.low < pooled.percent < pooled.high


def test_statsmodels_goes_negative_on_homogeneous_data_and_we_floor_it():
    ks, ns = [10, 20, 30], [20, 40, 60]
    y = np.log(np.array(ks) / (np.array(ns) - np.array(ks)))
    v = 1 / np.array(ks) + 1 / (np.array(ns) - np.array(ks))
    with np.errstate(all="ignore"):
        raw = combine_effects(y, v, method_re="dl")
    assert raw.tau2 < 0  # the pitfall this wrapper exists for
    pooled = pool_proportions(ks, ns)
    assert pooled.floored and pooled.tau2_raw < 0
    assert pooled.tau2 == 0 and pooled.i2 == 0
    assert pooled.percent == pytest.approx(50) and math.isfinite(pooled.low) and math.isfinite(pooled.high)


def test_zero_and_all_events_are_pooled_with_a_continuity_correction():
    pooled = pool_proportions([0, 5], [10, 10])
    assert 0 < pooled.percent < 50


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        pool_proportions([5], [10])
    with pytest.raises(ValueError):
        pool_proportions([11, 2], [10, 10])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=2, max_value=200).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))), min_size=2, max_size=8))
def test_heterogeneity_is_never_negative(studies):
    ks, ns = zip(*studies)
    pooled = pool_proportions(list(ks), list(ns))
    assert pooled.tau2 >= 0 and 0 <= pooled.i2 <= 100
    assert 0 <= pooled.low <= pooled.percent <= pooled.high <= 100
