"""Every page of the built book in a real headless Chromium: no console error, no failed request,
nothing fetched from another host, every image decoded, every glue value and claim anchor there.

Screenshots of each page are kept in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import ROOT, toc_pages

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built):
    handler = functools.partial(QuietHandler, directory=str(built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is not installed (scripts/setup.sh installs it)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


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
    page.screenshot(path=str(shot), full_page=True)
    return page, response, errors, failed, foreign, images, glue_empty, text


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=["laptop", "phone"])
@pytest.mark.parametrize("path", toc_pages())
def test_page_loads_cleanly_offline(browser, site, path, viewport):
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


def test_every_claim_anchor_resolves(browser, site, results):
    page = browser.new_page()
    try:
        page.goto(f"{site}/chapters/audit.html", wait_until="load")
        missing = page.evaluate(
            "ids => ids.filter(id => !document.getElementById('claim-' + id))",
            results["claim_id"].tolist())
        assert missing == []
        page.goto(f"{site}/chapters/audit.html#claim-ent-01", wait_until="load")
        assert page.evaluate("() => document.getElementById('claim-ent-01').getBoundingClientRect().top") < 400
    finally:
        page.close()


@pytest.mark.parametrize("toggle, drawer", [("primary-toggle", "pst-primary-sidebar-modal"),
                                            ("secondary-toggle", "pst-secondary-sidebar-modal")])
def test_phone_menu_and_contents_buttons_open_their_drawers(browser, site, toggle, drawer):
    """At phone width the visible buttons are the book theme's; tapping them must open the drawer."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{site}/chapters/entrectinib.html", wait_until="networkidle")
        button = page.locator(f"button.{toggle}:visible").first
        assert button.count() == 1
        assert page.evaluate(f"() => document.getElementById('{drawer}').open") is False
        button.tap()
        page.wait_for_function(f"() => document.getElementById('{drawer}').open")
        page.screenshot(path=str(ARTIFACTS / f"phone-{toggle}-open.png"))
    finally:
        context.close()


def test_the_failing_claims_are_on_the_first_screen_and_lead_to_their_rows(browser, site):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(f"{site}/intro.html", wait_until="networkidle")
        first = page.locator(".cnsaudit-findings li").first
        assert first.bounding_box()["y"] + 20 < 900, "the first finding is below the first screen"
        assert "contradicted" in first.inner_text()
        hrefs = page.eval_on_selector_all(".cnsaudit-findings li a", "els => els.map(e => e.getAttribute('href'))")
        assert hrefs and all(h.startswith("chapters/audit.html#claim-") for h in hrefs)
        page.goto(f"{site}/{hrefs[0]}", wait_until="load")
        assert page.evaluate(f"() => !!document.getElementById('{hrefs[0].split('#')[1]}')")
    finally:
        page.close()


# The diagram's own SVG: its viewBox width and its smallest font size, in SVG units.
DIAGRAM_TEXT = """async () => {
  const found = [];
  for (const el of document.querySelectorAll('.bd-article img[src$=".svg"], .bd-article object[data$=".svg"]')) {
    const url = el.currentSrc || el.src || el.data;
    const svg = await (await fetch(url)).text();
    if (!svg.includes('class="graph"')) continue;  // Graphviz output only
    const box = svg.match(/viewBox="[\\d.\\s-]+"/)[0].match(/[\\d.]+/g).map(Number);
    const sizes = [...svg.matchAll(/font-size="([\\d.]+)"/g)].map(m => Number(m[1]));
    const shown = el.getBoundingClientRect().width;
    const scale = svg.match(/class="graph" transform="scale\\(([\\d.]+)/);
    found.push([url.split('/').pop(), shown, box[2], Math.min(...sizes), document.documentElement.scrollWidth,
                scale ? Number(scale[1]) : 1]);
  }
  return found;
}"""


@pytest.mark.parametrize("path", ["chapters/entrectinib.html", "chapters/alectinib.html",
                                  "chapters/ntrk-resistance.html", "chapters/larotrectinib.html"])
def test_every_flowchart_is_legible_at_phone_width(browser, site, path):
    """At 390 px every Graphviz diagram fits the page and none of its text is drawn below 10 px."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{site}/{path}", wait_until="networkidle")
        diagrams = page.evaluate(DIAGRAM_TEXT)
        assert diagrams, path
        small = [(name, round(font * shown / width, 1)) for name, shown, width, font, _, _ in diagrams
                 if font * shown / width < 10]
        assert small == []
        assert all(page_width <= 390 for *_, page_width, _ in diagrams)
        # The drawing fits its own box: an SVG drawn at more than 72 dpi is scaled inside a viewBox
        # that is not, and the page shows it enlarged and cut off.
        assert [name for name, *_, scale in diagrams if abs(scale - 1) > 0.01] == []
    finally:
        page.close()
