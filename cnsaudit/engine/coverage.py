"""Coverage of the guides' numbers: every number printed in a guide maps to a claim row
(`data/number-claims.csv`) or to a documented exclusion (`data/exclusions.csv`).

A "number" is a run of digits (with an optional decimal part, subscript digits included) or a
number word (one … twelve, once, twice, double, half, first, second, third). Tokens are counted per
line, left to right, so (guide, line, index, token) names each one. The check needs the guide
texts, which are not part of the repository; where they are absent it does not run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

NUM = re.compile(r"[0-9]+(?:\.[0-9]+)?|[₀-₉]+")
WORDS = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|once|twice|"
                   r"double[sd]?|half|first|second|third)\b", re.I)


def tokens(text: str) -> list[tuple[int, int, str, str]]:
    """(line, index on the line, token, kind) for every number in a guide text."""
    out = []
    for ln, line in enumerate(text.splitlines(), 1):
        hits = [(m.start(), m.group(), "digits") for m in NUM.finditer(line)]
        hits += [(m.start(), m.group(), "word") for m in WORDS.finditer(line)]
        hits.sort()
        out += [(ln, i, tok, kind) for i, (_, tok, kind) in enumerate(hits, 1)]
    return out


def mapped(number_claims: pd.DataFrame, exclusions: pd.DataFrame) -> pd.DataFrame:
    """One row per recorded token: guide, line, index, token and what it maps to."""
    a = number_claims.assign(maps_to=number_claims["claims"].map(lambda c: "claim" if c else "proposed claim"))
    b = exclusions.assign(maps_to="exclusion")
    cols = ["guide", "line", "index", "token", "maps_to"]
    return pd.concat([a[cols], b[cols]], ignore_index=True)


def unmapped(guide: str, text: str, table: pd.DataFrame) -> list[tuple[int, int, str]]:
    """Tokens of a guide text that neither table records (with the same token at that place)."""
    known = {(int(r.line), int(r.index), r.token) for r in table[table["guide"] == guide].itertuples()}
    return [(ln, i, tok) for ln, i, tok, _ in tokens(text) if (ln, i, tok) not in known]


def stale(guide: str, text: str, table: pd.DataFrame) -> list[tuple[int, int, str]]:
    """Recorded tokens that are not in the guide text (the table no longer matches the guide)."""
    present = {(ln, i, tok) for ln, i, tok, _ in tokens(text)}
    return [(int(r.line), int(r.index), r.token) for r in table[table["guide"] == guide].itertuples()
            if (int(r.line), int(r.index), r.token) not in present]


def per_guide(number_claims: pd.DataFrame, exclusions: pd.DataFrame) -> pd.DataFrame:
    """Numbers per guide: mapped to a claim, to a proposed claim not yet added, or excluded."""
    table = mapped(number_claims, exclusions)
    counts = table.groupby(["guide", "maps_to"]).size().unstack(fill_value=0)
    for col in ("claim", "proposed claim", "exclusion"):
        if col not in counts:
            counts[col] = 0
    counts = counts[["claim", "proposed claim", "exclusion"]]
    counts["numbers"] = counts.sum(axis=1)
    return counts.rename(columns={"claim": "to a claim", "proposed claim": "to a proposed claim",
                                  "exclusion": "excluded"})


def guide_text(folder: Path, guide: str) -> str:
    return (folder / guide).read_text(encoding="utf-8")
