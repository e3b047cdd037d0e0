"""A page of the built book visited in headless Chromium, for tests/test_browser.py (laptop width)
and tests/test_browser_phone.py (phone width); their fixtures `browser` and `site` are in
conftest.py. The two files run on different pytest-xdist workers, so both widths are checked at
the same time.
"""

from __future__ import annotations

import http.server
import shutil
from pathlib import Path
from urllib.parse import urlparse


from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def visit(browser, url: str, shot: Path, viewport=(1366, 900)):
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    errors, failed, foreign = [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("request", lambda r: foreign.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:") else None)
    response = page.goto(url, wait_until="networkidle")
    images = page.evaluate("""() => Array.from(document.images).map(i => [i.currentSrc || i.src, i.complete && i.naturalWidth > 0])""")  # noqa: E501 (one JavaScript expression)
    glue_empty = page.evaluate("""() => Array.from(document.querySelectorAll('.pasted-text, .pasted-inline'))
                                      .filter(e => e.textContent.trim() === '').length""")
    text = page.inner_text("body")
    shot.parent.mkdir(parents=True, exist_ok=True)
    # The top of the page, up to four screens: what a reader sees first. Rasterising the whole of
    # the longest pages (the audit page runs to dozens of screens) took most of their test's time.
    height = min(page.evaluate("() => document.documentElement.scrollHeight"), 4 * viewport[1])
    page.screenshot(path=str(shot), full_page=True, clip={"x": 0, "y": 0, "width": viewport[0], "height": height})
    return page, response, errors, failed, foreign, images, glue_empty, text


def check_page(browser, site: str, path: str, viewport: tuple[int, int]) -> None:
    """The page loads with no console error, no failed or foreign request, every image decoded and
    every glue value and cross-reference filled in; its screenshot is kept in tests/artifacts/."""
    page, response, errors, failed, foreign, images, glue_empty, text = visit(
        browser, f"{site}/{path}", ARTIFACTS / f"{path.replace('/', '_')}-{viewport[0]}.png", viewport)
    try:
        assert response.ok
        assert errors == [], errors
        assert failed == [], failed
        assert foreign == [], foreign
        assert all(ok for _, ok in images), [src for src, ok in images if not ok]
        assert glue_empty == 0
        assert "{glue" not in text and "{numref" not in text and "{cite" not in text
    finally:
        page.close()


# Tables of the article wider than the box they sit in: each would need sideways scrolling.
# [caption or class, table width, box width] for each.
OVERFLOWING_TABLES = """() => {
  const found = [], page = document.documentElement.clientWidth;
  for (const t of document.querySelectorAll('.bd-article table')) {
    if (t.parentElement.closest('table') || t.offsetParent === null) continue;
    let box = t.parentElement;
    while (box && box !== document.body && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
      box = box.parentElement;
    }
    const width = Math.round(t.getBoundingClientRect().width);
    const room = box && box !== document.body ? box.clientWidth : page;
    if (width > room + 1 || t.getBoundingClientRect().right > page + 1) {
      const caption = t.closest('.cnsaudit-table')?.querySelector('.caption-text')?.textContent;
      found.push([caption || t.className, width, room]);
    }
  }
  return found;
}"""


def overflowing_tables(browser, site: str, path: str, viewport: tuple[int, int]) -> list:
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        page.goto(f"{site}/{path}", wait_until="networkidle")
        return page.evaluate(OVERFLOWING_TABLES)
    finally:
        page.close()
