"""Numbers as they are printed: value, bound and the precision the printing implies.

A guide that prints "63.6%" claims something narrower than one that prints "64%". Every rounding,
granularity and comparison check needs that precision, so printed figures are stored in `data/`
as text and parsed here, never as floats.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

# How a printed figure constrains the true value.
POINT, RANGE, AT_LEAST, GREATER, AT_MOST, LESS, APPROX = (
    "point", "range", "at_least", "greater_than", "at_most", "less_than", "approx",
)

_NUM = r"(\d+(?:\.\d+)?)"
_DASH = r"\s*(?:-|–|—|to)\s*"
_PATTERNS = [
    (RANGE, re.compile(rf"^{_NUM}{_DASH}{_NUM}$")),
    (AT_LEAST, re.compile(rf"^(?:≥|>=)\s*{_NUM}$")),
    (GREATER, re.compile(rf"^>\s*{_NUM}$")),
    (AT_MOST, re.compile(rf"^(?:≤|<=|up to)\s*{_NUM}$")),
    (LESS, re.compile(rf"^<\s*{_NUM}$")),
    (APPROX, re.compile(rf"^(?:~|≈|about)\s*{_NUM}$")),
    (POINT, re.compile(rf"^{_NUM}$")),
]


class PrintedNumberError(ValueError):
    """A printed figure that does not parse as a number, range or bound."""


@dataclass(frozen=True)
class Printed:
    """A printed figure: its kind, its bounds as written, and the decimals of each bound."""

    text: str
    kind: str
    low: Decimal
    high: Decimal
    decimals: int

    @property
    def value(self) -> Decimal:
        """The single printed value; for a range, its midpoint is meaningless, so refuse."""
        if self.kind == RANGE:
            raise PrintedNumberError(f"{self.text!r} is a range, not a single value")
        return self.low

    def half_unit(self) -> Decimal:
        """Half a unit in the last printed digit: how far rounding may have moved the value."""
        return Decimal(5) * Decimal(10) ** (-(self.decimals + 1))

    def interval(self) -> tuple[Decimal, Decimal]:
        """The values whose rounding prints as this figure (for a range, its widest reading)."""
        h = self.half_unit()
        return self.low - h, self.high + h

    def __str__(self) -> str:
        return self.text


def _decimals(token: str) -> int:
    return len(token.split(".")[1]) if "." in token else 0


@functools.lru_cache(maxsize=65536)  # the audit parses the same few figures for every claim
def parse(text: str) -> Printed:
    """Parse a printed figure such as '63.6', '1.1–1.15', '≥2.8', '>0.2', '~0.03', '<0.0001'.

    A trailing percent sign or unit word is not accepted here: units live in their own column.
    """
    if not isinstance(text, str):
        raise PrintedNumberError(f"expected printed text, got {type(text).__name__} {text!r}")
    cleaned = text.strip()
    if cleaned.lower().startswith("p") and re.match(r"^p\s*[<>=≤≥]", cleaned, re.I):
        cleaned = re.sub(r"^p\s*=?\s*", "", cleaned, flags=re.I)
    for kind, pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        tokens = match.groups()
        low = Decimal(tokens[0])
        high = Decimal(tokens[-1])
        if kind == RANGE and low > high:
            raise PrintedNumberError(f"range {text!r} has its bounds reversed")
        decimals = max(_decimals(t) for t in tokens)
        return Printed(text=text, kind=kind, low=low, high=high, decimals=decimals)
    raise PrintedNumberError(
        f"{text!r} is not a printed number, range (a–b) or bound (≥a, >a, ≤a, <a, ~a)"
    )


def is_printed_number(text: str) -> bool:
    """True when `text` parses; used by the table schema to reject malformed figures."""
    try:
        parse(text)
    except PrintedNumberError:
        return False
    return True


def same_figure(a: Printed, b: Printed) -> bool:
    """Do two printed figures say the same thing, allowing for the rounding of each?

    Both must be of the same kind (a bound never equals a point), and the rounding intervals of
    each bound must overlap by more than a point: 63.6 and 64 agree; 2.8 and 2.9 only touch (at
    2.85) and do not, since two sources rounding one value would have printed the same digit.
    """
    if a.kind != b.kind:
        return False
    tolerance = a.half_unit() + b.half_unit()
    return abs(a.low - b.low) < tolerance and abs(a.high - b.high) < tolerance
