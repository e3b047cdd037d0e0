"""The guide against its primary source: what was read (the fact's status and the searches made),
a derived figure recomputed from printed ones, the value, n and k, the interval and p, the
measurement conditions, the evidence's scope (cnsaudit.engine.scope), and figures shown side by side
though measured under different conditions. Each check records fields; the words are in
cnsaudit.engine.wording_figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import derive, scope, stats
from .figure_checks import _all_twice, small_counts
from .finding import SMALL, Finding, _get, _int
from .printed import parse, same_figure


class SearchLog:
    """The searches made for each claim: those filed under it or under its fact, each query and
    answer once, in the log's order. The reason's count and the audit page's list both come from
    here; the log is indexed once, because the mutation test runs the audit about a hundred times."""

    def __init__(self, searches: pd.DataFrame):
        self.searches = searches
        self._keys = list(zip(searches["query"], searches["returned"]))
        self._by_claim = {k: v.tolist() for k, v in searches.groupby("claim_id").indices.items()}
        self._by_fact = {k: v.tolist() for k, v in searches.groupby("fact_id").indices.items()}
        # Most claims have no search of their own: their fact's searches are kept once per fact.
        self._fact_only: dict[str, list[int]] = {}

    def positions(self, claim_id: str, fact_id: str) -> list[int]:
        if claim_id not in self._by_claim:
            if fact_id not in self._fact_only:
                self._fact_only[fact_id] = self._distinct(self._by_fact.get(fact_id, []))
            return list(self._fact_only[fact_id])
        return self._distinct(sorted(set(self._by_claim[claim_id]) | set(self._by_fact.get(fact_id, ()))))

    def _distinct(self, rows: list[int]) -> list[int]:
        """The rows in the log's order, each query and answer once."""
        seen, kept = set(), []
        for i in rows:
            if self._keys[i] not in seen:
                seen.add(self._keys[i])
                kept.append(i)
        return kept

    def count(self, claim_id: str, fact_id: str) -> int:
        return len(self.positions(claim_id, fact_id))

    def of(self, claim_id: str, fact_id: str) -> pd.DataFrame:
        return self.searches.iloc[self.positions(claim_id, fact_id)]


def searches_for(searches: pd.DataFrame, claim_id: str, fact_id: str) -> pd.DataFrame:
    """The searches made for one claim (see SearchLog)."""
    return SearchLog(searches).of(claim_id, fact_id)


def check_source(f: Finding, searches: int = 0, derivation: Derivation | None = None) -> None:
    fact = f.fact
    status = fact["status"]
    fields = {"status": status, "ref": fact["ref"]}
    if status == "printed":
        f.add("source", True, fields | {"value": fact["value"]}, None, quiet=True)
    elif status == "derived" and derivation is not None:
        check_derivation(f, derivation, searches)
    else:
        fields |= {"searches": searches, "source_location": fact["source_location"], "note": _get(fact, "note")}
        f.add("source", False, fields, "unverified")


@dataclass
class Derivation:
    """What the printed facts leave possible for a derived fact: every (value, of) that fits them
    (`of` is the group a count belongs to, or None), how it was found (fields for
    wording_figures.how), and up to which n."""

    fits: list[tuple[int, int | None]]
    how: dict
    bound: int | None = None
    counts: list[tuple[int, int]] = field(default_factory=list)  # the k/n behind each fit
    twice: list[bool] = field(default_factory=list)  # whether each fit needs rounding twice


def _count(fact: dict) -> int:
    """The count a printed fact gives: its value where it counts patients, else its k."""
    return int(fact["value"]) if _get(fact, "unit") == "patients" else int(fact["k"])


def derivation_of(method: str, inputs: list[dict]) -> Derivation:
    """Recompute a derived fact from the printed facts it rests on (data/derivations.csv)."""
    if method == "denominator":
        pct, group = inputs
        bound = int(group["value"]) if _get(group, "unit") == "patients" else int(group["n"])
        found = derive.denominators_within(pct["value"], bound)
        cut = derive.denominators_by_truncation(pct["value"], bound)
        how = {"method": method, "percent": pct["value"], "ref": pct["ref"], "bound": bound, "found": found,
               # the answer depends on how the primary shortened its percentages
               "cut": cut if cut != found else None}
        twice = [stats.only_twice(stats.rounds_to(stats.percent(k, n), pct["value"])) for k, n in found]
        return Derivation([(n, None) for _, n in found], how, bound, found, twice)
    total, parts = int(inputs[0]["n"]), [_count(p) for p in inputs[1:]]
    left = total - sum(parts)
    how = {"method": method, "total": total, "parts": parts, "left": left}
    return Derivation([(left, total)] if left >= 0 else [], how, counts=[(left, total)] if left >= 0 else [])


def _fits_claim(c: dict, value: int, of: int | None) -> bool:
    if c["value_type"] == "percent":
        return of is not None and _int(c, "n") in (None, of) and bool(
            stats.rounds_to(stats.percent(value, of), c["reported"]))
    return parse(c["reported"]).value == value


def check_derivation(f: Finding, d: Derivation, searches: int) -> None:
    """A figure not printed but computed from printed ones: the only value the printed figures
    allow is as good as printed (consistent, or contradicted if the guide gives another); where
    several values fit, or none, it stays unverified."""
    c = f.claim
    fields = {"fits": len(d.fits), "bound": d.bound, "how": d.how, "ref": f.fact["ref"], "reported": c["reported"],
              "searches": searches}
    if len(d.fits) == 1:
        value, of = d.fits[0]
        ok = _fits_claim(c, value, of)
        twice = bool(d.twice and d.twice[0]) or (ok and c["value_type"] == "percent" and stats.only_twice(
            stats.rounds_to(stats.percent(value, of), c["reported"])))
        f.add("derivation", ok, fields | {"value": value, "of": of, "ok": ok}, "contradicted", rounded_twice=twice)
        k, n = d.counts[0]
        if c["value_type"] != "percent" and (k < SMALL or n < SMALL):  # percentages say it themselves
            f.inform("small numbers", small_counts({(k, n): [{"from": "derived"}]}))
        return
    f.add("derivation", False, fields, "unverified")


def check_value(f: Finding) -> None:
    c, fact = f.claim, f.fact
    if fact["status"] != "printed":
        return
    fields = {"reported": c["reported"], "printed": fact["value"], "ref": fact["ref"],
              "category": c["value_type"] == "category", "unit": _get(fact, "unit")}
    if c["value_type"] == "category":
        ok = c["reported"].casefold() == fact["value"].casefold()
    elif c["value_type"] == "percent" and _get(fact, "unit") == "patients" and _int(fact, "n"):
        # The primary prints a count of its n patients; the guide a percentage of that group.
        k, n = int(fact["value"]), _int(fact, "n")
        rules = stats.rounds_to(stats.percent(k, n), c["reported"])
        f.add("value", bool(rules), fields | {"mode": "count", "k": k, "n": n, "ok": bool(rules)}, "contradicted",
              rounded_twice=stats.only_twice(rules))
        return
    else:
        ok = same_figure(parse(c["reported"]), parse(fact["value"]))
    if not ok and _get(c, "scope") == "heading only":
        # The heading names the case, but the text states no rule for it: an omission.
        f.add("value", ok, fields | {"mode": "heading only"}, "caveat")
        return
    f.add("value", ok, fields | {"mode": "figure", "ok": ok}, "contradicted")


def check_counts(f: Finding) -> None:
    c, fact = f.claim, f.fact
    for key in ("n", "k"):
        a, b = _int(c, key), _int(fact, key)
        if a is not None and b is not None:
            f.add(key, a == b, {"label": key, "guide": a, "source": b, "ref": fact["ref"]}, "contradicted",
                  kind="count")
    # A percentage with no n in the guide must still be attainable for the primary's n.
    if (c["value_type"] == "percent" and _int(c, "n") is None and _int(fact, "n") is not None
            and _int(fact, "k") is None):
        n = _int(fact, "n")
        ks = stats.compatible_numerators(c["reported"], n)
        f.add("granularity (primary n)", bool(ks), {"reported": c["reported"], "n": n, "ks": ks, "ref": fact["ref"]},
              "contradicted", rounded_twice=_all_twice(c["reported"], n, ks))


def check_interval_and_p(f: Finding) -> None:
    c, fact = f.claim, f.fact
    if fact["status"] != "printed":
        return
    if _get(c, "ci_low") is not None and _get(fact, "ci_low") is not None:
        ok = (same_figure(parse(c["ci_low"]), parse(fact["ci_low"]))
              and same_figure(parse(c["ci_high"]), parse(fact["ci_high"])))
        f.add("interval vs primary", ok, {"guide": (c["ci_low"], c["ci_high"]),
                                          "source": (fact["ci_low"], fact["ci_high"]), "ref": fact["ref"]},
              "contradicted")
    if _get(c, "p") is not None and _get(fact, "p") is not None:
        ok = same_figure(parse(c["p"]), parse(fact["p"]))
        f.add("p vs primary", ok, {"guide": c["p"], "source": fact["p"], "ref": fact["ref"]}, "contradicted")


def check_conditions(f: Finding) -> None:
    c, fact = f.claim, f.fact
    f.found(scope.species(c, fact))
    a, b = _get(c, "steady_state"), _get(fact, "steady_state")
    if a in ("yes", "no") and b in ("yes", "no"):
        f.add("steady state", a == b, {"mode": "differs", "guide": a, "source": b, "ref": fact["ref"]},
              "contradicted", quiet=True)
    elif b == "no":
        f.add("steady state", False, {"mode": "before", "ref": fact["ref"]}, "caveat")


def check_evidence_behind(f: Finding, groups: scope.Groups, currency: scope.Found | None,
                          binding: dict[str, dict]) -> None:
    """Does the evidence cover what the claim states (group, drugs, design, end point, measure), and
    is it the latest report of its patients (`currency`: worked out once per fact)? Decided from
    fields known whatever was read."""
    c, fact = f.claim, f.fact
    f.found(scope.population(c, fact, groups))
    f.found(scope.drug_class(c, fact))
    f.found(scope.strength(c, fact))
    f.found(scope.measure(c, binding.get(c["drug"])))
    for found in scope.endpoint(c, fact):
        f.found(found)
    f.found(currency)


def compare_group_checks(claims: list[dict], findings: dict[str, Finding]) -> None:
    grouped: dict[str, list[dict]] = {}
    for c in claims:
        if _get(c, "compare_group"):
            grouped.setdefault(c["compare_group"], []).append(c)
    for group, members in sorted(grouped.items()):
        conditions = {}
        for c in members:
            fact = findings[c["claim_id"]].fact
            conditions[c["claim_id"]] = (fact.get("drug"), _get(fact, "species"), _get(fact, "steady_state"))
        if len({v[1:] for v in conditions.values()}) <= 1:
            continue
        fields = {"conditions": list(conditions.values())}
        for claim_id in conditions:
            findings[claim_id].add("like with like", False, fields, "caveat")
