"""Raw LaTeX outputs for the PDF edition: a myst-nb mime renderer plugin.

myst-nb renders a ``text/latex`` output as display maths, which cannot hold a table. Objects that
carry a real LaTeX form (the claim tables) offer it under ``LATEX_MIME`` instead; this plugin,
registered under the ``myst_nb.mime_renderers`` entry point in pyproject.toml, passes it to the
LaTeX builder as raw LaTeX and is never chosen by the HTML builder.
"""

from __future__ import annotations

from docutils import nodes

LATEX_MIME = "text/x-cnsaudit-latex"


class RawLatexRenderer:
    mime_priority_overrides = [("latex", LATEX_MIME, 5)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != LATEX_MIME:
            return None
        return [nodes.raw(text=data.string, format="latex", classes=["output", "latex_table"])]
