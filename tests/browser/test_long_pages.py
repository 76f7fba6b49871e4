"""What keeps pages fast on phones (make lighthouse), and checks that readers lose nothing by it.

The theme's script is deferred (overrides/main.html), so the browser paints before the theme sets up. On long
pages code blocks are set up by the theme only when they scroll into view (feature `content.lazy`) and laid out
by the browser only near the screen (`content-visibility`): a link to a heading deep in the page must still land
on it, and a code block far down must still get a working copy button."""
from __future__ import annotations

import re

import pytest

from built import LANGS, built_pages, heading_ids, html_file
from conftest import VIEWPORT
from tools.paths import SNIPPETS

LONG_PAGES = ["save-load/", "reference/"]

# Where the heading is once the browser has jumped to it, the header's bottom edge, and how much page is left from
# the heading down (when that is less than a screen, the page cannot scroll the heading up to the header).
_LANDING = """(id) => {
  const top = document.getElementById(id).getBoundingClientRect().top;
  return {top, header: document.querySelector('.md-header').getBoundingClientRect().bottom,
          rest: document.documentElement.scrollHeight - (window.scrollY + top), screen: window.innerHeight};
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("url", LONG_PAGES)
def test_a_link_to_a_heading_far_down_lands_on_it(context, served, site, lang, url):
    ids = heading_ids(html_file(site, lang, url).read_text(encoding="utf-8"))
    page = context.new_page()
    # Headings halfway and all the way down: many code blocks above them are still unrendered estimates.
    for target in (ids[len(ids) // 2], ids[-1]):
        page.goto(f"{served}{LANGS[lang]}{url}#{target}", wait_until="load")
        page.wait_for_timeout(300)  # let blocks near the screen render at their real height
        where = page.evaluate(_LANDING, target)
        below_header = where["top"] - where["header"]
        assert 0 <= below_header <= 60 or (where["rest"] < where["screen"] and below_header >= 0), (
            f"/{LANGS[lang]}{url}#{target}: the heading is {below_header:.0f}px below the header, not at the top")
    page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_copy_button_far_down_copies_the_snippet(browser, served, lang):
    context = browser.new_context(viewport=VIEWPORT, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{served}{LANGS[lang]}save-load/", wait_until="load")
    # The last program outside a folded note, shown with its file name (a snippet from snippets/save-load/).
    block = page.locator("article .highlight:not(details .highlight)").filter(
        has=page.locator("> .filename", has_text=re.compile(r"\.py$"))).last
    name = block.locator(".filename").text_content().strip()
    assert block.locator(".md-code__button[data-md-type=copy]").count() == 0, (
        "a code block far below the screen already has its copy button: the theme sets up every block at page "
        "load again (feature content.lazy off?), which is what made long pages slow on phones")
    block.scroll_into_view_if_needed()
    button = block.locator(".md-code__button[data-md-type=copy]")
    button.wait_for(state="visible", timeout=5000)
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    source = (SNIPPETS / "save-load" / name).read_text(encoding="utf-8")
    assert copied.strip() == source.strip(), f"the copy button of {name} copied something else than the snippet"
    assert re.search(r"^import ", copied, re.M), f"{name}: copied code has no imports"
    context.close()


def test_the_theme_script_is_deferred_on_every_page(site):
    bundle = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"( defer)?></script>')
    for lang in LANGS:
        for url in built_pages(site, lang) + ["404.html"]:
            path = site / LANGS[lang] / url if url.endswith(".html") else html_file(site, lang, url)
            tags = bundle.findall(path.read_text(encoding="utf-8"))
            assert tags == [" defer"], (
                f"{path.relative_to(site)}: the theme's script tag is {tags or 'missing'}, not deferred: "
                "the `scripts` block in overrides/main.html no longer matches the theme's tag")
