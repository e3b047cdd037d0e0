"""The table schemas of `data/`, written with pandera.

Why pandera rather than a Frictionless Table Schema: the rules that matter here are not only
per-column (types, vocabularies, uniqueness) but across columns of a row (0 ≤ k ≤ n, CI lower ≤
point ≤ upper, a printed value present exactly when its status is "printed") and across tables
(every reference key in the bibliography). pandera expresses all of these in Python next to the
code that uses the tables and reports every failing row with its column in one pass (lazy
validation). Every cell is read as text first, so a malformed number is an error, never a silently
coerced value.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

# The vocabularies and the checks live in their own modules; the names callers read from here
# (schema.STATUSES, schema.RowRule, schema.ID ...) are re-exported.
from .checks import (  # noqa: F401
    BIBKEY, ID, SUMS, RowRule, _category_rule, _col, _excerpt_rule, _printed_check, _rules, _species_col,
    _species_rule, _status_rule, _text_check, species_list,
)
from .vocabulary import (  # noqa: F401
    ASSESSORS, CLASS_EXTENTS, CONSEQUENCES, DERIVATION_METHODS, DESIGNS, DRUG_CLASSES, DRUGS, ENDPOINTS,
    LOOK_IN, MEASURES, NONHUMAN_DESIGNS, QUOTE_KINDS, SCOPES, SEARCH_OUTCOMES, SETTLING_DESIGNS, SOURCE_KINDS,
    SPECIES, SPECIES_SEPARATOR, STATUS_MEANING, STATUSES, STEADY_STATE, STRENGTHS, TOTAL_PLASMA_MEASURES, UNITS,
    UNREAD_STATUSES, VALUE_TYPES,
)


# --- the tables --------------------------------------------------------------------------------

GUIDES = pa.DataFrameSchema(
    {
        # A plain file name (no folder: texts are looked up in one folder) of a text file, e.g. the
        # seed names 000_<16 hex>.txt or a new guide's own name, my-guide.txt.
        "guide": pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(?:txt|md)$",
                                                     error="is not a guide file name (NAME.txt or NAME.md)"),
                           unique=True),
        "chapter": _col("text"),
        "topic": _col("text"),
        "publisher": _col("text"),
        "published": _col("date"),
        "sha256": _col("sha256"),
    },
    strict=True,
    name="guides",
)

# The groups a claim or a fact is stated for, each within the group that contains it (empty: a
# group of its own). The audit compares a claim's group with its fact's through this tree: a fact
# shown for a group inside the claim's is a statement wider than its evidence; one shown for a
# group that does not contain the claim's, or lies outside it, is a figure of another group.
POPULATIONS = pa.DataFrameSchema(
    {
        "population": _col("text", unique=True),
        "within": _col("text", nullable=True),
        "note": _col("text", nullable=True),
    },
    strict=True,
    name="populations",
)

# Short passages of a guide that a chapter needs word for word (a term it uses, each gene-variant
# name in it, each section heading, which identifies the section a claim sits in), so that the
# book reads the same on a clone without the guide texts. Where the texts
# are present, a test checks each quote against its line. A heading's `location` names the claims
# under it: the prefixes of their `location`, separated by "; " (cnsaudit.book.guide_map).
QUOTES = pa.DataFrameSchema(
    {
        "quote_id": _col("id", unique=True),
        "guide": _col("text"),
        "line": pa.Column(str, pa.Check.str_matches(r"^[1-9][0-9]*$", error="is not a line number ≥ 1")),
        "location": _col("text"),
        "kind": _col("vocab", vocab=QUOTE_KINDS),
        "text": _col("text"),
    },
    strict=True,
    name="quotes",
)

# How long each step of reproducing the book took, as measured by `benchmarks/run.py --record`;
# the "Reproduce this book" page shows these rows.
TIMINGS = pa.DataFrameSchema(
    {
        "step": _col("id", unique=True),
        "what": _col("text"),
        "command": _col("text"),
        "seconds": _col("printed"),
        "cores": _col("int"),
        "python": pa.Column(str, pa.Check.str_matches(r"^3\.[0-9]+\.[0-9]+$", error="is not a Python version 3.x.y")),
        "measured": _col("date"),
        "note": _col("text", nullable=True),
    },
    strict=True,
    name="timings",
)

_COMMON = {
    "drug": lambda: _col("vocab", vocab=DRUGS),
    "quantity": lambda: _col("text"),
    "population": lambda: _col("text", nullable=True),
    "value_type": lambda: _col("vocab", vocab=VALUE_TYPES),
    "unit": lambda: _col("vocab", vocab=UNITS, nullable=True),
    "n": lambda: _col("int", nullable=True),
    "k": lambda: _col("int", nullable=True),
    "ci_low": lambda: _col("printed", nullable=True),
    "ci_high": lambda: _col("printed", nullable=True),
    "ci_level": lambda: _col("int", nullable=True),
    "p": lambda: _col("printed", nullable=True),
    # One species, or several separated by "; " (a study of rats, mice and cells: "rat; mouse; in vitro").
    "species": _species_col,
    "steady_state": lambda: _col("vocab", vocab=STEADY_STATE, nullable=True),
    "cutoff": lambda: _col("date", nullable=True),
    # The end point a figure measures and who assessed it; see ENDPOINTS.
    "endpoint": lambda: _col("vocab", vocab=ENDPOINTS, nullable=True),
    "assessor": lambda: _col("vocab", vocab=ASSESSORS, nullable=True),
}
DRUG_LIST = r"^[a-z]+(?: [a-z]+)*$"

# The evidence tables' row rules: the schema runs them and the error messages map each to its columns.
_EVIDENCE_RULES = [*_rules("value"), _status_rule(), _excerpt_rule(), _category_rule("value"), _species_rule()]

EVIDENCE = pa.DataFrameSchema(
    {
        "fact_id": _col("id", unique=True),
        **{name: make() for name, make in _COMMON.items()},
        "value": _col("text", nullable=True),
        "series": _col("id", nullable=True),
        # The design of the study behind the fact, and the drugs it studied (space-separated; empty:
        # only `drug`).
        "design": _col("vocab", vocab=DESIGNS, nullable=True),
        "drugs_studied": pa.Column(str, pa.Check(lambda s: s.str.fullmatch(DRUG_LIST) & s.map(
            lambda v: all(d in DRUGS for d in v.split())), element_wise=False,
            error=f"is not a space-separated list of drugs from {', '.join(DRUGS)}"), nullable=True),
        "status": _col("vocab", vocab=STATUSES),
        "ref": _col("bibkey"),
        # Who made the observation, where `ref` is a secondary report of a study that was not read
        # (a news item): the study's authors as that report names them, e.g. "Seiji Yano and colleagues".
        # Optional: only a file with such a row needs the column.
        "study_by": pa.Column(str, checks=_text_check(), nullable=True, required=False),
        "source_location": _col("text"),
        # The source's own words where the value was read (the figure and its immediate context, a
        # sentence at most, "…" where words are left out), copied from what was read; where they
        # come from a place other than `source_location` says, `source_location` says so. Every
        # figure of the row must appear in it (cnsaudit.engine.excerpt, checked by cnsaudit.engine.data).
        "excerpt": _col("text", nullable=True),
        "note": _col("text", nullable=True),
    },
    checks=[r.as_check() for r in _EVIDENCE_RULES],
    strict=True,
    name="evidence",
)

CLAIMS = pa.DataFrameSchema(
    {
        "claim_id": _col("id", unique=True),
        "guide": _col("text"),
        "location": _col("text"),
        "claim": _col("text"),
        **{name: make() for name, make in _COMMON.items()},
        "reported": _col("text"),
        "compare_group": _col("id", nullable=True),
        "sums": pa.Column(str, pa.Check.str_matches(SUMS, error="is not a list of group:total or group:part"),
                          nullable=True),
        "fact_id": _col("id"),
        "ref": _col("bibkey"),
        "note": _col("text", nullable=True),
        # One root cause, one finding: cells that fail for the same error share this id, so that
        # summaries count errors rather than cells (each cell keeps its own row and verdict).
        "finding": _col("id", nullable=True),
        # "heading only": the guide's heading names this case but its text gives no rule for it (it
        # gives another case's rule). Leaving a rule out is an omission, not a contradiction.
        "scope": _col("vocab", vocab=SCOPES, nullable=True),
        # The class of drugs the guide states the claim for (empty: the drug named in `drug` only).
        "drug_class": _col("vocab", vocab=tuple(DRUG_CLASSES), nullable=True),
        # The guide's quantifier over that class where it has one ("many"; empty: the class as such).
        # The reason quotes it; the rule treats it as class-wide (vocabulary.CLASS_EXTENTS says why).
        # Optional: only a file with such a claim needs the column.
        "class_extent": pa.Column(str, pa.Check.isin(CLASS_EXTENTS, error=f"is not one of {', '.join(CLASS_EXTENTS)}"),
                                  nullable=True, required=False),
        # "settled": the guide states it as settled or universal, with no hedge.
        "strength": _col("vocab", vocab=STRENGTHS, nullable=True),
        # The measure of brain penetration the claim uses or reports, if any.
        "measure": _col("vocab", vocab=MEASURES, nullable=True),
        "consequence": _col("vocab", vocab=CONSEQUENCES),
    },
    checks=[r.as_check() for r in [*_rules("reported"), _category_rule("reported")]],
    strict=True,
    name="claims",
)

# The searches made for each figure the audit could not verify: one row per query, with what came
# back and, where a source printed the figure, the short verbatim excerpt that prints it.
SEARCHES = pa.DataFrameSchema(
    {
        "search_id": _col("id", unique=True),
        "fact_id": _col("id"),
        "claim_id": _col("id", nullable=True),
        "searched": _col("date"),
        "corpus": _col("text"),
        "query": _col("text"),
        "returned": _col("text"),
        "outcome": _col("vocab", vocab=SEARCH_OUTCOMES),
        "ref": _col("bibkey", nullable=True),
        "excerpt": _col("text", nullable=True),
    },
    strict=True,
    name="searches",
)

def _one_of_rule() -> RowRule:
    def ok(row) -> bool:
        given = [row.get(c) is not None and not pd.isna(row.get(c)) for c in ("look_in", "source_kind")]
        return sum(given) == 1

    return RowRule("give either the part of the full text to read or the kind of source that would "
                   "settle the fact, not both", ("look_in", "source_kind"), ok)


TO_READ = pa.DataFrameSchema(
    {
        "fact_id": _col("id", unique=True),
        "look_in": _col("vocab", vocab=tuple(LOOK_IN), nullable=True),
        "source_kind": _col("vocab", vocab=tuple(SOURCE_KINDS), nullable=True),
    },
    checks=[_one_of_rule().as_check()],
    strict=True,
    name="to-read",
)

# How a "derived" fact is computed from printed facts (DERIVATION_METHODS).
DERIVATIONS = pa.DataFrameSchema(
    {
        "fact_id": _col("id", unique=True),
        "method": _col("vocab", vocab=DERIVATION_METHODS),
        "inputs": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9-]+(?: [a-z0-9-]+)+$",
                                                      error="is not a list of two or more fact ids"),
                            nullable=False),
        "note": _col("text", nullable=True),
    },
    strict=True,
    name="derivations",
)

_LINE = r"^[1-9][0-9]*$"
_PLACE = {
    "guide": _col("text"),
    "line": pa.Column(str, pa.Check.str_matches(_LINE, error="is not a line number ≥ 1")),
    "index": pa.Column(str, pa.Check.str_matches(_LINE, error="is not a position on the line ≥ 1")),
    "token": _col("text"),
}

# Every number printed in a guide that a claim row checks (or that a proposed claim would), by its
# place: guide, line, position on the line. Together with EXCLUSIONS it covers every number.
NUMBER_CLAIMS = pa.DataFrameSchema(
    {
        **_PLACE,
        "claims": pa.Column(str, pa.Check.str_matches(r"^[a-z]+-[0-9]+(?: [a-z]+-[0-9]+)*$",
                                                      error="is not a list of claim ids"), nullable=True),
        "note": _col("text", nullable=True),
    },
    strict=True,
    name="number-claims",
)

# Numbers deliberately not audited (citation markers, the reference list, dates, catalogue numbers,
# vendor contact details, numbering of questions and tables, notation), each with its reason.
EXCLUSIONS = pa.DataFrameSchema(
    {**_PLACE, "reason": _col("text")},
    strict=True,
    name="exclusions",
)

ROW_RULE_COLUMNS: dict[tuple[str, str], tuple[str, ...]] = {
    **{("evidence", r.name): r.columns for r in _EVIDENCE_RULES},
    **{("claims", r.name): r.columns for r in [*_rules("reported"), _category_rule("reported")]},
    ("to-read", _one_of_rule().name): _one_of_rule().columns,
}
