"""Chinese pages that are behind their English page say so: the mechanism, on a temporary copy, and on the site."""
from __future__ import annotations


import pytest

from built import built_pages, html_file
from tools import translations
from tools.translations import all_status, recorded_hash, source_hash, stamp, with_outdated_note

NOTE_TITLE = "译文可能已过时"


@pytest.fixture
def docs(tmp_path):
    for lang, text in (("en", "# Saving { #saving }\n\nEnglish.\n"),
                       ("zh", "# 保存 { #saving }\n\n中文。\n")):
        (tmp_path / "docs" / lang).mkdir(parents=True)
        (tmp_path / "docs" / lang / "save.md").write_text(text, encoding="utf-8")
    return tmp_path / "docs"


def test_unstamped_stamped_then_outdated(docs, capsys):
    zh = docs / "zh" / "save.md"
    assert [s.outdated for s in all_status(docs)] == [True]  # no record counts as outdated
    assert translations.main(["--docs", str(docs), "--check"]) == 1
    assert "docs/zh/save.md: no 'translated_from' record" in capsys.readouterr().out

    digest = stamp(zh, docs)
    assert recorded_hash(zh.read_text(encoding="utf-8")) == digest
    assert zh.read_text(encoding="utf-8").startswith(f"---\ntranslated_from: {digest}\n---\n\n# 保存")
    assert translations.main(["--docs", str(docs), "--check"]) == 0
    assert "up to date" in capsys.readouterr().out

    (docs / "en" / "save.md").write_text("# Saving { #saving }\n\nEnglish, revised.\n", encoding="utf-8")
    assert translations.main(["--docs", str(docs), "--check"]) == 1
    assert f"translates English {digest}, English is now" in capsys.readouterr().out

    assert translations.main(["--docs", str(docs), "--stamp", str(zh)]) == 0  # stamping again replaces the record
    assert zh.read_text(encoding="utf-8").count("translated_from") == 1
    assert [s.outdated for s in all_status(docs)] == [False]


def test_hash_ignores_line_endings_and_trailing_spaces():
    assert source_hash("# A\r\n\r\ntext  \r\n") == source_hash("# A\n\ntext\n")
    assert source_hash("# A\n\ntext\n") != source_hash("# A\n\ntext!\n")


def test_note_is_shown_only_when_behind(docs):
    english = (docs / "en" / "save.md").read_text(encoding="utf-8")
    markdown = "# 保存 { #saving }\n\n中文。\n"
    noted = with_outdated_note(markdown, {}, "save.md", "save/", "zh", docs)
    assert NOTE_TITLE in noted and 'href="../../save/"' in noted
    assert noted.index(NOTE_TITLE) > noted.index("# 保存")  # under the title
    current = {"translated_from": source_hash(english)}
    assert with_outdated_note(markdown, current, "save.md", "save/", "zh", docs) == markdown
    assert with_outdated_note(markdown, {}, "save.md", "save/", "en", docs) == markdown


def test_built_chinese_pages_show_the_note_exactly_when_outdated(site):
    status = {s.page: s.outdated for s in all_status()}
    wrong = []
    for url in built_pages(site, "zh"):
        md = "index.md" if url == "" else url.removesuffix("/") + ".md"
        shown = NOTE_TITLE in html_file(site, "zh", url).read_text(encoding="utf-8")
        if md in status and shown != status[md]:
            wrong.append(f"/zh/{url}: outdated={status[md]}, note shown={shown}")
    assert not wrong, "\n".join(wrong)
    assert not any(NOTE_TITLE in html_file(site, "en", url).read_text(encoding="utf-8")
                   for url in built_pages(site, "en"))


def test_note_link_leads_to_the_english_page(site, context, served, tmp_path):
    """Clicking the note's link on an outdated page (or on a copy of one made outdated) opens the English twin."""
    url = next((u for u in built_pages(site, "zh") if NOTE_TITLE in html_file(site, "zh", u).read_text("utf-8")),
               None)
    if url is None:  # every page is up to date: check the link on a page rendered as if it were behind
        noted = with_outdated_note("# T { #t }\n", {}, "index.md", "", "zh")
        href = noted.split('href="')[1].split('"')[0]
        assert href == "../"
        return
    page = context.new_page()
    page.goto(served + "zh/" + url, wait_until="load")
    with page.expect_navigation():
        page.click("a.outdated-translation-link")
    assert page.url == served + url
