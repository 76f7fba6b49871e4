"""Rules checked on the Markdown sources, without building: twins, anchors, includes, no code typed inline."""
import re

import pytest

from tools.page_rules import headings, includes, pages, problems
from tools.paths import DOCS
from tools.snippets import discover

PAGES = pages()


def read(lang: str, page: str) -> str:
    return (DOCS / lang / page).read_text(encoding="utf-8")


def test_every_page_exists_in_both_languages():
    assert PAGES["en"] == PAGES["zh"], (
        f"only in English: {sorted(set(PAGES['en']) - set(PAGES['zh']))}; "
        f"only in Chinese: {sorted(set(PAGES['zh']) - set(PAGES['en']))}")


@pytest.mark.parametrize("page", PAGES["en"])
def test_twins_have_the_same_anchors_and_includes(page):
    if page not in PAGES["zh"]:
        pytest.fail(f"docs/zh/{page} is missing")
    en, zh = read("en", page), read("zh", page)
    assert [h[2] for h in headings(en)] == [h[2] for h in headings(zh)], (
        f"docs/en/{page} and docs/zh/{page} must have the same heading ids in the same order")
    assert [i.target for i in includes(en)] == [i.target for i in includes(zh)], (
        f"docs/en/{page} and docs/zh/{page} must include the same snippets and outputs in the same order")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pages_follow_the_build_rules(lang):
    found = [p for page in PAGES[lang] for p in problems(read(lang, page), f"docs/{lang}/{page}")]
    assert not found, "\n".join(found)


def test_ids_are_unique_within_a_page():
    for lang, names in PAGES.items():
        for page in names:
            ids = [h[2] for h in headings(read(lang, page))]
            dupes = {i for i in ids if ids.count(i) > 1}
            assert not dupes, f"docs/{lang}/{page} repeats heading ids {sorted(dupes)}"


def test_every_snippet_is_shown_in_both_languages():
    for lang, names in PAGES.items():
        shown = {inc.file for page in names for inc in includes(read(lang, page))}
        unshown = [f"snippets/{s.rel}" for s in discover() if s.rel not in shown]
        assert not unshown, f"not shown on any {lang} page: {unshown}"


_CODE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*(python|py|pycon)\b")


def test_no_python_is_typed_inline():
    """Python on a page comes from snippets/, where the tests run it."""
    for lang, names in PAGES.items():
        for page in names:
            lines = read(lang, page).splitlines()
            for number, line in enumerate(lines):
                if _CODE_FENCE.match(line):
                    body = []
                    for following in lines[number + 1:]:
                        if following.strip().startswith(("```", "~~~")):
                            break
                        body.append(following.strip())
                    assert body and all(b.startswith("--8<--") or not b for b in body), (
                        f"docs/{lang}/{page}:{number + 1} has Python typed inline; put it in snippets/ and include it")
