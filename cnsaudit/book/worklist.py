"""The worklist for readers with full-text access: for every claim whose figure was not read (each
unverified claim, and each caveat or error decided on an unread figure), the source to open, where in
it to read, what the guide says it prints, the searches already made, and a link to the
erratum form with the claim id filled in.

One function builds the entries from the audit and the tables; the command's CSV, the download and
the worklist page are all written from those entries, so they cannot disagree.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import yaml

from ..engine import audit
from ..engine.data import ROOT, Tables, bib_file
from ..engine.schema import LOOK_IN, SOURCE_KINDS, STATUS_MEANING, UNREAD_STATUSES
from ..engine.short_cite import _bibliography, address, short_citations  # noqa: F401  (address: the name callers use)

COLUMNS = ["claim_id", "source", "where", "what_to_check", "searches", "erratum"]
DOWNLOAD = "worklist.csv"
ERRATUM_TEMPLATE = ".github/ISSUE_TEMPLATE/erratum.yml"
# The erratum form's field that holds the claim id (a test checks the template has it).
CLAIM_FIELD = "claim"


@dataclass(frozen=True)
class Entry:
    claim_id: str
    source: str  # the reference in words
    address: str | None  # the source's DOI, PubMed or web address, when one is recorded
    where: str
    what_to_check: str
    searches: pd.DataFrame
    erratum: str


# --- the pieces of an entry ---------------------------------------------------------------------


def reference(ref: str) -> str:
    """'Fischer et al. 2020. Entrectinib, a TRK/ROS1 inhibitor …' (BibTeX braces dropped)."""
    title = _bibliography(bib_file()).get(ref, {}).get("title", "")
    title = title.replace("{", "").replace("}", "")
    return f"{short_citations().get(ref, ref)}. {title}".rstrip(". ") + "."


NO_ADDRESS = "No DOI, PubMed or web address recorded."


@lru_cache(maxsize=4)
def erratum_base(root: Path = ROOT) -> tuple[str, str]:
    """The repository address (from _config.yml) and the erratum form's title with its placeholder."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    template = yaml.safe_load((root / ERRATUM_TEMPLATE).read_text())
    ids = {item.get("id") for item in template["body"]}
    if CLAIM_FIELD not in ids:
        raise ValueError(f"{ERRATUM_TEMPLATE} has no field with id {CLAIM_FIELD!r}")
    return config["repository"]["url"].rstrip("/"), template["title"]


def erratum_link(claim_id: str, root: Path = ROOT) -> str:
    """The erratum form of the repository's issues, with the claim id (and the title) filled in."""
    repository, title = erratum_base(root)
    query = urlencode({"template": Path(ERRATUM_TEMPLATE).name, CLAIM_FIELD: claim_id,
                       "title": title.replace("<claim id>", claim_id)})
    return f"{repository}/issues/new?{query}"


def _where(fact: dict, to_read: dict | None) -> str:
    if fact["status"] == "no_source":
        return SOURCE_KINDS[to_read["source_kind"]]
    if to_read is None:  # a derived fact the printed figures do not pin down
        return f"the printed figures it is derived from ({fact['source_location']})"
    if fact["status"] == "sheet_only":  # nothing of it was read: say where the sheet placed the figure
        return f"{LOOK_IN[to_read['look_in']]}; the starting sheet places it in: {fact['source_location']}"
    return f"{LOOK_IN[to_read['look_in']]}; read so far: {fact['source_location']}"


def _source(fact: dict) -> str:
    """The source in words; its address is kept apart (`Entry.address`), so the page can link it."""
    if fact["status"] == "no_source":
        return f"{STATUS_MEANING['no_source']}; read without finding it: {reference(fact['ref'])}"
    return reference(fact["ref"])


def _what(claim: dict, reported: str) -> str:
    population = claim.get("population")
    about = claim["quantity"] + (f" ({population})" if isinstance(population, str) else "")
    return f"{about}: the guide gives {reported}"


def to_check(results: pd.DataFrame) -> pd.Series:
    """The claims a reader with the full text can finish: every unverified claim, and every claim whose
    figure was not read although an established problem decided its verdict (a caveat on an unread
    figure still leaves the figure to check)."""
    return results["verdict"].eq("unverified") | results["status"].isin(UNREAD_STATUSES)


# Why a claim is left to check, by the status of the figure it rests on (a derived figure reaches the
# worklist only when the printed figures allow several values, or none; a printed one only when what
# the sources read print does not settle the guide's statement, such as a dose rule no label gives).
LEFT_BECAUSE = {**{s: STATUS_MEANING[s] for s in UNREAD_STATUSES},
                "derived": "derivable only: the printed figures allow more than one value, or none",
                "printed": "the sources read print something near it, but not what the guide states"}


def reasons(results: pd.DataFrame) -> pd.DataFrame:
    """How many claims are left to check for each reason, split into the unverified ones and those on
    which the audit established a problem although the figure itself was not read."""
    left = results[to_check(results)]
    unverified = left["verdict"].eq("unverified")
    rows = [{"why it is left": words, "unverified": int((unverified & left["status"].eq(s)).sum()),
             "with a problem established": int((~unverified & left["status"].eq(s)).sum())}
            for s, words in LEFT_BECAUSE.items() if left["status"].eq(s).any()]
    frame = pd.DataFrame(rows, columns=["why it is left", "unverified", "with a problem established"])
    return frame.assign(claims=frame["unverified"] + frame["with a problem established"]).set_index(
        "why it is left")


def entries(results: pd.DataFrame, tables: Tables) -> list[Entry]:
    """One entry per claim to check against the full text, by claim id."""
    facts = tables.evidence.set_index("fact_id")
    claims = tables.claims.set_index("claim_id")
    to_read = tables.to_read.set_index("fact_id")
    log = audit.SearchLog(tables.searches)
    found = []
    for r in results[to_check(results)].sort_values("claim_id").itertuples():
        fact = facts.loc[r.fact_id].to_dict() | {"fact_id": r.fact_id}
        row = to_read.loc[r.fact_id].to_dict() if r.fact_id in to_read.index else None
        found.append(Entry(
            claim_id=r.claim_id,
            source=_source(fact),
            address=address(fact["ref"]),
            where=_where(fact, row),
            what_to_check=_what(claims.loc[r.claim_id].to_dict(), r.reported),
            searches=log.of(r.claim_id, r.fact_id),
            erratum=erratum_link(r.claim_id),
        ))
    return found


# --- renderers -------------------------------------------------------------------------------------


def _search_words(s) -> str:
    from .audit_page import OUTCOME_WORDS

    return f"{s.searched}, {s.corpus}: {s.query} ({OUTCOME_WORDS[s.outcome]})"


def searches_text(searches: pd.DataFrame) -> str:
    """'3 searches: 3 not found | 2026-11-30, stored public pages: … (not found) | …'."""
    from .audit_page import search_summary

    if searches.empty:
        return "no search recorded"
    return " | ".join([search_summary(searches), *(_search_words(s) for s in searches.itertuples())])


def source_text(e: Entry) -> str:
    return f"{e.source} {e.address or NO_ADDRESS}"


def frame(items: list[Entry]) -> pd.DataFrame:
    return pd.DataFrame([{"claim_id": e.claim_id, "source": source_text(e), "where": e.where,
                          "what_to_check": e.what_to_check, "searches": searches_text(e.searches),
                          "erratum": e.erratum} for e in items], columns=COLUMNS)


def render(results: pd.DataFrame, tables: Tables) -> str:
    """The worklist as CSV, exactly as `python -m cnsaudit worklist` prints it (the book offers the same)."""
    return frame(entries(results, tables)).to_csv(index=False, lineterminator="\n")


def write_download(results: pd.DataFrame, tables: Tables, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DOWNLOAD
    path.write_text(render(results, tables), encoding="utf-8")
    return path


AUDIT_PAGE = "audit.html"  # the claims audit, beside the worklist page: each claim's row there


class WorklistTable:
    """The worklist on its page: a row per claim (cards on a phone), and a long table in the PDF."""

    def __init__(self, results: pd.DataFrame, tables: Tables):
        self.items = entries(results, tables)

    def _repr_html_(self) -> str:
        from .audit_page import anchor, search_summary

        if not self.items:
            return "<p>No claim rests on a figure that was not read.</p>"
        parts = ['<table class="dataframe audit-worklist"><thead><tr><th>claim</th><th>source</th>'
                 "<th>where to read</th><th>what to check</th><th>searches made</th><th>report</th>"
                 "</tr></thead><tbody>"]
        for e in self.items:
            cid = html.escape(e.claim_id)
            # The reference is the link (the CSV and the PDF spell the address out).
            source = (f'<a href="{html.escape(e.address)}">{html.escape(e.source)}</a>' if e.address
                      else f"{html.escape(e.source)} {html.escape(NO_ADDRESS)}")
            made = (f'<a href="searches.html#searches-{cid}">{html.escape(search_summary(e.searches))}</a>'
                    if not e.searches.empty else "no search recorded")
            row = f'<a href="{AUDIT_PAGE}#{anchor(e.claim_id)}">{cid}</a>'
            parts.append(
                f'<tr id="worklist-{cid}"><td data-label="claim">{row}</td>'
                f'<td data-label="source">{source}</td><td data-label="where to read">{html.escape(e.where)}</td>'
                f'<td data-label="what to check">{html.escape(e.what_to_check)}</td>'
                f'<td data-label="searches made">{made}</td>'
                f'<td data-label="report"><a href="{html.escape(e.erratum)}">report a reading</a></td></tr>')
        parts.append("</tbody></table>")
        return "\n".join(parts)

    def latex(self, caption: str | None = None, label: str | None = None) -> str:
        from .audit_page import anchor, search_summary
        from .latex_output import escape, longtable

        if not self.items:
            return "No claim rests on a figure that was not read.\n"
        body = pd.DataFrame([{"claim": e.claim_id, "source": source_text(e), "where to read": e.where,
                              "what to check": e.what_to_check,
                              "searches made": search_summary(e.searches) if not e.searches.empty
                              else "no search recorded"} for e in self.items])
        body = body.map(escape)
        # The claim id leads to its row in the claims audit, as on the web.
        body["claim"] = [rf"\hyperref[\detokenize{{chapters/audit:{anchor(e.claim_id)}}}]{{{escape(e.claim_id)}}}"
                         for e in self.items]
        return longtable(body, r"p{0.07\linewidth}p{0.27\linewidth}p{0.22\linewidth}"
                         r"p{0.26\linewidth}p{0.1\linewidth}", caption=caption, label=label, size="scriptsize")

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .latex_output import LATEX_MIME

        return {"text/html": self._repr_html_(), LATEX_MIME: self.latex(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return f"{len(self.items)} claims to check against the full text: " + ", ".join(e.claim_id for e in self.items)


def worklist_html(results: pd.DataFrame, tables: Tables) -> WorklistTable:
    return WorklistTable(results, tables)
