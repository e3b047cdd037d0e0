"""The PDF edition builds with pdflatex and carries the book's chapters."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cnsaudit.book import latex_edition
from cnsaudit.book.latex_index import index_claim_rows
from cnsaudit.book.latex_output import escape
from cnsaudit.book.latex_tables import TYPESET_MARK, breakable, fit_tables, html_table_to_latex
from cnsaudit.tools.pdf_check import (WRAP_MARK, code_listings, html_numbers, overfull_boxes, pdf_numbers,
                                text_dumps)

from .conftest import ROOT

# What must never stand in the PDF's text or tables (code listings excepted): an object repr, a
# bare Python or pandas value as a table cell, a data file's name or an internal key in a table.
LATEX_REPR = re.compile(r"np\.(?:float|int|bool_)\w*\(|IPython\.core\.display|<[\w.]+ object at 0x")
LATEX_CELL = re.compile(r"(?:^|&)\s*(?:True|False|nan|NaN|None|NaT|<NA>)\s*(?=&|\\\\)", re.M)
TABLE = re.compile(r"\\begin\{(longtable|tabular|tabulary)\*?\}.*?\\end\{\1\*?\}", re.S)
IN_TABLE = re.compile(r"[\w/-]+\.(?:csv|json|ipynb)\b|\b(?:red\d-)?(?:ge|lt)1\b|\b(?:fact|claim|search)\\?_id\b"
                      r"|\b[a-z]+(?:19|20)\d\d[a-z]+\b")


# Raw keys that notebook outputs (DataFrames shown as they are, on the web too) still carry into
# their typeset tables: column names, bibliography keys, file names. Empty since issue 18 (tables name
# a source by its short citation, a band in words, a step without its command); it may only stay empty,
# and the test below asserts that the PDF's tables print none.
KNOWN_RAW_IN_OUTPUTS: frozenset[str] = frozenset()


def latex_artefacts(tex: str, outputs: bool = True) -> list[str]:
    """Raw artefacts in the LaTeX of the book, code listings left out; with `outputs` False, the
    tables typeset from notebook outputs (cnsaudit.book.latex_tables) left out too."""
    # Break points inside a token do not hide it.
    body = re.sub(r"\\begin\{sphinxVerbatim\}.*?\\end\{sphinxVerbatim\}", " ", tex.replace(r"\allowbreak{}", ""),
                  flags=re.S)
    if not outputs:
        body = re.sub(re.escape(TYPESET_MARK) + r"\n.*?\\end\{longtable\}", " ", body, flags=re.S)
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
    pdf = pdf_file(tmp_path)
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
    # the claim tables' columns, their padding inside the line (cnsaudit.book.latex_tables.fit_tables)
    assert ("\\begin{longtable}{>{\\raggedright\\arraybackslash\\hspace{0pt}}"
            "p{\\dimexpr 0.090\\linewidth-2\\tabcolsep\\relax}") in tex
    assert "\\label{\\detokenize{chapters/audit:claim-ent-01}}" in tex
    # Every numbered table carries its label, which the text's Table references resolve.
    assert "\\label{\\detokenize{chapters/entrectinib:tab-ent-claims}}" in tex
    assert "\\ref{\\detokenize{chapters/entrectinib:tab-ent-claims}}" in tex
    assert re.search(r"Table\s+\d+", text)
    assert latex_artefacts(tex, outputs=False) == []
    assert sorted(set(latex_artefacts(tex)) - KNOWN_RAW_IN_OUTPUTS) == []

    latex = tmp_path / "_build" / "latex"
    # 1. No code: the web folds or removes every code cell; print leaves them all out.
    assert code_listings(tex) == (0, 0) and "cell_input" not in tex
    # 2. Tables typeset: no output printed as its plain-text dump; DataFrames are longtables.
    assert text_dumps(tex) == 0
    assert tex.count(TYPESET_MARK) >= 30
    assert re.search(r"\\textbf\{guide\} & \\textbf\{consistent\}", tex)  # the verdict counts on the first page
    # 3. The web's numbers: every named table and figure, and the claim tables as a reader sees them.
    web = html_numbers(built_root / "_build" / "html")
    pdf = pdf_numbers((latex / "cnsaudit.aux").read_text(encoding="latin-1"))
    assert len(web) >= 20 and {name: pdf.get(name) for name in web} == web
    flat_text = " ".join(text.split())
    for chapter, name in (("entrectinib", "ent"), ("alectinib", "alc"), ("ntrk-resistance", "res"),
                          ("larotrectinib", "lar")):
        assert f"Table {web[f'tab-{name}-claims']}: Every claim of the" in flat_text, chapter
    # 4. Nothing runs past the margin, and no line is continued with a wrap mark.
    log = (latex / "cnsaudit.log").read_text(encoding="latin-1")
    assert max(overfull_boxes(log), default=0) <= 5
    # No table holds a code listing, so no table line is continued with a wrap mark; a command or
    # a citation in the prose (the reproduce and cite pages) wraps, marked, only when it is longer
    # than a line of its font holds (about 110 characters).
    assert not re.search(r"\\begin\{longtable\}(?:(?!\\end\{longtable\}).)*sphinxVerbatim", tex, re.S)
    assert wrapped_lines(text) == [] or min(len(line) for line in wrapped_lines(text)) >= 95
    # 5. The title page: version, build date, commit.
    first = subprocess.run(["pdftotext", "-l", "1", str(pdf_file(tmp_path)), "-"], capture_output=True, text=True,
                           check=True).stdout
    stamp = latex_edition.title_stamp(ROOT)
    assert f"Version {stamp['release']}" in first and stamp["date"] in first
    assert re.search(r"commit [0-9a-f]{12}", first)
    # 6. The index of claims: every claim id under "Claims" with the pages of its rows.
    index = (latex / "cnsaudit.ind").read_text(encoding="latin-1")
    entries = set(re.findall(r"\\subitem ([a-z0-9-]+), \\hyperpage", index))
    assert sorted(claims - entries) == []


def wrapped_lines(text: str) -> list[str]:
    """The code lines of a PDF's text that LaTeX continued on the next line, joined again."""
    lines = text.splitlines()
    # pdftotext shows the space where the line broke as a visible-space sign
    return [lines[i - 1].replace("\u2423", " ") + line[len(WRAP_MARK):] for i, line in enumerate(lines)
            if i and line.startswith(WRAP_MARK)]


def test_a_wrapped_code_line_is_joined_again():
    text = "a\n= {Claim ent-01, in: a title\u2423\n\u02d3\u2192guides},\nb"
    assert wrapped_lines(text) == ["= {Claim ent-01, in: a title guides},"]
    assert wrapped_lines("no marks") == []


def pdf_file(tmp_path: Path) -> Path:
    return tmp_path / "_build" / "latex" / "cnsaudit.pdf"


def test_an_html_table_is_typeset_as_a_longtable():
    frame = pd.DataFrame({"k/n": ["11/14", "9/11"], "rate": ["78.6", "81.8"]},
                         index=pd.Index(["ALEX", "J-ALEX"], name="study"))
    latex = html_table_to_latex(frame.to_html())
    assert latex.startswith(TYPESET_MARK) and "\\begin{longtable}" in latex
    # the index name and the column names make one header row; the index is a column
    assert "\\textbf{study} & \\textbf{k/n} & \\textbf{rate} \\\\" in latex
    assert "J-ALEX & 9/11 & 81.8 \\\\" in latex
    assert html_table_to_latex("<p>no table</p>") is None


def test_spanned_cells_of_an_html_table_keep_their_columns():
    columns = pd.MultiIndex.from_tuples([("prior", "k/n"), ("prior", "%"), ("none", "k/n")])
    frame = pd.DataFrame([["1/2", "50", "3/4"]], columns=columns, index=["ALEX"])
    latex = html_table_to_latex(frame.to_html())
    assert "\\textbf{prior k/n} & \\textbf{prior \\%} & \\textbf{none k/n}" in latex
    assert "ALEX & 1/2 & 50 & 3/4" in latex
    rows = pd.DataFrame({"v": [1, 2, 3]}, index=pd.MultiIndex.from_tuples([("a", "x"), ("a", "y"), ("b", "x")]))
    latex = html_table_to_latex(rows.to_html())
    assert "a & x & 1" in latex and "& y & 2" in latex and "b & x & 3" in latex


def test_tables_are_fitted_inside_the_line():
    table = ("{\\small\n\\begin{longtable}{p{0.5\\linewidth}p{0.5\\linewidth}}\n\\endlastfoot\n"
             "a & https://pmc.ncbi.nlm.nih.gov/articles/PMC7283026/ \\\\\n\\end{longtable}}")
    fitted = fit_tables(table)
    assert "p{\\dimexpr 0.500\\linewidth-2\\tabcolsep\\relax}" in fitted
    assert "https://\\allowbreak{}pmc." in fitted
    assert breakable("gadgeel2018alex") == "gadgeel\\allowbreak{}2018\\allowbreak{}alex"
    # a label keeps its name whole
    assert breakable("\\phantomsection\\label{\\detokenize{chapters/audit:claim-ent-01}}") == \
        "\\phantomsection\\label{\\detokenize{chapters/audit:claim-ent-01}}"


def test_claim_rows_are_indexed_under_their_id():
    rows = ("\\phantomsection\\label{\\detokenize{chapters/audit:claim-ent-01}}ent-01 & a \\\\\n"
            "ent-02 & b \\\\\nnot-a-claim & c \\\\")
    indexed = index_claim_rows(rows, frozenset({"ent-01", "ent-02"}))
    assert indexed.splitlines() == [
        "\\phantomsection\\label{\\detokenize{chapters/audit:claim-ent-01}}\\index{Claims!ent-01}ent-01 & a \\\\",
        "\\index{Claims!ent-02}ent-02 & b \\\\", "not-a-claim & c \\\\"]


def test_the_title_page_says_when_it_was_built_from_no_commit(tmp_path, monkeypatch):
    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\nversion: 9.8.7\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796428800")  # 2026-12-05
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # no repository above it
    stamp = latex_edition.title_stamp(tmp_path)
    assert stamp["date"] == "5 December 2026"
    assert stamp["commit"] == "built from a source archive (no git commit recorded)"
    assert latex_edition.title_stamp(ROOT)["commit"].startswith("commit ")


def test_text_in_a_script_the_pdf_cannot_set_is_named_not_printed():
    # A search typed in Japanese, a Russian page abbreviation: pdflatex has no glyphs for either.
    assert escape("金沢大学 脳転移 レポトレクチニブ & NTRK") == "[text in Japanese] \\& NTRK"
    assert escape("西山明宏 100%") == "[text in Chinese or Japanese] 100\\%"
    assert escape("Oncol, № 29, с. e443") == "Oncol, No. 29, [text in Cyrillic]. e443"
    assert escape("≥2.8 µM_{x}") == "≥2.8 µM\\_\\{x\\}"
