"""Which label version a dosing verdict rests on, and what a guide's interaction instruction is
against every version.

The dose-rule table (:mod:`cnsaudit.analyses.dosing`) links each rule row to the evidence facts it prints.
A fact is read in the newest version whose rows name it and cite its reference; the audit takes
from there whether that version narrows the rule (to reactions other than liver-test
abnormalities, to one age group). A guide's instruction for an interacting drug is recorded in the
rule table's terms (``data/dosing/guide-instructions.csv``: avoid; factor) and compared part by
part with every version read.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import schema
from .reading import DataError, Problem, _rel, data_dir, read_table, validate_table
from .dose_rules import DRUG_CLASSES, VERSIONS, _decimal, _has, _records, _rows, _vocab, rules_file


def check_fact_links(rules: pd.DataFrame, evidence: pd.DataFrame, path: Path | None = None) -> list[Problem]:
    """Every fact a rule row names is a fact of data/evidence/."""
    name = _rel(Path(path) if path is not None else rules_file())
    known = set(evidence["fact_id"])
    problems = []
    for i, r in enumerate(rules.to_dict("records"), start=1):
        for fact_id in (r["fact_id"].split() if _has(r, "fact_id") else ()):
            if fact_id not in known:
                problems.append(Problem(name, i, "fact_id", f"{fact_id!r} is not a fact_id in data/evidence/"))
    return problems


# --- the label version a verdict rests on --------------------------------------------------------


_LINKS: dict[int, tuple[list[dict], dict[str, list[dict]]]] = {}


def _linked(rules: pd.DataFrame, fact_id: str) -> list[dict]:
    """The rule rows that name a fact. The rows are indexed by fact once per rule table, because the
    audit asks for every claim and a scan of the table each time made it cost claims × rules."""
    records = _records(rules)
    held = _LINKS.get(id(rules))
    if held is None or held[0] is not records:
        index: dict[str, list[dict]] = {}
        for r in records:
            for linked in dict.fromkeys(r["fact_id"].split() if _has(r, "fact_id") else ()):
                index.setdefault(linked, []).append(r)
        held = (records, index)
        _LINKS[id(rules)] = held
    return held[1].get(fact_id, [])


def version_of(rules: pd.DataFrame, fact_id: str, ref: str) -> str | None:
    """The label version an evidence fact is read from: the newest version whose rule rows name the
    fact and cite the fact's reference. None for a fact no rule row names."""
    versions = {r["version"] for r in _linked(rules, fact_id) if r["ref"] == ref}
    return max(versions, key=VERSIONS.index) if versions else None


def narrowing(rules: pd.DataFrame, fact_id: str, version: str) -> tuple[dict, dict] | None:
    """Where `version` writes the fact's rule for reactions other than liver-test abnormalities and
    has a rule of its own for those: (the rule, the liver-test rule). None where it does not."""
    rows = [r for r in _linked(rules, fact_id) if r["version"] == version]
    narrowed = [r for r in rows if r["kind"] == "adverse" and r["reaction"] == "other"]
    liver = [r for r in _rows(rules, version, kind="adverse", reaction="liver-test") if _has(r, "min_grade")]
    return (narrowed[0], liver[0]) if narrowed and liver else None


def age_limit(rules: pd.DataFrame, fact_id: str, version: str) -> dict | None:
    """The dose rule of `version` for the fact when it is written for one age group only."""
    rows = [r for r in _linked(rules, fact_id) if r["version"] == version
            and r["kind"] in ("start", "reduction", "continuity") and r["age_group"] != "any"]
    return rows[0] if rows else None


# --- what a guide instructs, against every version -----------------------------------------------

# A guide's instruction for an interacting drug, in the rule table's terms: avoid the combination,
# and the factor to apply if it cannot be avoided. One row per claim that gives such an instruction.
INSTRUCTIONS = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(str, pa.Check.str_matches(schema.ID, error="is not an id of lower-case "
                                                        "words joined by -"), unique=True),
        "drug_class": _vocab(DRUG_CLASSES, nullable=False),
        "avoid": _vocab(("yes",)),
        "factor": _decimal(),
        "note": pa.Column(str, schema._text_check(), nullable=True),
    },
    checks=[schema.RowRule("an instruction says to avoid, or gives a factor, or both", ("avoid", "factor"),
                           lambda r: _has(r, "avoid") or _has(r, "factor")).as_check()],
    strict=True,
    name="guide-instructions",
)
schema.ROW_RULE_COLUMNS[("guide-instructions", "an instruction says to avoid, or gives a factor, or both")] = (
    "avoid", "factor")


def instructions_file() -> Path:
    return data_dir() / "dosing" / "guide-instructions.csv"


def load_instructions(path: Path | None = None) -> pd.DataFrame:
    """Read and validate the guides' interaction instructions; raise DataError naming file, row, column."""
    path = Path(path) if path is not None else instructions_file()
    if not path.is_file():
        raise DataError([Problem(_rel(path), None, None, "file not found")])
    return validate_table(read_table(path), INSTRUCTIONS, _rel(path)).reset_index(drop=True)


def check_instruction_claims(instructions: pd.DataFrame, claims: pd.DataFrame, path: Path | None = None
                             ) -> list[Problem]:
    name = _rel(Path(path) if path is not None else instructions_file())
    known = set(claims["claim_id"])
    return [Problem(name, i, "claim_id", f"{c!r} is not a claim_id in data/claims/")
            for i, c in enumerate(instructions["claim_id"], start=1) if c not in known]


JURISDICTIONS = {"us-2019": "US", "us-2022": "US", "us-2023": "US", "eu": "EU"}


@dataclass(frozen=True)
class PartSupport:
    """Which label versions print one part of a guide's instruction, and which print otherwise."""

    part: str  # "avoid" or "factor"
    value: str
    stating: tuple[str, ...]
    opposing: tuple[str, ...]


def instruction_support(rules: pd.DataFrame, drug_class: str, avoid: str | None, factor: str | None
                        ) -> list[PartSupport]:
    """For each part of an instruction, the versions whose printed rule for the drug class states it
    and those that state something else. Saying nothing (no avoid instruction, no dose) is neither."""
    out = []
    for part, value in (("avoid", avoid), ("factor", factor)):
        if value is None:
            continue
        stating, opposing = [], []
        for version in VERSIONS:
            for r in _rows(rules, version, kind="interaction", drug_class=drug_class, status="printed"):
                if part == "avoid" and r["avoid"] == "yes":
                    stating.append(version)
                elif part == "factor" and r["outcome"] == "adjust":
                    (stating if Fraction(r["factor"]) == Fraction(value) else opposing).append(version)
        out.append(PartSupport(part, value, tuple(stating), tuple(opposing)))
    return out
