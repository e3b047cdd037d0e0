"""A strict build of the whole book: warnings are errors, nothing loads from another host."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, toc_pages

LOADING_TAG = re.compile(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", re.I)
EXTERNAL = re.compile(r"\b(?:src|href)=[\"'](?:https?:)?//", re.I)
# A canonical link names the page's published address; a browser fetches nothing from it.
NOT_A_LOAD = re.compile(r"\brel=[\"']canonical[\"']", re.I)


def external_loads(html: str) -> list[str]:
    return [tag for tag in LOADING_TAG.findall(html) if EXTERNAL.search(tag) and not NOT_A_LOAD.search(tag)]
CSS_IMPORT = re.compile(r"(?:@import|url\()\s*[\"']?(?:https?:)?//", re.I)


def test_every_toc_page_is_built(built):
    for page in ["index.html", "intro.html", "chapters/entrectinib.html", "chapters/audit.html",
                 "references.html"]:
        assert (built / page).is_file(), page


def test_no_page_loads_anything_from_another_host(built):
    offenders = []
    for path in built.rglob("*"):
        if path.suffix in {".html", ".css", ".js"} and path.is_file():
            text = path.read_text(errors="replace")
            found = external_loads(text) if path.suffix == ".html" else CSS_IMPORT.findall(text)
            offenders += [f"{path.relative_to(built)}: {tag}" for tag in found]
    assert not offenders, "\n".join(offenders[:20])


def test_the_load_check_tells_a_load_from_a_link():
    assert external_loads('<script src="https://cdn.example.org/x.js"></script>') != []
    assert external_loads('<link rel="stylesheet" href="//cdn.example.org/x.css">') != []
    assert external_loads('<link rel="canonical" href="https://example.org/book/a.html" />') == []
    assert external_loads('<a href="https://github.com/x/y">repository</a>') == []


def test_glue_values_are_rendered_and_figures_numbered(built):
    html = (built / "chapters/entrectinib.html").read_text()
    assert "Emzeltrectinib" in html
    assert "7</span>" in html or ">7<" in html
    for label in ["fig-ent-pgp", "fig-ent-ratios", "fig-ent-response", "fig-ent-workflow", "fig-ent-signalling"]:
        assert f'id="{label}"' in html, label
    assert "Fig. " in html or "Figure " in html


@pytest.mark.slow
def test_the_build_stops_on_bad_data_and_names_the_cell(data_copy, tmp_path):
    """A bad table must stop the book, not render a wrong number."""
    import os

    from .conftest import edit_cell

    edit_cell(data_copy / "claims/entrectinib.csv", "claim_id", "ent-26", "reported", "163.6")
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run([str(jb), "build", str(ROOT), "-W", "-n", "--keep-going",
                           "--path-output", str(tmp_path / "bad")], capture_output=True, text=True,
                          check=False, env={**os.environ, "CNSAUDIT_DATA": str(data_copy)})
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "data/claims/entrectinib.csv, row 26 (line 27)" in output, output[-3000:]


def test_build_configuration_keeps_failures_fatal():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    # myst-nb does not execute; cnsaudit.book.sphinx_ext executes every notebook Sphinx reads.
    assert config["execute"]["execute_notebooks"] == "off"
    assert "cnsaudit.book.sphinx_ext" in config["sphinx"]["config"]["extensions"]
    assert config["sphinx"]["config"].get("cnsaudit_execute", True) is True
    assert config["execute"]["allow_errors"] is False
    assert config["execute"]["stderr_output"] == "warn"
    assert config["sphinx"]["config"]["nb_execution_raise_on_error"] is True
    assert config["only_build_toc_files"] is True
    assert "sphinx_thebe" not in config["sphinx"]["config"]["extensions"]


# What a reader must never see in the text and tables of a page (code cells excepted): a numpy or
# IPython object repr, or a table cell holding a bare Python or pandas token.
RAW_REPR = re.compile(r"np\.(?:float|int|bool_)\w*\(|<IPython\.core\.display\.\w+ object>|<[\w.]+ object at 0x")
RAW_CELL = re.compile(r"<td[^>]*>\s*(?:True|False|nan|NaN|None|NaT|<NA>)\s*</td>")


def reader_html(page: str) -> str:
    """A page without its code: input cells, highlighted blocks and stream output are not prose."""
    return re.sub(r'<div class="(?:cell_input|highlight[^"]*)[^"]*">.*?</pre></div>', " ", page, flags=re.S)


def raw_artefacts(page: str) -> list[str]:
    text = reader_html(page)
    return [m.group(0) for m in RAW_REPR.finditer(text)] + [m.group(0) for m in RAW_CELL.finditer(text)]


def test_no_raw_python_reaches_a_reader(built):
    found = {}
    for page in toc_pages():
        hits = raw_artefacts((built / page).read_text())
        if hits:
            found[page] = hits[:5]
    assert found == {}


def test_the_raw_artefact_scan_finds_what_it_should():
    assert raw_artefacts('<p>the rate is <span>np.float64(66.9)</span>%</p>') == ["np.float64("]
    assert raw_artefacts("<table><tr><td>True</td><td>nan</td></tr></table>") == ["<td>True</td>", "<td>nan</td>"]
    code = '<div class="cell_input docutils container"><pre>x = np.float64(1)</pre></div>'
    assert raw_artefacts(code) == []


def test_every_image_and_diagram_has_real_alt_text(built):
    bad = []
    for page in toc_pages():
        html = (built / page).read_text()
        for alt in re.findall(r'<img [^>]*alt="([^"]*)"', html):
            if not alt.strip() or re.search(r"\.(?:png|svg|jpe?g)$|_images/", alt):
                bad.append(f"{page}: img alt {alt!r}")
        for fallback in re.findall(r'class="graphviz">\s*<p class="warning">(.*?)</p>', html, re.S):
            if "digraph" in fallback or "->" in fallback or len(fallback) < 15:
                bad.append(f"{page}: diagram alt {fallback[:40]!r}")
    assert bad == []


def test_claim_and_section_tables_are_numbered_and_cited_by_number(built):
    """Each chapter's claim table and its map of the guide's sections are numbered tables, and the
    text's {numref} links carry the same number as the caption."""
    numbers = set()
    for chapter, prefix in [("entrectinib", "ent"), ("alectinib", "alc"), ("ntrk-resistance", "res"),
                            ("larotrectinib", "lar")]:
        page = (built / "chapters" / f"{chapter}.html").read_text()
        for name in (f"tab-{prefix}-sections", f"tab-{prefix}-claims"):
            caption = re.search(rf'id="{name}".*?<span class="caption-number">Table (\d+) </span>', page, re.S)
            assert caption, name
            cited = re.findall(rf'href="#{name}"><span class="std std-numref">Table (\d+)</span>', page)
            assert cited and set(cited) == {caption.group(1)}, name
            numbers.add(int(caption.group(1)))
    assert len(numbers) == 8
