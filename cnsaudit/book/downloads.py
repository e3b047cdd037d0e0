"""The book's downloads: every data table, a Frictionless data package, the audit as CSV and JSON,
the worklist, the notebooks and a source archive, written into ``_build/html/downloads/`` at the
end of an HTML build; ``{cnsaudit-downloads}`` lists them."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive

from ..engine import audit
from . import datapackage, worklist
from .audit_page import write_downloads as write_audit
from .project import ROOT, book_notebooks, book_version
from ..engine.data import load

DOWNLOADS = "downloads"


def download_files() -> list[tuple[str, str]]:
    """(path under downloads/, description) for every file the downloads folder holds."""
    data = ROOT / "data"
    files = [("data/datapackage.json", "Frictionless data package describing every table")]
    files += [(f"data/{p.relative_to(data).as_posix()}", "table")
              for p in sorted(data.rglob("*.csv"))]
    files += [("cnsaudit-audit.csv", "the full audit, CSV"), ("cnsaudit-audit.json", "the full audit, JSON")]
    files += [(worklist.DOWNLOAD, "the worklist for readers with full-text access: for every claim whose "
                             "figure was not read, the source, where to read, what to check and the "
                             "searches made")]
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
