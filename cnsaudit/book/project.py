"""What the book is: its folder, its version and its table of contents, read by the Sphinx
extension, the downloads, the release checks and the scripts alike."""

from __future__ import annotations

from importlib.metadata import version as _version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def book_version() -> str:
    return _version("cnsaudit")


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
