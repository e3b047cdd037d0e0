"""The guide against itself: rounding of a percentage from its counts, granularity (a percentage no
whole number of patients gives), the group sizes that fit a row, small counts, a percentage's
interval, a hazard ratio's interval and p, and sums. Each check records fields; the words are in
cnsaudit.engine.wording_figures.
"""

from __future__ import annotations

import functools

from . import stats
from .finding import SMALL, Check, Finding, _get, _int, _level

# Where a stated n is impossible, every n up to this many times it (and at least ROW_BOUND_MIN)
# that fits all the row's percentages is named.
ROW_BOUND_FACTOR, ROW_BOUND_MIN = 2, 40


def _all_twice(printed: str, n: int, ks: list[int]) -> bool:
    """Does every count that gives the printed percentage need rounding twice to give it?"""
    return bool(ks) and set(ks) == set(stats.numerators_only_twice(printed, n))


def check_percent(f: Finding) -> None:
    c = f.claim
    if c["value_type"] != "percent":
        return
    reported, n, k = c["reported"], _int(c, "n"), _int(c, "k")
    if n is not None and k is not None:
        rules = stats.rounds_to(stats.percent(k, n), reported)
        f.add("percent from counts", bool(rules), {"k": k, "n": n, "reported": reported, "rounds": bool(rules)},
              "inconsistent", rounded_twice=stats.only_twice(rules))
    elif n is not None:
        ks = stats.compatible_numerators(reported, n)
        f.add("granularity", bool(ks), {"reported": reported, "n": n, "ks": ks}, "inconsistent",
              rounded_twice=_all_twice(reported, n, ks))


def _counts_behind(f: Finding) -> list[tuple[int, int, dict]]:
    """The counts (k, n) a percentage claim rests on, printed or derived, with their origin."""
    c, fact = f.claim, f.fact
    if c["value_type"] != "percent":
        return []
    found: list[tuple[int, int, dict]] = []
    n, k = _int(c, "n"), _int(c, "k")
    if n is not None and k is not None:
        found.append((k, n, {"from": "guide"}))
    elif n is not None:
        ks = stats.compatible_numerators(c["reported"], n)
        if len(ks) == 1:
            found.append((ks[0], n, {"from": "guide n"}))
    if fact["status"] == "printed":
        fn, fk = _int(fact, "n"), _int(fact, "k")
        if _get(fact, "unit") == "patients" and fn:
            found.append((int(fact["value"]), fn, {"from": "printed", "ref": fact["ref"]}))
        elif fn is not None and fk is not None:
            found.append((fk, fn, {"from": "printed", "ref": fact["ref"]}))
        elif fn is not None and n is None:
            ks = stats.compatible_numerators(c["reported"], fn)
            if len(ks) == 1:
                found.append((ks[0], fn, {"from": "source n", "ref": fact["ref"]}))
    return found


def small_counts(counts: dict[tuple[int, int], list[dict]]) -> dict:
    """The fields of the small-numbers note: each count below SMALL with its origins and exact CI."""
    small = []
    for (k, n), origins in counts.items():
        if k < SMALL or n < SMALL:
            lo, hi = stats.proportion_ci(k, n)
            small.append({"k": k, "n": n, "origins": origins, "low": lo, "high": hi})
    return {"counts": small}


def check_small_numbers(f: Finding) -> None:
    origins: dict[tuple[int, int], list[dict]] = {}
    for k, n, origin in _counts_behind(f):
        origins.setdefault((k, n), []).append(origin)
    fields = small_counts(origins)
    if fields["counts"]:
        f.inform("small numbers", fields)


def row_size_checks(records: list[dict], findings: dict[str, Finding]) -> None:
    """Where a guide's n makes one of its printed percentages impossible, name every n up to a
    bound that fits all the percentages printed with that n in the same row (same guide location)."""
    # One pass groups the percentages by row and n, and each row's sizes are worked out once, so the
    # audit grows with the claims rather than with their square.
    percents = [c for c in records if c["value_type"] == "percent"]
    rows: dict[tuple, list[str]] = {}
    for o in percents:
        if (n := _int(o, "n")) is not None:
            rows.setdefault((o["guide"], o["location"], n), []).append(o["reported"])
    sizes: dict[tuple, tuple] = {}
    for c in percents:
        n = _int(c, "n")
        if n is None or _int(c, "k") is not None:
            continue
        if stats.compatible_numerators(c["reported"], n):
            continue
        key = (c["guide"], c["location"], n)
        if key not in sizes:
            sizes[key] = _row_sizes(rows[key], n)
        pcts, bound, once, twice = sizes[key]
        findings[c["claim_id"]].inform("sizes that fit", {"n": n, "reported": c["reported"], "bound": bound,
                                                          "row": pcts, "fits": once})
        if twice:
            findings[c["claim_id"]].inform("sizes that fit if rounded twice", {"bound": bound, "fits": twice},
                                           rounded_twice=True)


def _row_sizes(reported: list[str], n: int) -> tuple[list[str], int, list[int], list[int]]:
    """The distinct percentages of one row, the bound searched, and the group sizes up to it that
    give all of them: plainly, and only if rounded twice."""
    pcts = list(dict.fromkeys(reported))
    bound = max(ROW_BOUND_MIN, ROW_BOUND_FACTOR * n)
    fits = stats.group_sizes_fitting(pcts, max_n=bound)
    twice = [m for m in fits if any(_all_twice(p, m, stats.compatible_numerators(p, m)) for p in pcts)]
    once = [m for m in fits if m not in twice]
    return pcts, bound, once, twice


def check_claim_ci(f: Finding) -> None:
    c = f.claim
    if c["value_type"] != "percent" or _get(c, "ci_low") is None:
        return
    n, k = _int(c, "n"), _int(c, "k")
    if n is None:
        return
    ks = [k] if k is not None else stats.compatible_numerators(c["reported"], n)
    if len(ks) != 1:
        return
    found = stats.ci_rounding(ks[0], n, c["ci_low"], c["ci_high"], _level(c))
    methods = list(found)
    f.add("interval", bool(methods), {"ci_low": c["ci_low"], "ci_high": c["ci_high"], "k": ks[0], "n": n,
                                      "methods": methods},
          "inconsistent", rounded_twice=bool(found) and all(found.values()))


@functools.lru_cache(maxsize=4096)  # scipy's distribution functions cost more than the rest of the audit
def _hazard_ratio(hr: str, lo: str, hi: str, level: float) -> tuple:
    """What a hazard ratio and its interval give: symmetry on the log scale, its geometric mean, the
    p it implies, the SE of log HR, and the range of p the printed digits allow."""
    ok, gm = stats.hr_symmetry(hr, lo, hi)
    p_lo, p_hi = stats.p_range_from_ci(hr, lo, hi, level)
    return ok, gm, stats.p_from_ci(hr, lo, hi, level), stats.se_from_ci(lo, hi, level), p_lo, p_hi


def check_hazard_ratio(f: Finding) -> None:
    c = f.claim
    if c["value_type"] != "hazard_ratio" or _get(c, "ci_low") is None:
        return
    hr, lo, hi = c["reported"], c["ci_low"], c["ci_high"]
    ok, gm, p, se, p_lo, p_hi = _hazard_ratio(hr, lo, hi, _level(c))
    f.add("log symmetry", ok, {"hr": hr, "low": lo, "high": hi, "ok": ok, "mean": gm}, "inconsistent")
    fields = {"p": p, "se": se, "p_low": p_lo, "p_high": p_hi, "printed": _get(c, "p")}
    if fields["printed"] is not None:
        fields["ok"] = agrees = stats.p_agrees(c["p"], p_lo, p_hi)
        f.add("p from CI", agrees, fields, "inconsistent")
    else:
        f.checks.append(Check("p from CI", True, fields, kind="p from CI"))


def sum_checks(claims: list[dict], findings: dict[str, Finding]) -> None:
    groups: dict[str, dict[str, list[dict]]] = {}
    for c in claims:
        for member in (_get(c, "sums") or "").split():
            group, role = member.split(":")
            groups.setdefault(group, {"total": [], "part": []})[role].append(c)
    for group, members in sorted(groups.items()):
        parts = [m["reported"] for m in members["part"]]
        if members["total"]:
            total = members["total"][0]["reported"]
            ok, s, tol = stats.sum_of_parts(total, parts)
        else:
            total = None
            ok, s, tol = stats.adds_to_100(parts)
        fields = {"parts": parts, "total": total, "sum": s, "tol": tol, "ok": ok}
        for m in members["total"] + members["part"]:
            findings[m["claim_id"]].add(f"sum {group}", ok, fields, "inconsistent", kind="sum")
