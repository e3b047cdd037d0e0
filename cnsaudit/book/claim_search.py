"""Search results that land on a claim's row.

Sphinx's search finds a page by its words, and an index entry by its text with the entry's own
anchor. Each claim row of the audit page gets an index entry named by the claim's id, so that
searching for "lar-46" opens ``chapters/audit.html#claim-lar-46`` rather than the top of a long
page. Only in the HTML build: the PDF's index is its own.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from .sphinx_ext import CLAIM_ROW


def _claim_entries(app, doctree) -> None:
    from .claim_table import AUDIT_DOC

    if app.env.docname != AUDIT_DOC or app.builder.format != "html":
        return
    ids = [claim_id for node in doctree.findall(nodes.raw) if "html" in node.get("format", "")
           for claim_id in CLAIM_ROW.findall(node.astext())]
    doctree += addnodes.index(entries=[("single", claim_id, f"claim-{claim_id}", "", None)
                                       for claim_id in dict.fromkeys(ids)])


def setup(app):
    app.connect("doctree-read", _claim_entries)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
