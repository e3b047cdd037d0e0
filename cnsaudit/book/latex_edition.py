"""The PDF edition's own rules: a Sphinx extension that acts on the LaTeX build only.

- No code: the web folds its code cells away (``hide-input``) or leaves them out (``remove-input``);
  print cannot fold, so the LaTeX build leaves every cell's source out. The outputs stay.
- Tables typeset: an output with no LaTeX form of its own (a pandas DataFrame or Styler) would fall
  back to its ``text/plain`` dump; its HTML table is set as a LaTeX ``longtable`` instead
  (:mod:`cnsaudit.book.latex_tables`).
- The web's numbers: LaTeX counts tables and figures itself (every ``longtable`` steps the table
  counter, captioned or not), so each numbered table and figure is given the number Sphinx gave it
  on the web (``numfig``, in the order of the table of contents).
- An index of claims: every claim row, in a chapter and on the audit page, indexes its claim id.
- A title page with the version, the build date and the commit.
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .latex_output import LATEX_MIME, escape
from .latex_tables import fit_tables, html_table_to_latex

ROOT = Path(__file__).resolve().parents[2]

# Output forms LaTeX sets as they are; a bundle holding one of them is left to myst-nb's choice.
_PRINTABLE = (LATEX_MIME, "text/latex", "image/png", "image/jpeg", "application/pdf", "text/markdown")
_COUNTERS = {"table": "table", "figure": "figure"}


def _is(node, element: str) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == element


def _with_docnames(node, docname: str):
    """Every element of the assembled book with the document it came from. Sphinx wraps each
    included document in a start_of_file node but sets its children without their parent links,
    so the document is found walking down, not up."""
    if isinstance(node, addnodes.start_of_file):
        docname = node["docname"]
    if isinstance(node, nodes.Element):
        yield node, docname
        for child in node.children:
            yield from _with_docnames(child, docname)


class PrintEdition(SphinxPostTransform):
    """Runs before myst-nb picks an output form for each bundle (its SelectMimeType, priority 4)."""

    default_priority = 3
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for source in list(self.document.findall(lambda n: _is(n, "cell_code_source"))):
            source.parent.remove(source)
        for bundle in list(self.document.findall(lambda n: _is(n, "mime_bundle"))):
            self._typeset(bundle)
        self._number()
        self._refit()

    @staticmethod
    def _typeset(bundle) -> None:
        forms = {child.get("mime_type"): child for child in bundle.children}
        if any(form in forms for form in _PRINTABLE) or "text/html" not in forms:
            return
        latex = html_table_to_latex(forms["text/html"].astext())
        if latex is not None:
            bundle.replace_self(nodes.raw(latex, latex, format="latex", classes=["output", "latex_table"]))

    def _number(self) -> None:
        """Put the web's number on each numbered table and figure before LaTeX captions it."""
        numbers = self.env.toc_fignumbers
        root = self.env.docname
        for node, docname in list(_with_docnames(self.document, root)):
            ids = node.get("ids") or []
            if not ids or not isinstance(node, (nodes.figure, nodes.table)) and node.tagname != "numbered_table":
                continue
            kind = "figure" if isinstance(node, nodes.figure) else "table"
            found = numbers.get(docname, {}).get(kind, {})
            number = next((found[i] for i in ids if i in found), None)
            if number is None:
                continue
            shown = ".".join(str(n) for n in number)
            # \the<counter> is what \caption prints and \label records for \ref; the counter itself
            # keeps stepping, so the PDF's link anchors stay distinct.
            mark = rf"\def\the{_COUNTERS[kind]}{{{shown}}}"
            node.parent.insert(node.parent.index(node), nodes.raw(mark, mark, format="latex"))

    def _refit(self) -> None:
        """Tables of the package's own LaTeX forms fitted to the line; claim rows indexed."""
        from .latex_index import index_claim_rows

        for raw in list(self.document.findall(nodes.raw)):
            if raw.get("format") != "latex":
                continue
            text = raw.astext()
            fitted = index_claim_rows(fit_tables(text))
            if fitted != text:
                raw.replace_self(nodes.raw(fitted, fitted, format="latex", classes=raw.get("classes", [])))


# --- the title page ----------------------------------------------------------------------------


def _version(root: Path) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cnsaudit")
    except PackageNotFoundError:  # an unpacked archive, not installed: the citation file says it
        found = re.search(r"^version:\s*['\"]?([^'\"\s]+)", (root / "CITATION.cff").read_text(), re.M)
        return found.group(1) if found else "unreleased"


def _commit(root: Path) -> str | None:
    """The commit the PDF is built from, or None outside a git checkout (a source archive)."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, check=True,
                             capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return out or None


def _build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return f"{moment.day} {moment:%B %Y}"


def title_stamp(root: Path = ROOT) -> dict[str, str]:
    """What the title page prints under the title: version, date, and the commit or its absence."""
    commit = _commit(root)
    return {"releasename": "Version", "release": _version(root), "date": _build_date(),
            "commit": f"commit {commit}" if commit else "built from a source archive (no git commit recorded)"}


def _title_page(app) -> None:
    if app.builder.format != "latex":
        return
    stamp = title_stamp(Path(app.srcdir))
    context = app.builder.context
    context["releasename"] = stamp["releasename"]
    # sphinxmanual's title page prints "\releasename\ \release" then \releaseinfo under the
    # title; the commit goes on a line of its own there.
    context["release"] = stamp["release"]
    context["date"] = stamp["date"]
    context["preamble"] = context.get("preamble", "") + (
        "\n\\setreleaseinfo{\\\\{\\large " + escape(stamp["commit"]) + "}}\n")


def setup(app):
    app.add_post_transform(PrintEdition)
    app.connect("builder-inited", _title_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
