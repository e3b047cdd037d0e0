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

This module runs the checks in order and builds the output frame. The checks are in
`figure_checks` (the guide against itself), `source_checks` (against its source) and
`label_checks` (against the label); what was found is a `finding.Finding`; the words are written by
`wording` from the fields each check records.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Callable

import pandas as pd

from . import schema, scope
from .wording import RECOMPUTING
from .data import Tables
from .figure_checks import (check_claim_ci, check_hazard_ratio, check_percent, check_small_numbers,
                            row_size_checks, sum_checks)
from .finding import (ROUNDED_TWICE, ROUNDED_TWICE_SHORT, SMALL, VERDICTS, Check,  # noqa: F401 (re-exported)
                      Finding, _get, _int)
from .label_checks import LabelFacts, check_instruction, check_label_version, instructions_in_force, rules_in_force
from .schema import STATUS_MEANING
from .source_checks import (Derivation, SearchLog, check_conditions, check_counts,  # noqa: F401 (re-exported)
                            check_evidence_behind, check_interval_and_p, check_source, check_value,
                            compare_group_checks, derivation_of, searches_for)

COLUMNS = ["claim_id", "guide", "location", "claim", "reported", "recomputed", "primary",
           "verdict", "checks", "reason", "drug", "quantity", "fact_id", "ref", "status", "finding",
           "label_version", "consequence", "consequence_rank", "explanation", "headline"]


def records(frame: pd.DataFrame) -> list[dict]:
    """A table's rows as dicts, as DataFrame.to_dict("records") gives them (Python values, NaN for a
    missing cell), column by column: boxing cell by cell cost the audit of many claims a second."""
    columns = list(frame.columns)
    return [dict(zip(columns, row)) for row in zip(*(frame[c].tolist() for c in columns))]


class _Groups(scope.Groups):
    """scope.Groups with each pair of groups related once: claims share few groups."""

    def __init__(self, populations):
        super().__init__(populations)
        self._relations: dict[tuple[str, str], str] = {}

    def relation(self, claim_group: str, fact_group: str) -> str:
        key = (claim_group, fact_group)
        if key not in self._relations:
            self._relations[key] = super().relation(claim_group, fact_group)
        return self._relations[key]


@contextlib.contextmanager
def _no_cycle_collection():
    """Pause Python's cycle collector while the audit builds its findings: they are millions of
    small objects without cycles (reference counting frees them), and the collector's passes over
    them took a quarter of the time of an audit of many claims."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def audit_findings(tables: Tables, rules: pd.DataFrame | None = None,
                   cite: Callable[[str], str] = str) -> list[Finding]:
    with _no_cycle_collection():
        return _audit_findings(tables, rules, cite)


def _audit_findings(tables: Tables, rules: pd.DataFrame | None, cite: Callable[[str], str]) -> list[Finding]:
    facts = {r["fact_id"]: r for r in records(tables.evidence)}
    reports = scope.Reports(tables.evidence)
    groups = _Groups(tables.populations)
    binding = scope.binding_facts(tables.evidence)
    # Whether a later report supersedes a fact depends on the fact alone: worked out once per fact.
    currency = {fact_id: scope.currency(fact, reports) for fact_id, fact in facts.items()}

    search_log = SearchLog(tables.searches)
    derivations = {r["fact_id"]: derivation_of(r["method"], [facts[i] for i in r["inputs"].split()])
                   for r in records(tables.derivations)}
    rules = rules if rules is not None else rules_in_force()
    labels = LabelFacts(rules)
    instructions = instructions_in_force()
    findings: dict[str, Finding] = {}
    claims = records(tables.claims)
    for c in claims:
        f = Finding(claim=c, fact=dict(facts[c["fact_id"]]), cite=cite)
        searched = search_log.count(c["claim_id"], c["fact_id"])
        check_source(f, searched, derivations.get(c["fact_id"]))
        check_label_version(f, labels)
        if not check_instruction(f, rules, instructions, searched):
            check_value(f)
        check_counts(f)
        check_interval_and_p(f)
        check_conditions(f)
        check_evidence_behind(f, groups, currency[c["fact_id"]], binding)
        check_percent(f)
        check_claim_ci(f)
        check_hazard_ratio(f)
        check_small_numbers(f)
        findings[c["claim_id"]] = f
    sum_checks(claims, findings)
    row_size_checks(claims, findings)
    compare_group_checks(claims, findings)
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


def _row(f: Finding) -> dict:
    c, fact = f.claim, f.fact
    verdict = f.verdict
    return {
        "claim_id": c["claim_id"],
        "guide": c["guide"],
        "location": c["location"],
        "claim": c["claim"],
        "reported": _reported(c),
        "recomputed": "; ".join(r for ch in f.checks if ch.kind in RECOMPUTING and (r := ch.recomputed)),
        "primary": _primary(fact, f.cite),
        "verdict": verdict,
        "checks": "; ".join(f"{ch.name}: {_outcome(ch)}" for ch in f.checks),
        "reason": f.reason_for(verdict),
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
        "explanation": " ".join(f.meanings_for(verdict)),
        # The first thing it means, alone: the landing page's sentence.
        "headline": f.headline_for(verdict),
    }


def to_frame(findings: list[Finding]) -> pd.DataFrame:
    with _no_cycle_collection():
        rows = [_row(f) for f in findings]
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
