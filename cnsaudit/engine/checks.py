"""The cell and row checks the table schemas are built from: the formats of ids, keys, whole
numbers, dates and digests; plain text with no markup; printed numbers; and rules across the columns
of one row (0 ≤ k ≤ n, a percentage within 0–100, CI lower ≤ point ≤ upper, a value exactly when
printed), each naming the columns it reads so that an error can name them too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import pandera.pandas as pa

from .printed import PrintedNumberError, is_printed_number, parse
from .vocabulary import NONHUMAN_DESIGNS, SPECIES, SPECIES_SEPARATOR

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


def species_list(value) -> list[str]:
    """The species a cell lists, in its order (empty: none recorded)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return []
    return value.split(SPECIES_SEPARATOR)


def _species_col() -> pa.Column:
    one = "|".join(re.escape(s) for s in SPECIES)
    pattern = rf"^(?:{one})(?:{re.escape(SPECIES_SEPARATOR)}(?:{one}))*$"
    listed = ", ".join(SPECIES)
    return pa.Column(str, checks=[
        pa.Check.str_matches(pattern, error=f"is not one of {listed}, or several of them separated by "
                                            f"'{SPECIES_SEPARATOR}'"),
        pa.Check(lambda v: len(set(species_list(v))) == len(species_list(v))
                 and ("not stated" not in species_list(v) or len(species_list(v)) == 1),
                 element_wise=True, error="names a species twice, or 'not stated' beside a species"),
    ], nullable=True, required=True)


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


def _species_rule() -> RowRule:
    def ok(row) -> bool:
        if row.get("design") not in NONHUMAN_DESIGNS:
            return True
        return bool(species_list(row.get("species")))

    return RowRule("an animal or cell study needs its species (the species it studied for this fact, "
                   "several separated by '; ', or 'not stated' where the source read names none)",
                   ("species", "design"), ok)


def _category_rule(value_col: str) -> RowRule:
    def ok(row) -> bool:
        value = row.get(value_col)
        if value is None or pd.isna(value) or row.get("value_type") == "category":
            return True
        return _num(row, value_col) is not None

    return RowRule("a value that is not a category must be a printed number",
                   (value_col, "value_type"), ok)
