"""The PDF edition builds with pdflatex and carries the book's chapters."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cnsaudit.latex_output import escape

from .conftest import ROOT

# What must never stand in the PDF's text or tables (code listings excepted): an object repr, a
# bare Python or pandas value as a table cell, a data file's name or an internal key in a table.
LATEX_REPR = re.compile(r"np\.(?:float|int|bool_)\w*\(|IPython\.core\.display|<[\w.]+ object at 0x")
LATEX_CELL = re.compile(r"(?:^|&)\s*(?:True|False|nan|NaN|None|NaT|<NA>)\s*(?=&|\\\\)", re.M)
TABLE = re.compile(r"\\begin\{(longtable|tabular|tabulary)\*?\}.*?\\end\{\1\*?\}", re.S)
IN_TABLE = re.compile(r"[\w/-]+\.(?:csv|json|ipynb)\b|\b(?:red\d-)?(?:ge|lt)1\b|\b(?:fact|claim|search)\\?_id\b"
                      r"|\b[a-z]+(?:19|20)\d\d[a-z]+\b")


def latex_artefacts(tex: str) -> list[str]:
    """Raw artefacts in the LaTeX of the book, code listings left out."""
    body = re.sub(r"\\begin\{sphinxVerbatim\}.*?\\end\{sphinxVerbatim\}", " ", tex, flags=re.S)
    found = [m.group(0) for m in LATEX_REPR.finditer(body)] + [m.group(0).strip() for m in LATEX_CELL.finditer(body)]
    for table in TABLE.finditer(body):
        found += [m.group(0) for m in IN_TABLE.finditer(table.group(0))]
    return found


def test_the_latex_artefact_scan_finds_what_it_should():
    assert latex_artefacts(r"the rate is np.float64(66.9)\%") == ["np.float64("]
    assert latex_artefacts("\\begin{longtable}{ll}\na & True \\\\\nnan & b \\\\\n\\end{longtable}") == ["& True", "nan"]
    table = "\\begin{longtable}{l}\n2 searches in data/searches.csv; red1-ge1; drilon2022lung \\\\\n\\end{longtable}"
    assert latex_artefacts(table) == ["data/searches.csv", "red1-ge1", "drilon2022lung"]
    code = "\\begin{sphinxVerbatim}x = np.float64(1)\\end{sphinxVerbatim}"
    assert latex_artefacts(code) == []
    # prose may name a file (where a reader finds the data); a table cell may not
    assert latex_artefacts("computed from data/claims/x.csv") == []


@pytest.mark.slow
def test_pdf_edition_builds(built_root, tmp_path):
    if shutil.which("latexmk") is None:
        pytest.fail("TeX Live is not installed (scripts/setup.sh installs it with CNSAUDIT_PDF=1)")
    # From a copy of the shared strict build: its doctrees already hold every notebook executed
    # afresh, so the LaTeX builder re-reads only pages whose inputs changed since (the audit page,
    # when nbval has rewritten its downloads); measured 25 s instead of a second full build.
    shutil.copytree(built_root / "_build", tmp_path / "_build")
    jb = Path(sys.executable).parent / "jupyter-book"
    # pdflatex echoes parts of its log in the document's 8-bit font encoding, not UTF-8.
    proc = subprocess.run([str(jb), "build", str(ROOT), "--builder", "pdflatex", "--path-output", str(tmp_path)],
                          capture_output=True, text=True, encoding="utf-8", errors="replace", check=False)
    pdf = tmp_path / "_build" / "latex" / "cnsaudit.pdf"
    assert proc.returncode == 0 and pdf.is_file(), proc.stdout[-3000:] + proc.stderr[-2000:]
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 100_000
    assert shutil.which("pdftotext"), "poppler-utils is missing (scripts/setup.sh installs it with CNSAUDIT_PDF=1)"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Entrectinib and the blood-brain barrier" in text
    # Every claim is in the PDF, in a real table, and no Python object stands where a table belongs.
    claims = set(pd.concat([pd.read_csv(p, dtype=str)["claim_id"] for p in (ROOT / "data" / "claims").glob("*.csv")]))
    flat = re.sub(r"\s+", "", text)
    assert sorted(c for c in claims if c not in flat) == []
    assert not re.search(r"IPython\.core\.display|object at 0x|np\.float64\(", text)
    tex = (tmp_path / "_build" / "latex" / "cnsaudit.tex").read_text()
    assert "\\begin{longtable}{p{0.09\\linewidth}" in tex
    assert "\\label{\\detokenize{chapters/audit:claim-ent-01}}" in tex
    # Every numbered table carries its label, which the text's Table references resolve.
    assert "\\label{\\detokenize{chapters/entrectinib:tab-ent-claims}}" in tex
    assert "\\ref{\\detokenize{chapters/entrectinib:tab-ent-claims}}" in tex
    assert re.search(r"Table\s+\d+", text)
    assert latex_artefacts(tex) == []


def test_text_in_a_script_the_pdf_cannot_set_is_named_not_printed():
    # A search typed in Japanese, a Russian page abbreviation: pdflatex has no glyphs for either.
    assert escape("金沢大学 脳転移 レポトレクチニブ & NTRK") == "[text in Japanese] \\& NTRK"
    assert escape("西山明宏 100%") == "[text in Chinese or Japanese] 100\\%"
    assert escape("Oncol, № 29, с. e443") == "Oncol, No. 29, [text in Cyrillic]. e443"
    assert escape("≥2.8 µM_{x}") == "≥2.8 µM\\_\\{x\\}"
