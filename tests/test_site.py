"""Check the built site without a browser (conftest.py's `site` fixture builds both languages as CI publishes them)."""
import re

import pytest

from tools.page_rules import pages
from tools.site import url_of
from tools.site_check import foreign_resources, search_index

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("lang,prefix", [("en", ""), ("zh", "zh/")])
def test_every_page_is_built(site, lang, prefix):
    missing = [page for page in pages()[lang] if not (site / prefix / url_of(page) / "index.html").is_file()]
    assert not missing, f"{lang} pages with no HTML: {missing}"


def test_chinese_pages_say_they_are_chinese(site):
    assert '<html lang="zh"' in (site / "zh" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (site / "index.html").read_text(encoding="utf-8")


def test_nothing_is_loaded_from_another_host(site):
    found = foreign_resources(site)
    assert not found, "resources from other hosts:\n" + "\n".join(found)


def test_each_language_has_its_own_search_index(site):
    en, zh = search_index(site), search_index(site / "zh")
    assert en["config"]["lang"] == ["en"]
    assert "zh" in zh["config"]["lang"]
    en_han = [d["location"] for d in en["docs"] if HAN.search(d["title"] + d["text"])]
    assert not en_han, f"English search index holds Chinese text: {en_han[:5]}"
    assert all(HAN.search(d["title"] + d["text"]) for d in zh["docs"] if d["location"].count("#") == 0), (
        "a Chinese page in the Chinese index has no Chinese text")


def test_chinese_index_is_segmented_by_jieba(site):
    # mkdocs-material inserts zero-width spaces between the words jieba finds; no jieba, no spaces.
    text = "".join(d["text"] for d in search_index(site / "zh")["docs"])
    assert "\u200b" in text, "the Chinese search index was not segmented: is jieba installed?"
