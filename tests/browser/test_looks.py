"""How it looks: screenshots of key pages in both languages, light and dark (test-results/screenshots/, for people
to look at), and Chinese text drawn with a real CJK font rather than empty boxes."""
from __future__ import annotations

import pytest

from built import LANGS, url_of
from tools.lighthouse import KEY_PAGES

SCHEMES = {"light": "light", "dark": "dark"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("lang", LANGS)
def test_screenshots_of_key_pages(browser, served, screenshots, lang, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=SCHEMES[scheme],
                                  service_workers="block")
    try:
        page = context.new_page()
        for name, md in KEY_PAGES.items():
            page.goto(served + LANGS[lang] + url_of(md), wait_until="load")
            page.evaluate("document.fonts.ready")
            expected = "slate" if scheme == "dark" else "default"
            assert page.get_attribute("body", "data-md-color-scheme") == expected
            path = screenshots / f"{name}-{lang}-{scheme}.png"
            page.screenshot(path=str(path))
            assert path.stat().st_size > 10_000
    finally:
        context.close()


# Draw text on a canvas in the page's own font and compare the pixels: with no CJK font every Han character is the
# same empty box (tofu), so different characters draw identically, and they draw like a code point no font has.
_GLYPHS = """([a, b, tofu]) => {
  const font = getComputedStyle(document.querySelector('.md-typeset h1')).font;
  const draw = (text) => {
    const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 64;
    const ctx = canvas.getContext('2d'); ctx.font = font.replace(/\\d+(\\.\\d+)?px/, '40px');
    ctx.fillText(text, 4, 48);
    return [...ctx.getImageData(0, 0, 64, 64).data].join(',');
  };
  return {a: draw(a), b: draw(b), tofu: draw(tofu)};
}"""


def test_chinese_renders_with_a_cjk_font(context, served):
    page = context.new_page()
    page.goto(served + "zh/", wait_until="load")
    glyphs = page.evaluate(_GLYPHS, ["权", "重", "\U0010fffd"])
    assert glyphs["a"] != glyphs["b"], "two different Han characters draw the same: boxes, no CJK font"
    assert glyphs["a"] != glyphs["tofu"], "a Han character draws like a missing glyph: no CJK font"

    # and the font that really draws the title is a CJK one (Chromium reports it through the DevTools protocol)
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    h1 = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".md-typeset h1"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": h1})["fonts"]
    names = " ".join(f["familyName"] for f in fonts if f["glyphCount"])
    assert any(word in names for word in ("WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Droid Sans Fallback",
                                          "AR PL", "Source Han")), f"the Chinese title is drawn with {fonts}"
