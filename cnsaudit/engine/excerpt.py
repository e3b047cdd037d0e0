"""Attribution: every figure of a printed evidence row must stand in the source's own words recorded
beside it (the `excerpt` column).

The matcher compares numbers as the source prints them, so that it can fail: "63" is not found
inside "163", "0.4" is not "0.40", and "G595R" or "HER2" hold no number. It accepts the forms a
source uses for the same figure: thousands separators ("295,676"), a middle dot or a unicode minus,
an en dash or hyphen between the bounds of a range ("25–91", "0.34-1.00"), a percentage written as
a proportion ("0.63" for 63%), small whole numbers written as words ("Sixty-five", "six"), and
trial phases in Roman numerals ("phase I/II" prints 1 and 2).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Columns whose figures an excerpt must print, in the order they are reported.
FIGURE_COLUMNS = ("value", "n", "k", "ci_low", "ci_high", "p")
# Columns that may hold a percentage and so may be printed as a proportion.
_PERCENT_COLUMNS = ("value", "ci_low", "ci_high")

# A number standing on its own: not part of a word or identifier (ROS1, G595R, NCT02075840), with
# an optional sign only where it cannot be a range separator, thousands groups, and a decimal part.
_NUMBER = re.compile(
    r"(?<![\w.,·])"
    r"(?P<sign>(?<![\d\w])[-−‐])?"
    r"(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
    r"(?P<frac>[.·]\d+)?"
)
# A token of a category value that holds a digit (ROS1, m2, 100, G595R), compared as a whole.
_TOKEN = re.compile(r"[A-Za-z0-9]*\d[A-Za-z0-9]*(?:[.·]\d+)?")

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORDS = {w: i for i, w in enumerate(_UNITS)}
_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
_WORD_NUMBER = re.compile(
    r"\b(?P<tens>" + "|".join(_TENS) + r")(?:[- ](?P<unit>" + "|".join(_UNITS[1:10]) + r"))?\b"
    r"|\b(?P<small>" + "|".join(_UNITS) + r")\b", re.I)

# Trial phases are printed in Roman numerals as often as in digits ("phase I/II", "phase 1–2");
# Roman numerals are read only right after the word "phase", where they cannot be a pronoun.
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_PHASE = re.compile(r"\b[Pp]hases?\s+(?P<a>IV|I{1,3})\b(?:\s*(?:/|-|–|or|and|to)\s*(?P<b>IV|I{1,3})\b)?")


def _normal(text: str) -> str:
    """Compatibility forms folded (m² → m2, non-breaking spaces → spaces)."""
    return unicodedata.normalize("NFKC", text)


def _figure(sign: str | None, integer: str, frac: str | None) -> str:
    text = integer.replace(",", "") + ((frac or "").replace("·", "."))
    return ("-" if sign else "") + text


def numbers_in(text: str) -> set[str]:
    """Every number printed in a text, in a normal form ('295,676' → '295676', '0·40' → '0.40',
    '−80' → '-80'), with whole numbers written as words among them ('Sixty-five' → '65')."""
    text = _normal(text)
    found = {_figure(m["sign"], m["int"], m["frac"]) for m in _NUMBER.finditer(text)}
    for m in _WORD_NUMBER.finditer(text):
        if m["small"]:
            found.add(str(_WORDS[m["small"].lower()]))
        else:
            found.add(str(_WORDS[m["tens"].lower()] + (_WORDS[m["unit"].lower()] if m["unit"] else 0)))
    for m in _PHASE.finditer(text):
        found.update(str(_ROMAN[g.lower()]) for g in (m["a"], m["b"]) if g)
    return found


def figures_of(cell: str) -> list[str]:
    """The numbers a numeric cell holds ('1.1–1.15' → ['1.1', '1.15']; '≥2.8' → ['2.8'])."""
    return [_figure(m["sign"], m["int"], m["frac"]) for m in _NUMBER.finditer(_normal(cell))]


def tokens_of(cell: str) -> list[str]:
    """The tokens with a digit in a category value ('100 mg/m2 twice daily' → ['100', 'm2'])."""
    return _TOKEN.findall(_normal(cell))


def _as_proportion(figure: str) -> set[str]:
    """How a percentage may be printed as a proportion: '63' → '0.63', '40.0' → '0.400'."""
    try:
        return {str(Decimal(figure).scaleb(-2))}
    except InvalidOperation:
        return set()


def missing(row: dict, category: bool) -> list[tuple[str, str]]:
    """(column, figure) for each figure of the row that its excerpt does not print."""
    excerpt = row.get("excerpt") or ""
    printed = numbers_in(excerpt)
    tokens = {t.casefold() for t in _TOKEN.findall(_normal(excerpt))}
    gaps = []
    for column in FIGURE_COLUMNS:
        cell = row.get(column)
        if cell is None or (isinstance(cell, float) and cell != cell) or cell == "":
            continue
        if column == "value" and category:
            for token in tokens_of(cell):
                found = token in printed if token.isdigit() else token.casefold() in tokens
                if not found:
                    gaps.append((column, token))
            continue
        for figure in figures_of(cell):
            forms = {figure}
            if column in _PERCENT_COLUMNS and row.get("unit") == "%":
                forms |= _as_proportion(figure)
            if not forms & printed:
                gaps.append((column, figure))
    return gaps
