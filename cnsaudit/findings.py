"""The book's findings, first: every claim that fails or carries a caveat, as one plain sentence,
grouped by guide and ordered by clinical consequence, each linked to its row on the audit page.

Everything here is computed from the audit; nothing is typed. The order of consequence is a rule
over each claim's fields (what it quantifies and where the guide prints it), so a new claim falls
into its group by itself.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .data import Tables, bib_file
from .schema import CONSEQUENCES

SHOWN = ("contradicted", "inconsistent", "caveat")
# Most consequential first (each claim's `consequence` in data/claims/, see schema.CONSEQUENCES).
GROUPS = CONSEQUENCES


def consequence(claim: pd.Series) -> str:
    """The group of a claim: what a reader risks if it is wrong, as its row records it."""
    return claim["consequence"]


@lru_cache(maxsize=4)
def short_citations(path: Path | None = None) -> dict[str, str]:
    """'Fischer et al. 2020' for every key of the bibliography (a corporate author as written)."""
    from pybtex.database import parse_file

    entries = parse_file(str(path or bib_file()), "bibtex").entries
    out = {}
    for key, entry in entries.items():
        people = entry.persons.get("author", [])
        year = entry.fields.get("year", "")
        if not people:
            name = entry.fields.get("organization") or entry.fields.get("publisher") or key
        else:
            first = people[0]
            name = " ".join(first.last_names) or str(first)
            named = [p for p in people if str(p) != "others"]
            if len(people) > 1:
                name += " et al."
            elif not named:
                name = key
        out[key] = f"{name.replace('{', '').replace('}', '')} {year}".strip()
    return out


def plain(text: str, cites: dict[str, str]) -> str:
    """Text with every bibliography key replaced by its short citation."""
    if not text:
        return text
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(cites, key=len, reverse=True))) + r")\b")
    text = pattern.sub(lambda m: cites[m.group(1)], text)
    return agree(text)


def agree(text: str) -> str:
    """'Drilon et al. 2021 prints' reads as English once the verb agrees with the authors."""
    return _PLURAL_VERB.sub(lambda m: f"{m.group(1)} {_PLURAL[m.group(2)]}", text)


_PLURAL = {"prints": "print", "shows": "show", "does": "do", "says": "say", "gives": "give"}
_PLURAL_VERB = re.compile(r"(\bet al\. \d{4}[a-z]?|\b\w+ and \w+ \d{4}[a-z]?) (" + "|".join(_PLURAL) + r")\b")


def _primary_value(primary: str) -> str:
    """'63% (95% CI 25–91) (printed, drilon2022lung)' -> '63% (95% CI 25–91)'."""
    return re.sub(r"\s*\((?:printed|derived|not found)[^()]*\)$", "", primary or "").strip()


def sentence(row: pd.Series, cites: dict[str, str]) -> str:
    claim = row["claim"].rstrip(".")
    if row["verdict"] == "contradicted":
        source = cites.get(row["ref"], row["ref"])
        return agree(f"{claim}: the guide prints {row['reported']}; {source} prints {_primary_value(row['primary'])}.")
    return f"{claim}: {plain(row['reason'], cites)}."


def findings(audit: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """One row per failing or qualified claim: guide, group, verdict and its sentence, in reading
    order (guides as the book orders them; within a guide the failures, then the caveats, each
    most consequential first)."""
    cites = short_citations()
    guides = tables.guides.reset_index(drop=True)
    guide_order = {g: i for i, g in enumerate(guides["guide"])}
    topics = guides.set_index("guide")["topic"]
    claims = tables.claims.set_index("claim_id")
    rows = []
    for r in audit[audit["verdict"].isin(SHOWN)].to_dict("records"):
        claim = claims.loc[r["claim_id"]]
        group = consequence(claim)
        rows.append({
            "guide": topics[r["guide"]], "group": group, "verdict": r["verdict"],
            "claim_id": r["claim_id"], "sentence": sentence(pd.Series(r), cites),
            # Failures (contradicted, inconsistent) before caveats; within each, by consequence.
            "_order": (guide_order[r["guide"]], r["verdict"] == "caveat", GROUPS.index(group),
                       SHOWN.index(r["verdict"]), r["claim_id"]),
        })
    frame = pd.DataFrame(rows, columns=["guide", "group", "verdict", "claim_id", "sentence", "_order"])
    return frame.sort_values("_order", key=lambda s: s.map(tuple)).drop(columns="_order").reset_index(drop=True)


class FindingsList:
    """The findings as a list: HTML in the book (verdict badges, links to the claim rows), plain
    text elsewhere (the PDF, a terminal)."""

    def __init__(self, frame: pd.DataFrame, audit_page: str = "chapters/audit.html"):
        self.frame = frame
        self.audit_page = audit_page

    def _repr_html_(self) -> str:
        parts = ['<div class="cnsaudit-findings">']
        for guide, by_guide in self.frame.groupby("guide", sort=False):
            parts.append(f"<h3>{html.escape(guide)}</h3><ul>")
            for r in by_guide.itertuples():
                href = f"{self.audit_page}#claim-{r.claim_id}"
                parts.append(
                    f'<li><span class="verdict-badge verdict-{r.verdict}">{r.verdict}</span> '
                    f'{html.escape(r.sentence)} <a href="{href}">{html.escape(r.claim_id)}</a> '
                    f'<span class="finding-group">({html.escape(r.group)})</span></li>')
            parts.append("</ul>")
        parts.append("</div>")
        return "".join(parts)

    def latex(self) -> str:
        from .latex_output import escape as _latex_escape

        parts = []
        for guide, by_guide in self.frame.groupby("guide", sort=False):
            parts.append(f"\\paragraph{{{_latex_escape(guide)}}}\n\\begin{{itemize}}")
            for r in by_guide.itertuples():
                target = f"\\detokenize{{chapters/audit:claim-{r.claim_id}}}"
                parts.append(f"\\item \\textbf{{{r.verdict}}} {_latex_escape(r.sentence)} "
                             f"(\\hyperref[{target}]{{{r.claim_id}}}; {_latex_escape(r.group)})")
            parts.append("\\end{itemize}")
        return "\n".join(parts) + "\n"

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .latex_output import LATEX_MIME

        return {"text/html": self._repr_html_(), LATEX_MIME: self.latex(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        lines = []
        for guide, by_guide in self.frame.groupby("guide", sort=False):
            lines.append(guide)
            lines += [f"  - [{r.verdict}] {r.sentence} ({r.claim_id}; {r.group})" for r in by_guide.itertuples()]
        return "\n".join(lines)
