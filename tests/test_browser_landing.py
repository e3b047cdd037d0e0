"""The reader's minute: on a phone (390 × 844, touch) the first screen of the landing page shows how
many claims fail, how many could not be checked, and the start of the most consequential finding."""

from __future__ import annotations

from .browser_support import ARTIFACTS

PHONE = {"width": 390, "height": 844}

FIRST_SCREEN = """() => {
  const screen = window.innerHeight;
  const inView = el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < screen; };
  const opening = [...document.querySelectorAll('.bd-article p')].find(p => /errors/.test(p.textContent));
  const first = document.querySelector('.cnsaudit-findings li');
  return {opening: opening ? opening.textContent : null, openingInView: !!opening && inView(opening),
          first: first ? first.textContent : null, firstInView: !!first && inView(first)};
}"""


def test_the_first_phone_screen_shows_the_counts_and_the_first_finding(browser, site):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{site}/intro.html", wait_until="networkidle")
        seen = page.evaluate(FIRST_SCREEN)
        page.screenshot(path=str(ARTIFACTS / "phone-landing-first-screen.png"))
    finally:
        context.close()
    assert seen["opening"] and seen["openingInView"], seen
    for words in ("errors", "caveats", "could not be checked"):
        assert words in seen["opening"]
    assert seen["first"] and seen["firstInView"], "the first finding starts below the first screen"
