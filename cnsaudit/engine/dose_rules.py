"""The larotrectinib dose-rule table (`data/dosing/larotrectinib.csv`): its vocabulary, its schema
and the loaded table's rows by label version, for the calculator (:mod:`cnsaudit.analyses.dosing`), its
flowchart (:mod:`cnsaudit.analyses.dose_flowchart`) and the label versions (:mod:`cnsaudit.engine.label_versions`).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import schema
from .reading import DataError, Problem, _rel, bib_file, bib_keys, data_dir, read_table, validate_table

VERSIONS = ("us-2019", "us-2022", "us-2023", "eu")
# What each version is, for a reader (the CLI and the chapter name versions this way).
VERSION_NAMES = {
    "us-2019": "US prescribing information, 2018/2019 text",
    "us-2022": "US prescribing information, 2022 revision",
    "us-2023": "US prescribing information, November 2023 revision",
    "eu": "EU product information",
}
AGE_GROUPS = ("adult", "paediatric")
REACTIONS = ("liver-test", "other")
KINDS = ("start", "reduction", "continuity", "adverse", "interaction", "hepatic", "formulation")
BSA_BANDS = ("ge1", "lt1", "lt1-start", "any")
DRUG_CLASSES = ("strong-inhibitor", "moderate-inhibitor", "strong-inducer", "moderate-inducer")
CHILD_PUGH = ("A", "B", "C")
OUTCOMES = ("dose", "adjust", "refuse", "withhold", "resume", "discontinue", "strength")
DOSE_UNITS = ("mg", "mg/m2", "mg/mL")
FREQUENCIES = ("twice daily", "once daily")
LIMIT_UNITS = ("weeks", "modifications", "half-lives", "mg per dose")

BSA_THRESHOLD = 1.0  # m², printed in every US version
# Plausibility range of the calculator (not a label rule): a body-surface area outside it is a
# typing error (cm² for m², a weight for a BSA), not a patient.
BSA_MIN, BSA_MAX = 0.1, 3.5
MAX_LEVEL = 3  # starting dose (0) and three reductions

DECIMAL = r"^(?:[1-9][0-9]*(?:\.[0-9]+)?|0\.[0-9]*[1-9][0-9]*)$"  # a number > 0


# --- the schema ----------------------------------------------------------------------------------


def _vocab(values, nullable=True) -> pa.Column:
    return pa.Column(str, pa.Check.isin(values, error=f"is not one of {', '.join(values)}"),
                     nullable=nullable)


def _decimal(nullable=True) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(DECIMAL, error="is not a plain positive number"),
                     nullable=nullable)


def _has(row, column) -> bool:
    value = row.get(column)
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _fields_match_outcome(row) -> bool:
    need = {
        "dose": ("dose", "dose_unit", "frequency", "bsa_band", "level"),
        "strength": ("dose", "dose_unit"),
        "adjust": ("factor", "avoid"),
        "refuse": ("avoid",) if row.get("kind") == "interaction" else (),
    }.get(row.get("outcome"), ())
    forbid = () if row.get("outcome") in ("dose", "strength") else ("dose", "dose_unit", "frequency")
    if row.get("outcome") != "adjust":
        forbid += ("factor",)
    return all(_has(row, c) for c in need) and not any(_has(row, c) for c in forbid)


def _target_matches_kind(row) -> bool:
    kind = row.get("kind")
    has_class, has_cp = _has(row, "drug_class"), _has(row, "child_pugh")
    if kind == "interaction":
        return has_class and not has_cp
    if kind == "hepatic":
        return has_cp and not has_class
    return not has_class and not has_cp


def _level_matches_kind(row) -> bool:
    level = row.get("level")
    kind = row.get("kind")
    if kind in ("start", "reduction", "continuity") and not _has(row, "age_group"):
        return False
    if kind == "start":
        return level == "0" and row.get("bsa_band") in ("ge1", "lt1", "any")
    if kind == "reduction":
        return level in ("1", "2", "3") and row.get("bsa_band") in ("ge1", "lt1", "any")
    if kind == "continuity":
        return level in ("1", "2", "3") and row.get("bsa_band") == "lt1-start"
    return not _has(row, "level") and not _has(row, "bsa_band") and not _has(row, "age_group")


def _reaction_matches_kind(row) -> bool:
    # Only an adverse-reaction rule says which reactions it covers; the rule that starts the
    # sequence (withhold, or a refusal in its place) also says from which grade.
    if row.get("kind") != "adverse":
        return not _has(row, "reaction") and not _has(row, "min_grade")
    needs_grade = row.get("outcome") in ("withhold", "refuse")
    return _has(row, "reaction") and _has(row, "min_grade") == needs_grade


def _status_matches_outcome(row) -> bool:
    # A rule whose number the label does not print can only refuse; a printed rule may do anything.
    return row.get("status") == "printed" or row.get("outcome") == "refuse"


def _limit_pair(row) -> bool:
    return _has(row, "limit") == _has(row, "limit_unit")


ROW_RULES = [
    schema.RowRule("the outcome decides which of dose, dose_unit, frequency, factor and avoid are "
                   "filled", ("outcome", "dose", "dose_unit", "frequency", "factor", "avoid"),
                   _fields_match_outcome),
    schema.RowRule("an interaction rule names a drug class, a hepatic rule a Child-Pugh class, "
                   "other rules neither", ("kind", "drug_class", "child_pugh"), _target_matches_kind),
    schema.RowRule("a starting dose is level 0, a reduction level 1 to 3, each for one BSA band and "
                   "age group; other kinds have none", ("kind", "level", "bsa_band", "age_group"),
                   _level_matches_kind),
    schema.RowRule("an adverse-reaction rule names the reactions it covers (and, if it starts the "
                   "sequence, the lowest grade); other rules neither", ("kind", "outcome", "reaction",
                                                                       "min_grade"), _reaction_matches_kind),
    schema.RowRule("a limit needs its unit and a unit its limit", ("limit", "limit_unit"), _limit_pair),
    schema.RowRule("a rule whose dose is not printed must refuse", ("status", "outcome"),
                   _status_matches_outcome),
]
# Let data.validate_table name the columns of a failed row rule, as it does for the other tables.
schema.ROW_RULE_COLUMNS.update({("dosing", r.name): r.columns for r in ROW_RULES})

RULES = pa.DataFrameSchema(
    {
        "version": _vocab(VERSIONS, nullable=False),
        "rule_id": pa.Column(str, pa.Check.str_matches(schema.ID, error="is not an id of lower-case "
                                                       "words joined by -")),
        "kind": _vocab(KINDS, nullable=False),
        "bsa_band": _vocab(BSA_BANDS),
        "level": pa.Column(str, pa.Check.isin(["0", "1", "2", "3"], error="is not a level 0 to 3"),
                           nullable=True),
        "age_group": _vocab(("any",) + AGE_GROUPS),
        "drug_class": _vocab(DRUG_CLASSES),
        "child_pugh": _vocab(CHILD_PUGH),
        "reaction": _vocab(("any",) + REACTIONS),
        "min_grade": pa.Column(str, pa.Check.isin(["1", "2", "3", "4"], error="is not a grade 1 to 4"),
                               nullable=True),
        "outcome": _vocab(OUTCOMES, nullable=False),
        "dose": _decimal(),
        "dose_unit": _vocab(DOSE_UNITS),
        "frequency": _vocab(FREQUENCIES),
        "factor": _decimal(),
        "avoid": _vocab(("yes", "no")),
        "limit": pa.Column(str, schema._printed_check(), nullable=True),
        "limit_unit": _vocab(LIMIT_UNITS),
        "status": _vocab(schema.STATUSES, nullable=False),
        "ref": pa.Column(str, pa.Check.str_matches(schema.BIBKEY, error="is not a BibTeX key")),
        "source_location": pa.Column(str, schema._text_check()),
        "wording": pa.Column(str, schema._text_check()),
        # The evidence facts (data/evidence/) this row is the label's version of, separated by spaces:
        # the audit finds the label version a claim's verdict rests on through them.
        "fact_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?: [a-z0-9]+(?:-[a-z0-9]+)*)*$",
                                                       error="is not a list of fact ids separated by spaces"),
                             nullable=True),
    },
    checks=[r.as_check() for r in ROW_RULES],
    strict=True,
    name="dosing",
)


def rules_file() -> Path:
    return data_dir() / "dosing" / "larotrectinib.csv"


def _cross_checks(df: pd.DataFrame, name: str, keys: frozenset[str]) -> list[Problem]:
    problems = []
    for i, r in enumerate(df.to_dict("records"), start=1):
        if r["ref"] not in keys:
            problems.append(Problem(name, i, "ref", f"{r['ref']!r} is not a key in references.bib"))
    dup = df.duplicated(["version", "rule_id"], keep="first")
    for i in df.index[dup]:
        problems.append(Problem(name, int(i) + 1, "rule_id",
                                f"duplicate rule {df.loc[i, 'rule_id']!r} in version {df.loc[i, 'version']!r}"))
    # A version that prints any dose grid must print all of it: start and three reductions, both
    # bands (a row for any BSA covers both).
    for version, rows in df.groupby("version", sort=True):
        grid = rows[rows["kind"].isin(["start", "reduction"])]
        if grid.empty:
            continue
        have = set(zip(grid["level"], grid["bsa_band"]))
        for level in ("0", "1", "2", "3"):
            for band in ("ge1", "lt1"):
                if (level, band) not in have and (level, "any") not in have:
                    problems.append(Problem(name, None, "level", f"version {version!r} has no dose "
                                            f"rule for level {level}, BSA band {band}"))
    return problems


def load_rules(path: Path | None = None) -> pd.DataFrame:
    """Read and validate the rule table; raise DataError naming file, row and column."""
    path = Path(path) if path is not None else rules_file()
    if not path.is_file():
        raise DataError([Problem(_rel(path), None, None, "file not found")])
    name = _rel(path)
    df = read_table(path)
    df = validate_table(df, RULES, name)
    problems = _cross_checks(df, name, bib_keys(bib_file()))
    if problems:
        raise DataError(problems)
    return df.reset_index(drop=True)


# A loaded rule table is read, never changed, so its rows are turned into plain records once: the
# calculator looks rules up a few times per dose and filtering a DataFrame each time costs milliseconds.
_RECORDS: dict[int, tuple[pd.DataFrame, list[dict]]] = {}


def _records(rules: pd.DataFrame) -> list[dict]:
    held = _RECORDS.get(id(rules))
    if held is None or held[0] is not rules or len(held[1]) != len(rules):
        held = (rules, rules.to_dict("records"))  # holding the frame keeps its id from being reused
        _RECORDS[id(rules)] = held
    return held[1]


_BY_VERSION: dict[int, tuple[list[dict], dict[str, list[dict]]]] = {}


def _rows(rules: pd.DataFrame, version: str, **match) -> list[dict]:
    records = _records(rules)
    held = _BY_VERSION.get(id(rules))
    if held is None or held[0] is not records:  # indexed once per table: the audit asks per claim
        index: dict[str, list[dict]] = {}
        for row in records:
            index.setdefault(row["version"], []).append(row)
        held = (records, index)
        _BY_VERSION[id(rules)] = held
    return [row for row in held[1].get(version, ())
            if all(row[column] == value for column, value in match.items())]
