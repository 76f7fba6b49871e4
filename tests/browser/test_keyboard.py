"""Reading with the keyboard only: the skip link, every code block that scrolls sideways, the search, the language
switch and the theme toggle, each reached with Tab and used with Enter, Escape and the arrow keys. Every control
reached this way must show where the focus is (the pixels around it change when it gets the focus)."""
from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from built import LANGS

WIDTHS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LONG_PAGES = ["save-load/", "reference/"]   # the most code blocks; the widest tables
LONG_PAGE_WITH_CODE = LONG_PAGES[0]

# What may scroll sideways: code blocks, and the wrappers the theme puts around tables.
BLOCKS = "article pre > code, article .md-typeset__scrollwrap"
_ACTIVE = """() => { const e = document.activeElement;
  return {tag: e.tagName, cls: String(e.className), text: (e.textContent || '').trim().slice(0, 40),
          block: [...document.querySelectorAll('%s')].indexOf(e),
          inArticle: !!e.closest('article'), inFooter: !!e.closest('footer')}; }""" % BLOCKS
# Blocks wider than their box: those a keyboard user must be able to scroll (not those in a closed <details>,
# which Tab rightly skips until its summary is opened).
_SCROLLABLE = """() => [...document.querySelectorAll('%s')].map((e, i) =>
  e.checkVisibility() && e.scrollWidth > e.clientWidth + 1 ? i : -1).filter(i => i >= 0)""" % BLOCKS


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box, f"{selector} is not on screen"
    return {"x": max(box["x"] - 6, 0), "y": max(box["y"] - 6, 0), "width": box["width"] + 12,
            "height": box["height"] + 12}


def _shows_focus(page, region_selector: str) -> bool:
    """The area around the focused control looks different with the focus than without it."""
    clip = _box(page, region_selector)
    focused = page.screenshot(clip=clip)
    page.evaluate("window.__focused = document.activeElement; document.activeElement.blur()")
    blurred = page.screenshot(clip=clip)
    page.evaluate("window.__focused.focus({preventScroll: true})")
    return focused != blurred


def _tab_until(page, predicate: str, limit: int = 30) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!({predicate}); }}"):
            return page.evaluate(_ACTIVE)
    raise AssertionError(f"{limit} presses of Tab never reached {predicate}; focus is on {page.evaluate(_ACTIVE)}")


@pytest.fixture(params=list(WIDTHS))
def tab(request, browser):
    context = browser.new_context(viewport=WIDTHS[request.param], service_workers="block")
    page = context.new_page()
    page.width_name = request.param
    yield page
    context.close()


@pytest.mark.parametrize("url", LONG_PAGES)
@pytest.mark.parametrize("lang", LANGS)
def test_skip_link_then_every_scrollable_block_by_tab(tab, served, lang, url):
    tab.goto(served + LANGS[lang] + url, wait_until="load")
    tab.keyboard.press("Tab")
    assert "md-skip" in tab.evaluate(_ACTIVE)["cls"], "the first Tab does not reach the skip link"
    assert _shows_focus(tab, ".md-skip"), "the focused skip link is not visible"
    target = tab.get_attribute(".md-skip", "href")
    tab.keyboard.press("Enter")
    assert tab.evaluate("location.hash") == target
    first = tab.evaluate("() => { const e = document.activeElement; return e === document.body || !!e.closest('article'); }")
    assert first, "after the skip link, focus is still in the header"

    focused_code, ring_checked, presses = set(), False, 0
    while presses < 600:
        tab.keyboard.press("Tab")
        presses += 1
        where = tab.evaluate(_ACTIVE)
        if where["inFooter"]:
            break
        if where["block"] >= 0:
            focused_code.add(where["block"])
            scrolls = tab.evaluate("() => document.activeElement.scrollWidth > document.activeElement.clientWidth + 1")
            if scrolls and not ring_checked:
                assert _shows_focus(tab, ":focus"), "a focused code block shows no focus ring"
                before = tab.evaluate("document.activeElement.scrollLeft")
                for _ in range(5):
                    tab.keyboard.press("ArrowRight")
                try:   # the theme scrolls smoothly: give the animation time
                    tab.wait_for_function("(x) => document.activeElement.scrollLeft > x", arg=before, timeout=3000)
                except PlaywrightTimeout:
                    raise AssertionError(f"ArrowRight does not scroll the focused block {where}") from None
                ring_checked = True
    else:
        raise AssertionError("600 presses of Tab did not reach the footer")
    scrollable = set(tab.evaluate(_SCROLLABLE))
    if url == "save-load/":   # its long code lines scroll at both widths: a test of nothing would pass here
        assert len(scrollable) >= 3, f"only {len(scrollable)} blocks scroll on /{LANGS[lang]}{url}"
    missed = sorted(scrollable - focused_code)
    assert not missed, (f"/{LANGS[lang]}{url} at {tab.width_name} width: blocks {missed} ({BLOCKS}) scroll sideways "
                        f"but Tab never reached them ({len(focused_code)} blocks reached in {presses} presses)")
    assert ring_checked or not scrollable, "no scrolling block was focused, so its focus ring was never checked"


def test_search_with_the_keyboard(tab, served):
    tab.goto(served + "save-load/", wait_until="load")
    if tab.width_name == "laptop":
        _tab_until(tab, "e.matches('.md-search__input')")
    else:   # the search field hides behind an icon on a phone: the theme's "/" shortcut opens it
        tab.keyboard.press("/")
        assert tab.evaluate(_ACTIVE)["cls"].startswith("md-search__input"), "'/' does not open the search"
    # the focused field opens the search: the results panel and the wide field show where the focus went
    assert tab.evaluate("document.getElementById('__search').checked"), "focusing the search field opens nothing"
    assert tab.locator(".md-search__output").is_visible(), "the search panel stays hidden"
    tab.keyboard.type("safetensors", delay=20)
    tab.wait_for_selector(".md-search-result__item", timeout=15_000)
    tab.keyboard.press("ArrowDown")
    where = tab.evaluate(_ACTIVE)
    assert "md-search-result__link" in where["cls"], f"ArrowDown does not move into the results: {where}"
    href = tab.evaluate("document.activeElement.href")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url.split("#")[0] == href.split("#")[0], "Enter on a result does not open it"
    # Escape closes the search and leaves the page as it was
    tab.keyboard.press("/")
    tab.keyboard.type("onnx", delay=20)
    tab.keyboard.press("Escape")
    assert not tab.evaluate("document.getElementById('__search').checked"), "Escape does not close the search"
    assert not tab.evaluate("document.activeElement.matches('.md-search__input')")


def test_language_switch_with_the_keyboard(tab, served):
    tab.goto(served + "save-load/", wait_until="load")
    _tab_until(tab, "e.matches('.md-select > button')")
    assert _shows_focus(tab, ".md-select > button"), "the focused language button shows no focus"
    where = _tab_until(tab, "e.matches('.md-select__link[hreflang=zh]')", limit=3)
    assert tab.locator(".md-select__link[hreflang=zh]").is_visible(), f"the language list stays hidden: {where}"
    assert _shows_focus(tab, ".md-select__link[hreflang=zh]"), "the focused language shows no focus"
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url.endswith("/zh/save-load/"), tab.url


def test_theme_toggle_with_the_keyboard(tab, served):
    tab.goto(served + "save-load/", wait_until="load")
    scheme = lambda: tab.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
    start = scheme()
    _tab_until(tab, "e.matches('input.md-option')")
    assert _shows_focus(tab, "form[data-md-component=palette]"), "the focused theme toggle shows no focus"
    tab.keyboard.press("Enter")
    assert scheme() != start, "Enter on the theme toggle does not switch the colours"
    assert tab.evaluate("document.activeElement.matches('input.md-option')"), "focus is lost after the switch"
    tab.keyboard.press("Enter")
    assert scheme() == start, "Enter again does not switch back"


def test_code_blocks_stay_focusable_on_a_device_without_hover(browser, served):
    """On a touch device (a tablet with a keyboard) the theme takes every code block out of the Tab order when it
    sets the block up; overrides/assets/javascripts/a11y.js puts back those that scroll."""
    context = browser.new_context(viewport=WIDTHS["phone"], has_touch=True, is_mobile=True, service_workers="block")
    try:
        page = context.new_page()
        page.goto(served + LONG_PAGE_WITH_CODE, wait_until="load")
        assert not page.evaluate("matchMedia('(hover)').matches")
        for fraction in (0.25, 0.5, 0.75, 1):    # scroll down so that the theme sets the blocks up
            page.evaluate(f"window.scrollTo(0, document.body.scrollHeight * {fraction})")
            page.wait_for_timeout(300)
        lost = page.evaluate("""() => [...document.querySelectorAll('article pre > code')]
            .filter(e => e.checkVisibility() && e.scrollWidth > e.clientWidth + 1 && e.getAttribute('tabindex') !== '0')
            .map(e => e.closest('.highlight').querySelector('.filename')?.textContent || e.textContent.slice(0, 40))""")
        assert not lost, f"code blocks that scroll but left the Tab order: {lost}"
    finally:
        context.close()
