"""Raw LaTeX outputs for the PDF edition: a myst-nb mime renderer plugin.

myst-nb renders a ``text/latex`` output as display maths, which cannot hold a table. Objects that
carry a real LaTeX form (the claim tables) offer it under ``LATEX_MIME`` instead; this plugin,
registered under the ``myst_nb.mime_renderers`` entry point in pyproject.toml, passes it to the
LaTeX builder as raw LaTeX and is never chosen by the HTML builder.
"""

from __future__ import annotations

from docutils import nodes

LATEX_MIME = "text/x-cnsaudit-latex"

_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
             "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def escape(text: str) -> str:
    """Text as LaTeX prints it literally (every special character escaped)."""
    return "".join(_SPECIALS.get(ch, ch) for ch in str(text))


def longtable(body, column_format: str, caption: str | None = None, label: str | None = None,
              size: str = "small") -> str:
    """A DataFrame whose cells are already LaTeX as a longtable (pandas Styler), in a font size."""
    latex = body.style.hide(axis="index").to_latex(environment="longtable", hrules=True,
                                                   column_format=column_format, caption=caption, label=label)
    return f"{{\\{size}\n" + latex + "}\n"


class RawLatexRenderer:
    mime_priority_overrides = [("latex", LATEX_MIME, 5)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != LATEX_MIME:
            return None
        return [nodes.raw(text=data.string, format="latex", classes=["output", "latex_table"])]
