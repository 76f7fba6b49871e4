"""The page rules (tools/page_rules.py) on the Markdown sources, without building: the same functions the MkDocs
build calls for each page, so the build and the tests cannot disagree."""
import pytest

from tools.page_rules import page_problems, pages, unshown_snippets
from tools.paths import DOCS

PAGES = pages()


def read(lang: str, page: str) -> str:
    return (DOCS / lang / page).read_text(encoding="utf-8")


def test_every_page_exists_in_both_languages():
    assert PAGES["en"] == PAGES["zh"], (
        f"only in English: {sorted(set(PAGES['en']) - set(PAGES['zh']))}; "
        f"only in Chinese: {sorted(set(PAGES['zh']) - set(PAGES['en']))}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pages_follow_the_rules(lang):
    """Includes resolve, outputs are current, headings have unique ids, no Python is typed inline, and each page shows
    what its twin shows; every snippet is shown on a page of this language."""
    found, shown = [], set()
    for page in PAGES[lang]:
        problems, rendered = page_problems(read(lang, page), lang, page)
        found += problems
        shown.update(rendered.shown)
    found += unshown_snippets(shown, lang)
    assert not found, "\n".join(found)

