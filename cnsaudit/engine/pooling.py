"""Random-effects pooling of proportions (DerSimonian–Laird) on the logit scale, via statsmodels.

statsmodels 0.15's ``combine_effects`` can return a negative τ² and a negative (even −∞) I² when
the studies are more alike than chance would make them, and then a NaN random-effects standard
error. By definition both are floored at zero (as R's metafor does); with τ² = 0 the random-effects
estimate is the fixed-effect one, so that estimate and its standard error are used.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st
from statsmodels.stats.meta_analysis import combine_effects


@dataclass(frozen=True)
class Pooled:
    studies: int
    percent: float
    low: float
    high: float
    tau2: float
    i2: float  # percent
    q: float
    p_heterogeneity: float
    tau2_raw: float  # what statsmodels returned, before flooring
    floored: bool


def _logit_effects(ks, ns):
    ks, ns = np.asarray(ks, float), np.asarray(ns, float)
    if np.any(ns <= 0) or np.any(ks < 0) or np.any(ks > ns):
        raise ValueError("each study needs 0 <= k <= n and n > 0")
    # A study with 0 or n events has no finite logit: add 0.5 to each cell of that study only.
    edge = (ks == 0) | (ks == ns)
    k = np.where(edge, ks + 0.5, ks)
    n = np.where(edge, ns + 1.0, ns)
    eff = np.log(k / (n - k))
    var = 1 / k + 1 / (n - k)
    return eff, var


def _expit(x: float) -> float:
    return 100 / (1 + math.exp(-x))


def pool_proportions(ks, ns, level: float = 0.95) -> Pooled:
    """DerSimonian–Laird random-effects pooled proportion (percent) with its CI and heterogeneity."""
    if len(ks) < 2:
        raise ValueError("pooling needs at least two studies")
    eff, var = _logit_effects(ks, ns)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # The warnings are the negative-τ² case handled below, not something to show a reader.
        warnings.simplefilter("ignore", RuntimeWarning)
        res = combine_effects(eff, var, method_re="dl", alpha=1 - level)
    tau2_raw = float(res.tau2)
    floored = tau2_raw < 0
    tau2 = max(tau2_raw, 0.0)
    q, df = float(res.q), len(ks) - 1
    i2 = max(0.0, (q - df) / q) * 100 if q > 0 else 0.0
    if floored:
        mean, se = float(res.mean_effect_fe), float(res.sd_eff_w_fe)
    else:
        mean, se = float(res.mean_effect_re), float(res.sd_eff_w_re)
    z = float(_st.norm.ppf(0.5 + level / 2))
    return Pooled(studies=len(ks), percent=_expit(mean), low=_expit(mean - z * se),
                  high=_expit(mean + z * se), tau2=tau2, i2=i2, q=q,
                  p_heterogeneity=float(_st.chi2.sf(q, df)), tau2_raw=tau2_raw, floored=floored)
