"""What a reader downloads to open one page of the built book with an empty cache.

The page, every file it names (style sheets, scripts, preloads, images, embedded SVG, the favicon),
what those style sheets import, and for each font face the file a browser fetches: the first
source of the last ``@font-face`` rule for that family, style and weight (a later rule replaces an
earlier one, and the style sheets are read in page order). A font face is counted whether or not
the page draws a glyph of it, so the total is an upper bound. Links to other pages are not loads.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

LIMIT = 1_200_000  # bytes: the most a page may cost a reader on a slow mobile connection
_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]+)""")
_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
_DESCRIPTOR = re.compile(r"(font-family|font-style|font-weight)\s*:\s*([^;]+)")


class _Loads(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (kind, address)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        if tag == "link" and a.get("href") and ({"stylesheet", "preload", "icon", "modulepreload"} & set(rel)):
            self.found.append(("css" if "stylesheet" in rel else "file", a["href"]))
        elif tag in ("script", "img", "source", "iframe", "embed") and a.get("src"):
            self.found.append(("file", a["src"]))
        elif tag == "object" and a.get("data"):
            self.found.append(("file", a["data"]))


def _local(base: Path, address: str, site: Path) -> Path | None:
    parsed = urlparse(address)
    if parsed.scheme or parsed.netloc or address.startswith("data:") or not parsed.path:
        return None
    path = (base / unquote(parsed.path)).resolve()
    return path if path.is_file() and site.resolve() in path.parents else None


def _faces(css: str, base: Path, site: Path) -> dict[tuple, Path | None]:
    faces = {}
    for body in _FACE.findall(css):
        key = tuple(sorted((k, v.strip().strip("'\"").replace("\\ ", " ")) for k, v in _DESCRIPTOR.findall(body)))
        urls = _URL.findall(body)
        faces[key] = _local(base, urls[0], site) if urls else None
    return faces


def page_loads(page: Path, site: Path) -> dict[Path, int]:
    """Every local file the page costs, with its size in bytes (the page itself included)."""
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    files: dict[Path, int] = {page.resolve(): page.stat().st_size}
    faces: dict[tuple, Path | None] = {}
    sheets = [(kind, _local(page.parent, addr, site)) for kind, addr in parser.found]
    while sheets:
        kind, path = sheets.pop(0)
        if path is None or path in files:
            continue
        files[path] = path.stat().st_size
        if kind == "css":
            css = path.read_text(encoding="utf-8", errors="replace")
            faces.update(_faces(css, path.parent, site))
            sheets[:0] = [("css", _local(path.parent, a, site)) for a in _IMPORT.findall(css)]
            without_faces = _FACE.sub("", css)
            sheets += [("file", _local(path.parent, a, site)) for a in _URL.findall(without_faces)]
    for font in faces.values():
        if font is not None:
            files.setdefault(font, font.stat().st_size)
    return files


def weights(site: Path) -> dict[str, int]:
    """Bytes per page, for every HTML page of the site (relative path -> bytes)."""
    return {p.relative_to(site).as_posix(): sum(page_loads(p, site).values())
            for p in sorted(site.rglob("*.html")) if "_static" not in p.parts}
