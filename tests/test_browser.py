"""Every page of the built book in a real headless Chromium at laptop width (1366 × 900): no
console error, no failed request, nothing fetched from another host, every image decoded, every glue
value and claim anchor there. The phone width is checked by tests/test_browser_phone.py.

Screenshots of the top of each page (up to four screens) are kept in tests/artifacts/ for a person to
look at.
"""

from __future__ import annotations

import pytest

from .browser_support import check_page
from .conftest import toc_pages

LAPTOP = (1366, 900)


@pytest.mark.parametrize("path", toc_pages())
def test_page_loads_cleanly_offline(browser, site, path):
    check_page(browser, site, path, LAPTOP)


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
