"""Raw LaTeX outputs for the PDF edition: a myst-nb mime renderer plugin.

myst-nb renders a ``text/latex`` output as display maths, which cannot hold a table. Objects that
carry a real LaTeX form (the claim tables) offer it under ``LATEX_MIME`` instead; this plugin,
registered under the ``myst_nb.mime_renderers`` entry point in pyproject.toml, passes it to the
LaTeX builder as raw LaTeX and is never chosen by the HTML builder.
"""

from __future__ import annotations

import re
import unicodedata

from docutils import nodes

LATEX_MIME = "text/x-cnsaudit-latex"

_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
             "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


# Scripts the PDF's fonts do not have (pdflatex, Latin fonts): a run of them is named, not printed.
# The HTML edition shows the text itself (for example a query typed in Japanese).
_LETTERS = r"\u0400-\u04ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef"
_FOREIGN_RUN = re.compile(f"[{_LETTERS}]+(?:[\\s\u3000]+[{_LETTERS}]+)*")
_SCRIPT_NAMES = (("HIRAGANA", "Japanese"), ("KATAKANA", "Japanese"), ("CJK", "Chinese or Japanese"),
                 ("CYRILLIC", "Cyrillic"), ("HANGUL", "Korean"))


def _script_of(run: str) -> str:
    kinds = {label for ch in run for key, label in _SCRIPT_NAMES if unicodedata.name(ch, "").startswith(key)}
    if "Japanese" in kinds:
        kinds.discard("Chinese or Japanese")  # kana settle it
    return " and ".join(sorted(kinds)) or "another script"


def escape(text: str) -> str:
    """Text as LaTeX prints it literally (every special character escaped); a run of characters in a
    script the PDF cannot set becomes a note such as "[text in Japanese]"."""
    # Split on the runs, captured: the pieces alternate between Latin text and a foreign run.
    pieces = re.split(f"({_FOREIGN_RUN.pattern})", str(text).replace("\u2116", "No."))
    return "".join(f"[text in {_script_of(piece)}]" if i % 2 else "".join(_SPECIALS.get(ch, ch) for ch in piece)
                   for i, piece in enumerate(pieces))


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
