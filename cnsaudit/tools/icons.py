"""The theme's icons at a fraction of their weight.

pydata-sphinx-theme draws its icons (menu, search, theme switch, download, GitHub) with Font
Awesome: a 1.49 MB script that turns each ``<i class="fa-…">`` into SVG, plus three web fonts of
295 KB for the icons its style sheet draws. The book keeps the theme's markup and style sheet and
drops the script (``_templates/static/webpack-macros.html``); the style sheet then draws every icon
from the font, and ``_static/cnsaudit-icons.css`` points that font at subsets of the theme's own
font files holding only the glyphs the book shows (a few KB; Font Awesome Free's fonts are under
the SIL Open Font License 1.1, which allows subsetting).

After a theme upgrade, or when a page uses an icon the book did not use before, build the book and
run ``.venv/bin/python -m cnsaudit.tools.icons _build/html`` to write the subsets again;
``tests/test_page_weight.py`` fails while any icon the pages use is missing from them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "_static" / "icons"
# Theme font file -> the subset the book serves in its place.
# The regular weight draws no icon of the book, but the theme's style sheet declares it, so a
# reader's browser may fetch it (and the page weight counts it): it gets its subset as well.
FONTS = {"fa-solid-900.ttf": "fa-solid-900-subset.woff", "fa-brands-400.ttf": "fa-brands-400-subset.woff",
         "fa-regular-400.ttf": "fa-regular-400-subset.woff"}
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ICON_RULE = re.compile(r"^\.fa-[a-z0-9-]+:{1,2}before$")
_ESCAPE = re.compile(r"\\(f[0-9a-f]{3})\b", re.I)
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_CLASS = re.compile(r'class="([^"]*)"')


def theme_fonts() -> Path:
    import pydata_sphinx_theme

    static = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    return static / "vendor" / "fontawesome" / "webfonts"


def _codepoints(text: str) -> set[int]:
    return {int(h, 16) for h in _ESCAPE.findall(text)} | {ord(c) for c in _PRIVATE.findall(text)}


def icon_classes(css: str) -> tuple[dict[str, set[int]], set[int]]:
    """The style sheets' icon classes (``fa-bars`` -> its glyph) and the glyphs they draw by other
    rules (an admonition's icon, a breadcrumb's divider, the theme's ``--pst-icon-*`` variables)."""
    classes: dict[str, set[int]] = {}
    other: set[int] = set()
    for selectors, body in _RULE.findall(css):
        names = [s.strip() for s in selectors.split(",")]
        points = _codepoints(body)
        if names and all(_ICON_RULE.match(n) for n in names):
            for n in names:
                classes.setdefault(n[1:].split(":")[0], set()).update(points)
        else:
            other |= points
    return classes, other


def used_glyphs(site: Path) -> dict[str, set[int]]:
    """Every glyph a built page can draw: the icon classes its HTML names, and the glyphs its
    style sheets draw by themselves. Keyed by what asks for it, for an error that says so."""
    css = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (site / "_static").rglob("*.css"))
    classes, other = icon_classes(css)
    used: dict[str, set[int]] = {"the style sheets": other}
    for page in site.rglob("*.html"):
        for attr in _CLASS.findall(page.read_text(encoding="utf-8", errors="replace")):
            for name in attr.split():
                if name in classes:
                    used[name] = classes[name]
    return used


def font_glyphs(path: Path) -> set[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path)) as font:
        return set(font.getBestCmap())


def missing(site: Path, folder: Path = OUT) -> dict[str, list[str]]:
    """Icons a page asks for that the served subsets cannot draw (glyph as U+XXXX)."""
    have = set().union(*(font_glyphs(folder / name) for name in FONTS.values()))
    themes = set().union(*(font_glyphs(theme_fonts() / name) for name in FONTS))
    gaps = {}
    for what, points in used_glyphs(site).items():
        # A glyph none of the theme's fonts has is not an icon of these fonts.
        lost = sorted(p for p in points & themes if p not in have)
        if lost:
            gaps[what] = [f"U+{p:04X}" for p in lost]
    return gaps


def write_subsets(site: Path, folder: Path = OUT) -> list[Path]:
    from fontTools import subset

    points = set().union(*used_glyphs(site).values())
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source, target in FONTS.items():
        options = subset.Options()
        options.flavor = "woff"  # zlib; woff2 would need brotli, which the pinned packages lack
        options.layout_features = []
        options.name_IDs = ["*"]  # keep the copyright and licence names the OFL asks to keep
        font = subset.load_font(str(theme_fonts() / source), options)
        sub = subset.Subsetter(options)
        sub.populate(unicodes=points)
        sub.subset(font)
        subset.save_font(font, str(folder / target), options)
        font.close()
        written.append(folder / target)
    return written


if __name__ == "__main__":
    for path in write_subsets(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "_build" / "html")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
