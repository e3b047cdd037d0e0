"""The claims audit as a page: every claim under its verdict and guide, with a citable anchor.

The HTML is built here, escaped, so that markup in a claim can never reach the page as markup,
and so that each claim has the stable anchor ``#claim-<id>`` readers can cite.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ..engine import audit
from . import citation
from ..engine.audit import VERDICTS
from .claim_table import ClaimTable
from ..engine.short_cite import short_citations
from .latex_output import escape, longtable
from .exports import render
from ..engine.data import Tables

# Strongest first, as a reader scanning for problems wants them.
VERDICT_ORDER = list(reversed(VERDICTS))
AUDIT_SECTION = "audit"  # the label of each chapter's full audit table, e.g. (ent-audit)=
CHAPTER_PREFIX = {"chapters/entrectinib": "ent", "chapters/alectinib": "alc",
                  "chapters/larotrectinib": "lar", "chapters/ntrk-resistance": "res"}


def anchor(claim_id: str) -> str:
    return f"claim-{claim_id}"


def chapter_link(tables: Tables, guide: str, from_dir: str = "chapters") -> str:
    """Relative link from the audit page to the chapter section where the claim is recomputed."""
    chapter = tables.guides.set_index("guide").loc[guide, "chapter"]
    page = Path(chapter).name + ".html"
    target = page if Path(chapter).parent.as_posix() == from_dir else f"../{chapter}.html"
    # A chapter scaffolded by `new-guide` labels its table (<name>-audit)=.
    prefix = CHAPTER_PREFIX.get(chapter, Path(chapter).name)
    return f"{target}#{prefix}-{AUDIT_SECTION}"


class ClaimsByGuide:
    """The claims with one verdict, a heading and a claim table per guide; each row is the claim's
    citable target (``claim-<id>``) and offers its citation."""

    def __init__(self, results: pd.DataFrame, tables: Tables, verdict: str):
        self.parts = []
        self.verdict = verdict
        topics = tables.guides.set_index("guide")["topic"]
        rows = results[results["verdict"] == verdict]
        for guide, group in rows.groupby("guide", sort=True):
            self.parts.append((topics[guide], chapter_link(tables, guide),
                               ClaimTable(group, anchors=True, cite=True,
                                          chapter=chapter_link(tables, guide).split("#")[0]),
                               group_anchor(tables, guide, verdict)))

    def _repr_html_(self) -> str:
        if not self.parts:
            return "<p>No claim has this verdict.</p>"
        return "\n".join(f'<div class="audit-group" id="{ident}" data-guide="{html.escape(topic, quote=True)}">'
                         f'<p><strong>{html.escape(topic)}</strong> '
                         f'(<a href="{html.escape(link)}">recomputed in its chapter</a>)</p>'
                         f"{table._repr_html_()}</div>" for topic, link, table, ident in self.parts)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .latex_output import LATEX_MIME

        return {"text/html": self._repr_html_(), LATEX_MIME: self.latex(), "text/plain": repr(self)}

    def latex(self) -> str:
        if not self.parts:
            return "No claim has this verdict.\n"
        return "\n".join(f"\\paragraph{{{_latex_text(topic)}}}\n{table.latex()}"
                         for topic, link, table, _ in self.parts)

    def __repr__(self) -> str:
        return "\n\n".join(f"{topic}\n{table!r}" for topic, _, table, _ in self.parts) or "No claim has this verdict."


def group_anchor(tables: Tables, guide: str, verdict: str) -> str:
    """The anchor of a guide's claims under a verdict, e.g. 'audit-contradicted-lar'."""
    chapter = tables.guides.set_index("guide").loc[guide, "chapter"]
    return f"audit-{verdict}-{CHAPTER_PREFIX.get(chapter, Path(chapter).name)}"


class AuditIndex:
    """Claims per guide and verdict, each count a link to that guide's claims under that verdict;
    the filter of _static/cnsaudit-audit.js is drawn above it."""

    def __init__(self, results: pd.DataFrame, tables: Tables):
        topics = tables.guides.set_index("guide")["topic"]
        self.rows = []
        for guide, group in results.groupby("guide", sort=True):
            counts = group["verdict"].value_counts()
            self.rows.append((topics[guide], [(v, int(counts.get(v, 0)), group_anchor(tables, guide, v))
                                              for v in VERDICT_ORDER], len(group)))

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{v}</th>" for v in VERDICT_ORDER)
        body = []
        for topic, cells, total in self.rows:
            counts = "".join(f'<td data-label="{v}">' + (f'<a href="#{a}">{n}</a>' if n else "0") + "</td>"
                             for v, n, a in cells)
            body.append(f'<tr><th data-label="guide">{html.escape(topic)}</th>{counts}'
                        f'<td data-label="all claims">{total}</td></tr>')
        return (f'<table class="audit-index"><thead><tr><th>guide</th>{head}<th>all claims</th></tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table>')

    def latex(self, caption: str | None = None, label: str | None = None) -> str:
        frame = pd.DataFrame([[topic, *[n for _, n, _ in cells], total] for topic, cells, total in self.rows],
                             columns=["guide", *VERDICT_ORDER, "all claims"])
        width = 0.62 / (len(VERDICT_ORDER) + 1)
        return longtable(frame.astype(str).map(escape),
                         r"p{0.3\linewidth}" + "".join(rf"p{{{width:.3f}\linewidth}}" for _ in frame.columns[1:]),
                         caption=escape(caption) if caption else None, label=label)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .latex_output import LATEX_MIME

        return {"text/html": self._repr_html_(), LATEX_MIME: self.latex(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return "\n".join(f"{topic}: " + ", ".join(f"{n} {v}" for v, n, _ in cells) + f" ({total} claims)"
                          for topic, cells, total in self.rows)


def audit_index(results: pd.DataFrame, tables: Tables) -> AuditIndex:
    """The audit page's index: claims per guide and verdict, each count linking to its claims."""
    return AuditIndex(results, tables)


def claims_html(results: pd.DataFrame, tables: Tables, verdict: str) -> ClaimsByGuide:
    """The claims with this verdict, per guide (HTML in the book, a longtable in the PDF)."""
    return ClaimsByGuide(results, tables, verdict)


def _latex_text(text: str) -> str:
    return escape(text)


def claim_citation(claim_id: str) -> str:
    """BibTeX for one claim: its absolute address under the published book, the version and the
    DOI once CITATION.cff has one."""
    import yaml
    from importlib.metadata import version

    from ..engine.data import ROOT

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    base = (config.get("html", {}).get("baseurl") or "").rstrip("/")
    return citation.claim_bibtex(claim_id, version("cnsaudit"), f"{base}/" if base else "",
                                 citation.concept_doi())


def write_downloads(results: pd.DataFrame, folder: Path) -> dict[str, Path]:
    """Write the audit as CSV and JSON exactly as `python -m cnsaudit audit` prints them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for fmt in ("csv", "json"):
        path = folder / f"cnsaudit-audit.{fmt}"
        path.write_text(render(results, fmt), encoding="utf-8")
        paths[fmt] = path
    return paths


def read_status_counts(results: pd.DataFrame) -> pd.DataFrame:
    """How many unverified claims rest on each case of what was read (status of their evidence)."""
    from ..engine.schema import STATUS_MEANING

    rows = results[results["verdict"] == "unverified"]
    counts = rows["status"].value_counts()
    return pd.DataFrame(
        [{"what was read": STATUS_MEANING[s], "unverified claims": int(counts[s])}
         for s in STATUS_MEANING if s in counts.index]
    ).set_index("what was read")


def coverage_table(tables: Tables) -> pd.DataFrame:
    """Numbers per guide (cnsaudit.engine.coverage), each guide named by its topic, not its file."""
    from ..engine import coverage

    counts = coverage.per_guide(tables.number_claims, tables.exclusions)
    counts.index = counts.index.map(tables.guides.set_index("guide")["topic"])
    counts.index.name, counts.columns.name = "guide", None
    return counts


OUTCOME_WORDS = {"found": "found", "found-different": "found something different",
                 "abstract-only": "abstract only", "not-found": "not found"}


def search_summary(found: pd.DataFrame) -> str:
    """'12 searches: 2 abstract only, 10 not found', outcomes in the log's own order."""
    counts = found["outcome"].value_counts()
    parts = [f"{counts[o]} {OUTCOME_WORDS[o]}" for o in OUTCOME_WORDS if o in counts.index]
    return f"{len(found)} search{'es' if len(found) != 1 else ''}: {', '.join(parts)}"


def _searches_html(results: pd.DataFrame, tables: Tables) -> str:
    """For each unverified claim, what was read and how many searches were made with what outcome;
    each search (date, corpus, query, what came back, outcome) opens under it."""
    from ..engine.schema import STATUS_MEANING

    rows = results[results["verdict"] == "unverified"].sort_values("claim_id")
    if rows.empty:
        return "<p>No claim is unverified.</p>"
    log = audit.SearchLog(tables.searches)
    parts = ['<table class="dataframe audit-searches"><thead><tr><th>claim</th><th>what was read</th>'
             "<th>searches</th></tr></thead><tbody>"]
    for r in rows.itertuples():
        found = log.of(r.claim_id, r.fact_id)
        read = f"{STATUS_MEANING[r.status]} ({short_citations().get(r.ref, r.ref)})"
        # The log is a page of its own (chapters/searches): each claim links to its row in the audit.
        link = f'<a href="audit.html#{anchor(r.claim_id)}">{html.escape(r.claim_id)}</a>'
        head = (f'<tr id="searches-{html.escape(r.claim_id)}"><td data-label="claim">{link}</td>'
                f'<td data-label="what was read">{html.escape(read)}</td><td data-label="searches">')
        if found.empty:
            parts.append(f"{head}no search recorded</td></tr>")
            continue
        # Nearly a thousand searches: their cards take the labels from the style sheet by column
        # (_static/cnsaudit.css), not from an attribute on every cell, which kept the page over 1.2 MB.
        entries = "".join(f"<tr><td>{html.escape(s.searched)} ({html.escape(s.corpus)})</td>"
                          f"<td>{html.escape(s.query)}</td><td>{html.escape(s.returned)}</td>"
                          f"<td>{html.escape(OUTCOME_WORDS[s.outcome])}</td></tr>"
                          for s in found.itertuples())
        parts.append(f"{head}<details><summary>{html.escape(search_summary(found))}</summary>"
                     '<table class="search-log"><thead><tr><th>searched</th><th>query</th>'
                     f"<th>what came back</th><th>outcome</th></tr></thead><tbody>{entries}</tbody></table>"
                     "</details></td></tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def _searches_frame(results: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    from ..engine.schema import STATUS_MEANING

    rows, log = [], audit.SearchLog(tables.searches)
    for r in results[results["verdict"] == "unverified"].sort_values("claim_id").itertuples():
        found = log.of(r.claim_id, r.fact_id)
        read = f"{STATUS_MEANING[r.status]} ({short_citations().get(r.ref, r.ref)})"
        for s in found.itertuples() if not found.empty else [None]:
            rows.append({"claim": r.claim_id, "what was read": read,
                         "searched": f"{s.searched} ({s.corpus})" if s else "—",
                         "query": s.query if s else "no search recorded",
                         "what came back": s.returned if s else "—",
                         "outcome": OUTCOME_WORDS[s.outcome] if s else "—"})
    return pd.DataFrame(rows, columns=["claim", "what was read", "searched", "query", "what came back", "outcome"])


class SearchesTable:
    """Every search recorded for each unverified claim: HTML on the page, a long table in the PDF."""

    def __init__(self, results: pd.DataFrame, tables: Tables):
        self.html = _searches_html(results, tables)
        self.frame = _searches_frame(results, tables)

    def _repr_html_(self) -> str:
        return self.html

    def latex(self) -> str:
        if self.frame.empty:
            return "No claim is unverified.\n"
        return longtable(self.frame.map(escape),
                         r"p{0.08\linewidth}p{0.18\linewidth}p{0.12\linewidth}p{0.2\linewidth}"
                         r"p{0.26\linewidth}p{0.08\linewidth}", size="scriptsize")

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .latex_output import LATEX_MIME

        return {"text/html": self.html, LATEX_MIME: self.latex(), "text/plain": self.frame.to_string(index=False)}


def searches_html(results: pd.DataFrame, tables: Tables) -> SearchesTable:
    """For each unverified claim, what was read and every search recorded for it in
    data/searches.csv (date, corpus, query, what came back, outcome)."""
    return SearchesTable(results, tables)


class ClaimLinks:
    """A short list of claims, each linked to its row on this page, with its verdict: for a count the
    reader may want to open one by one without a second table of the same rows."""

    def __init__(self, rows: pd.DataFrame):
        self.rows = rows.sort_values("claim_id")[["claim_id", "verdict"]]

    def _repr_html_(self) -> str:
        items = [f'<a href="#{anchor(c)}">{html.escape(c)}</a> ({html.escape(v)})'
                 for c, v in self.rows.itertuples(index=False)]
        return '<p class="claim-links">' + ", ".join(items) + "</p>"

    def latex(self) -> str:
        return ", ".join(f"\\hyperref[\\detokenize{{chapters/audit:{anchor(c)}}}]{{{escape(c)}}} ({escape(v)})"
                         for c, v in self.rows.itertuples(index=False)) + "\n"

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .latex_output import LATEX_MIME

        return {"text/html": self._repr_html_(), LATEX_MIME: self.latex(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return ", ".join(f"{c} ({v})" for c, v in self.rows.itertuples(index=False))


def claim_links(rows: pd.DataFrame) -> ClaimLinks:
    return ClaimLinks(rows)
