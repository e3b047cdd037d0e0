"""The claims audit: run every applicable check on each claim and derive exactly one verdict.

A claim row records what a guide prints; the evidence row it links to records what the primary
source prints (or what was read without finding it: the full text, only an abstract, or no
source). Nothing here knows which verdict a claim "should" get:
the verdict follows from the checks, so changing a number in `data/` changes the verdict.

Verdicts, strongest first:

- ``contradicted``: the primary source prints something else (value, n, interval, conditions, end
  point, group), or a figure is given for a group the source did not report it for.
- ``inconsistent``: the guide's own figures do not agree (rounding, granularity, sums, intervals).
- ``caveat``: the audit established a limit the guide leaves out: the evidence is narrower than the
  statement (a part of the group, animals or cells for patients, some drugs of a class, a design
  that cannot settle it), the measure is the wrong one, a later report of the same patients exists,
  or the conditions differ. It outranks ``unverified``: a problem established from what was read is
  shown even where the figure itself was not read, and the reason still says what was not read.
- ``unverified``: no source read prints the figure, so only internal checks could be run; the reason
  says which case holds (not in the full text read, only an abstract or excerpt read, no primary
  source identified, or derivable but not pinned down) and how many searches were made.
- ``consistent``: reproduced. A figure no source prints but that is the only value the printed
  figures allow (a derivation in data/derivations.csv, recomputed here) counts as reproduced; its
  reason says "not printed" and its evidence status stays ``derived``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from . import derive, dose_rules, label_versions, schema, scope, stats, wording
from .data import Tables
from .printed import parse, same_figure
from .schema import STATUS_MEANING
from .short_cite import verb

VERDICTS = ("consistent", "unverified", "caveat", "inconsistent", "contradicted")
# Which verdict each kind of failed check leads to, strongest first. A problem the audit established
# from what it read (a caveat or worse) outranks what it could not read; the reason and the evidence
# status still say what was not read.
_PRECEDENCE = ("contradicted", "inconsistent", "caveat", "unverified")

COLUMNS = ["claim_id", "guide", "location", "claim", "reported", "recomputed", "primary",
           "verdict", "checks", "reason", "drug", "quantity", "fact_id", "ref", "status", "finding",
           "label_version", "consequence", "consequence_rank", "explanation", "headline"]


@dataclass
class Check:
    """One check on one claim. `effect` is the verdict a failure leads to (None: it passed)."""

    name: str
    passed: bool
    detail: str
    effect: str | None = None
    recomputed: str | None = None
    quiet: bool = False  # left out of the one-line reason when it passes
    info: bool = False  # context shown in the reason whatever the verdict (small counts, fitting n)
    # The match holds only if the printed figure was rounded twice (stats.TWICE): accepted, and
    # said in the reason (see `said`).
    rounded_twice: bool = False
    # What an evidence check found, as fields (cnsaudit.engine.scope); the words come from cnsaudit.engine.wording.
    fields: dict | None = None


# The words for a match that needs rounding twice, written here once: the reason, the checks
# column and the chapters' tables all say it this way.
ROUNDED_TWICE = ("reproduced only if rounded twice: first to one more decimal, then to the printed "
                 "digits, half up each time")
ROUNDED_TWICE_SHORT = "only if rounded twice"


def said(check: Check) -> str:
    """A check's detail as the reason gives it."""
    return f"{check.detail} ({ROUNDED_TWICE})" if check.rounded_twice else check.detail


@dataclass
class Finding:
    claim: dict
    fact: dict
    checks: list[Check] = field(default_factory=list)
    label_version: str | None = None  # the dose-rule label version the verdict rests on, if any
    # How a source is named in the words: its BibTeX key by default (the audit table, the CLI);
    # the book passes short citations ("Fischer et al. 2020").
    cite: Callable[[str], str] = str

    def add(self, name, passed, detail, effect_if_failed, recomputed=None, quiet=False, rounded_twice=False):
        effect = None if passed else effect_if_failed
        # A failed check may rest on a match that needs rounding twice too (the only derivable
        # value, when the guide prints another), so the flag is kept either way.
        self.checks.append(Check(name, passed, detail, effect, recomputed, quiet, rounded_twice=bool(rounded_twice)))

    @property
    def verdict(self) -> str:
        effects = {c.effect for c in self.checks if c.effect}
        for verdict in _PRECEDENCE:
            if verdict in effects:
                return verdict
        return "consistent"

    @property
    def reason(self) -> str:
        verdict = self.verdict
        parts = [said(c) for c in self.checks if c.effect == verdict]
        # What could not be read is said whatever outranks it.
        parts += [said(c) for c in self.checks if c.effect == "unverified" and verdict != "unverified"]
        if verdict in ("unverified", "consistent", "caveat"):
            parts += [said(c) for c in self.checks if c.passed and not c.quiet]
        # A match that needs rounding twice is said whatever the verdict.
        parts += [said(c) for c in self.checks if c.rounded_twice and said(c) not in parts]
        note = _get(self.fact, "note")
        if verdict == "unverified" and note and not any(note in part for part in parts):
            parts.append(note)
        parts += [said(c) for c in self.checks if c.info and said(c) not in parts]
        return "; ".join(parts) if parts else "reproduced"

    def source(self, singular_verb: str) -> str:
        """The fact's source named, with the verb agreeing: 'Bayer 2019 prints', 'Fischer et al. 2020 print'."""
        name = self.cite(self.fact["ref"])
        return f"{name} {verb(name, singular_verb)}"

    def found(self, found: scope.Found | None) -> None:
        """Record what an evidence check found; a pass stays out of the one-line reason."""
        if found is not None:
            self.checks.append(Check(found.kind, found.passed, wording.say(found.kind, found.fields, self.cite),
                                     found.effect, quiet=found.passed, info=found.info, fields=found.fields))

    @property
    def explanation(self) -> str:
        """What the verdict means for a reader, from the fields of the checks that decided it."""
        return " ".join(self.meanings)

    @property
    def headline(self) -> str:
        """The first thing the verdict means, within wording.HEADLINE_WORDS words."""
        first = next((c for c in self.checks if c.effect == self.verdict), None)
        if first is None or not self.meanings:
            return ""
        if first.fields is None:
            return self.meanings[0]
        return wording.explain(first.name, first.fields, self.cite, short=True)

    @property
    def meanings(self) -> list[str]:
        """One sentence per distinct thing the deciding checks mean for a reader, first check first."""
        verdict = self.verdict
        said: list[str] = []
        for c in self.checks:
            if c.effect != verdict:
                continue
            text = (wording.explain(c.name, c.fields, self.cite) if c.fields is not None
                    else wording.meaning(c.name, c.effect))
            if text and text not in said:
                said.append(text)
        return said

    def inform(self, name: str, detail: str, rounded_twice: bool = False) -> None:
        """Context for the reader that decides nothing (shown in the reason whatever the verdict)."""
        self.checks.append(Check(name, True, detail, None, None, quiet=True, info=True,
                                 rounded_twice=rounded_twice))


def _get(row: dict, key: str):
    value = row.get(key)
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _int(row: dict, key: str) -> int | None:
    value = _get(row, key)
    return None if value is None else int(value)


def _level(row: dict) -> float:
    return int(_get(row, "ci_level") or 95) / 100


def _fmt_pct(k: int, n: int) -> str:
    return f"{k}/{n} = {float(stats.percent(k, n)):.2f}%"


# --- internal checks (the guide against itself) ---------------------------------------------------


def _check_percent(f: Finding) -> None:
    c = f.claim
    if c["value_type"] != "percent":
        return
    reported, n, k = c["reported"], _int(c, "n"), _int(c, "k")
    if n is not None and k is not None:
        rules = stats.rounds_to(stats.percent(k, n), reported)
        f.add("percent from counts", bool(rules),
              f"{_fmt_pct(k, n)} {'rounds to' if rules else 'does not round to'} {reported}%",
              "inconsistent", _fmt_pct(k, n), rounded_twice=stats.only_twice(rules))
    elif n is not None:
        ks = stats.compatible_numerators(reported, n)
        f.add("granularity", bool(ks),
              f"{reported}% is attainable with n={n} only as k = {_list(ks)}" if ks
              else f"no whole number of {n} patients gives {reported}%",
              "inconsistent", ", ".join(_fmt_pct(k, n) for k in ks) or f"impossible with n={n}",
              rounded_twice=_all_twice(reported, n, ks))


# A count below this is a "small number": the reason says so with the exact interval.
SMALL = 10
# Where a stated n is impossible, every n up to this many times it (and at least ROW_BOUND_MIN)
# that fits all the row's percentages is named.
ROW_BOUND_FACTOR, ROW_BOUND_MIN = 2, 40


def _counts_behind(f: Finding) -> list[tuple[int, int, str]]:
    """The counts (k, n) a percentage claim rests on, printed or derived, with their origin."""
    c, fact = f.claim, f.fact
    if c["value_type"] != "percent":
        return []
    found: list[tuple[int, int, str]] = []
    n, k = _int(c, "n"), _int(c, "k")
    if n is not None and k is not None:
        found.append((k, n, "guide"))
    elif n is not None:
        ks = stats.compatible_numerators(c["reported"], n)
        if len(ks) == 1:
            found.append((ks[0], n, "derived from the guide's n"))
    if fact["status"] == "printed":
        fn, fk = _int(fact, "n"), _int(fact, "k")
        if _get(fact, "unit") == "patients" and fn:
            found.append((int(fact["value"]), fn, f"printed by {f.cite(fact['ref'])}"))
        elif fn is not None and fk is not None:
            found.append((fk, fn, f"printed by {f.cite(fact['ref'])}"))
        elif fn is not None and n is None:
            ks = stats.compatible_numerators(c["reported"], fn)
            if len(ks) == 1:
                found.append((ks[0], fn, f"derived from the n of {f.cite(fact['ref'])}"))
    return found


def _check_small_numbers(f: Finding) -> None:
    origins: dict[tuple[int, int], list[str]] = {}
    for k, n, origin in _counts_behind(f):
        origins.setdefault((k, n), []).append(origin)
    small = []
    for (k, n), where in origins.items():
        if k < SMALL or n < SMALL:
            lo, hi = stats.proportion_ci(k, n)
            small.append(f"{k}/{n} ({', '.join(where)}; exact 95% CI {lo:.1f}–{hi:.1f}%)")
    if small:
        f.inform("small numbers", "rests on single-digit counts: " + ", ".join(small))


def _row_size_checks(claims: pd.DataFrame, findings: dict[str, Finding]) -> None:
    """Where a guide's n makes one of its printed percentages impossible, name every n up to a
    bound that fits all the percentages printed with that n in the same row (same guide location)."""
    # One pass groups the percentages by row and n, and each row's sizes are worked out once, so the
    # audit grows with the claims rather than with their square.
    records = claims.loc[claims["value_type"] == "percent",
                         ["claim_id", "guide", "location", "reported", "value_type", "n", "k"]].to_dict("records")
    rows: dict[tuple, list[str]] = {}
    for o in records:
        if (n := _int(o, "n")) is not None:
            rows.setdefault((o["guide"], o["location"], n), []).append(o["reported"])
    sizes: dict[tuple, tuple] = {}
    for c in records:
        n = _int(c, "n")
        if c["value_type"] != "percent" or n is None or _int(c, "k") is not None:
            continue
        if stats.compatible_numerators(c["reported"], n):
            continue
        key = (c["guide"], c["location"], n)
        if key not in sizes:
            sizes[key] = _row_sizes(rows[key], n)
        pcts, bound, once, twice = sizes[key]
        findings[c["claim_id"]].inform(
            "sizes that fit", f"n={n} cannot give {c['reported']}%; the n up to {bound} that give every "
            f"percentage of the row ({', '.join(p + '%' for p in pcts)}): {_list(once) or 'none'}")
        if twice:
            findings[c["claim_id"]].inform("sizes that fit if rounded twice",
                                           f"further n up to {bound} that give them: {_list(twice)}",
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


def _all_twice(printed: str, n: int, ks: list[int]) -> bool:
    """Does every count that gives the printed percentage need rounding twice to give it?"""
    return bool(ks) and set(ks) == set(stats.numerators_only_twice(printed, n))


def _list(ks: list[int]) -> str:
    return ", ".join(str(k) for k in ks)


def _check_claim_ci(f: Finding) -> None:
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
    f.add("interval", bool(methods),
          f"{c['ci_low']}–{c['ci_high']} is reproduced for {ks[0]}/{n} by {' and '.join(methods)}"
          if methods else f"neither an exact nor a Wilson interval for {ks[0]}/{n} gives "
          f"{c['ci_low']}–{c['ci_high']}", "inconsistent", rounded_twice=bool(found) and all(found.values()))


def _check_hazard_ratio(f: Finding) -> None:
    c = f.claim
    if c["value_type"] != "hazard_ratio" or _get(c, "ci_low") is None:
        return
    hr, lo, hi = c["reported"], c["ci_low"], c["ci_high"]
    ok, gm = stats.hr_symmetry(hr, lo, hi)
    f.add("log symmetry", ok,
          f"HR {hr} {'is' if ok else 'is not'} the geometric mean of {lo}–{hi} ({gm:.3f})",
          "inconsistent", f"√({lo}×{hi}) = {gm:.3f}")
    p_lo, p_hi = stats.p_range_from_ci(hr, lo, hi, _level(c))
    se = stats.se_from_ci(lo, hi, _level(c))
    p_point = stats.p_from_ci(hr, lo, hi, _level(c))
    recomputed = f"SE(log HR) = {se:.3f}, p = {p_point:.2g}"
    if _get(c, "p") is not None:
        agrees = stats.p_agrees(c["p"], p_lo, p_hi)
        f.add("p from CI", agrees,
              f"p recomputed from the CI is {p_point:.2g} (range {p_lo:.2g}–{p_hi:.2g}), "
              f"{'in line with' if agrees else 'against'} the printed p {c['p']}",
              "inconsistent", recomputed)
    else:
        f.checks.append(Check("p from CI", True, f"p recomputed from the CI is {p_point:.2g}",
                              None, recomputed))


def _sum_checks(claims: list[dict], findings: dict[str, Finding]) -> None:
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
            detail = f"{' + '.join(parts)} = {s} {'agrees with' if ok else 'does not match'} {total} (±{tol})"
        else:
            ok, s, tol = stats.adds_to_100(parts)
            detail = f"{' + '.join(parts)} = {s} {'adds' if ok else 'does not add'} to 100 (±{tol})"
        for m in members["total"] + members["part"]:
            findings[m["claim_id"]].add(f"sum {group}", ok, detail, "inconsistent", f"sum = {s}")


# --- primary checks (the guide against the primary source) -------------------------------------


def _searched(searches: int) -> str:
    if not searches:
        return ""
    return f"; {searches} search{'es' if searches != 1 else ''} recorded in the search log"


class SearchLog:
    """The searches made for each claim: those filed under it or under its fact, each query and
    answer once, in the log's order. The reason's count and the audit page's list both come from
    here; the log is indexed once, because the mutation test runs the audit about a hundred times."""

    def __init__(self, searches: pd.DataFrame):
        self.searches = searches
        self._keys = list(zip(searches["query"], searches["returned"]))
        self._by_claim = searches.groupby("claim_id").indices
        self._by_fact = searches.groupby("fact_id").indices

    def positions(self, claim_id: str, fact_id: str) -> list[int]:
        seen, kept = set(), []
        for i in sorted(set(self._by_claim.get(claim_id, ())) | set(self._by_fact.get(fact_id, ()))):
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


def _check_source(f: Finding, searches: int = 0, derivation: Derivation | None = None) -> None:
    fact = f.fact
    status = fact["status"]
    if status == "printed":
        f.add("source", True, f"{f.source('prints')} {fact['value']}", None, quiet=True)
    elif status == "derived" and derivation is not None:
        _check_derivation(f, derivation, searches)
    elif status == "derived":
        f.add("source", False, f"{f.source('does')} not print it; it can only be derived "
              f"({_get(fact, 'note') or 'see chapter'}){_searched(searches)}", "unverified")
    elif status == "not_in_full_text":
        f.add("source", False, f"not in the full text read of {f.cite(fact['ref'])} "
              f"({fact['source_location']}){_searched(searches)}", "unverified")
    elif status == "abstract_only":
        f.add("source", False, f"only an abstract or excerpt of {f.cite(fact['ref'])} was read "
              f"({fact['source_location']}); the figure may be in the full text{_searched(searches)}",
              "unverified")
    elif status == "sheet_only":
        f.add("source", False, f"the figure comes from the starting sheet and could not be found again in "
              f"{f.cite(fact['ref'])} or another source read ({fact['source_location']}){_searched(searches)}",
              "unverified")
    else:  # no_source
        f.add("source", False, f"no primary source identified; read: {f.cite(fact['ref'])} "
              f"({fact['source_location']}){_searched(searches)}", "unverified")


@dataclass
class Derivation:
    """What the printed facts leave possible for a derived fact: every (value, of) that fits them
    (`of` is the group a count belongs to, or None), how it was found, and up to which n."""

    fits: list[tuple[int, int | None]]
    how: str
    bound: int | None = None
    counts: list[tuple[int, int]] = field(default_factory=list)  # the k/n behind each fit
    twice: list[bool] = field(default_factory=list)  # whether each fit needs rounding twice


def _count(fact: dict) -> int:
    """The count a printed fact gives: its value where it counts patients, else its k."""
    return int(fact["value"]) if _get(fact, "unit") == "patients" else int(fact["k"])


def derivation_of(method: str, inputs: list[dict], cite=str) -> Derivation:
    """Recompute a derived fact from the printed facts it rests on (data/derivations.csv)."""
    if method == "denominator":
        pct, group = inputs
        bound = int(group["value"]) if _get(group, "unit") == "patients" else int(group["n"])
        found = derive.denominators_within(pct["value"], bound)
        how = (f"{pct['value']}% ({cite(pct['ref'])}) within {bound} patients: "
               + (", ".join(f"{k}/{n}" for k, n in found) or "no fraction"))
        cut = derive.denominators_by_truncation(pct["value"], bound)
        if cut != found:  # the answer depends on how the primary shortened its percentages
            how += ("; if the primary cut off digits instead of rounding: "
                    + (", ".join(f"{k}/{n}" for k, n in cut) or "no fraction"))
        twice = [stats.only_twice(stats.rounds_to(stats.percent(k, n), pct["value"])) for k, n in found]
        return Derivation([(n, None) for _, n in found], how, bound, found, twice)
    total, parts = int(inputs[0]["n"]), [_count(p) for p in inputs[1:]]
    left = total - sum(parts)
    sum_text = f"{total} − {' − '.join(str(p) for p in parts)} = {left}"
    return Derivation([(left, total)] if left >= 0 else [], sum_text, counts=[(left, total)] if left >= 0 else [])


def _fits_claim(c: dict, value: int, of: int | None) -> bool:
    if c["value_type"] == "percent":
        return of is not None and _int(c, "n") in (None, of) and bool(
            stats.rounds_to(stats.percent(value, of), c["reported"]))
    return parse(c["reported"]).value == value


def _check_derivation(f: Finding, d: Derivation, searches: int) -> None:
    """A figure not printed but computed from printed ones: the only value the printed figures
    allow is as good as printed (consistent, or contradicted if the guide gives another); where
    several values fit, or none, it stays unverified."""
    c = f.claim
    upto = f" (searched up to n = {d.bound})" if d.bound is not None else ""
    if len(d.fits) == 1:
        value, of = d.fits[0]
        ok = _fits_claim(c, value, of)
        only = str(value) if of is None else f"{value} of {of}"
        if not ok:
            only += f", not the guide's {c['reported']}"
        twice = bool(d.twice and d.twice[0]) or (ok and c["value_type"] == "percent" and stats.only_twice(
            stats.rounds_to(stats.percent(value, of), c["reported"])))
        f.add("derivation", ok, f"not printed; the only value that fits the printed figures{upto} is {only}: {d.how}",
              "contradicted", rounded_twice=twice)
        k, n = d.counts[0]
        if c["value_type"] != "percent" and (k < SMALL or n < SMALL):  # percentages say it themselves
            lo, hi = stats.proportion_ci(k, n)
            f.inform("small numbers", f"rests on single-digit counts: {k}/{n} (derived; exact 95% CI "
                     f"{lo:.1f}–{hi:.1f}%)")
        return
    many = f"{len(d.fits)} values fit" if d.fits else "no value fits"
    f.add("derivation", False, f"{f.source('does')} not print it, and {many} the printed figures{upto}: {d.how}"
          f"{_searched(searches)}", "unverified")


def _check_value(f: Finding) -> None:
    c, fact = f.claim, f.fact
    if fact["status"] != "printed":
        return
    if c["value_type"] == "category":
        ok = c["reported"].casefold() == fact["value"].casefold()
    elif c["value_type"] == "percent" and _get(fact, "unit") == "patients" and _int(fact, "n"):
        # The primary prints a count of its n patients; the guide a percentage of that group.
        k, n = int(fact["value"]), _int(fact, "n")
        rules = stats.rounds_to(stats.percent(k, n), c["reported"])
        ok = bool(rules)
        f.add("value", ok, f"{f.source('prints')} {k} of {n} ({_fmt_pct(k, n)}), "
              f"{'which rounds to' if ok else 'not'} the guide's {c['reported']}%", "contradicted",
              f"{_fmt_pct(k, n)} (primary count)", rounded_twice=stats.only_twice(rules))
        return
    else:
        ok = same_figure(parse(c["reported"]), parse(fact["value"]))
    if not ok and _get(c, "scope") == "heading only":
        # The heading names the case, but the text states no rule for it: an omission.
        f.add("value", ok, f"the guide's heading names this case but its text gives no rule for it, "
              f"only another case's ({c['reported']}); {f.source('gives')} {fact['value']} "
              "(left out, not contradicted)", "caveat")
        return
    f.add("value", ok, f"the guide prints {c['reported']}, while {f.source('prints')} {fact['value']}"
          if not ok else f"{f.source('prints')} {fact['value']}", "contradicted")


def _check_counts(f: Finding) -> None:
    c, fact = f.claim, f.fact
    for key, label in (("n", "n"), ("k", "k")):
        a, b = _int(c, key), _int(fact, key)
        if a is not None and b is not None:
            f.add(label, a == b, f"the guide gives {label}={a}, while {f.source('gives')} {label}={b}",
                  "contradicted")
    # A percentage with no n in the guide must still be attainable for the primary's n.
    if (c["value_type"] == "percent" and _int(c, "n") is None and _int(fact, "n") is not None
            and _int(fact, "k") is None):
        n = _int(fact, "n")
        ks = stats.compatible_numerators(c["reported"], n)
        f.add("granularity (primary n)", bool(ks),
              f"{c['reported']}% fits n={n} ({f.cite(fact['ref'])}) only as k = {_list(ks)} (derived)"
              if ks else f"no whole number of the {n} patients in {f.source('gives')} {c['reported']}%",
              "contradicted", ", ".join(_fmt_pct(k, n) for k in ks) + " (derived)" if ks else None,
              rounded_twice=_all_twice(c["reported"], n, ks))


def _check_interval_and_p(f: Finding) -> None:
    c, fact = f.claim, f.fact
    if fact["status"] != "printed":
        return
    if _get(c, "ci_low") is not None and _get(fact, "ci_low") is not None:
        ok = (same_figure(parse(c["ci_low"]), parse(fact["ci_low"]))
              and same_figure(parse(c["ci_high"]), parse(fact["ci_high"])))
        f.add("interval vs primary", ok, f"the guide's CI is {c['ci_low']}–{c['ci_high']}, while "
              f"{f.source('prints')} {fact['ci_low']}–{fact['ci_high']}", "contradicted")
    if _get(c, "p") is not None and _get(fact, "p") is not None:
        ok = same_figure(parse(c["p"]), parse(fact["p"]))
        f.add("p vs primary", ok, f"the guide prints p {c['p']}, while {f.source('prints')} p {fact['p']}",
              "contradicted")


def _check_conditions(f: Finding) -> None:
    c, fact = f.claim, f.fact
    f.found(scope.species(c, fact))
    a, b = _get(c, "steady_state"), _get(fact, "steady_state")
    stated = a in ("yes", "no")
    if stated and b in ("yes", "no"):
        f.add("steady state", a == b, f"the guide says steady state was{'' if a == 'yes' else ' not'} reached, "
              f"while {f.source('says')} it was{'' if b == 'yes' else ' not'}", "contradicted",
              quiet=True)
    elif b == "no":
        f.add("steady state", False, f"{f.cite(fact['ref'])} measured it before steady state; the guide does not "
              "say so", "caveat")


def _check_evidence_behind(f: Finding, groups: scope.Groups, reports: scope.Reports,
                           binding: dict[str, dict]) -> None:
    """Does the evidence cover what the claim states (group, drugs, design, end point, measure), and
    is it the latest report of its patients? Decided from fields known whatever was read."""
    c, fact = f.claim, f.fact
    f.found(scope.population(c, fact, groups))
    f.found(scope.drug_class(c, fact))
    f.found(scope.strength(c, fact))
    f.found(scope.measure(c, binding.get(c["drug"])))
    for found in scope.endpoint(c, fact):
        f.found(found)
    f.found(scope.currency(fact, reports))


def _compare_group_checks(claims: list[dict], findings: dict[str, Finding]) -> None:
    grouped: dict[str, list[dict]] = {}
    for c in claims:
        if _get(c, "compare_group"):
            grouped.setdefault(c["compare_group"], []).append(c)
    for group, members in sorted(grouped.items()):
        conditions = {}
        for c in members:
            fact = findings[c["claim_id"]].fact
            conditions[c["claim_id"]] = (fact.get("drug"), _get(fact, "species"),
                                         _get(fact, "steady_state"))
        distinct = {v[1:] for v in conditions.values()}
        if len(distinct) <= 1:
            continue
        described = ", ".join(sorted(f"{d} ({s or 'species not given'}, steady state: {ss or 'unknown'})"
                                     for d, s, ss in conditions.values()))
        for claim_id in conditions:
            findings[claim_id].add("like with like", False,
                                   f"shown side by side, but measured under different conditions: {described}",
                                   "caveat")


def _check_label_version(f: Finding, rules: pd.DataFrame | None) -> None:
    """A label rule is read in the label version its fact comes from; where that version writes the
    rule for reactions other than liver-test abnormalities only, a guide stating it for every
    reaction leaves the limit out."""
    fact = f.fact
    if rules is None:
        return
    f.label_version = label_versions.version_of(rules, fact["fact_id"], fact["ref"])
    if f.label_version is None or fact["status"] != "printed":
        return
    name = dose_rules.VERSION_NAMES[f.label_version]
    limited = label_versions.age_limit(rules, fact["fact_id"], f.label_version)
    # A claim naming no population is the guide's statement for every patient.
    if limited is not None and _get(f.claim, "population") is None:
        group = {"paediatric": "paediatric patients", "adult": "adults"}[limited["age_group"]]
        f.add("label version", False, f"{name} gives this dose for {group} only; the guide gives it for "
              "every patient in the body-surface-area band", "caveat")
    narrowed = label_versions.narrowing(rules, fact["fact_id"], f.label_version)
    if narrowed is None:
        return
    _, liver = narrowed
    f.add("label version", False, f"{name} gives this rule for adverse "
          f"reactions other than liver-test abnormalities only; those of grade {liver['min_grade']} and "
          "higher follow its hepatotoxicity rules; the guide states it for every grade 3 or 4 reaction",
          "caveat")


def _factor_words(value: str) -> str:
    from fractions import Fraction

    return {Fraction(1, 2): "halve the dose", Fraction(2): "double the dose"}.get(
        Fraction(value), f"multiply the dose by {value}")


def _part_words(p: label_versions.PartSupport) -> str:
    return "avoid the combination" if p.part == "avoid" else _factor_words(p.value)


def _versions_words(versions) -> str:
    return " and ".join(dose_rules.VERSION_NAMES[v] for v in versions)


def _check_instruction(f: Finding, rules: pd.DataFrame | None, instructions: dict[str, dict],
                       searches: int = 0) -> bool:
    """A guide's instruction for an interacting drug, part by part, against every label version read.

    A part some version states otherwise contradicts; a part no version states is unverified; parts
    stated only by versions of different jurisdictions, none stating them all, make a caveat (the
    guide joins two labels). Returns whether the instruction decided the comparison."""
    row = instructions.get(f.claim["claim_id"])
    if row is None or rules is None:
        return False
    parts = label_versions.instruction_support(rules, row["drug_class"], _get(row, "avoid"), _get(row, "factor"))
    strength, kind = row["drug_class"].split("-")
    cls = f"{strength} CYP3A4 {kind}"
    for p in parts:
        if p.opposing:
            f.add("label versions", False, f"{_versions_words(p.opposing)} print another instruction than "
                  f"'{_part_words(p)}' for a {cls}", "contradicted")
        elif not p.stating:
            f.add("label versions", False, f"no label version read tells the reader to {_part_words(p)} "
                  f"for a {cls}{_searched(searches)}", "unverified")
    stated = [set(p.stating) for p in parts]
    if any(p.opposing for p in parts) or not all(stated):
        for p in parts:
            if p.stating and not p.opposing:
                f.inform("label versions", f"only {_versions_words(p.stating)} "
                         f"print{'s' if len(p.stating) == 1 else ''} '{_part_words(p)}' for a {cls}")
        f.label_version = " ".join(sorted({v for p in parts for v in p.stating + p.opposing},
                                          key=dose_rules.VERSIONS.index))
        return True
    common = set.intersection(*stated)
    if common:
        f.label_version = (f.label_version if f.label_version in common
                           else max(common, key=dose_rules.VERSIONS.index))
        f.add("label versions", True, f"{dose_rules.VERSION_NAMES[f.label_version]} prints '"
              + "; ".join(_part_words(p) for p in parts) + f"' for a {cls}", None)
        return True
    used = sorted({max(s, key=dose_rules.VERSIONS.index) for s in stated}, key=dose_rules.VERSIONS.index)
    f.label_version = " ".join(used)
    jurisdictions = {label_versions.JURISDICTIONS[v] for v in used}
    detail = "; ".join(f"{_versions_words(p.stating)} print{'s' if len(p.stating) == 1 else ''} "
                       f"'{_part_words(p)}'" for p in parts)
    f.add("label versions", len(jurisdictions) == 1, f"the guide joins rules of two labels for a {cls}: "
          f"{detail}; no one label gives them together", "caveat")
    return True


_RULES: dict[tuple, object] = {}


def _cached(path, loader):
    """A dose table of the data folder in force, read once per version of the file."""
    if not path.is_file():
        return None
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _RULES:
        for old in [k for k in _RULES if k[0] == key[0]]:
            del _RULES[old]
        _RULES[key] = loader(path)
    return _RULES[key]


def _rules_in_force() -> pd.DataFrame | None:
    return _cached(dose_rules.rules_file(), dose_rules.load_rules)


def _instructions_in_force() -> dict[str, dict]:
    found = _cached(label_versions.instructions_file(), label_versions.load_instructions)
    return {} if found is None else {r["claim_id"]: r for r in found.to_dict("records")}


# --- the audit ---------------------------------------------------------------------------------


def audit_findings(tables: Tables, rules: pd.DataFrame | None = None,
                   cite: Callable[[str], str] = str) -> list[Finding]:
    facts = {r["fact_id"]: r for r in tables.evidence.to_dict("records")}
    reports = scope.Reports(tables.evidence)
    groups = scope.Groups(tables.populations)
    binding = scope.binding_facts(tables.evidence)

    search_log = SearchLog(tables.searches)
    derivations = {r["fact_id"]: derivation_of(r["method"], [facts[i] for i in r["inputs"].split()], cite)
                   for r in tables.derivations.to_dict("records")}
    rules = rules if rules is not None else _rules_in_force()
    instructions = _instructions_in_force()
    findings: dict[str, Finding] = {}
    records = tables.claims.to_dict("records")
    for c in records:
        f = Finding(claim=c, fact=dict(facts[c["fact_id"]]), cite=cite)
        searched = search_log.count(c["claim_id"], c["fact_id"])
        _check_source(f, searched, derivations.get(c["fact_id"]))
        _check_label_version(f, rules)
        if not _check_instruction(f, rules, instructions, searched):
            _check_value(f)
        _check_counts(f)
        _check_interval_and_p(f)
        _check_conditions(f)
        _check_evidence_behind(f, groups, reports, binding)
        _check_percent(f)
        _check_claim_ci(f)
        _check_hazard_ratio(f)
        _check_small_numbers(f)
        findings[c["claim_id"]] = f
    _sum_checks(records, findings)
    _row_size_checks(tables.claims, findings)
    _compare_group_checks(records, findings)
    return list(findings.values())


def _with_unit(value: str, unit: str | None) -> str:
    if unit == "%":
        return value + "%"
    return value if unit in (None, "ratio") else f"{value} {unit}"


def _reported(c: dict) -> str:
    text = _with_unit(c["reported"], _get(c, "unit"))
    if _get(c, "ci_low") is not None:
        text += f" ({c['ci_level']}% CI {c['ci_low']}–{c['ci_high']})"
    if _get(c, "p") is not None:
        text += f", p {c['p']}" if c["p"][0] in "<>≤≥" else f", p = {c['p']}"
    if _get(c, "n") is not None:
        text += f", n={c['n']}"
    return text


def _primary(fact: dict, cite: Callable[[str], str] = str) -> str:
    if fact["status"] == "derived":
        return f"not printed; derived from figures printed in {cite(fact['ref'])}"
    if fact["status"] != "printed":
        return f"{STATUS_MEANING[fact['status']]} ({cite(fact['ref'])})"
    text = _with_unit(fact["value"], _get(fact, "unit"))
    if _get(fact, "ci_low") is not None:
        text += f" ({fact['ci_level']}% CI {fact['ci_low']}–{fact['ci_high']})"
    if _get(fact, "n") is not None:
        text += f", n={fact['n']}"
    return f"{text}, printed in {cite(fact['ref'])}"


def _outcome(check: Check) -> str:
    if check.passed:
        return f"pass ({ROUNDED_TWICE_SHORT})" if check.rounded_twice else "pass"
    return "missing" if check.effect == "unverified" else f"fail ({check.effect})"


def to_frame(findings: list[Finding]) -> pd.DataFrame:
    rows = []
    for f in findings:
        c, fact = f.claim, f.fact
        rows.append({
            "claim_id": c["claim_id"],
            "guide": c["guide"],
            "location": c["location"],
            "claim": c["claim"],
            "reported": _reported(c),
            "recomputed": "; ".join(ch.recomputed for ch in f.checks if ch.recomputed) or "",
            "primary": _primary(fact, f.cite),
            "verdict": f.verdict,
            "checks": "; ".join(f"{ch.name}: {_outcome(ch)}" for ch in f.checks),
            "reason": f.reason,
            "drug": c["drug"],
            "quantity": c["quantity"],
            "fact_id": c["fact_id"],
            "ref": c["ref"],
            "status": fact["status"],
            "finding": _get(c, "finding") or "",
            "label_version": f.label_version or "",
            "consequence": c["consequence"],
            # 1 = the most consequential kind of claim (schema.CONSEQUENCES).
            "consequence_rank": schema.CONSEQUENCES.index(c["consequence"]) + 1,
            "explanation": f.explanation,
            # The first thing it means, alone: the landing page's sentence.
            "headline": f.headline,
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def errors(results: pd.DataFrame) -> pd.DataFrame:
    """The errors behind the contradicted and inconsistent claims: one row per finding id (cells
    sharing one root cause), and one per failing claim that has none."""
    failing = results[results["verdict"].isin(["contradicted", "inconsistent"])].copy()
    failing["error"] = failing["finding"].where(failing["finding"] != "", failing["claim_id"])
    grouped = failing.groupby("error", sort=True)
    return pd.DataFrame({
        "guide": grouped["guide"].first(),
        "verdict": grouped["verdict"].agg(lambda v: "contradicted" if "contradicted" in set(v) else v.iloc[0]),
        "cells": grouped.size(),
        "claims": grouped["claim_id"].agg(", ".join),
    })


def run_for_readers(tables: Tables | None = None) -> pd.DataFrame:
    """The audit with every source named by its short citation ("Fischer et al. 2020"): what the
    book, its downloads and the command line show (the `ref` column keeps the BibTeX key)."""
    from .short_cite import cite

    return run(tables, cite=cite)


def run(tables: Tables | None = None, cite: Callable[[str], str] = str) -> pd.DataFrame:
    """Load (and validate) the data unless given, audit every claim, return one row per claim; `cite`
    names each source in the words (its key unless given)."""
    if tables is None:
        from .data import load

        tables = load()
    return to_frame(audit_findings(tables, cite=cite))
