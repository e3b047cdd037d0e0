"""The book's findings, first: every error and every caveat across the guides, most consequential
first, each as one plain sentence linked to its row on the audit page.

Everything here is computed from an audit run for readers (sources named in words, each verdict's
meaning written by cnsaudit.engine.wording); nothing is typed and nothing rewrites the engine's words.
Cells that fail for one root cause (one `finding` id) are one finding, so an error is counted once.
Order: failures (contradicted, inconsistent) before caveats; within each, by the claim's consequence
(data/claims/ `consequence`), then by the book's order of guides.
"""

from __future__ import annotations

import html

import pandas as pd

from ..engine.data import Tables
from ..engine.schema import CONSEQUENCES
from ..engine.short_cite import short_citations  # noqa: F401  (the name pages and tests import from here)

SHOWN = ("contradicted", "inconsistent", "caveat")
FAILING = ("contradicted", "inconsistent")
# Most consequential first (each claim's `consequence` in data/claims/, see schema.CONSEQUENCES).
GROUPS = CONSEQUENCES
MAX_WORDS = 30


def consequence(claim: pd.Series) -> str:
    """The group of a claim: what a reader risks if it is wrong, as its row records it."""
    return claim["consequence"]


def sentence(claim: str, headline: str) -> str:
    """The claim and the first thing its verdict means, in at most MAX_WORDS words; the meaning alone
    where both would be longer."""
    both = f"{claim.rstrip('.')}: {headline[:1].lower()}{headline[1:]}"
    return both if len(both.split()) <= MAX_WORDS else headline


def guide_names(tables: Tables) -> dict[str, str]:
    """Each guide by its title and publisher, as the reader would look for it."""
    titles = tables.quotes[tables.quotes["kind"] == "title"].set_index("guide")["text"]
    return {r.guide: f"{titles.get(r.guide, r.topic)} ({r.publisher}, {r.published[:4]})"
            for r in tables.guides.itertuples()}


def findings(audit: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """One row per error (its cells grouped) or caveat, in reading order, with its sentence."""
    names = guide_names(tables)
    guide_order = {g: i for i, g in enumerate(tables.guides["guide"])}
    shown = audit[audit["verdict"].isin(SHOWN)].copy()
    shown["key"] = [f if f else c for f, c in zip(shown["finding"], shown["claim_id"])]
    rows = []
    for _, cells in shown.groupby("key", sort=False):
        first = cells.sort_values("claim_id").iloc[0]
        verdict = next(v for v in SHOWN if v in set(cells["verdict"]))
        rows.append({
            "guide": names[first["guide"]], "group": first["consequence"], "verdict": verdict,
            "claim_id": first["claim_id"], "claims": list(cells.sort_values("claim_id")["claim_id"]),
            "sentence": sentence(first["claim"], first["headline"]),
            "_order": (verdict not in FAILING, int(first["consequence_rank"]), guide_order[first["guide"]],
                       SHOWN.index(verdict), first["claim_id"]),
        })
    frame = pd.DataFrame(rows, columns=["guide", "group", "verdict", "claim_id", "claims", "sentence", "_order"])
    return frame.sort_values("_order", key=lambda s: s.map(tuple)).drop(columns="_order").reset_index(drop=True)


def counts(audit: pd.DataFrame, found: pd.DataFrame) -> dict[str, int]:
    """The landing page's numbers: claims, errors (counted once), failing cells, caveats, unverified
    claims, and the claims whose established problem outranks a figure that was not read."""
    from ..engine.schema import UNREAD_STATUSES

    return {
        "claims": len(audit),
        "errors": int(found["verdict"].isin(FAILING).sum()),
        "failing_claims": int(audit["verdict"].isin(FAILING).sum()),
        "caveats": int((found["verdict"] == "caveat").sum()),
        "unverified": int((audit["verdict"] == "unverified").sum()),
        "established_unread": int((audit["verdict"].isin(SHOWN) & audit["status"].isin(UNREAD_STATUSES)).sum()),
        "consistent": int((audit["verdict"] == "consistent").sum()),
    }


class FindingsList:
    """The findings as a list: HTML in the book (verdict badges, links to the claim rows), LaTeX in
    the PDF, plain text elsewhere (a terminal)."""

    def __init__(self, frame: pd.DataFrame, audit_page: str = "chapters/audit.html"):
        self.frame = frame
        self.audit_page = audit_page

    def _links(self, claims: list[str]) -> str:
        return ", ".join(f'<a href="{self.audit_page}#claim-{html.escape(c)}">{html.escape(c)}</a>' for c in claims)

    def _repr_html_(self) -> str:
        parts = ['<ol class="cnsaudit-findings">']
        for r in self.frame.itertuples():
            parts.append(
                f'<li><span class="verdict-badge verdict-{r.verdict}">{r.verdict}</span> '
                f'{html.escape(r.sentence)} <span class="finding-source">{html.escape(r.guide)}; '
                f'{html.escape(r.group)}; {self._links(r.claims)}</span></li>')
        parts.append("</ol>")
        return "".join(parts)

    def latex(self) -> str:
        from .latex_output import escape as _latex_escape

        parts = ["\\begin{enumerate}"]
        for r in self.frame.itertuples():
            links = ", ".join(f"\\hyperref[\\detokenize{{chapters/audit:claim-{c}}}]{{{c}}}" for c in r.claims)
            parts.append(f"\\item \\textbf{{{r.verdict}}} {_latex_escape(r.sentence)} "
                         f"({_latex_escape(r.guide)}; {_latex_escape(r.group)}; {links})")
        parts.append("\\end{enumerate}")
        return "\n".join(parts) + "\n"

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .latex_output import LATEX_MIME

        return {"text/html": self._repr_html_(), LATEX_MIME: self.latex(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return "\n".join(f"{i}. [{r.verdict}] {r.sentence} ({r.guide}; {r.group}; {', '.join(r.claims)})"
                         for i, r in enumerate(self.frame.itertuples(), 1))
