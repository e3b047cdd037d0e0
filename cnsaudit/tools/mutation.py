"""Mutation testing of the audit: nudge each recomputable figure a guide reports and see whether
its verdict notices.

A figure is recomputable when some check reads it: it is compared with a printed primary figure, or
it enters a rounding, granularity, interval, hazard-ratio or sum check. Each such figure is moved by
one unit in its last printed digit (a range: its upper bound); the mutant is killed when the audit
notices: the claim's verdict changes, one of its checks changes outcome, or what it recomputes
changes (a claim that is already contradicted cannot become more so, but a new failing check or a
different recomputation still shows the change). The score is killed / all mutants.

A mutant that survives is listed with the check that had already failed on the original figure:
nudging a figure the audit already rejects for the same reason yields an equivalent mutant (both
figures are wrong in the same way), which is reported, not hidden.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pandas as pd

from ..engine import audit
from ..engine.data import Tables
from ..engine.printed import parse

# Checks that read the guide's numbers; a claim with none of them has nothing to recompute.
NUMERIC_CHECKS = ("value", "n", "k", "interval vs primary", "p vs primary", "granularity",
                  "granularity (primary n)", "percent from counts", "interval", "log symmetry",
                  "p from CI", "derivation")


@dataclasses.dataclass(frozen=True)
class Mutant:
    claim_id: str
    column: str
    original: str
    mutated: str


def _nudge_number(token: str, step: int) -> str:
    decimals = len(token.split(".")[1]) if "." in token else 0
    value = Decimal(token) + Decimal(step) * Decimal(10) ** (-decimals)
    return f"{value:.{decimals}f}"


def nudge(text: str, unit: str | None = None) -> str:
    """The printed figure moved by one unit in its last digit, keeping its form ('≥2.8' → '≥2.9')."""
    p = parse(text)
    numbers = list(re.finditer(r"\d+(?:\.\d+)?", text))
    if p.kind == "range":
        high = numbers[-1]  # a range is nudged at its upper bound
        return text[:high.start()] + _nudge_number(high.group(), +1) + text[high.end():]
    token = numbers[0]
    step = +1
    if unit == "%" and Decimal(token.group()) >= 100:
        step = -1
    if Decimal(token.group()) == 0 and step < 0:
        step = +1
    return text[:token.start()] + _nudge_number(token.group(), step) + text[token.end():]


def _recomputable(finding: audit.Finding) -> bool:
    return any(c.name in NUMERIC_CHECKS or c.name.startswith("sum ") for c in finding.checks)


def mutants(tables: Tables) -> list[Mutant]:
    found = []
    for f in audit.audit_findings(tables):
        if not _recomputable(f):
            continue
        c = f.claim
        if c["value_type"] != "category":
            found.append(Mutant(c["claim_id"], "reported", c["reported"], nudge(c["reported"], c.get("unit"))))
        for column in ("ci_low", "ci_high", "p"):
            value = c.get(column)
            if isinstance(value, str):
                found.append(Mutant(c["claim_id"], column, value, nudge(value)))
        for column in ("n", "k"):
            value = c.get(column)
            if isinstance(value, str):
                found.append(Mutant(c["claim_id"], column, value, str(int(value) + 1)))
    return found


def _signatures(tables: Tables) -> dict[str, tuple]:
    return {f.claim["claim_id"]: (f.verdict, tuple((c.name, c.passed, c.recomputed) for c in f.checks))
            for f in audit.audit_findings(tables)}


def run(tables: Tables) -> pd.DataFrame:
    """Every mutant with the verdict before and after, and whether the audit noticed it."""
    before = _signatures(tables)
    rows = []
    for m in mutants(tables):
        claims = tables.claims.copy()
        claims.loc[claims["claim_id"] == m.claim_id, m.column] = m.mutated
        after = _signatures(dataclasses.replace(tables, claims=claims))
        rows.append({**dataclasses.asdict(m), "before": before[m.claim_id][0],
                     "after": after[m.claim_id][0], "killed": before[m.claim_id] != after[m.claim_id]})
    return pd.DataFrame(rows, columns=["claim_id", "column", "original", "mutated", "before", "after", "killed"])


def score(results: pd.DataFrame) -> float:
    return float(results["killed"].mean()) if len(results) else 0.0
