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

import re
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import pandera.pandas as pa

from .printed import PrintedNumberError, is_printed_number, parse

# What was read for a fact: "printed" (a source read prints it: full text, abstract, label section or
# table page); "derived" (computed in code from printed figures); "not_in_full_text" (the full text or
# whole label section was read and does not print it); "abstract_only" (only an abstract or an excerpt
# was read, so the figure may be in the full text); "no_source" (no primary source was identified);
# "sheet_only" (the figure was taken from the starting sheet, primary-literature.md, and could not be
# found again in a source read, so nothing a reader can open shows it).
STATUSES = ("printed", "derived", "not_in_full_text", "abstract_only", "no_source", "sheet_only")
UNREAD_STATUSES = ("not_in_full_text", "abstract_only", "no_source", "sheet_only")
STATUS_MEANING = {
    "printed": "printed in a source read",
    "derived": "derived in code from printed figures",
    "not_in_full_text": "not found in the full text read",
    "abstract_only": "only an abstract or excerpt was read; the figure may be in the full text",
    "no_source": "no primary source identified",
    "sheet_only": "taken from the starting sheet; not found again in a source read",
}
# "heading only": the guide's heading names a case its text gives no rule for. "wider than the source's
# population": the guide states for a population that contains the source's (many inhibitors, one of
# which was studied; every patient, a cohort of whom was studied) what the source shows for its own;
# the claim and its fact each name their population, and the two differ.
SCOPES = ("heading only",)

# What the evidence behind a statement is, and what a statement covers, as fields the audit compares
# (cnsaudit.engine.scope): end point and assessor (item by item, never pooled across), the design of the
# study behind a fact, the drugs it studied, the class a guide states a finding for, whether the
# guide states it as settled, and the measure of brain penetration it uses.
ENDPOINTS = (
    "objective response", "intracranial objective response",
    "best overall response", "intracranial best overall response",
    "duration of response", "intracranial duration of response",
    "progression-free survival", "CNS progression-free survival", "time to CNS progression",
    "CNS progression", "overall survival", "disease control", "intracranial disease control",
)
ASSESSORS = ("investigator", "independent central review", "not stated")
DESIGNS = (
    "randomised trial", "single-arm trial", "pooled analysis of single-arm trials",
    "retrospective study", "case report", "pharmacokinetic study", "animal study", "cell study",
    "drug label", "guideline", "review", "protocol",
)
# A statement put as settled ("translates directly", "unequivocally validated") needs evidence of
# one of these designs behind it: a randomised comparison, or the regulator's or a guideline's text,
# which is itself the authority for what it states.
SETTLING_DESIGNS = ("randomised trial", "drug label", "guideline")
STRENGTHS = ("settled",)
# Penetration is judged against the unbound plasma concentration (the free-drug hypothesis); a ratio
# to the total concentration mixes bound drug into the reference.
MEASURES = ("CSF to total plasma", "CSF to unbound plasma", "brain to plasma", "unbound brain to unbound plasma")
TOTAL_PLASMA_MEASURES = ("CSF to total plasma",)
DRUG_CLASSES = {
    "TRK inhibitors": ("entrectinib", "larotrectinib", "repotrectinib", "selitrectinib"),
    "ALK inhibitors": ("alectinib", "crizotinib", "ceritinib", "lorlatinib", "entrectinib"),
    "first-generation ALK inhibitors": ("crizotinib",),
    "second-generation TRK inhibitors": ("repotrectinib", "selitrectinib"),
    "kinase inhibitors": ("entrectinib", "larotrectinib", "repotrectinib", "selitrectinib", "alectinib",
                          "crizotinib", "allitinib", "lorlatinib", "ceritinib"),
}
# How much a claim matters to a reader, most consequential first: a wrong dose or safety rule
# reaches a patient; a wrong efficacy, safety or exposure figure misleads a treatment choice; a
# misdescribed study misleads its reading; a wrong name or identifier misleads a search.
CONSEQUENCES = ("dosing and safety rules", "efficacy, safety and exposure figures", "study design",
                "names and identifiers")
SEARCH_OUTCOMES = ("found", "found-different", "abstract-only", "not-found")
DRUGS = (
    "entrectinib", "larotrectinib", "repotrectinib", "selitrectinib", "alectinib", "crizotinib",
    "allitinib", "lorlatinib", "ceritinib", "none",
)
VALUE_TYPES = ("number", "percent", "hazard_ratio", "category")
UNITS = ("%", "% of reference", "ratio", "months", "µM", "hours", "days", "patients", "mg", "mL", "°C", "sites")
SPECIES = ("human", "rat", "mouse", "dog", "in vitro")
STEADY_STATE = ("yes", "no", "not stated")

ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
BIBKEY = r"^[a-z][a-z0-9]+$"
INT = r"^(?:0|[1-9][0-9]*)$"
DATE = r"^[0-9]{4}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?$"
SHA256 = r"^[0-9a-f]{64}$"
# Sum-of-parts membership: "g1:total g2:part" (a group with no total must add up to 100%).
SUMS = r"^[a-z0-9-]+:(?:total|part)(?: [a-z0-9-]+:(?:total|part))*$"
MARKUP = re.compile(r"<[A-Za-z/!?]|&[A-Za-z#][A-Za-z0-9]*;|\bjavascript:", re.I)


# --- cell checks ---------------------------------------------------------------------------------


def _text_check() -> list[pa.Check]:
    return [
        pa.Check(lambda s: s.str.strip() == s, element_wise=False,
                 error="has leading or trailing white space"),
        pa.Check(lambda s: ~s.str.contains(MARKUP), element_wise=False,
                 error="contains markup (an HTML tag or entity); write plain text"),
        pa.Check(lambda s: s.str.len() > 0, element_wise=False, error="is empty"),
    ]


def _printed_check() -> pa.Check:
    return pa.Check(is_printed_number, element_wise=True,
                    error="is not a printed number, range or bound (e.g. 63.6, 1.1–1.15, ≥2.8)")


def _col(kind: str, *, nullable: bool = False, unique: bool = False, vocab=None) -> pa.Column:
    checks: list[pa.Check] = []
    if kind == "id":
        checks.append(pa.Check.str_matches(ID, error="is not an id of lower-case words joined by -"))
    elif kind == "bibkey":
        checks.append(pa.Check.str_matches(BIBKEY, error="is not a BibTeX key (lower-case letters and digits)"))
    elif kind == "int":
        checks.append(pa.Check.str_matches(INT, error="is not a whole number ≥ 0"))
    elif kind == "date":
        checks.append(pa.Check.str_matches(DATE, error="is not a date YYYY-MM or YYYY-MM-DD"))
    elif kind == "sha256":
        checks.append(pa.Check.str_matches(SHA256, error="is not a sha256 hex digest"))
    elif kind == "printed":
        checks.append(_printed_check())
    elif kind == "text":
        checks.extend(_text_check())
    elif kind == "vocab":
        checks.append(pa.Check.isin(vocab, error=f"is not one of {', '.join(vocab)}"))
    else:  # pragma: no cover - a programming error, not bad data
        raise ValueError(kind)
    return pa.Column(str, checks=checks, nullable=nullable, unique=unique, required=True)


# --- row checks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowRule:
    """A rule across columns of one row; `columns` are named in the error message."""

    name: str
    columns: tuple[str, ...]
    ok: Callable[[pd.Series], bool]

    def as_check(self) -> pa.Check:
        def vectorised(df: pd.DataFrame) -> pd.Series:
            return df.apply(lambda row: bool(self.ok(row)), axis=1)

        return pa.Check(vectorised, name=self.name, error=self.name)


def _num(row: pd.Series, column: str):
    value = row.get(column)
    if value is None or pd.isna(value):
        return None
    try:
        return parse(value)
    except PrintedNumberError:
        return None  # the column check reports it


def _int(row: pd.Series, column: str):
    value = row.get(column)
    if value is None or pd.isna(value) or not re.match(INT, value):
        return None
    return int(value)


def _k_within_n(row) -> bool:
    k, n = _int(row, "k"), _int(row, "n")
    if n is not None and n == 0:
        return False
    return k is None or n is None or k <= n


def _percent_in_range(value_col: str):
    def ok(row) -> bool:
        if row.get("unit") != "%":
            return True
        for column in (value_col, "ci_low", "ci_high"):
            p = _num(row, column)
            if p is not None and not (0 <= p.low and p.high <= 100):
                return False
        return True
    return ok


def _ratio_positive(value_col: str):
    def ok(row) -> bool:
        if row.get("unit") not in ("ratio", "% of reference") and row.get("value_type") != "hazard_ratio":
            return True
        for column in (value_col, "ci_low", "ci_high"):
            p = _num(row, column)
            if p is not None and p.low <= 0:
                return False
        return True
    return ok


def _ci_ordered(value_col: str):
    def ok(row) -> bool:
        lo, hi = _num(row, "ci_low"), _num(row, "ci_high")
        if lo is None and hi is None:
            return True
        if lo is None or hi is None or _int(row, "ci_level") is None:
            return False
        if lo.value > hi.value:
            return False
        point = _num(row, value_col)
        if point is not None and point.kind == "point":
            return lo.value <= point.value <= hi.value
        return True
    return ok


def _rules(value_col: str) -> list[RowRule]:
    return [
        RowRule("0 ≤ k ≤ n and n > 0", ("k", "n"), _k_within_n),
        RowRule("a percentage must lie between 0 and 100", (value_col, "ci_low", "ci_high"),
                _percent_in_range(value_col)),
        RowRule("a ratio must be greater than 0", (value_col, "ci_low", "ci_high"),
                _ratio_positive(value_col)),
        RowRule("CI needs both bounds and a level, with lower ≤ point ≤ upper",
                ("ci_low", value_col, "ci_high", "ci_level"), _ci_ordered(value_col)),
    ]


def _status_rule() -> RowRule:
    def ok(row) -> bool:
        has_value = row.get("value") is not None and not pd.isna(row.get("value"))
        return has_value == (row.get("status") == "printed")

    return RowRule("a value is given exactly when its status is printed "
                   "(derived values are computed in code; an unread figure stays empty)",
                   ("value", "status"), ok)


def _excerpt_rule() -> RowRule:
    def ok(row) -> bool:
        excerpt = row.get("excerpt")
        has_excerpt = excerpt is not None and not pd.isna(excerpt)
        return has_excerpt == (row.get("status") == "printed")

    return RowRule("an excerpt (the source's own words where the value was read) is given exactly when "
                   "the status is printed", ("excerpt", "status"), ok)


def _category_rule(value_col: str) -> RowRule:
    def ok(row) -> bool:
        value = row.get(value_col)
        if value is None or pd.isna(value) or row.get("value_type") == "category":
            return True
        return _num(row, value_col) is not None

    return RowRule("a value that is not a category must be a printed number",
                   (value_col, "value_type"), ok)


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

QUOTE_KINDS = ("title", "term", "gene variant", "heading")

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
    "species": lambda: _col("vocab", vocab=SPECIES, nullable=True),
    "steady_state": lambda: _col("vocab", vocab=STEADY_STATE, nullable=True),
    "cutoff": lambda: _col("date", nullable=True),
    # The end point a figure measures and who assessed it; see ENDPOINTS.
    "endpoint": lambda: _col("vocab", vocab=ENDPOINTS, nullable=True),
    "assessor": lambda: _col("vocab", vocab=ASSESSORS, nullable=True),
}
DRUG_LIST = r"^[a-z]+(?: [a-z]+)*$"

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
    checks=[r.as_check() for r in [*_rules("value"), _status_rule(), _excerpt_rule(), _category_rule("value")]],
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

# What a reader with the full text should read to settle an unread fact (the worklist): for a fact
# whose source was read only in part, the part of the full text that would print it (`look_in`); for
# a fact with no primary source identified, the kind of source that would settle it (`source_kind`).
# The words for each value are written once, here, and the worklist renders them.
LOOK_IN = {
    "methods": "the methods section of the full text",
    "results": "the results section of the full text, with its tables and figures",
    "discussion": "the discussion of the full text",
    "supplement": "the supplementary material of the full text",
    "recommendations": "the full guideline: its recommendations and evidence tables",
    "label section": "the whole label section, of which only an excerpt was read",
    "cited source": "the cited source itself, which no search found again",
}
SOURCE_KINDS = {
    "original paper": "the original research paper itself, whose text was not found",
    "epidemiological study": "a population study of how often CNS metastases occur",
    "transporter study": "a transporter or drug-interaction study of the compound",
    "clinical protocol": "a clinical protocol for sampling CSF and plasma and assaying the drug in them",
    "comparative study": "a study or review comparing several kinase inhibitors",
}


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

# How a "derived" fact is computed from printed facts, so that the audit recomputes it rather than
# trusting a note: "denominator" (inputs: a printed percentage, then a printed count bounding the
# group: every k/n with n up to the bound that prints as the percentage) or "remainder" (inputs: the
# printed total, then the printed parts: the count that is left).
DERIVATION_METHODS = ("denominator", "remainder")
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
    **{("evidence", r.name): r.columns
       for r in [*_rules("value"), _status_rule(), _excerpt_rule(), _category_rule("value")]},
    **{("claims", r.name): r.columns for r in [*_rules("reported"), _category_rule("reported")]},
    ("to-read", _one_of_rule().name): _one_of_rule().columns,
}
