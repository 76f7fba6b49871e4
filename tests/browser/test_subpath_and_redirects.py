"""The site below a sub-path, as a GitHub Pages project site (https://<owner>.github.io/<repository>/), and the
redirects that keep old page URLs working."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from built import LANGS, built_pages, redirect_maps, url_of
from test_search import expected_page, search


@pytest.fixture
def recorded(context):
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.url}: {r.status}"))
    return page, problems


def test_pages_and_assets_load_below_a_sub_path(site, served_subpath, recorded):
    page, problems = recorded
    prefix = urlsplit(served_subpath).path
    urls = {""} | set(built_pages(site, "en")[:3])
    for lang in LANGS:
        for url in sorted(urls):
            page.goto(served_subpath + LANGS[lang] + url, wait_until="load")
            assert page.evaluate("document.styleSheets.length") > 0
            header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
            assert header not in ("", "rgba(0, 0, 0, 0)"), "the theme's stylesheet did not apply"
            links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            escaped = [h for h in links if urlsplit(h).netloc == urlsplit(served_subpath).netloc
                       and not urlsplit(h).path.startswith(prefix)]
            assert not escaped, f"links that leave {prefix}: {escaped[:5]}"
    assert not problems, "\n".join(problems)


def test_language_switch_works_below_a_sub_path(site, served_subpath, recorded):
    page, problems = recorded
    url = built_pages(site, "en")[1]
    page.goto(served_subpath + url, wait_until="load")
    for lang in ("zh", "en"):
        page.hover(".md-header__option .md-select")
        with page.expect_navigation():
            page.click(f'.md-select__link[hreflang="{lang}"]')
        assert page.url == served_subpath + LANGS[lang] + url
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang,query", [("en", "weights_only"), ("zh", "反序列化")])
def test_search_works_below_a_sub_path(served_subpath, context, lang, query):
    results = search(context.new_page(), served_subpath, lang, query)
    prefix = urlsplit(served_subpath).path + LANGS[lang]
    assert prefix + expected_page(lang, query) in results, results
    assert all(r.startswith(prefix) for r in results), results


def test_redirect_maps_are_the_same_in_both_languages():
    assert redirect_maps("en") == redirect_maps("zh"), "keep the redirect maps of mkdocs.yml and mkdocs.zh.yml equal"
    assert redirect_maps("en"), "configure at least one redirect (an example keeps the mechanism tested)"


@pytest.mark.parametrize("lang", LANGS)
def test_old_urls_redirect_to_the_moved_page(context, served_subpath, lang):
    page = context.new_page()
    for old, new in redirect_maps(lang).items():
        target = served_subpath + LANGS[lang] + url_of(new.split("#")[0])
        page.goto(served_subpath + LANGS[lang] + url_of(old), wait_until="load")
        page.wait_for_url(target, timeout=5000)
        assert page.url == target
