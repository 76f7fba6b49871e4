"""Readable on a phone and a laptop (issue #13), measured in the DOM at 1366×900 and 390×844, in both languages.

- Tables: every column of the reference and performance tables is visible (no sideways scrolling at either size);
  any other table that must scroll says so; the page itself never scrolls sideways; inline code never breaks
  inside a token.
- Links to one fact: every row of those tables and every cell of the capabilities table has an id made from the
  data file's keys, the same in both languages and unique on its page, with a ¶ link; following a link to it puts
  it on screen, highlighted.
- The home page routes: its task links are on the first screen.
Screenshots of the pages it looks at go to test-results/screenshots/layout-*.png (light and dark) for review.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml

from built import LANGS, built_pages, html_file
from tools.reference import DATA, PROPERTIES
from tools.tables import slug

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
TABLE_PAGES = ["reference/", "performance/"]

# Every table on the page: where it is, whether it (or the box that scrolls it) is wider than it may be, whether
# such a box shows the cue, and every cell that is cut off or hidden without one.
_TABLES = """() => {
  const out = [];
  const scroller = (el) => {
    for (let n = el; n && n !== document.body; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') return n;
    }
    return null;
  };
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  document.querySelectorAll('article table').forEach((table, index) => {
    const box = scroller(table) || table.parentElement;
    const boxRect = box.getBoundingClientRect();
    const wide = box.scrollWidth > box.clientWidth + 1;
    const hint = box.previousElementSibling;
    const cue = box.hasAttribute('data-overflow') && !!hint && hint.classList.contains('scroll-hint') && visible(hint);
    const cut = [];
    table.querySelectorAll('tbody th, tbody td').forEach((cell) => {
      const r = cell.getBoundingClientRect();
      const hidden = getComputedStyle(cell).display === 'none' || r.width === 0;
      if (hidden || r.left < boxRect.left - 1 || r.right > boxRect.right + 1) cut.push((cell.id || cell.textContent).trim().slice(0, 40));
    });
    out.push({index, reference: table.classList.contains('rt-table'), wide, cue, cut,
              right: table.getBoundingClientRect().right, width: document.documentElement.clientWidth});
  });
  return {tables: out, pageWide: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1};
}"""

# Inline code that wraps: the characters on each side of every line break. A break may fall at a space, or after
# one of . ( [ , / outside a string literal and not after a leading dot (tools/layout_hooks.py); anything else
# splits a token.
_SPLIT_CODE = """() => {
  const bad = [];
  for (const code of document.querySelectorAll('article code')) {
    if (code.closest('pre') || code.getClientRects().length < 2) continue;
    const chars = [];
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.data.length; i++) {
        const range = document.createRange(); range.setStart(n, i); range.setEnd(n, i + 1);
        const rect = range.getClientRects()[0];
        chars.push({c: n.data[i], top: rect && rect.width ? rect.top : null});
      }
    }
    let last = null, quote = null;
    for (let i = 0; i < chars.length; i++) {
      const {c, top} = chars[i];
      if (top !== null && last !== null && top > last + 2) {
        const before = chars[i - 1].c;
        const ok = /\\s/.test(before) || /\\s/.test(c) ||
                   ('.([,/'.includes(before) && quote === null && i - 1 > 0);
        if (!ok) bad.push(code.textContent.slice(0, i) + ' | ' + code.textContent.slice(i));
      }
      if (top !== null) last = top;
      if (quote === null && (c === '"' || c === "'")) quote = c; else if (c === quote) quote = null;
    }
  }
  return bad;
}"""


def _scheme(page, scheme):
    """Light or dark, as the theme's toggle sets it (the page stays where it is, so no second load)."""
    page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)",
                  "slate" if scheme == "dark" else "default")
    page.wait_for_timeout(50)


def _pages_with_tables(site, lang):
    return [url for url in built_pages(site, lang) if "<table" in html_file(site, lang, url).read_text(encoding="utf-8")]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_tables_show_every_column_and_code_is_never_split(browser, served, site, screenshots, lang, size):
    pages = _pages_with_tables(site, lang)
    assert set(TABLE_PAGES) <= set(pages), pages
    context = browser.new_context(viewport=SIZES[size], service_workers="block")
    page = context.new_page()
    problems = []
    for url in pages:
        page.goto(f"{served}{LANGS[lang]}{url}", wait_until="load")
        page.wait_for_timeout(100)  # layout.js marks wide tables on the next frame
        found = page.evaluate(_TABLES)
        where = f"/{LANGS[lang]}{url} at {size}"
        if found["pageWide"]:
            problems.append(f"{where}: the page scrolls sideways")
        for table in found["tables"]:
            if url in TABLE_PAGES and (table["wide"] or table["cut"]):
                problems.append(f"{where}: table {table['index'] + 1} does not show every column: cut {table['cut']}")
            elif table["wide"] and not table["cue"]:
                problems.append(f"{where}: table {table['index'] + 1} scrolls sideways with no visible cue")
            elif table["cut"] and not table["cue"]:
                problems.append(f"{where}: table {table['index'] + 1} hides cells with no cue: {table['cut']}")
        problems += [f"{where}: inline code split inside a token: {c!r}" for c in page.evaluate(_SPLIT_CODE)]
    for name, path in (("reference", "reference/#capabilities"), ("reference-save", "reference/#how-to-save"),
                       ("performance", "performance/#results"), ("output", "save-load/#weights-only-default")):
        page.goto(f"{served}{LANGS[lang]}{path}", wait_until="load")
        for scheme in ("light", "dark"):
            _scheme(page, scheme)
            page.screenshot(path=str(screenshots / f"layout-{name}-{lang}-{size}-{scheme}.png"))
            if name == "performance":
                page.locator(".bench-plot").first.screenshot(path=str(screenshots / f"layout-plot-{lang}-{size}-{scheme}.png"))
    context.close()
    assert not problems, "\n".join(problems)


class _TableIds(HTMLParser):
    """Ids of the reference tables' rows and cells, the ¶ links in them, and every id on the page."""

    def __init__(self):
        super().__init__()
        self.in_table = 0
        self.in_body = False
        self.rows: list[str | None] = []
        self.cells: list[tuple[str | None, str]] = []   # (id, table class)
        self.links: set[str] = set()
        self.all_ids: list[str] = []
        self.table = ""
        self.wrapper = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.all_ids.append(attrs["id"])
        if tag == "div" and "rt" in (attrs.get("class") or "").split():
            self.wrapper = attrs["class"]
        if tag == "table" and "rt-table" in (attrs.get("class") or ""):
            self.in_table += 1
            self.table = self.wrapper
        if not self.in_table:
            return
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append(attrs.get("id"))
        elif tag == "td":
            self.cells.append((attrs.get("id"), self.table))
        elif tag == "a" and "rt-anchor" in (attrs.get("class") or ""):
            self.links.add(attrs["href"].lstrip("#"))

    def handle_endtag(self, tag):
        if tag == "table" and self.in_table:
            self.in_table -= 1
        if tag == "tbody":
            self.in_body = False


def _table_ids(site, lang, url) -> _TableIds:
    parser = _TableIds()
    parser.feed(html_file(site, lang, url).read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("url", TABLE_PAGES)
def test_every_row_and_cell_has_one_id_in_both_languages(site, url):
    found = {lang: _table_ids(site, lang, url) for lang in LANGS}
    for lang, ids in found.items():
        assert ids.rows and None not in ids.rows, f"/{LANGS[lang]}{url}: a table row has no id"
        capability_cells = [i for i, table in ids.cells if "rt-capabilities" in table]
        assert None not in capability_cells, f"/{LANGS[lang]}{url}: a cell of the capabilities table has no id"
        duplicates = sorted({i for i in ids.all_ids if ids.all_ids.count(i) > 1})
        assert not duplicates, f"/{LANGS[lang]}{url}: ids used twice: {duplicates}"
        linked = set(ids.rows) | {i for i, _ in ids.cells if i}
        assert linked == ids.links, f"/{LANGS[lang]}{url}: rows or cells without their ¶ link: {linked ^ ids.links}"
    en, zh = found["en"], found["zh"]
    assert (en.rows, [i for i, _ in en.cells]) == (zh.rows, [i for i, _ in zh.cells]), (
        f"{url}: the table ids differ between English and Chinese")
    if url == "reference/":
        formats = yaml.safe_load(DATA.read_text(encoding="utf-8"))["formats"]
        expected = [f"{slug(f)}-{slug(p)}" for f in formats for p in PROPERTIES]
        assert [i for i, t in en.cells if "rt-capabilities" in t] == expected, (
            "the capabilities cells' ids are not <format key>-<property key> from data/formats.yaml")


# Follow a link to each id in turn, as a reader following a wiki link would; where the target is, and whether it
# is highlighted and its ¶ link shows.
_FOLLOW = """async (ids) => {
  const frames = (n) => new Promise((done) => { const step = () => (n-- ? requestAnimationFrame(step) : done()); step(); });
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  const bad = [];
  for (const id of ids) {
    location.hash = id;
    await frames(2);
    const el = document.getElementById(id);
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const anchor = el.querySelector(':scope > .rt-anchor, :scope > th > .rt-anchor');
    if (!el.matches(':target')) bad.push(id + ': not the target');
    else if (r.top < header - 1 || r.top > innerHeight - 20) bad.push(id + ': not on screen (top ' + Math.round(r.top) + ')');
    else if (style.outlineStyle === 'none') bad.push(id + ': not highlighted');
    else if (anchor && getComputedStyle(anchor).opacity !== '1') bad.push(id + ': its link is not shown');
  }
  return bad;
}"""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_a_link_to_a_cell_shows_it_highlighted(browser, served, site, lang, size):
    context = browser.new_context(viewport=SIZES[size], service_workers="block")
    page = context.new_page()
    bad = []
    for url in TABLE_PAGES:
        ids = _table_ids(site, lang, url)
        targets = [i for i in ids.rows] + [i for i, _ in ids.cells if i]
        page.goto(f"{served}{LANGS[lang]}{url}", wait_until="load")
        bad += [f"/{LANGS[lang]}{url}#{b}" for b in page.evaluate(_FOLLOW, targets)]
        # the ¶ links are reached with the keyboard, and show when they have the focus
        link = page.locator(".rt-anchor").first
        link.focus()
        assert page.evaluate("document.activeElement.classList.contains('rt-anchor')")
        assert link.evaluate("a => getComputedStyle(a).opacity") == "1", f"/{LANGS[lang]}{url}: focused ¶ is hidden"
    # a deep link opened in a new page (the wiki case) lands on the cell too
    page.goto(f"{served}{LANGS[lang]}reference/#executorch-bytes", wait_until="load")
    page.wait_for_timeout(300)
    where = page.evaluate("""() => { const r = document.getElementById('executorch-bytes').getBoundingClientRect();
        return [r.top, r.bottom, innerHeight, document.querySelector('.md-header').getBoundingClientRect().bottom]; }""")
    assert where[3] <= where[0] and where[1] <= where[2], f"a deep link to #executorch-bytes lands off screen: {where}"
    context.close()
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_the_home_page_routes_on_its_first_screen(browser, served, site, screenshots, lang, size):
    context = browser.new_context(viewport=SIZES[size], service_workers="block")
    page = context.new_page()
    page.goto(f"{served}{LANGS[lang]}", wait_until="load")
    tasks = page.evaluate("""() => [...document.querySelectorAll('article .tasks li')].map(li => ({
        text: li.textContent.trim().slice(0, 30),
        links: [...li.querySelectorAll('a')].map(a => ({href: a.getAttribute('href'), bottom: a.getBoundingClientRect().bottom,
                                                       top: a.getBoundingClientRect().top})),
    }))""")
    height = SIZES[size]["height"]
    for scheme in ("light", "dark"):
        _scheme(page, scheme)
        page.screenshot(path=str(screenshots / f"layout-home-{lang}-{size}-{scheme}.png"))
    context.close()
    assert len(tasks) >= 5 and all(t["links"] for t in tasks), f"/{LANGS[lang]}: the task list is missing: {tasks}"
    below = [(t["text"], link["href"]) for t in tasks for link in t["links"] if not 0 <= link["top"] < link["bottom"] <= height]
    assert not below, f"/{LANGS[lang]} at {size}: task links below the first screen: {below}"
    # and each leads somewhere that exists, to a heading that exists
    for task in tasks:
        for link in task["links"]:
            target, _, anchor = link["href"].partition("#")
            path = html_file(site, lang, target.strip("./").rstrip("/") + "/" if target.strip("./") else "")
            assert path.exists(), f"/{LANGS[lang]}: task link {link['href']} leads nowhere"
            if anchor:
                assert f'id="{anchor}"' in path.read_text(encoding="utf-8"), f"/{LANGS[lang]}: no #{anchor} for {link['href']}"
