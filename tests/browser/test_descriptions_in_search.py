"""Search shows a page with its description: when a query matches the page itself, mkdocs-material lists the page's
title with the text of its own search entry under it, and tools/page_meta.py starts that text with the
description of the page's front matter."""
from __future__ import annotations

import pytest
import yaml

from built import LANGS, url_of
from tools.paths import DOCS
from tools.translations import _FRONT_MATTER

# A word of the page's description, typed as a reader would.
QUERIES = [("en", "security.md", "arbitrary"), ("zh", "security.md", "任意代码执行")]


def description(lang: str, page: str) -> str:
    match = _FRONT_MATTER.match((DOCS / lang / page).read_text(encoding="utf-8"))
    return " ".join(yaml.safe_load(match.group(1))["description"].split())


@pytest.mark.parametrize("lang,page,query", QUERIES)
def test_search_result_shows_the_description(context, served, lang, page, query):
    tab = context.new_page()
    tab.goto(served + LANGS[lang], wait_until="load")
    tab.click(".md-search__input")
    tab.keyboard.type(query, delay=20)
    tab.wait_for_selector(".md-search-result__item", timeout=15000)
    tab.wait_for_timeout(300)   # results render in batches as the worker answers
    link = tab.locator(f'.md-search-result__item > a.md-search-result__link[href*="/{LANGS[lang]}{url_of(page)}?"]')
    assert link.count(), f"{lang} search for {query!r} does not list {url_of(page)}"
    shown = " ".join(link.first.inner_text().replace("\u200b", "").split())
    want = description(lang, page)
    assert want[:60] in shown, f"{lang} result for {url_of(page)} shows {shown[:200]!r}, not its description"
