"""Every page of the built book in a real headless Chromium at laptop width (1366 × 900): no
console error, no failed request, nothing fetched from another host, every image decoded, every glue
value and claim anchor there. The phone width is checked by tests/test_browser_phone.py; the reader's
minute (issue 18: the counts and the most consequential failure on the first screen, then its row and
its citation in two taps) at both widths here.

Screenshots of the top of each page (up to four screens) are kept in tests/artifacts/ for a person to
look at.
"""

from __future__ import annotations

import pytest

from .browser_support import ARTIFACTS, check_page, overflowing_tables
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


@pytest.mark.parametrize("path", toc_pages())
def test_no_table_needs_sideways_scrolling_at_laptop_width(browser, site, path):
    assert overflowing_tables(browser, site, path, LAPTOP) == []


@pytest.mark.parametrize("path", ["chapters/entrectinib.html", "chapters/larotrectinib.html", "chapters/audit.html"])
def test_claim_table_columns_keep_their_widths_at_laptop_width(browser, site, path):
    """The theme lays out notebook tables by their content, which squeezed "the guide says" to a few
    letters a line; the claim tables keep fixed columns: the three text columns share what is left."""
    page = browser.new_page(viewport={"width": LAPTOP[0], "height": LAPTOP[1]})
    try:
        page.goto(f"{site}/{path}", wait_until="load")
        widths = page.evaluate("""() => Array.from(document.querySelectorAll('table.claim-table')).map(t =>
            Array.from(t.querySelectorAll('thead th')).map(th => Math.round(th.getBoundingClientRect().width)))""")
    finally:
        page.close()
    assert widths, f"{path} has no claim table"
    narrow = [w for w in widths if min(w[2:]) < 150]
    assert narrow == [], f"{path}: claim tables whose text columns are under 150 px (widths in px): {narrow}"


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_page_follows_the_system_colour_scheme(browser, site, scheme):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(f"{site}/chapters/entrectinib.html", wait_until="networkidle")
        assert page.evaluate("() => document.documentElement.dataset.mode") == "auto"
        assert page.evaluate("() => document.documentElement.dataset.theme") == scheme
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        shade = sum(int(x) for x in background[background.index("(") + 1:-1].split(",")[:3]) / 3
        assert (shade < 80) if scheme == "dark" else (shade > 200), background
    finally:
        context.close()


def test_the_audit_page_filters_claims_and_cites_one_with_year_version_and_commit(browser, site):
    from cnsaudit.book.sphinx_ext import stamp

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(f"{site}/chapters/audit.html", wait_until="networkidle")
        total = page.locator('table.claim-table tr[id^="claim-"]').count()
        shown = page.locator("form.audit-filter output")
        assert shown.inner_text() == f"{total} of {total} claims shown"
        page.select_option("form.audit-filter select[name=verdict]", "contradicted")
        contradicted = page.locator('tr[id^="claim-"][data-verdict="contradicted"]').count()
        assert shown.inner_text() == f"{contradicted} of {total} claims shown"
        page.select_option("form.audit-filter select[name=verdict]", "")
        page.fill("form.audit-filter input[name=words]", "lar-46")
        assert page.locator('tr[id^="claim-"]:visible').count() == 1
        page.click("#claim-lar-46 .claim-cite-button")
        entry = page.locator("#claim-lar-46 + tr.claim-cite-row pre")
        text = entry.inner_text()
        s = stamp()
        assert "@misc{cnsaudit" in text and "-lar-46," in text and "#claim-lar-46}" in text
        assert f"year    = {{{s['date'][:4]}}}" in text and f"version = {{{s['version']}}}" in text
        assert s["commit"] in text and "CLAIM-ID" not in text
        assert entry.bounding_box()["width"] > 500, "the citation is squeezed into a narrow column"
        assert page.locator("#claim-lar-46 + tr.claim-cite-row .claim-copy-button").is_visible()
        # Every count of the index leads to a group of claims on the page.
        targets = page.eval_on_selector_all("table.audit-index a", "els => els.map(e => e.getAttribute('href'))")
        assert targets and all(page.locator(t).count() == 1 for t in targets)
    finally:
        page.close()


def test_a_chapter_claim_row_has_its_anchor_and_links_to_the_audit(browser, site):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(f"{site}/chapters/larotrectinib.html#claim-lar-30", wait_until="networkidle")
        assert page.evaluate("() => document.getElementById('claim-lar-30').getBoundingClientRect().top") < 400
        href = page.get_attribute("#claim-lar-30 a.claim-elsewhere", "href")
        assert href == "audit.html#claim-lar-30"
    finally:
        page.close()


def test_a_search_for_a_claim_id_opens_its_row(browser, site):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(f"{site}/search.html?q=lar-46", wait_until="networkidle")
        page.wait_for_selector("#search-results li a")
        hrefs = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
        assert "chapters/audit.html#claim-lar-46" in hrefs, hrefs
    finally:
        page.close()


WIDTHS = [(1366, 900, False), (390, 844, True)]  # laptop; phone, touch


def _tap(page, locator, touch):
    locator.tap() if touch else locator.click()


def _box(page, selector):
    return page.evaluate(f"""() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();
                                      return {{top: r.top, bottom: r.bottom, height: r.height}}; }}""")


@pytest.mark.parametrize("width, height, touch", WIDTHS)
def test_the_readers_minute_the_first_failure_then_its_row_and_citation_in_two_taps(browser, site, width, height,
                                                                                       touch):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch)
    page = context.new_page()
    try:
        page.goto(f"{site}/intro.html", wait_until="networkidle")
        page.screenshot(path=str(ARTIFACTS / f"minute-landing-{width}.png"))
        opening = page.locator(".bd-article p", has_text="could not be checked").first
        words = opening.inner_text()
        assert "errors" in words and "caveats" in words
        assert 0 <= opening.bounding_box()["y"] < height
        # The claims that could not be checked are one tap away, on their own page.
        assert opening.locator("a", has_text="could not be checked").get_attribute("href") == "chapters/worklist.html"
        # The most consequential failure, whole, and the link to its row, on the first screen.
        first = _box(page, ".cnsaudit-findings li")
        assert 0 <= first["top"] and first["bottom"] <= height, first
        assert "contradicted" in page.locator(".cnsaudit-findings li").first.inner_text()
        link = page.locator(".cnsaudit-findings li a").first
        box = link.bounding_box()
        assert box["y"] + box["height"] <= height and box["height"] >= 24, box
        claim = link.inner_text()
        # Tap 1: the claim's row, at the top of the audit page.
        with page.expect_navigation(wait_until="networkidle"):
            _tap(page, link, touch)
        assert page.url.endswith(f"chapters/audit.html#claim-{claim}")
        row = _box(page, f"#claim-{claim}")
        assert 0 <= row["top"] < height / 3, row
        # Tap 2: its citation, on the same screen.
        cite = page.locator(f"#claim-{claim} .claim-cite-button")
        box = cite.bounding_box()
        assert box["y"] + box["height"] <= height and box["height"] >= 24 and box["width"] >= 44, box
        _tap(page, cite, touch)
        entry = page.locator(f"#claim-{claim} + tr.claim-cite-row pre")
        assert entry.is_visible() and f"#claim-{claim}}}" in entry.inner_text()
        assert entry.bounding_box()["y"] < height
        page.screenshot(path=str(ARTIFACTS / f"minute-citation-{width}.png"))
    finally:
        context.close()


@pytest.mark.parametrize("width, height, touch", WIDTHS)
def test_the_worklist_page_opens_with_how_many_claims_are_left_and_why(browser, site, width, height, touch):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch)
    page = context.new_page()
    try:
        page.goto(f"{site}/chapters/worklist.html", wait_until="networkidle")
        page.screenshot(path=str(ARTIFACTS / f"minute-worklist-{width}.png"))
        first = page.locator(".bd-article p").first
        assert "claims of the" in first.inner_text() and "unverified" in first.inner_text()
        assert 0 <= first.bounding_box()["y"] < height / 2
        # The findings come before any table: nothing but the title stands above them.
        before = page.evaluate("""() => { const p = document.querySelector('.bd-article p');
            return [...document.querySelectorAll('.bd-article table')].filter(
                t => t.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING).length; }""")
        assert before == 0
        # An address to a worklist row on the audit page, from when the worklist was there, still opens it.
        claim = page.locator('table.audit-worklist tr[id^="worklist-"]').first.get_attribute("id")
        page.goto(f"{site}/chapters/audit.html#{claim}", wait_until="networkidle")
        page.wait_for_url(f"**/chapters/worklist.html#{claim}")
        assert page.evaluate(f"() => document.getElementById('{claim}').getBoundingClientRect().top") < height / 2
    finally:
        context.close()


@pytest.mark.parametrize("path", [p for p in toc_pages() if p.startswith("chapters/")])
def test_no_page_names_a_guide_by_its_file(browser, site, tables, path):
    """A guide is named by its title or its number and topic; its file name is a key of the data."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{site}/{path}", wait_until="load")
        text = page.inner_text(".bd-article")
    finally:
        page.close()
    assert [g for g in tables.guides["guide"] if g in text] == []
