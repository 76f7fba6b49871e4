"""Walk every page of both languages in the browser, as a reader would, switching language by clicking.

One walk (module fixture) loads each English page, clicks the language switcher to reach its Chinese twin, and
clicks back. Everything the browser did is recorded and the tests below check it: what was requested and from
where, console errors, the switcher's destination, and the words the page shows around its content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import material
from built import HAN, LANGS, SITE_NAME, built_pages, heading_ids, html_file

# What a page shows around its content: the header, the navigation, the footer, the table of contents, and
# the theme's labels (title, aria-label, placeholder attributes) anywhere.
_CHROME = """() => {
  const text = (selector) => [...document.querySelectorAll(selector)].map(e => e.textContent.trim()).filter(Boolean);
  const attrs = [];
  for (const e of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    for (const a of ['title', 'aria-label', 'placeholder']) {
      const v = e.getAttribute(a);
      if (v && !(a === 'title' && e.closest('article') && !e.classList.contains('headerlink'))) attrs.push(v.trim());
    }
  }
  const nav = [...document.querySelectorAll('.md-sidebar--primary .md-nav__link')].map(a => ({
    href: a.href || '', label: (a.querySelector('.md-ellipsis') || a).textContent.trim()
  }));
  return {
    lang: document.documentElement.lang,
    siteName: (document.querySelector('.md-header__topic .md-ellipsis') || {textContent: ''}).textContent.trim(),
    placeholder: (document.querySelector('.md-search__input') || {placeholder: ''}).placeholder,
    words: [...attrs, ...text('.md-footer__direction, .md-top, .md-nav__title, .md-skip, .md-search-result__meta')],
    nav,
  };
}"""


@dataclass
class Visit:
    lang: str
    url: str                       # below the language root
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    chrome: dict = field(default_factory=dict)
    switched_to: str | None = None  # where clicking the switcher led (URL below the site root)


def _theme_words(lang: str) -> dict[str, str]:
    """mkdocs-material's own words for a language, key -> text (from the installed theme)."""
    path = Path(material.__file__).parent / "templates" / "partials" / "languages" / f"{lang}.html"
    return dict(re.findall(r'^\s*"([a-z.]+)": "(.*)",?$', path.read_text(encoding="utf-8"), re.M))


def _click_switcher(page, lang: str, wait_until: str = "load") -> None:
    page.hover(".md-header__option .md-select")
    with page.expect_navigation(wait_until=wait_until):
        page.click(f'.md-header__option .md-select__link[hreflang="{lang}"]')


@pytest.fixture(scope="module")
def walk(browser, site, served) -> dict[tuple[str, str], Visit]:
    visits: dict[tuple[str, str], Visit] = {}
    current: list[Visit] = []
    origin = served.rstrip("/")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    context.on("request", lambda r: current and current[-1].requests.append(r.url))
    # net::ERR_ABORTED: a request the test's own next navigation cut short (the search worker's, typically)
    context.on("requestfailed", lambda r: current and r.failure != "net::ERR_ABORTED"
               and current[-1].failed.append(f"{r.url}: {r.failure}"))
    context.on("response", lambda r: current and r.status >= 400 and current[-1].failed.append(f"{r.url}: {r.status}"))
    page.on("console", lambda m: current and m.type == "error" and current[-1].console_errors.append(m.text))
    page.on("pageerror", lambda e: current and current[-1].console_errors.append(str(e)))

    def record(visit: Visit) -> None:
        page.wait_for_load_state("load")
        visit.chrome = page.evaluate(_CHROME)

    try:
        for url in built_pages(site, "en"):
            visit = Visit("en", url)
            current.append(visit)
            page.goto(served + url, wait_until="load")
            record(visit)
            visits["en", url] = visit

            twin = Visit("zh", url)
            current.append(twin)
            _click_switcher(page, "zh")
            visit.switched_to = page.url.removeprefix(origin + "/")
            record(twin)
            visits["zh", url] = twin

            back = Visit("en", url)
            current.append(back)
            _click_switcher(page, "en", wait_until="commit")  # that page is checked on its own visit
            twin.switched_to = page.url.removeprefix(origin + "/")
            current.pop()
        for url in built_pages(site, "zh"):  # a Chinese page with no English twin is visited too
            if ("zh", url) not in visits:
                visit = Visit("zh", url)
                current.append(visit)
                page.goto(served + "zh/" + url, wait_until="load")
                record(visit)
                visits["zh", url] = visit
        page.wait_for_timeout(300)  # let the last page's search worker finish loading its index
    finally:
        context.close()
    return visits


def test_every_page_exists_in_both_languages(site):
    en, zh = set(built_pages(site, "en")), set(built_pages(site, "zh"))
    assert en == zh, f"only in English: {sorted(en - zh)}; only in Chinese: {sorted(zh - en)}"
    assert len(en) >= 2


def test_built_heading_ids_are_the_same_in_both_languages(site):
    differ = []
    for url in built_pages(site, "en"):
        en = heading_ids(html_file(site, "en", url).read_text(encoding="utf-8"))
        zh_file = html_file(site, "zh", url)
        zh = heading_ids(zh_file.read_text(encoding="utf-8")) if zh_file.is_file() else None
        if en != zh:
            differ.append(f"/{url}: en {en} != zh {zh}")
    assert not differ, "heading ids differ between the languages:\n" + "\n".join(differ)


def test_every_heading_has_a_readable_english_id(site):
    bad = [f"/{LANGS[lang]}{url}: {i}" for lang in LANGS for url in built_pages(site, lang)
           for i in heading_ids(html_file(site, lang, url).read_text(encoding="utf-8"))
           if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", i)]
    assert not bad, "headings whose id is not a short English slug:\n" + "\n".join(bad)


def test_language_switcher_leads_to_the_same_page(walk):
    wrong = [f"{v.lang} /{LANGS[v.lang]}{v.url} -> /{v.switched_to}" for v in walk.values()
             if v.switched_to is not None and v.switched_to != LANGS["zh" if v.lang == "en" else "en"] + v.url]
    assert not wrong, "the language switcher leads elsewhere than the twin page:\n" + "\n".join(wrong)
    assert all(v.switched_to is not None for v in walk.values() if v.lang == "en")


def test_nothing_is_requested_from_another_host(walk, served):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(served))
    foreign = sorted({f"{v.lang} /{v.url}: {r}" for v in walk.values() for r in v.requests
                      if not r.startswith((origin + "/", "data:", "blob:"))})
    assert not foreign, "requests outside the site's origin:\n" + "\n".join(foreign)
    # the recording sees what the pages load, including the search worker's index
    assert any(r.endswith("/search/search_index.json") for v in walk.values() for r in v.requests)
    assert any(r.endswith("/zh/search/search_index.json") for v in walk.values() for r in v.requests)


def test_no_console_errors_and_no_failed_requests(walk):
    found = [f"{v.lang} /{v.url}: {e}" for v in walk.values() for e in v.console_errors + v.failed]
    assert not found, "\n".join(found)


def test_pages_say_their_language(walk):
    wrong = [f"/{LANGS[v.lang]}{v.url}: lang={v.chrome['lang']!r}" for v in walk.values()
             if v.chrome["lang"] != v.lang]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGS)
def test_site_name_and_search_placeholder_are_in_the_page_language(walk, lang):
    placeholder = _theme_words(lang)["search.placeholder"]
    wrong = [f"/{LANGS[lang]}{v.url}: {v.chrome['siteName']!r}, {v.chrome['placeholder']!r}"
             for (page_lang, _), v in walk.items() if page_lang == lang
             if v.chrome["siteName"] != SITE_NAME[lang] or v.chrome["placeholder"] != placeholder]
    assert not wrong, f"expected site name {SITE_NAME[lang]!r} and placeholder {placeholder!r}:\n" + "\n".join(wrong)


def test_theme_words_on_chinese_pages_are_chinese(walk):
    en, zh = _theme_words("en"), _theme_words("zh")
    english_only = {text for key, text in en.items() if zh.get(key) != text and re.search("[A-Za-z]", text)}
    english_only |= {"Permanent link"}  # the Markdown toc extension's word for the ¶ anchors
    found = sorted({f"/zh/{v.url}: {word!r}" for (lang, _), v in walk.items() if lang == "zh"
                    for word in v.chrome["words"] if word in english_only})
    assert not found, "English theme words on Chinese pages:\n" + "\n".join(found)


def test_navigation_labels_are_in_the_page_language(walk):
    """A Chinese nav label equal to the English label of the same link, and made of several English words, was not
    translated. (A single name such as "ONNX" or "safetensors" is the same in both languages.)"""
    english = {}
    for (lang, _), v in walk.items():
        if lang == "en":
            for item in v.chrome["nav"]:
                english[urlsplit(item["href"]).path] = item["label"]
    untranslated = set()
    for (lang, _), v in walk.items():
        if lang != "zh":
            continue
        assert v.chrome["nav"], f"/zh/{v.url} has no navigation"
        for item in v.chrome["nav"]:
            path = urlsplit(item["href"]).path
            twin = english.get(path.replace("/zh/", "/", 1))
            if (item["label"] == twin and not HAN.search(item["label"])
                    and len(re.findall(r"[A-Za-z]{2,}", item["label"])) >= 2):
                untranslated.add(f"{path}: {item['label']!r}")
            if path.startswith("/zh/") is False and urlsplit(item["href"]).netloc:
                untranslated.add(f"{item['href']}: a Chinese page's navigation leaves the Chinese site")
    assert not untranslated, "untranslated navigation labels on Chinese pages:\n" + "\n".join(sorted(untranslated))


def test_english_pages_show_no_chinese_outside_the_switcher(walk):
    found = [f"/{v.url}: {w!r}" for (lang, _), v in walk.items() if lang == "en"
             for w in v.chrome["words"] + [n["label"] for n in v.chrome["nav"]] if HAN.search(w)]
    assert not found, "\n".join(found)
