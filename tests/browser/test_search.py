"""Search, typed into the search box as a reader would: each language finds its own pages and only those.

The page each query must find is the one whose Markdown source uses the term most often (a page about the term),
so the test follows the pages as they are written, not a list kept by hand.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from built import LANGS, url_of
from tools.page_rules import _lines_outside_code, pages
from tools.paths import DOCS

QUERIES = {"en": ["weights_only", "state_dict", "checkpoint"], "zh": ["权重", "反序列化", "检查点", "可信"]}


def _prose(lang: str, page: str) -> str:
    text = (DOCS / lang / page).read_text(encoding="utf-8")
    return "\n".join(line for _, line, in_code in _lines_outside_code(text) if not in_code)


def expected_page(lang: str, term: str) -> str:
    """URL (below the language root) of the page that mentions the term most, outside code."""
    counts = {page: _prose(lang, page).lower().count(term.lower()) for page in pages()[lang]}
    best = max(counts, key=counts.get)
    assert counts[best] > 0, f"no {lang} page mentions {term!r}"
    return url_of(best)


def search(page, base: str, lang: str, query: str) -> list[str]:
    """Type a query into the search box of the language's home page; the result links, as URL paths."""
    page.goto(base + LANGS[lang], wait_until="load")
    page.click(".md-search__input")  # what a reader does (the "/" key also works)
    page.keyboard.type(query, delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.wait_for_timeout(200)  # results render in batches as the worker answers
    return [urlsplit(href).path for href in
            page.eval_on_selector_all(".md-search-result__item > .md-search-result__link", "els => els.map(e => e.href)")]


@pytest.mark.parametrize("lang,query", [(lang, q) for lang, qs in QUERIES.items() for q in qs])
def test_search_finds_the_page_in_the_same_language(context, served, lang, query):
    page = context.new_page()
    results = search(page, served, lang, query)
    prefix = urlsplit(served).path + LANGS[lang]
    outside = [r for r in results if not r.startswith(prefix) or (lang == "en" and r.startswith(prefix + "zh/"))]
    assert not outside, f"{lang} search for {query!r} links outside the {lang} site: {outside}"
    want = prefix + expected_page(lang, query)
    assert want in results, f"{lang} search for {query!r} did not find {want}; found {results}"


def test_chinese_query_is_not_matched_by_english_pages(context, served):
    """The Chinese query 反序列化 on the English site finds nothing: English pages are not in the Chinese index and
    the reverse (so 反序列化 on /zh/, above, finds Chinese pages only)."""
    page = context.new_page()
    search(page, served, "en", "state_dict")  # first a query that finds pages: the index is loaded and answering
    page.fill(".md-search__input", "")
    page.keyboard.type("反序列化", delay=20)
    page.wait_for_timeout(1000)  # longer than the search box's debounce
    # The English tokenizer drops Han characters, so the query is empty: no results, and no count of matches.
    assert page.locator(".md-search-result__item").count() == 0
    assert not re.search(r"\d+ matching", page.text_content(".md-search-result__meta") or "")
