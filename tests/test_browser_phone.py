"""Every page of the built book in headless Chromium at phone width (390 × 844), and the phone
navigation: the visible menu and contents buttons must open their drawers when tapped."""

from __future__ import annotations

import pytest

from .browser_support import ARTIFACTS, check_page, overflowing_tables
from .conftest import toc_pages

PHONE = (390, 844)


@pytest.mark.parametrize("path", toc_pages())
def test_page_loads_cleanly_offline_on_a_phone(browser, site, path):
    check_page(browser, site, path, PHONE)


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


def test_the_worklist_stacks_as_labelled_cards_on_a_phone(browser, site):
    """At 390 px each worklist row is a card inside the page, each cell under its label."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{site}/chapters/worklist.html", wait_until="networkidle")
        cards = page.evaluate("""() => [...document.querySelectorAll('table.audit-worklist > tbody > tr')].map(tr => {
            const box = tr.getBoundingClientRect(), cell = tr.querySelector('td[data-label="where to read"]');
            return [box.left, box.right, getComputedStyle(tr).display,
                    getComputedStyle(cell, '::before').content];
        })""")
        assert cards
        assert all(0 <= left and right <= 390 for left, right, *_ in cards)
        assert {display for _, _, display, _ in cards} == {"block"}
        assert {label for *_, label in cards} == {'"where to read"'}
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        page.close()


@pytest.mark.parametrize("path", toc_pages())
def test_no_table_needs_sideways_scrolling_on_a_phone(browser, site, path):
    assert overflowing_tables(browser, site, path, PHONE) == []


@pytest.mark.parametrize("width", [390, 1366])
def test_the_dose_rule_table_shows_the_dose_at_both_widths(browser, site, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(f"{site}/chapters/larotrectinib.html", wait_until="networkidle")
        cells = page.locator('table.dataframe td[data-label="dose or action"]')
        assert cells.count() > 0
        box = cells.first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert "mg" in cells.first.inner_text()
        headings = page.evaluate("""() => [...document.querySelectorAll('table.dataframe th, table.dataframe td')]
                                    .map(c => c.getAttribute('data-label') || '')""")
        assert not [h for h in headings if "_" in h], "a raw column name is shown"
    finally:
        page.close()


FORESTS = [("chapters/entrectinib.html", "fig-ent-response"), ("chapters/alectinib.html", "fig-alc-forest"),
           ("chapters/larotrectinib.html", "fig-lar-forest"), ("chapters/synthesis.html", "fig-syn-forest")]


@pytest.mark.parametrize("path, figure", FORESTS)
def test_every_forest_plot_is_legible_at_phone_width(browser, site, path, figure):
    """A forest plot draws its text at 11 pt, 15.3 px at the figure's own size: shown at 390 px it
    must be scaled by no less than 0.65 (text of at least 10 px) and fit the page."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{site}/{path}", wait_until="networkidle")
        shown, natural, right = page.evaluate(f"""() => {{
            const img = document.getElementById('{figure}').querySelector('img');
            return [img.getBoundingClientRect().width, img.naturalWidth, img.getBoundingClientRect().right];
        }}""")
        assert natural > 0
        assert shown / natural >= 0.65, (figure, shown, natural)
        assert right <= 390
    finally:
        page.close()
