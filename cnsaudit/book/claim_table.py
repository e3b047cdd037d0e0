"""Claim tables a reader can read: claim, verdict, what the guide says, what the source says, why.

One object renders everywhere the book is read:

- HTML: a verdict badge (the palette of the verdict figure), every column visible at laptop
  width, and at phone width each claim stacked as a card (each cell labelled by its column's position in
  ``_static/cnsaudit.css``, which keeps a label per cell out of heavy pages), so nothing
  scrolls sideways. On the claims audit page each row carries the anchor ``claim-<id>``, which
  `cnsaudit.book.sphinx_ext` also registers as a Sphinx label, and offers its citation to copy.
- LaTeX: a pandas Styler ``longtable`` with wrapped columns, so the PDF gets a real table that
  breaks across pages and cuts nothing, with a ``\\label`` per claim on the audit page.
- Plain text: for a terminal and for nbval, which compares it.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from .latex_output import escape as _latex_escape
from .latex_output import longtable

COLUMNS = ("claim", "verdict", "the guide says", "the source says", "why")
AUDIT_DOC = "chapters/audit"  # the page whose rows are the claims' citable targets


# Units as the book writes them, whatever the guide or a note typed: superscript squares, the micro
# sign, a degree sign, an en dash in ranges of numbers and a minus sign before a negative number.
_UNIT_WORDS = r"(?:%|mg|mL|µM|m²|mg/m²|months?|weeks?|days?|hours?|half-lives|°C|patients)"
_UNIT_RULES = [
    (re.compile(r"\b(mg/)?m2\b"), lambda m: f"{m.group(1) or ''}m²"),
    (re.compile(r"[uμ]M\b"), lambda m: "µM"),
    (re.compile(r"(?<![\w.])-(?=\d)"), lambda m: "−"),
    (re.compile(r"\s*degrees? C\b"), lambda m: " °C"),
    (re.compile(r"(\d)\s+%"), lambda m: f"{m.group(1)}%"),
    (re.compile(rf"(\d(?:\.\d+)?)-(\d+(?:\.\d+)?)(?=\s*{_UNIT_WORDS})"), lambda m: f"{m.group(1)}–{m.group(2)}"),
]


def normalise_units(text: str) -> str:
    """'1.0 m2', '-80 degrees C', '2-5 mL', '1.33 uM' read '1.0 m²', '−80 °C', '2–5 mL', '1.33 µM'."""
    for pattern, repl in _UNIT_RULES:
        text = pattern.sub(repl, text)
    return text


def _with_unit(claim: str, reported: str, unit: str | None) -> str:
    """The guide's claim with its printed value; the unit shown wherever the claim has one."""
    said = claim.rstrip(".") if _said_in(reported, claim) else f"{claim.rstrip('.')} (printed: {reported})"
    if unit and unit not in ("ratio",) and normalise_units(unit) not in normalise_units(said):
        said = f"{said} ({unit})"
    return normalise_units(said)


def _why(reason: str, explanation: str) -> str:
    """The reason the engine wrote, then what it means for a reader where the verdict is not a pass."""
    reason = reason or "—"
    return f"{reason}. {explanation}" if explanation else reason


def _said_in(reported: str, claim: str) -> bool:
    """Whether the claim's sentence already shows every number and word of the printed value."""
    if not reported:
        return True
    tokens = re.findall(r"\d+(?:\.\d+)?|[A-Za-z][A-Za-z-]+", reported)
    return all(t.lower() in claim.lower() for t in tokens if t != "n")


def _units(audit: pd.DataFrame) -> list[str | None]:
    """Each row's unit: the audit's own column, else the claim's row in data/claims/."""
    if "unit" in audit:
        return [u if isinstance(u, str) and u else None for u in audit["unit"]]
    from ..engine.data import data_dir

    units: dict[str, str] = {}
    for path in sorted((data_dir() / "claims").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["claim_id", "unit"])
        units.update(zip(frame["claim_id"], frame["unit"]))
    return [units.get(c) or None for c in audit["claim_id"]]


def rows_for(audit: pd.DataFrame) -> pd.DataFrame:
    """The reader's columns for these audit rows (an audit run for readers, which names sources in
    words): what the guide says, what the source says, and why, then what it means."""
    return pd.DataFrame({
        "claim": audit["claim_id"].to_numpy(),
        "verdict": audit["verdict"].to_numpy(),
        "the guide says": [_with_unit(c, r, u) for c, r, u in
                           zip(audit["claim"], audit["reported"], _units(audit))],
        "the source says": [normalise_units(p) or "—" for p in audit["primary"]],
        "why": [_why(r, e) for r, e in zip(audit["reason"], audit.get("explanation", [""] * len(audit)))],
    })


def _linked(text: str, ref: str | None) -> str:
    """A cell's text, escaped, with the source's name made a link to its DOI, PubMed record or address."""
    from ..engine.short_cite import address, cite

    escaped = html.escape(text)
    where = address(ref) if ref else None
    name = html.escape(cite(ref)) if ref else ""
    if not where or not name or name not in escaped:
        return escaped
    return escaped.replace(name, f'<a class="source-link" href="{html.escape(where)}">{name}</a>', 1)


class ClaimTable:
    def __init__(self, audit: pd.DataFrame, anchors: bool = False, caption: str | None = None,
                 cite: bool = False, row_ids: bool = False, chapter: str | None = None):
        audit = audit.reset_index(drop=True) if "claim_id" in audit else audit.reset_index()
        self.rows = rows_for(audit)
        self.refs = list(audit["ref"]) if "ref" in audit else [None] * len(audit)
        self.anchors = anchors  # the audit page's rows: the claims' citable targets (HTML and PDF)
        self.row_ids = row_ids  # a chapter's full claim table: each row reachable as #claim-<id>
        self.caption = caption
        # The audit page offers each claim's citation: _static/cnsaudit-audit.js fills the page's one
        # citation entry (cite.md's, built with year, version and commit) in with the row's id, so
        # the page does not carry 187 copies of it.
        self.cite = cite
        self.chapter = chapter  # the chapter page holding the same claim's row, linked from the audit

    def _repr_html_(self) -> str:
        cite = ' data-cite="claim"' if self.anchors and self.cite else ""
        out = [f'<table class="claim-table"{cite}>']
        if self.caption:
            out.append(f"<caption>{html.escape(self.caption)}</caption>")
        out.append("<thead><tr>" + "".join(f"<th>{c}</th>" for c in COLUMNS) + "</tr></thead><tbody>")
        for r, ref in zip(self.rows.itertuples(index=False), self.refs):
            claim_id = html.escape(r[0])
            ident = f' id="claim-{claim_id}"' if self.anchors or self.row_ids else ""
            if self.anchors:
                first = f'<a href="#claim-{claim_id}">{claim_id}</a>'
                if self.chapter:
                    first += (f' <a class="claim-elsewhere" href="{html.escape(self.chapter)}#claim-{claim_id}">'
                              "in its chapter</a>")
            elif self.row_ids:
                first = (f'<a href="#claim-{claim_id}">{claim_id}</a> <a class="claim-elsewhere" '
                         f'href="audit.html#claim-{claim_id}">in the audit</a>')
            else:
                first = claim_id
            cells = [first, f'<span class="verdict-badge verdict-{html.escape(r[1])}">{html.escape(r[1])}</span>']
            cells += [html.escape(r[2]), _linked(r[3], ref), _linked(r[4], ref)]
            out.append(f'<tr{ident} data-verdict="{html.escape(r[1])}">'
                       + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
        out.append("</tbody></table>")
        return "".join(out)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .latex_output import LATEX_MIME

        return {"text/html": self._repr_html_(), LATEX_MIME: self.latex(), "text/plain": repr(self)}

    def latex(self, caption: str | None = None, label: str | None = None) -> str:
        caption = caption or self.caption
        body = self.rows.map(_latex_escape)
        if self.anchors:
            body["claim"] = [rf"\phantomsection\label{{\detokenize{{{AUDIT_DOC}:claim-{c}}}}}{c}"
                             for c in self.rows["claim"]]
        body["verdict"] = [rf"\textbf{{{v}}}" for v in body["verdict"]]
        return longtable(body, r"p{0.09\linewidth}p{0.12\linewidth}p{0.25\linewidth}"
                               r"p{0.22\linewidth}p{0.25\linewidth}",
                         caption=_latex_escape(caption) if caption else None, label=label)

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.width", 200):
            return self.rows.set_index("claim").to_string()
