"""A cold page costs at most 1.2 MB (cnsaudit.tools.page_weight): the theme's 1.49 MB icon script is not
loaded, and its icon fonts are served as subsets that hold every icon the pages show."""

from __future__ import annotations

from pathlib import Path

from cnsaudit.tools import icons, page_weight

from .conftest import ROOT

THEME_MACROS = Path(icons.theme_fonts()).parents[2] / "webpack-macros.html"


def test_every_page_costs_at_most_the_limit(built):
    heavy = {page: size for page, size in page_weight.weights(built).items() if size > page_weight.LIMIT}
    assert heavy == {}, f"pages over {page_weight.LIMIT} bytes: {heavy}"


def test_the_theme_icon_script_is_not_loaded(built):
    loads = page_weight.page_loads(built / "intro.html", built)
    assert not [p for p in loads if p.name == "fontawesome.js"]
    assert {p.name for p in loads} >= {"fa-solid-900-subset.woff", "fa-brands-400-subset.woff"}
    assert not [p for p in loads if p.name in ("fa-solid-900.woff2", "fa-brands-400.woff2")]


def test_the_icon_subsets_draw_every_icon_the_pages_use(built):
    assert icons.missing(built) == {}


def test_a_missing_icon_is_reported(built, tmp_path):
    icons.write_subsets(built, tmp_path)  # the same subsets, then one glyph taken away
    from fontTools import subset

    path = tmp_path / icons.FONTS["fa-solid-900.ttf"]
    font = subset.load_font(str(path), subset.Options(flavor="woff"))
    keep = [p for p in icons.font_glyphs(path) if p != 0xF0C9]  # the menu's bars
    sub = subset.Subsetter(subset.Options(flavor="woff"))
    sub.populate(unicodes=keep)
    sub.subset(font)
    subset.save_font(font, str(path), subset.Options(flavor="woff"))
    font.close()
    assert icons.missing(built, tmp_path) == {"fa-bars": ["U+F0C9"]}


def test_the_template_override_is_the_theme_s_without_the_icon_script():
    """_templates/static/webpack-macros.html must follow the installed theme line for line, except
    for the icon script: after a theme upgrade, copy the theme's file again and drop that line."""
    theme = [line for line in THEME_MACROS.read_text().splitlines()
             if "fontawesome.js" not in line and "custom icons" not in line]
    ours = (ROOT / "_templates" / "static" / "webpack-macros.html").read_text().splitlines()
    assert ours == theme


def test_the_weight_counts_what_a_page_loads(tmp_path):
    site = tmp_path
    (site / "_static").mkdir()
    (site / "_static" / "a.css").write_text(
        '@font-face{font-family:X;font-weight:400;src:url(big.woff2)}'
        '@font-face{font-family:X;font-weight:400;src:url(small.woff)}'
        'body{background:url(bg.png)}')
    for name, size in [("big.woff2", 5000), ("small.woff", 50), ("bg.png", 300), ("s.js", 70)]:
        (site / "_static" / name).write_bytes(b"x" * size)
    page = site / "p.html"
    page.write_text('<link rel="stylesheet" href="_static/a.css"><script src="_static/s.js"></script>'
                    '<a href="other.html">x</a><img src="https://example.org/i.png">')
    loads = {p.name: n for p, n in page_weight.page_loads(page, site).items()}
    assert set(loads) == {"p.html", "a.css", "small.woff", "bg.png", "s.js"}
    assert page_weight.weights(site)["p.html"] == sum(loads.values())
