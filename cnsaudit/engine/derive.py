"""Derivations a chapter needs beyond the generic checks: counts behind subgroup percentages,
denominators inside a printed cohort size, whether derived subgroups fit printed counts, and
hazard-ratio recomputations laid out as a table.

Everything here is built on :mod:`cnsaudit.engine.stats` and takes printed figures as text. Functions that
"derive" a single answer raise ValueError when the printed figures do not pin it down, so that a
derived count is never a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd
from scipy import stats as _st

from . import stats
from .printed import parse

# --- subgroup counts from printed percentages and a printed total ------------------------------


def split_solutions(printed_pcts: list[str], total: int, labels: list[str]) -> pd.DataFrame:
    """Every division of `total` into subgroups whose counts print as `printed_pcts`.

    One row per solution; for each subgroup label the columns give k/n and the exact percentage.
    An empty frame (with the columns) means no division reproduces the printed figures.
    """
    if len(labels) != len(printed_pcts):
        raise ValueError("one label per printed percentage is needed")
    rows = []
    for i, split in enumerate(stats.compatible_splits(printed_pcts, total), start=1):
        row = {"solution": i}
        for label, k, n in zip(labels, split.ks, split.ns):
            row[f"{label}: k/n"] = f"{k}/{n}"
            row[f"{label}: %"] = round(float(stats.percent(k, n)), 3)
        row["overall k/n"] = f"{sum(split.ks)}/{total}"
        rows.append(row)
    columns = ["solution"] + [f"{label}: {c}" for label in labels for c in ("k/n", "%")] + ["overall k/n"]
    return pd.DataFrame(rows, columns=columns).set_index("solution")


def derive_count(printed_pct: str, n: int) -> int:
    """The single numerator that reproduces a printed percentage for a printed n.

    Raises ValueError when none or several fit, so a derived count is never a guess.
    """
    ks = stats.compatible_numerators(printed_pct, n)
    if len(ks) != 1:
        raise ValueError(f"{printed_pct}% with n={n} fits {len(ks)} numerators ({ks}); not unique")
    return ks[0]


def unique_split(printed_pcts: list[str], total: int) -> stats.Split:
    """The single division of `total` that reproduces the printed percentages (else ValueError)."""
    solutions = stats.compatible_splits(printed_pcts, total)
    if len(solutions) != 1:
        raise ValueError(f"{printed_pcts} within a total of {total} has {len(solutions)} solutions; "
                         "the counts are not determined")
    return solutions[0]


def overall(split: stats.Split) -> tuple[int, int]:
    """Responders and patients over all subgroups of a split."""
    return sum(split.ks), sum(split.ns)


# --- denominators inside a printed cohort size ---------------------------------------------------


def denominators_within(printed_pct: str, max_n: int) -> list[tuple[int, int]]:
    """Every (k, n) with n ≤ max_n whose k/n prints as `printed_pct` (half-up or half-even)."""
    return [(k, n) for n in range(1, max_n + 1) for k in stats.compatible_numerators(printed_pct, n)]


def unique_denominator(printed_pct: str, max_n: int) -> tuple[int, int]:
    """The single (k, n), n ≤ max_n, that reproduces a printed percentage (else ValueError)."""
    found = denominators_within(printed_pct, max_n)
    if len(found) != 1:
        raise ValueError(f"{printed_pct}% with n ≤ {max_n} fits {len(found)} fractions ({found})")
    return found[0]


@dataclass(frozen=True)
class IntervalFit:
    """A count that gives a printed percentage and its printed interval: the methods whose interval
    does, and whether the match needs rounding twice (the percentage or a bound; see stats.TWICE)."""

    k: int
    n: int
    methods: tuple[str, ...]
    rounded_twice: bool


def counts_reproducing(printed_pct: str, low: str, high: str, max_n: int, level: float = 0.95) -> list[IntervalFit]:
    """Every k/n with n ≤ max_n whose percentage prints as `printed_pct` and whose interval (exact or
    Wilson) prints as `low`–`high`, rounding once or, where that fails, twice."""
    found = []
    for k, n in denominators_within(printed_pct, max_n):
        methods = stats.ci_rounding(k, n, low, high, level)
        if methods:
            pct_twice = stats.only_twice(stats.rounds_to(stats.percent(k, n), printed_pct))
            found.append(IntervalFit(k, n, tuple(methods), pct_twice or all(methods.values())))
    return found


def truncates_to(value: Fraction, printed: str) -> bool:
    """Does `value` print as `printed` when the extra digits are cut off instead of rounded?"""
    p = parse(printed)
    scale = 10 ** p.decimals
    return Fraction(math.floor(value * scale), scale) == Fraction(p.value)


def denominators_by_truncation(printed_pct: str, max_n: int) -> list[tuple[int, int]]:
    """Every (k, n) with n ≤ max_n whose percentage, truncated, prints as `printed_pct`."""
    return [(k, n) for n in range(1, max_n + 1) for k in range(n + 1)
            if truncates_to(stats.percent(k, n), printed_pct)]


# --- derived subgroups against printed counts ----------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """Does a derived subgroup size fit inside the printed group it must belong to?"""

    subgroup: str
    derived_n: int
    capacity: int
    fits: bool


def subgroups_fit(derived_with: int, derived_without: int, printed_with: int, population: int,
                  labels: tuple[str, str] = ("with", "without")) -> list[Fit]:
    """Derived measurable-lesion subgroups by a baseline attribute (e.g. prior radiotherapy) must
    fit inside the printed counts of the wider population: at most `printed_with` patients have the
    attribute and at most `population − printed_with` do not."""
    if not 0 <= printed_with <= population:
        raise ValueError(f"need 0 ≤ {printed_with} ≤ {population}")
    return [
        Fit(labels[0], derived_with, printed_with, derived_with <= printed_with),
        Fit(labels[1], derived_without, population - printed_with,
            derived_without <= population - printed_with),
    ]


# --- hazard ratios ---------------------------------------------------------------------------------


def interaction_p(hr1: str, lo1: str, hi1: str, hr2: str, lo2: str, hi2: str,
                  level: float = 0.95) -> float:
    """Approximate two-sided p for a difference between two independent HRs, from their CIs
    (difference of log HRs over the root sum of squared SEs; Altman and Bland, BMJ 2003)."""
    diff = math.log(parse(hr1).value) - math.log(parse(hr2).value)
    se = math.hypot(stats.se_from_ci(lo1, hi1, level), stats.se_from_ci(lo2, hi2, level))
    return float(2 * _st.norm.sf(abs(diff) / se))


def hr_table(evidence: pd.DataFrame, fact_ids: list[str]) -> pd.DataFrame:
    """Printed HRs with their CI, recomputed: log symmetry, SE of log HR, p from the CI (point and
    the range over the rounding of the printed figures), agreement with a printed p, and whether
    the CI includes 1."""
    facts = evidence.set_index("fact_id")
    rows = []
    for fact_id in fact_ids:
        r = facts.loc[fact_id]
        hr, lo, hi = r["value"], r["ci_low"], r["ci_high"]
        level = int(r["ci_level"]) / 100
        symmetric, gm = stats.hr_symmetry(hr, lo, hi)
        p_lo, p_hi = stats.p_range_from_ci(hr, lo, hi, level)
        printed_p = r["p"] if isinstance(r["p"], str) else None
        rows.append({
            "fact_id": fact_id,
            "comparison": r["quantity"] + (f" ({r['population']})" if isinstance(r["population"], str) else ""),
            "printed HR (95% CI)": f"{hr} ({lo}–{hi})",
            "√(low×high)": round(gm, 3),
            "log-symmetric": "yes" if symmetric else "no",
            "SE(log HR)": round(stats.se_from_ci(lo, hi, level), 3),
            "p from CI": f"{stats.p_from_ci(hr, lo, hi, level):.2g}",
            "p range (rounding)": f"{p_lo:.2g}–{p_hi:.2g}",
            "printed p": printed_p or "not printed",
            "p agrees": "—" if printed_p is None else
                        ("yes" if stats.p_agrees(printed_p, p_lo, p_hi) else "no"),
            "CI includes 1": "yes" if stats.ci_crosses_one(lo, hi) else "no",
            "source": r["ref"],
        })
    return pd.DataFrame(rows).set_index("fact_id")
