"""Search, typed into the search box as a reader would: each language finds its own pages and only those; text that
arrives without key events (paste, an IME's commit) is searched too; Chinese queries are cut into words.

The page each query must find is the one whose Markdown source uses the term most often (a page about the term),
so the test follows the pages as they are written, not a list kept by hand. The tests wait for the page to say
that the index is loaded and that it answered this query (tools/search_quality.py), never for a fixed time.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from built import LANGS, url_of
from tools.page_rules import _lines_outside_code, pages
from tools.paths import DOCS, SNIPPETS
from tools.search_quality import ask, open_search

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
    open_search(page, base, lang)  # clicks the box, as a reader does, and waits until the index is loaded
    return [link.split("#")[0] for link in ask(page, query, how="type")]


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
    ask(page, "反序列化", how="type")
    # The English tokenizer drops Han characters, so the query is empty: no results, and no count of matches.
    assert page.locator(".md-search-result__item").count() == 0
    assert not re.search(r"\d+ matching", page.text_content(".md-search-result__meta") or "")


def _marks(page) -> list[str]:
    return page.eval_on_selector_all(".md-search-result mark", "els => els.map(e => e.textContent)")


@pytest.mark.parametrize("how", ["paste", "type"])
def test_text_that_arrives_without_key_presses_is_searched(context, served, how):
    """fill() is a paste; keyboard.type() of Chinese sends input events and no key events, like an IME."""
    page = context.new_page()
    open_search(page, served, "zh")
    assert ask(page, "检查点", how=how), f"{how}: no results for 检查点"


def test_an_ime_commit_is_searched_and_its_pinyin_is_not(context, served):
    page = context.new_page()
    open_search(page, served, "zh")
    cdp = page.context.new_cdp_session(page)
    page.evaluate("""() => { window.answered = [];
        document.documentElement.addEventListener('search-answered', e => window.answered.push(e.detail)); }""")
    page.evaluate("delete document.documentElement.dataset.searchAnswered")
    for typed in ("an", "anquan"):  # the candidate window is open: the box holds pinyin
        cdp.send("Input.imeSetComposition", {"text": typed, "selectionStart": len(typed), "selectionEnd": len(typed)})
        page.keyboard.up("n")  # the key releases a reader's keyboard sends while composing
    cdp.send("Input.insertText", {"text": "安全"})  # the reader picks 安全: compositionend, then input
    page.wait_for_function("() => document.documentElement.dataset.searchAnswered === '安全'", timeout=120_000)
    assert page.input_value(".md-search__input") == "安全"
    assert page.locator(".md-search-result__item").count() > 0
    assert page.evaluate("window.answered") == ["安全"], "pinyin in the box was searched while composing"


def test_a_chinese_query_is_matched_and_highlighted_as_words(context, served):
    """安全加载 is two words, 安全 and 加载: no result highlights a lone 加 (the theme's own cut searched 安全, 加)."""
    page = context.new_page()
    open_search(page, served, "zh")
    assert ask(page, "安全加载")
    marks = _marks(page)
    assert marks, "nothing highlighted for 安全加载"
    assert all(m.startswith(("安全", "加载")) for m in marks), sorted(set(marks))


def test_result_previews_are_prose_without_code_or_tab_labels(context, served):
    """A section with tabs and code blocks shows its prose in the result, not the listings or the labels run
    together (save-load's whole-model section: tabs "把类加入允许列表" / "weights_only=False", each with code)."""
    page = context.new_page()
    open_search(page, served, "zh")
    assert ask(page, "允许列表")
    previews = page.locator(".md-search-result__article")
    assert previews.count() > 0
    assert page.locator(".md-search-result__article pre").count() == 0
    text = " ".join(previews.all_inner_texts()).replace("\u200b", "")   # the segmenter's word marks
    assert "把类加入允许列表weights_only" not in text, text[:500]
    # neither the listings' titles nor their lines (prose may name a file such as identify.py: that is prose)
    for name in ("load_whole_model_allowlist.py", "load_whole_model_trusted.py"):
        assert name not in text, f"the title of {name} is in a search preview"
        lines = [l.strip() for l in (SNIPPETS / "save-load" / name).read_text(encoding="utf-8").splitlines()]
        shown = [l for l in lines if len(l) > 24 and not l.startswith("#") and l in text]
        assert not shown, f"lines of {name} in a search preview: {shown}"
