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


def visit(browser, url: str, shot: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
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


@pytest.mark.parametrize("path", toc_pages())
def test_page_loads_cleanly_offline(browser, site, path):
    page, response, errors, failed, foreign, images, glue_empty, text = visit(
        browser, f"{site}/{path}", ARTIFACTS / (path.replace("/", "_") + ".png"))
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
