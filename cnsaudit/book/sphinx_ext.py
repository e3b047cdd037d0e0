"""Sphinx extension for the book: build stamps, citation blocks and the downloads folder.

- Every page's footer states the book version, the build date and the commit it was built from.
  The date is SOURCE_DATE_EPOCH's when set (reproducible builds), else today's (UTC).
- ``{cnsaudit-citation}`` renders BibTeX for the book, or for one claim with ``:claim: <id>``.
- Every claim row of the audit page is a Sphinx label, and every result table is numbered.

It wires up the jobs that live in modules of their own: executing the notebooks
(:mod:`cnsaudit.book.execution`: every notebook depends on `data/`, `references.bib` and the package, so
an incremental build after editing a table re-executes them) and the downloads folder
(:mod:`cnsaudit.book.downloads`).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from datetime import datetime, timezone

from docutils import nodes
from docutils.parsers.rst import Directive, directives

from . import citation
from .project import ROOT, book_notebooks, book_version, toc_docnames  # noqa: F401  (re-exported)
from .downloads import (  # noqa: F401  (re-exported)
    DOWNLOADS,
    SOURCE_ARCHIVE,
    DownloadsDirective,
    _on_finished,
    download_files,
    source_files,
    write_downloads,
)
from .execution import (  # noqa: F401  (re-exported)
    EXECUTION_CACHE,
    NotebookExecutionError,
    _execute_before_reading,
    _note_inputs,
    execute_cached,
    execute_notebook,
    execution_key,
    inputs,
)

TITLE = citation.TITLE


def build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.date().isoformat()


def commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out or "unknown"


def stamp() -> dict[str, str]:
    return {"version": book_version(), "date": build_date(), "commit": commit()}


def repository_file_url(config, path: str) -> str:
    """A file's page in the book's repository (repository.url and .branch in _config.yml)."""
    options = config.html_theme_options or {}
    return f"{options.get('repository_url', '').rstrip('/')}/blob/{options.get('repository_branch', 'main')}/{path}"


def repo_file_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{repo-file}`PATH``` links to PATH in the book's repository."""
    url = repository_file_url(inliner.document.settings.env.config, text)
    return [nodes.reference(rawtext, "", nodes.literal(text, text), refuri=url)], []


def licence_html(config) -> str:
    mit = html.escape(repository_file_url(config, "LICENSE"))
    cc = html.escape(repository_file_url(config, "LICENSE-CC-BY-4.0.txt"))
    return (f'Text and data: <a href="{cc}">CC BY 4.0</a>; code: <a href="{mit}">MIT</a>. '
            'Not prescribing guidance: this book audits published claims.')


def book_url(config) -> str:
    """The book's published address with a trailing slash ('' when none is configured).
    CNSAUDIT_BASEURL, set by the Pages workflow, wins over html.baseurl in _config.yml."""
    url = os.environ.get("CNSAUDIT_BASEURL") or getattr(config, "html_baseurl", "") or ""
    return url.rstrip("/") + "/" if url else ""


def _on_config(app, config) -> None:
    config.html_baseurl = book_url(config)
    # OpenGraph's og:url names the same published address as the canonical link and the citations.
    # Jupyter Book leaves Sphinx's `project` unset, so the site is named by the book's title.
    if hasattr(config, "ogp_site_url"):
        config.ogp_site_url = config.html_baseurl
        config.ogp_site_name = config.ogp_site_name or config.html_title
    s = stamp()
    footer = (f'<p class="cnsaudit-stamp">Version {html.escape(s["version"])} · built '
              f'{html.escape(s["date"])} from commit <code>{html.escape(s["commit"])}</code></p>'
              f'<p class="cnsaudit-licence">{licence_html(config)}</p>')
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = footer
    config.html_theme_options = options


def citation_bibtex(s: dict[str, str], claim: str | None = None, baseurl: str = "") -> str:
    """The book's or one claim's BibTeX for this build, with the DOI once CITATION.cff has one."""
    return citation.book_bibtex(s, claim, baseurl, citation.concept_doi())


class CitationDirective(Directive):
    option_spec = {"claim": directives.unchanged}

    def run(self):
        baseurl = book_url(self.state.document.settings.env.config)
        text = citation_bibtex(stamp(), self.options.get("claim"), baseurl)
        block = nodes.literal_block(text, text, language="bibtex")
        return [block]


class DoiDirective(Directive):
    """Where the book is archived: the DOI for all versions once CITATION.cff has one, else what
    happens at the first archived release."""

    def run(self):
        doi = citation.concept_doi()
        if doi is None:
            text = ("The book has no DOI yet. Each tagged release is deposited on Zenodo, which gives "
                    "the book one DOI for all its versions and one for each version; from the first "
                    "deposit on, that DOI stands here and in every citation on this site. Until then "
                    "a citation pins the book by its version and the commit it was built from.")
            return [nodes.paragraph(text, text)]
        url = citation.doi_url(doi)
        para = nodes.paragraph()
        para += nodes.Text("Each tagged release is deposited on Zenodo. The DOI ")
        para += nodes.reference(doi, doi, refuri=url)
        para += nodes.Text(" names the book in all its versions and opens the newest; the Zenodo record "
                           "lists each version with a DOI of its own, which pins one release exactly.")
        return [para]


# --- claims as Sphinx targets ---------------------------------------------------------------------

CLAIM_ROW = re.compile(r'<tr id="claim-([a-z0-9]+(?:-[a-z0-9]+)*)"')


def _register_claim_targets(app, doctree) -> None:
    """Every claim row of the audit page becomes a label ``claim-<id>``: {ref} reaches it from any
    page, a reference to a claim that does not exist fails the strict build (-n), and the PDF
    carries the same target (the claim table writes its \\label)."""
    from .claim_table import AUDIT_DOC

    env = app.env
    if env.docname != AUDIT_DOC:
        return
    std = env.get_domain("std")
    for node in doctree.findall(nodes.raw):
        for claim_id in CLAIM_ROW.findall(node.astext()):
            name = f"claim-{claim_id}"
            std.anonlabels[name] = (env.docname, name)
            std.labels[name] = (env.docname, name, f"claim {claim_id}")


# --- numbered result tables ------------------------------------------------------------------------


class numbered_table(nodes.General, nodes.Element):
    """A result table with a caption; Sphinx numbers it with the tables (see cnsaudit.book.numbered)."""


def _visit_numbered_html(self, node):
    self.body.append(self.starttag(node, "div", CLASS="cnsaudit-table"))


def _depart_numbered_html(self, node):
    self.body.append("</div>\n")


def _visit_numbered_latex(self, node):
    # The raw longtable inside writes its own \caption and \label; the caption node is for Sphinx.
    for child in list(node.children):
        if isinstance(child, nodes.caption):
            node.remove(child)


def _depart_numbered_latex(self, node):
    pass


def _wrap_numbered_tables(app, doctree) -> None:
    """Each output of cnsaudit.book.numbered becomes a ``numbered_table`` named ``tab-…``: numbered by
    numfig, reachable with {numref} (a misspelt name fails -n), labelled in the PDF.

    myst-nb keeps every form of an output (HTML, LaTeX, text) in one "mime bundle" until the
    builder picks one, so the bundle is what gets wrapped, once."""
    from .numbered import HTML_HEAD, LABEL, LATEX_HEAD

    env = app.env
    std = env.get_domain("std")
    bundles: dict[int, tuple] = {}
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        fmt = raw.get("format", "")
        m = HTML_HEAD.match(text) if "html" in fmt else LATEX_HEAD.match(text) if fmt == "latex" else None
        if not m:
            continue
        name = m.group("name")
        if fmt == "latex":
            label = rf"\label{{\detokenize{{{env.docname}:{name}}}}}"
            fixed = text.replace(rf"\label{{{LABEL}}}", label)
            raw = _replace(raw, nodes.raw(fixed, fixed, format="latex", classes=raw.get("classes", [])))
        bundle = raw
        while bundle.parent is not None and bundle.get("nb_element") != "mime_bundle":
            bundle = bundle.parent
        if bundle.parent is None:
            bundle = raw
        _, caption = bundles.get(id(bundle), (None, ""))
        if "html" in fmt:
            caption = html.unescape(m.group("caption"))
        bundles[id(bundle)] = (bundle, caption)
        bundle["cnsaudit_table"] = name
    for bundle, caption in bundles.values():
        name = bundle["cnsaudit_table"]
        if name in std.labels and std.labels[name][0] != env.docname:
            from sphinx.util import logging

            logging.getLogger(__name__).warning(f"table name {name} is also used in {std.labels[name][0]}",
                                                location=bundle)
        table = numbered_table(ids=[name])
        table += nodes.caption(caption, caption)
        bundle.replace_self(table)
        table += bundle
        doctree.ids[name] = table  # where {numref} finds the node it numbers
        std.anonlabels[name] = (env.docname, name)
        std.labels[name] = (env.docname, name, caption)


def _replace(old, new):
    old.replace_self(new)
    return new


def setup(app):
    app.add_enumerable_node(numbered_table, "table",
                            html=(_visit_numbered_html, _depart_numbered_html),
                            latex=(_visit_numbered_latex, _depart_numbered_latex))
    app.connect("doctree-read", _wrap_numbered_tables)
    app.connect("doctree-read", _register_claim_targets)
    from .bibstyle import register

    register()  # the bibliography style `cnsaudit` named in _config.yml
    app.add_config_value("cnsaudit_execute", True, "env")
    app.connect("env-before-read-docs", _execute_before_reading)
    app.connect("config-inited", _on_config)
    app.connect("source-read", _note_inputs)
    app.connect("build-finished", _on_finished)
    app.add_directive("cnsaudit-citation", CitationDirective)
    app.add_directive("cnsaudit-doi", DoiDirective)
    app.add_role("repo-file", repo_file_role)
    app.add_directive("cnsaudit-downloads", DownloadsDirective)
    return {"version": book_version(), "parallel_read_safe": True, "parallel_write_safe": True}
