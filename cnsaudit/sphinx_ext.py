"""Sphinx extension for the book: build stamps, citation blocks and the downloads folder.

- Every page's footer states the book version, the build date and the commit it was built from.
  The date is SOURCE_DATE_EPOCH's when set (reproducible builds), else today's (UTC).
- ``{cnsaudit-citation}`` renders BibTeX for the book, or for one claim with ``:claim: <id>``.
- Every notebook depends on `data/`, `references.bib` and the package, so an incremental build
  after editing a table re-executes the notebooks instead of showing stale numbers.
- ``{cnsaudit-downloads}`` lists every file copied into ``_build/html/downloads/``: each data
  table, a Frictionless ``datapackage.json`` generated from the schemas, the full audit as CSV and
  JSON (exactly what ``python -m cnsaudit audit`` prints), the worklist (exactly what
  ``python -m cnsaudit worklist`` prints) and the source notebooks.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib.metadata import version as _version
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive, directives

from . import citation

ROOT = Path(__file__).resolve().parent.parent
DOWNLOADS = "downloads"
TITLE = citation.TITLE


def book_version() -> str:
    return _version("cnsaudit")


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


def download_files() -> list[tuple[str, str]]:
    """(path under downloads/, description) for every file the downloads folder holds."""
    from .worklist import DOWNLOAD as worklist_csv

    data = ROOT / "data"
    files = [("data/datapackage.json", "Frictionless data package describing every table")]
    files += [(f"data/{p.relative_to(data).as_posix()}", "table")
              for p in sorted(data.rglob("*.csv"))]
    files += [("cnsaudit-audit.csv", "the full audit, CSV"), ("cnsaudit-audit.json", "the full audit, JSON")]
    files += [(worklist_csv, "the worklist for readers with full-text access: for every unverified "
                             "claim, the source, where to read, what to check and the searches made")]
    files += [(f"notebooks/{p.relative_to(ROOT).as_posix()}", "notebook")
              for p in book_notebooks()]
    files += [(SOURCE_ARCHIVE, "source archive: the package, data/, references.bib, requirements, "
                               "scripts, tests and every notebook; rerun any chapter from it")]
    return files


# --- the source archive --------------------------------------------------------------------------

SOURCE_ARCHIVE = "cnsaudit-book-source.zip"
# What is not source: environments, build output, caches and test artefacts (as in .gitignore).
# A test checks that the archive holds exactly the files git tracks.
_NOT_SOURCE_DIRS = {".git", ".venv", "_build", "__pycache__", ".ipynb_checkpoints", ".pytest_cache",
                    ".hypothesis", ".jupyter_cache", ".ruff_cache"}
_NOT_SOURCE_PATHS = {"tests/artifacts", "chapters/downloads"}


def source_files(root: Path = ROOT) -> list[Path]:
    """Every source file of the book, relative to `root`, in a stable order."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath).relative_to(root)
        dirnames[:] = sorted(d for d in dirnames if d not in _NOT_SOURCE_DIRS and not d.endswith(".egg-info")
                             and (here / d).as_posix() not in _NOT_SOURCE_PATHS)
        # In a git worktree `.git` is a file naming the repository, not a folder.
        found += [here / f for f in filenames if f not in _NOT_SOURCE_DIRS]
    return sorted(found, key=lambda p: p.as_posix())


def write_source_archive(target: Path, root: Path = ROOT) -> None:
    """A zip of the sources under one folder named for the version. Entries carry a fixed date and
    plain permissions, so the same sources always give the same bytes."""
    import zipfile

    top = f"cnsaudit-book-{book_version()}"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rel in source_files(root):
            path = root / rel
            info = zipfile.ZipInfo(f"{top}/{rel.as_posix()}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if os.access(path, os.X_OK) else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def toc_docnames(root: Path = ROOT) -> list[str]:
    """Every document of the table of contents in reading order, nested `sections:` included.

    sphinx_external_toc's own parser reads _toc.yml, so the book and this list never disagree on
    what the toc holds (URL and glob entries are not documents and are left out)."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(root / "_toc.yml")
    names: list[str] = []

    def walk(docname: str) -> None:
        names.append(docname)
        for tree in site_map[docname].subtrees:
            for item in tree.items:
                if isinstance(item, str):
                    walk(item)

    walk(site_map.root.docname)
    return names


def book_notebooks(root: Path = ROOT) -> list[Path]:
    """The notebook of every toc document that is one, in reading order."""
    return [root / f"{n}.ipynb" for n in toc_docnames(root) if (root / f"{n}.ipynb").exists()]


class DownloadsDirective(Directive):
    def run(self):
        items = nodes.bullet_list()
        for path, what in download_files():
            ref = nodes.reference("", path, refuri=f"{DOWNLOADS}/{path}")
            para = nodes.paragraph("", "", ref, nodes.Text(f" ({what})"))
            items += nodes.list_item("", para)
        return [items]


def write_downloads(outdir: Path) -> None:
    """Fill outdir/downloads/ with the files the downloads page lists."""
    from . import audit, datapackage, worklist
    from .audit_page import write_downloads as write_audit
    from .data import load

    target = outdir / DOWNLOADS
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "data", target / "data")
    datapackage.write(target / "data")
    tables = load()
    results = audit.run_for_readers(tables)
    write_audit(results, target)
    worklist.write_download(results, tables, target)
    for nb in book_notebooks():
        dest = target / "notebooks" / nb.relative_to(ROOT)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(nb, dest)
    write_source_archive(target / SOURCE_ARCHIVE)


def _inputs_digest() -> str:
    # Every source file, not only the notebooks' inputs: the source archive holds them all.
    digest = hashlib.sha256()
    for rel in source_files():
        digest.update(rel.as_posix().encode())
        digest.update((ROOT / rel).read_bytes())
    return digest.hexdigest()


def _on_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    # Rewriting the downloads imports pandas and reruns the audit; skip it when nothing it is made
    # from has changed, so a no-change rebuild stays fast.
    marker = Path(app.doctreedir) / "cnsaudit-downloads.sha256"
    digest = _inputs_digest()
    target = Path(app.outdir) / DOWNLOADS
    if target.is_dir() and marker.is_file() and marker.read_text() == digest:
        return
    write_downloads(Path(app.outdir))
    marker.write_text(digest)


def inputs(root: Path = ROOT) -> list[Path]:
    """Everything a notebook's numbers are computed from: the tables, the bibliography and the
    package itself."""
    files = sorted((root / "data").rglob("*.csv")) + [root / "data" / "guides.csv", root / "references.bib"]
    files += sorted((root / "cnsaudit").glob("*.py"))
    return sorted(set(files))


def _note_inputs(app, docname, source) -> None:
    # Sphinx re-reads only documents whose own source changed; without these dependencies,
    # editing a CSV would leave every page showing the old numbers.
    if Path(app.env.doc2path(docname)).suffix == ".ipynb":
        for path in inputs():
            app.env.note_dependency(str(path))
        executed = _EXECUTED.get(docname)
        if executed is not None:
            source[0] = executed


# --- executing the notebooks, concurrently ------------------------------------------------------
#
# myst-nb executes notebooks one after another. Every notebook Sphinx is about to read is executed
# here instead, one kernel per core, before reading starts; myst-nb (execution mode "off") then
# renders the fresh outputs. A failing cell stops the build with the cell's error.

_EXECUTED: dict[str, str] = {}


class NotebookExecutionError(Exception):
    pass


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def execute_notebook(path: Path, timeout: int = 300) -> str:
    """Run a notebook top to bottom in a fresh kernel from its own folder; return its JSON."""
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    # IPC transport: the kernel talks over Unix sockets in a private folder, not over TCP, so it
    # neither opens ports nor prints ipykernel's "running over TCP without encryption" warning.
    # Each kernel gets its own folder: kernels started at once never race for a socket name.
    with tempfile.TemporaryDirectory(prefix="cnsaudit-kernel-") as sockets:
        # The async manager nbclient expects: with a blocking KernelManager nbclient never notices
        # that a cell has outrun its timeout (measured: a 2 s timeout let an 8 s cell finish).
        km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel"))
        client = NotebookClient(nb, km=km, timeout=timeout, record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute(cleanup_kc=True)  # nbclient leaves a kernel it did not start running
        except CellExecutionError as exc:
            raise NotebookExecutionError(f"{_shown(path)}: a cell failed:\n{exc}") from None
        except CellTimeoutError:
            # The cell is still running: stop its kernel and close its channels, or both outlive
            # the build.
            from jupyter_core.utils import run_sync

            if client.kc is not None:
                client.kc.stop_channels()
            run_sync(km.shutdown_kernel)(now=True)
            raise NotebookExecutionError(f"{_shown(path)}: a cell ran longer than the execution "
                                         f"timeout ({timeout} s, `execute: timeout` in _config.yml)") from None
    return nbformat.writes(nb)


# --- an execution cache, for the test suite only ----------------------------------------------------
#
# A reader's build always executes every notebook. The test suite builds the same book several
# times (HTML, PDF, a second build for determinism) and sets CNSAUDIT_EXECUTION_CACHE to one folder
# for all of them: a notebook is then executed once per content of everything it is computed from
# (its code, every table in force, the bibliography and the package, the interpreter), and every
# later build of the same inputs renders that execution. Editing any input changes the key, so the
# cache can never show numbers older than the data.

EXECUTION_CACHE = "CNSAUDIT_EXECUTION_CACHE"


def execution_key(path: Path, root: Path = ROOT) -> str:
    import nbformat

    from . import data

    digest = hashlib.sha256(sys.version.encode())
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(b"\0cell\0" + cell.source.encode())
    tables = data.data_dir()
    files = sorted(tables.rglob("*.csv")) + [data.bib_file()]
    files += sorted((root / "cnsaudit").glob("*.py"))
    for file in files:
        name = file.relative_to(tables).as_posix() if file.is_relative_to(tables) else file.name
        digest.update(b"\0file\0" + name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def execute_cached(path: Path, timeout: int, root: Path = ROOT) -> tuple[str, bool]:
    """The executed notebook's JSON, and whether it came from the cache."""
    folder = os.environ.get(EXECUTION_CACHE)
    if not folder:
        return execute_notebook(path, timeout), False
    entry = Path(folder) / f"{path.stem}-{execution_key(path, root)}.ipynb"
    if entry.is_file():
        return entry.read_text(encoding="utf-8"), True
    executed = execute_notebook(path, timeout)
    entry.parent.mkdir(parents=True, exist_ok=True)
    partial = entry.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(executed, encoding="utf-8")
    partial.replace(entry)  # atomic: a build reading at the same moment sees all of it or none
    return executed, False


def _validate_data_first() -> None:
    """Stop before any kernel starts when a table is bad: the message names file, row and column."""
    from sphinx.errors import ExtensionError

    from .data import DataError, load_all

    try:
        load_all()
    except DataError as exc:
        raise ExtensionError(f"data/ is not valid, so no notebook is executed:\n{exc}") from None


def _execute_before_reading(app, env, docnames) -> None:
    from concurrent.futures import ThreadPoolExecutor

    if not app.config.cnsaudit_execute:
        return
    notebooks = [d for d in docnames if Path(env.doc2path(d)).suffix == ".ipynb"]
    if notebooks:
        _validate_data_first()
    workers = max(1, min(len(notebooks), int(os.environ.get("CNSAUDIT_KERNELS", 0)) or (os.cpu_count() or 1)))
    # `execute: timeout` in _config.yml, which Jupyter Book passes on as nb_execution_timeout.
    timeout = int(getattr(app.config, "nb_execution_timeout", 300))
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {d: pool.submit(execute_cached, Path(env.doc2path(d)), timeout, Path(app.srcdir))
                   for d in notebooks}
    failures, cached = [], 0
    for docname, future in futures.items():
        try:
            _EXECUTED[docname], hit = future.result()
            cached += hit
        except NotebookExecutionError as exc:
            failures.append(str(exc))
    if notebooks:
        # benchmarks/run.py reads this line to separate execution from Sphinx's own time.
        from sphinx.util import logging

        reused = f" ({cached} taken from {EXECUTION_CACHE})" if cached else ""
        logging.getLogger(__name__).info(f"cnsaudit: executed {len(notebooks)} notebooks with {workers} "
                                         f"kernels in {time.perf_counter() - start:.2f} s{reused}")
    if failures:
        from sphinx.errors import ExtensionError

        raise ExtensionError("notebook execution failed:\n" + "\n".join(failures))


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
    """A result table with a caption; Sphinx numbers it with the tables (see cnsaudit.numbered)."""


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
    """Each output of cnsaudit.numbered becomes a ``numbered_table`` named ``tab-…``: numbered by
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
