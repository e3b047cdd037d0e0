"""Where each section of a guide is audited: the guide's own heading, the chapter section that
audits its claims, and the claim ids.

Everything is read, nothing typed:

- the headings are quotes of kind ``heading`` in data/quotes.csv (word for word, with their line);
  a heading's ``location`` lists the prefixes of the claims' ``location`` that sit under it;
- the claims come from data/claims/ (their ``location`` column);
- the chapter's sections come from its text form (``chapters/sources/<name>.md``): each ``##``
  heading and the ``report.section(claims, "<prefix>")`` calls under it. Claims no section shows
  are audited in the chapter's final table ("Every claim and its verdict").
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..engine.data import Tables

ROOT = Path(__file__).resolve().parents[2]
_HEADING = re.compile(r"^## (.+?)\s*$")
# report.section(claims, "prefix") or report.section(claims, ("prefix", "prefix", ...))
_SECTION_CALL_ARGS = re.compile(r"""report\.section\(\s*claims\s*,\s*(\([^)]*\)|["'][^"']+["'])\s*\)""")
_QUOTED = re.compile(r"""["']([^"']+)["']""")
_FENCE = re.compile(r"^(```|~~~)")
AUDIT_SECTION = "Every claim and its verdict"


def chapter_sections(chapter: str, root: Path = ROOT) -> list[tuple[str, list[str]]]:
    """(title, prefixes shown by report.section under it) for each ``##`` section of a chapter,
    in reading order, from its text form (`chapter` as in data/guides.csv, e.g. chapters/alectinib)."""
    path = root / Path(chapter).parent / "sources" / f"{Path(chapter).name}.md"
    sections: list[tuple[str, list[str]]] = []
    in_code = False
    for line in path.read_text().splitlines():
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if not in_code and (m := _HEADING.match(line)):
            sections.append((m.group(1), []))
        elif in_code and sections:
            for args in _SECTION_CALL_ARGS.findall(line):
                sections[-1][1].extend(_QUOTED.findall(args))
    return sections


def _under(locations: pd.Series, prefixes: list[str]) -> pd.Series:
    return locations.map(lambda loc: any(str(loc).startswith(p) for p in prefixes))


def section_map(tables: Tables, chapter: str, root: Path = ROOT) -> pd.DataFrame:
    """One row per heading of the chapter's guide, in the guide's order."""
    guide = tables.guides.loc[tables.guides["chapter"] == chapter, "guide"].iloc[0]
    claims = tables.claims[tables.claims["guide"] == guide]
    headings = tables.quotes[(tables.quotes["guide"] == guide) & (tables.quotes["kind"] == "heading")]
    headings = headings.assign(order=headings["line"].astype(int)).sort_values("order")
    sections = chapter_sections(chapter, root)
    rows = []
    for h in headings.itertuples():
        ids = claims.loc[_under(claims["location"], h.location.split("; ")), "claim_id"].tolist()
        where = []
        for title, prefixes in sections:
            shown = set(claims.loc[_under(claims["location"], prefixes), "claim_id"]) if prefixes else set()
            if shown & set(ids) and title not in where:
                where.append(title)
        if ids and not where:
            where = [AUDIT_SECTION]
        rows.append({"line": h.order, "the guide's heading": f"“{h.text}”",
                     "audited in": "; ".join(where) if where else "—",
                     "claims": claim_ranges(ids) if ids else "none"})
    # A new guide's chapter runs before its headings are recorded: an empty map, not an error.
    columns = ["line", "the guide's heading", "audited in", "claims"]
    return pd.DataFrame(rows, columns=columns).set_index("line")


def claim_ranges(ids: list[str]) -> str:
    """'ent-07, ent-08, ent-09, ent-12' -> 'ent-07 to ent-09, ent-12' (runs of consecutive ids)."""
    runs: list[list[str]] = []
    for claim in ids:
        prefix, _, number = claim.rpartition("-")
        if runs and number.isdigit():
            last_prefix, _, last = runs[-1][-1].rpartition("-")
            if last_prefix == prefix and last.isdigit() and int(number) == int(last) + 1:
                runs[-1].append(claim)
                continue
        runs.append([claim])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}{',' if len(run) == 2 else ' to'} {run[-1]}"
                     for run in runs)


def unmapped_claims(tables: Tables, chapter: str) -> list[str]:
    """Claims of the chapter's guide that no heading's location covers (a test wants none)."""
    guide = tables.guides.loc[tables.guides["chapter"] == chapter, "guide"].iloc[0]
    claims = tables.claims[tables.claims["guide"] == guide]
    headings = tables.quotes[(tables.quotes["guide"] == guide) & (tables.quotes["kind"] == "heading")]
    prefixes = [p for loc in headings["location"] for p in loc.split("; ")]
    return claims.loc[~_under(claims["location"], prefixes), "claim_id"].tolist()


def out_of_order(table: pd.DataFrame, chapter: str, root: Path = ROOT) -> list[str]:
    """Guide headings whose first auditing section comes before the previous heading's: where the
    chapter departs from the guide's order (the chapter says why)."""
    order = [title for title, _ in chapter_sections(chapter, root)]
    late, previous = [], -1
    for heading, where in zip(table["the guide's heading"], table["audited in"]):
        # The final table holds every claim: being audited only there says nothing about order.
        shown = [order.index(w) for w in where.split("; ") if w in order and w != AUDIT_SECTION]
        if not shown:
            continue
        first = min(shown)
        if first < previous:
            late.append(heading)
        previous = max(previous, first)
    return late


def order_sentence(table: pd.DataFrame, chapter: str, root: Path = ROOT) -> str:
    late = out_of_order(table, chapter, root)
    if not late:
        return "takes the guide's sections in the guide's own order"
    return ("departs from the guide's order: it audits " + ", ".join(late)
            + (" earlier than the section before it" if len(late) == 1 else " earlier than the sections before them"))
