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


# ---- every table-of-contents link of the longest pages lands on its heading (issue #13)

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _longest_pages(site, count=3) -> list[str]:
    """The English pages with the most text in their article (the Chinese twins have the same code blocks)."""
    def length(url):
        text = html_file(site, "en", url).read_text(encoding="utf-8")
        return len(re.sub(r"<[^>]+>", "", text[text.find("<article"):text.find("</article>")]))
    return sorted((u for u in built_pages(site, "en") if u and u != "walkthrough/"), key=length)[-count:]


# Follow each link as the reader does (a click on the table of contents on a laptop; on a phone, where that list
# sits in the drawer, the same in-page navigation), wait until the heading stops moving, and say where it is:
# its top should be where the theme puts a target (its scroll-margin-top below the top of the window), unless the
# page ends before the heading could get there.
_FOLLOW_TOC = """async ([ids, click]) => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  const out = [];
  for (const id of ids) {
    const link = document.querySelector(`.md-sidebar--secondary a.md-nav__link[href="#${CSS.escape(id)}"]`);
    if (click && link) link.click(); else location.hash = id;
    const el = document.getElementById(id);
    let top = null, still = 0;
    for (let i = 0; i < 90 && still < 6; i++) {   // up to 1.5 s; done when it has not moved for 6 frames
      await frame();
      const now = el.getBoundingClientRect().top;
      still = top !== null && Math.abs(now - top) < 0.5 ? still + 1 : 0;
      top = now;
    }
    const margin = parseFloat(getComputedStyle(el).scrollMarginTop) || 0;
    const atEnd = Math.ceil(window.scrollY + innerHeight) >= document.documentElement.scrollHeight - 1;
    out.push({id, top, margin, header, atEnd});
  }
  return out;
}"""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_every_toc_link_of_the_longest_pages_lands_on_its_heading(browser, served, site, lang, size):
    context = browser.new_context(viewport=SIZES[size], service_workers="block")
    page = context.new_page()
    wrong = []
    for url in _longest_pages(site):
        page.goto(f"{served}{LANGS[lang]}{url}", wait_until="load")
        ids = page.evaluate("[...document.querySelectorAll('.md-sidebar--secondary a.md-nav__link')]"
                            ".map(a => decodeURIComponent(a.hash.slice(1))).filter(Boolean)")
        assert len(ids) >= 5, f"/{LANGS[lang]}{url}: {len(ids)} table-of-contents links"
        # Last, first, second last, second, ...: each jump crosses code blocks not yet laid out (a walk down the list
        # in order would lay out each stretch before the next short jump, and hide the problem).
        order = [ids[i // 2] if i % 2 else ids[-1 - i // 2] for i in range(len(ids))]
        for where in page.evaluate(_FOLLOW_TOC, [order, size == "laptop"]):
            off = where["top"] - where["margin"]
            if where["top"] < where["header"] - 1 or (abs(off) > 4 and not (where["atEnd"] and off > 0)):
                wrong.append(f"/{LANGS[lang]}{url}#{where['id']} at {size}: heading at {where['top']:.0f}px, "
                             f"expected {where['margin']:.0f}px (header ends at {where['header']:.0f}px)")
    context.close()
    assert not wrong, "\n".join(wrong)
