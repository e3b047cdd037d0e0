"""A Frictionless data package descriptor for `data/`, generated from the pandera schemas.

Generating it from the schemas the tests enforce keeps the two from drifting: each column's
required, unique, pattern and allowed-values rules become Table Schema constraints. Rules across
columns or tables (0 ≤ k ≤ n, CI order, reference keys) have no Table Schema form and are named in
each resource's description instead.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandera.pandas as pa

from ..engine import schema
from ..engine.data import DATA

_CROSS_RULES = ("Enforced by cnsaudit but not expressible here: 0 ≤ k ≤ n; percentages within "
                "0–100; ratios above 0; CI lower ≤ point ≤ upper with a level; a value present "
                "exactly when its status is 'printed', with an excerpt (the source's own words) that "
                "prints every figure of the row; every ref a key of references.bib; every "
                "claim's fact_id an evidence row with the same ref; every guide in guides.csv; every "
                "search's fact_id an evidence row, and every unread fact linked from a claim "
                "searched at least once.")

# The tables and the book's text are CC BY 4.0; the code (cnsaudit) is MIT.
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}

_TABLES = {"guides": schema.GUIDES, "evidence": schema.EVIDENCE, "claims": schema.CLAIMS,
           "quotes": schema.QUOTES, "timings": schema.TIMINGS, "searches": schema.SEARCHES,
           "number-claims": schema.NUMBER_CLAIMS, "exclusions": schema.EXCLUSIONS,
           "derivations": schema.DERIVATIONS, "to-read": schema.TO_READ}
_KEYS = {"guides": "guide", "evidence": "fact_id", "claims": "claim_id", "quotes": "quote_id",
         "timings": "step", "searches": "search_id",
         "number-claims": ["guide", "line", "index"], "exclusions": ["guide", "line", "index"],
         "derivations": "fact_id", "to-read": "fact_id"}


def _field(name: str, column: pa.Column) -> dict:
    constraints: dict = {"required": not column.nullable}
    if column.unique:
        constraints["unique"] = True
    for check in column.checks:
        stats = check.statistics or {}
        if "pattern" in stats:
            constraints["pattern"] = stats["pattern"].removeprefix("^").removesuffix("$")
        if "allowed_values" in stats:
            constraints["enum"] = list(stats["allowed_values"])
    return {"name": name, "type": "string", "constraints": constraints}


def table_schema(table: pa.DataFrameSchema, key: str | list[str], order: list[str] | None = None) -> dict:
    """Table Schema of a pandera schema; fields in `order` (a file's header) when given, since
    Frictionless matches fields to columns by position."""
    names = [n for n in (order or []) if n in table.columns] or list(table.columns)
    # An optional column (evidence `study_by`) is described only for the files that have it.
    names += [n for n in table.columns if n not in names and (table.columns[n].required or not order)]
    return {
        "fields": [_field(name, table.columns[name]) for name in names],
        "primaryKey": [key] if isinstance(key, str) else list(key),
        "missingValues": [""],
    }


def _table(kind: str):
    if kind == "dosing":
        from ..analyses.dosing import RULES  # the dose-rule table's schema lives with the calculator

        return RULES, ["version", "rule_id"]
    if kind == "guide-instructions":
        from ..engine.label_versions import INSTRUCTIONS

        return INSTRUCTIONS, "claim_id"
    return _TABLES[kind], _KEYS[kind]


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return next(csv.reader(f), [])


def _resource(kind: str, path: Path, root: Path) -> dict:
    rel = path.relative_to(root).as_posix()
    return {
        "name": rel.removesuffix(".csv").replace("/", "-").replace("_", "-").lower(),
        "path": rel,
        "profile": "tabular-data-resource",
        "format": "csv",
        "encoding": "utf-8",
        "description": f"{kind} table. {_CROSS_RULES}",
        "schema": table_schema(*_table(kind), _header(path)),
    }


def title(folder: Path = DATA) -> str:
    """The package's title, naming the guides' publishers as data/guides.csv lists them: nothing
    here counts the guides by hand."""
    with (folder / "guides.csv").open(encoding="utf-8", newline="") as f:
        publishers = list(dict.fromkeys(row["publisher"] for row in csv.DictReader(f)))
    return (f"Claims of secondary guides ({', '.join(publishers)}) on brain-penetrant kinase inhibitors, "
            "with what the primary literature prints")


def descriptor(folder: Path = DATA) -> dict:
    """The data package of every CSV table under `folder` (paths relative to it)."""
    resources = [_resource("guides", folder / "guides.csv", folder),
                 _resource("quotes", folder / "quotes.csv", folder),
                 _resource("searches", folder / "searches.csv", folder),
                 _resource("number-claims", folder / "number-claims.csv", folder),
                 _resource("exclusions", folder / "exclusions.csv", folder),
                 _resource("derivations", folder / "derivations.csv", folder),
                 _resource("to-read", folder / "to-read.csv", folder)]
    timings = folder / "reproduce" / "timings.csv"
    if timings.is_file():  # absent until benchmarks/run.py --record has measured the steps
        resources.append(_resource("timings", timings, folder))
    for kind in ("evidence", "claims"):
        resources += [_resource(kind, p, folder) for p in sorted((folder / kind).glob("*.csv"))]
    # The dose folder holds two tables of different schemas: the rules, and the guides' instructions.
    for p in sorted((folder / "dosing").glob("*.csv")):
        resources.append(_resource("guide-instructions" if p.name == "guide-instructions.csv" else "dosing",
                                   p, folder))
    return {
        "name": "cnsaudit-data",
        "title": title(folder),
        "profile": "tabular-data-package",
        "licenses": [LICENSE],
        "resources": resources,
    }


def write(folder: Path = DATA, target: Path | None = None) -> Path:
    """Write datapackage.json (beside the tables unless `target` is given)."""
    target = target or folder / "datapackage.json"
    target.write_text(json.dumps(descriptor(folder), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target
