"""Every page of the built book in headless Chromium at phone width (390 × 844), and the phone
navigation: the visible menu and contents buttons must open their drawers when tapped."""

from __future__ import annotations

import pytest

from .browser_support import ARTIFACTS, check_page
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
