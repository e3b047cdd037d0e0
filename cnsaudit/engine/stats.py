"""Recomputation checks: percentages, rounding, granularity, sums, intervals and hazard ratios.

Every function takes printed figures as text (see :mod:`cnsaudit.engine.printed`) so that the precision of
what was printed decides what counts as a match. Interval arithmetic is delegated to scipy.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from scipy import stats as _st

from .printed import Printed, parse

ROUNDING_RULES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN}


def _as_printed(x: str | Printed) -> Printed:
    return x if isinstance(x, Printed) else parse(x)


def percent(k: int, n: int) -> Fraction:
    """k of n as an exact percentage."""
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    return Fraction(100 * k, n)


def round_to(value: Fraction | float, decimals: int, rule: str = "half-up") -> Decimal:
    """Round an exact value to `decimals` places with the named rule."""
    with localcontext() as ctx:
        ctx.prec = 50
        exact = (
            Decimal(value.numerator) / Decimal(value.denominator)
            if isinstance(value, Fraction)
            else Decimal(repr(float(value)))
        )
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUNDING_RULES[rule])


# Rounding twice: half up to one more decimal than printed, then half up to the printed decimals
# (24.486 -> 24.5 -> 25, where rounding once gives 24). Authors who copy a figure from a table that
# already rounded it do this; it is accepted, but a match that needs it is flagged.
TWICE = "twice"


def rounds_twice_to(value: Fraction | float, printed: str | Printed) -> bool:
    """Does `value` print as `printed` when rounded half up to one more decimal, then half up again?"""
    p = _as_printed(printed)
    first = round_to(value, p.decimals + 1, "half-up")
    return round_to(Fraction(first), p.decimals, "half-up") == p.value


def rounds_to(value: Fraction | float, printed: str | Printed) -> list[str]:
    """The rounding rules under which `value` prints as `printed` (empty if none).

    This is statcheck's criterion: a reported figure with d decimals is consistent when the
    recomputed value rounds to it. Reports round half up more often than Python's half-even, so
    both are accepted and the caller is told which one worked. Where neither rounding once gives
    the figure, rounding twice is tried and, if it does, ``[TWICE]`` is returned alone: the caller
    accepts the match and says that it needs two roundings (see `only_twice`).
    """
    p = _as_printed(printed)
    rules = [rule for rule in ROUNDING_RULES if round_to(value, p.decimals, rule) == p.value]
    if not rules and rounds_twice_to(value, p):
        rules = [TWICE]
    return rules


def only_twice(rules: list[str]) -> bool:
    """Did a match (the rules `rounds_to` returned) need rounding twice?"""
    return rules == [TWICE]


def compatible_numerators(printed_pct: str | Printed, n: int) -> list[int]:
    """Every k in 0..n whose k/n, as a percentage, prints as `printed_pct` (GRIM-style)."""
    return list(_compatible_numerators(_as_printed(printed_pct), int(n)))


@functools.lru_cache(maxsize=65536)
def _compatible_numerators(p: Printed, n: int) -> tuple[int, ...]:
    # Cached: the audit asks the same (figure, n) pairs many times over (row-size searches up to a
    # bound, mutation runs), and the answer is a pure function of them.
    # Only k with 100k/n within half a printed unit of the figure (a twentieth more below it, for
    # rounding twice) can round to it; testing that window (widened by one either side) gives the
    # same list as testing every k in 0..n.
    half = Fraction(11, 20 * 10 ** p.decimals)
    centre = Fraction(p.value)
    low = max(0, math.floor((centre - half) * n / 100) - 1)
    high = min(n, math.ceil((centre + half) * n / 100) + 1)
    return tuple(k for k in range(low, high + 1) if rounds_to(percent(k, n), p))


def numerators_only_twice(printed_pct: str | Printed, n: int) -> list[int]:
    """The k of `compatible_numerators` whose k/n gives the printed percentage only if rounded twice."""
    return [k for k in compatible_numerators(printed_pct, n) if only_twice(rounds_to(percent(k, n), printed_pct))]


def is_granular(printed_pct: str | Printed, n: int) -> bool:
    """Can any whole number of the n patients give this printed percentage?"""
    return bool(compatible_numerators(printed_pct, n))


@dataclass(frozen=True)
class Split:
    """One way of dividing group totals into counts that reproduce printed percentages."""

    ns: tuple[int, ...]
    ks: tuple[int, ...]


def compatible_splits(
    printed_pcts: list[str], total: int, min_size: int = 1
) -> list[Split]:
    """All (k_i, n_i) with sum(n_i) == total whose k_i/n_i print as `printed_pcts`.

    Used where a paper prints subgroup percentages and the total they partition, but not the
    counts: every solution is returned, so the caller can report whether it is unique.
    """
    parts = len(printed_pcts)
    printed = [_as_printed(p) for p in printed_pcts]
    solutions: list[Split] = []
    for ns in _compositions(total, parts, min_size):
        options = [compatible_numerators(p, n) for p, n in zip(printed, ns)]
        for ks in itertools.product(*options):
            solutions.append(Split(ns=ns, ks=tuple(ks)))
    return solutions


def _compositions(total: int, parts: int, min_size: int):
    if parts == 1:
        if total >= min_size:
            yield (total,)
        return
    for first in range(min_size, total - min_size * (parts - 1) + 1):
        for rest in _compositions(total - first, parts - 1, min_size):
            yield (first, *rest)


def group_sizes_fitting(printed_pcts: list[str], max_n: int = 200) -> list[int]:
    """Every group size up to `max_n` for which all the printed percentages are attainable."""
    printed = [_as_printed(p) for p in printed_pcts]
    return [n for n in range(1, max_n + 1) if all(is_granular(p, n) for p in printed)]


def sum_of_parts(total: str, parts: list[str]) -> tuple[bool, Decimal, Decimal]:
    """Do printed parts add up to a printed total within the rounding of all of them?

    Returns (agrees, sum of parts, tolerance). The tolerance is the sum of every figure's half
    unit, the most that independent rounding can move the sum away from the total.
    """
    t = _as_printed(total)
    ps = [_as_printed(p) for p in parts]
    s = sum((p.value for p in ps), Decimal(0))
    tolerance = t.half_unit() + sum((p.half_unit() for p in ps), Decimal(0))
    return abs(s - t.value) <= tolerance, s, tolerance


def adds_to_100(parts: list[str]) -> tuple[bool, Decimal, Decimal]:
    """Do mutually exclusive response categories add up to 100% within rounding?"""
    ps = [_as_printed(p) for p in parts]
    s = sum((p.value for p in ps), Decimal(0))
    tolerance = sum((p.half_unit() for p in ps), Decimal(0))
    return abs(s - 100) <= tolerance, s, tolerance


# --- intervals ---------------------------------------------------------------------------------

CI_METHODS = ("clopper-pearson", "wilson")


@functools.lru_cache(maxsize=4096)
def proportion_ci(k: int, n: int, level: float = 0.95, method: str = "clopper-pearson"):
    """Confidence interval for k/n as percentages (scipy's exact or Wilson interval).

    Cached: it is a pure function of its arguments, and the audit asks for the same few intervals
    again and again (root finding in scipy is the costly part)."""
    percent(k, n)  # validates k and n
    scipy_method = {"clopper-pearson": "exact", "wilson": "wilson"}[method]
    ci = _st.binomtest(k, n).proportion_ci(confidence_level=level, method=scipy_method)
    return 100 * ci.low, 100 * ci.high


def ci_rounding(k: int, n: int, low: str, high: str, level: float = 0.95) -> dict[str, bool]:
    """The interval methods that, rounded as printed, give the printed bounds, each with whether
    a bound needs rounding twice to do so."""
    lo, hi = _as_printed(low), _as_printed(high)
    found = {}
    for method in CI_METHODS:
        a, b = proportion_ci(k, n, level, method)
        rules = rounds_to(a, lo), rounds_to(b, hi)
        if all(rules):
            found[method] = any(only_twice(r) for r in rules)
    return found


def ci_methods_reproducing(
    k: int, n: int, low: str, high: str, level: float = 0.95
) -> list[str]:
    """Which interval methods, rounded as printed (once, or if need be twice), give the printed bounds."""
    return list(ci_rounding(k, n, low, high, level))


# --- hazard ratios ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)  # scipy's ppf costs far more than the rest of a check
def _z(level: float) -> float:
    return float(_st.norm.ppf(0.5 + level / 2))


def hr_symmetry(hr: str, low: str, high: str) -> tuple[bool, float]:
    """Is a printed HR the geometric mean of its printed CI, within the rounding of all three?

    Ratio CIs are symmetric on the log scale, so HR = sqrt(low * high). Returns (agrees, the
    geometric mean of the printed bounds).
    """
    h, lo, hi = _as_printed(hr), _as_printed(low), _as_printed(high)
    gm = math.sqrt(float(lo.value) * float(hi.value))
    lo_a, lo_b = lo.interval()
    hi_a, hi_b = hi.interval()
    gm_min = math.sqrt(float(lo_a) * float(hi_a))
    gm_max = math.sqrt(float(lo_b) * float(hi_b))
    h_a, h_b = h.interval()
    return (float(h_a) <= gm_max and gm_min <= float(h_b)), gm


def se_from_ci(low: str, high: str, level: float = 0.95) -> float:
    """Standard error of log(HR) from a printed CI: (ln high − ln low) / (2 z)."""
    lo, hi = _as_printed(low), _as_printed(high)
    return (math.log(hi.value) - math.log(lo.value)) / (2 * _z(level))


def p_from_ci(hr: str, low: str, high: str, level: float = 0.95) -> float:
    """Two-sided p for HR ≠ 1 from its CI (Altman and Bland, BMJ 2011;343:d2304)."""
    z = abs(math.log(_as_printed(hr).value)) / se_from_ci(low, high, level)
    return float(2 * _st.norm.sf(z))


def p_range_from_ci(hr: str, low: str, high: str, level: float = 0.95) -> tuple[float, float]:
    """The p values reachable when HR and bounds move anywhere within their rounding."""
    h, lo, hi = _as_printed(hr), _as_printed(low), _as_printed(high)
    ps = []
    for hv in h.interval():
        for lv in lo.interval():
            for uv in hi.interval():
                se = (math.log(uv) - math.log(lv)) / (2 * _z(level))
                ps.append(float(2 * _st.norm.sf(abs(math.log(hv)) / se)))
    ps.append(p_from_ci(hr, low, high, level))
    return min(ps), max(ps)


def p_agrees(printed_p: str, p_low: float, p_high: float) -> bool:
    """Does a printed p (a value such as '0.36' or a threshold such as '<0.001') agree with a
    recomputed range of p?"""
    p = _as_printed(printed_p)
    if p.kind in ("less_than", "at_most"):
        return p_low < float(p.value)
    if p.kind in ("greater_than", "at_least"):
        return p_high > float(p.value)
    a, b = p.interval()
    return float(a) <= p_high and p_low <= float(b)


def ci_crosses_one(low: str, high: str) -> bool:
    """Does a ratio CI include 1 (no difference)?"""
    return _as_printed(low).value <= 1 <= _as_printed(high).value
