"""Measurements of the built PDF edition, read from its LaTeX, its log, its .aux and its text, and
of the web edition's numbers: what tests/test_pdf.py asserts and what a change is measured by."""

from __future__ import annotations

import html
import re
from pathlib import Path

_INPUT = re.compile(r"\\begin\{sphinxuseclass\}\{cell_input\}(.*?)\\end\{sphinxuseclass\}", re.S)
_OUTPUT = re.compile(r"\\begin\{sphinxuseclass\}\{cell_output\}(.*?)\\end\{sphinxuseclass\}", re.S)
_VERBATIM = re.compile(r"\\begin\{sphinxVerbatim\}(?:\[[^\]]*\])?\n(.*?)\\end\{sphinxVerbatim\}", re.S)
_OVERFULL = re.compile(r"^Overfull \\hbox \((?P<pt>[\d.]+)pt too wide\)", re.M)
_AUX_LABEL = re.compile(r"\\newlabel\{(?P<doc>[^{}:]+):(?P<name>(?:tab|fig)-[^{}]+)\}\{\{(?P<number>[^{}]*)\}")
_HTML_NUMBERED = re.compile(r'id="(?P<name>(?:tab|fig)-[a-z0-9-]+)".*?<span class="caption-number">'
                            r"(?:Table|Fig\.)\s*(?P<number>[\d.]+)", re.S)
# Sphinx marks a code line it had to wrap with a hooked arrow; pdftotext reads it as "˓→".
WRAP_MARK = "˓→"


def code_listings(tex: str) -> tuple[int, int]:
    """How many code cells print their source, and in how many lines."""
    blocks = [b for b in _INPUT.findall(tex)]
    lines = sum(len(v.strip("\n").splitlines()) for b in blocks for v in _VERBATIM.findall(b))
    return len(blocks), lines


def text_dumps(tex: str) -> int:
    """Outputs printed as plain, unhighlighted text (a table's text/plain fallback among them)."""
    return sum(1 for out in _OUTPUT.findall(tex) for v in _VERBATIM.findall(out) if r"\PYG{" not in v)


def overfull_boxes(log: str) -> list[float]:
    """How far each overfull line of the LaTeX log runs past its box, in points."""
    return [float(m.group("pt")) for m in _OVERFULL.finditer(log)]


def pdf_numbers(aux: str) -> dict[str, str]:
    """The number LaTeX printed for each named table and figure (tab-…, fig-…), from the .aux."""
    return {m.group("name"): m.group("number") for m in _AUX_LABEL.finditer(aux)}


def html_numbers(html_dir: Path) -> dict[str, str]:
    """The number the web edition shows for each named table and figure."""
    found = {}
    for page in sorted(html_dir.rglob("*.html")):
        for m in _HTML_NUMBERED.finditer(page.read_text(encoding="utf-8")):
            # the caption's number follows its own element, before any other named element
            if 'id="tab-' not in m.group(0)[5:] and 'id="fig-' not in m.group(0)[5:]:
                found[m.group("name")] = html.unescape(m.group("number"))
    return found


def measure(latex_dir: Path, text: str | None = None, html_dir: Path | None = None) -> dict:
    """Every measurement of one build, for a report: code, dumps, overfull boxes, wrap marks,
    numbering agreement."""
    stem = next(p.stem for p in sorted(latex_dir.glob("*.tex")) if p.with_suffix(".log").is_file())
    tex = (latex_dir / f"{stem}.tex").read_text(encoding="utf-8")
    log = (latex_dir / f"{stem}.log").read_text(encoding="latin-1")
    cells, lines = code_listings(tex)
    boxes = overfull_boxes(log)
    out = {"code cells": cells, "code lines": lines, "plain-text outputs": text_dumps(tex),
           "overfull boxes": len(boxes), "overfull over 5 pt": sum(b > 5 for b in boxes),
           "widest overfull (pt)": max(boxes, default=0.0)}
    if text is not None:
        out["wrap marks"] = text.count(WRAP_MARK)
    if html_dir is not None:
        web, pdf = html_numbers(html_dir), pdf_numbers((latex_dir / f"{stem}.aux").read_text(encoding="latin-1"))
        out["numbered on the web"] = len(web)
        out["same number in the PDF"] = sum(pdf.get(k) == v for k, v in web.items())
    return out


if __name__ == "__main__":  # python -m cnsaudit.tools.pdf_check _build/latex [_build/html]
    import subprocess
    import sys

    latex = Path(sys.argv[1])
    pdf = next(p for p in sorted(latex.glob("*.pdf")) if p.with_suffix(".tex").is_file())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for key, value in measure(latex, text, Path(sys.argv[2]) if len(sys.argv) > 2 else None).items():
        print(f"{key}: {value}")
