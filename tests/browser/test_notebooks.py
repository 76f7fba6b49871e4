"""Notebooks: the walkthrough is executed at build time and shown with its outputs in both languages; every page
that shows snippets offers them as a notebook made from the same snippet files."""
from __future__ import annotations

import json
import re

import pytest

from built import LANGS, built_pages, html_file
from tools.notebooks import WORDS, notebook_name, page_notebook, snippet_code
from tools.page_rules import includes, pages
from tools.paths import DOCS, OUTPUTS
from tools.walkthrough_html import OUTPUT_TITLE


def _code_cells(notebook: dict) -> list[str]:
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("lang", LANGS)
def test_walkthrough_is_rendered_with_its_outputs(site, lang):
    page = html_file(site, lang, "walkthrough/").read_text(encoding="utf-8")
    # each output is a text block titled like the outputs on the other pages (tools/walkthrough_html.py)
    title = OUTPUT_TITLE[lang]
    outputs = re.findall(rf'<span class="filename">{title}</span><pre><span></span><code[^>]*>(.*?)</code></pre>',
                         page, re.S)
    assert len(outputs) >= 4, f"{lang} walkthrough shows {len(outputs)} output blocks"
    shown = "".join(outputs)
    # what the same code printed when the snippet tests ran it (generated/outputs/), line by line
    expected = (OUTPUTS / "walkthrough" / "walkthrough.txt").read_text(encoding="utf-8")
    for line in expected.splitlines():
        if line.strip():
            assert line.split(":")[0] in shown, f"{lang} walkthrough does not show {line!r}"
    assert "Traceback" not in shown and "Error" not in shown


@pytest.mark.parametrize("lang", LANGS)
def test_walkthrough_looks_like_the_other_pages(site, lang):
    """No Jupyter prompts, styles or scripts: code and output in the markup (and so the colours, copy button and
    keyboard handling) of the theme's own code blocks."""
    page = html_file(site, lang, "walkthrough/").read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    for leftover in ("In [", "jp-InputPrompt", "jp-Cell", "jupyter-wrapper", "highlight-ipynb", "<style", "<script",
                     "clipboard-copy"):
        assert leftover not in article, f"{lang} walkthrough still has {leftover!r}"
    assert article.count('<div class="language-python highlight">') >= 7
    assert len(page.encode()) < 150_000, f"{lang} walkthrough page is {len(page.encode())} bytes"


@pytest.mark.parametrize("lang", LANGS)
def test_walkthrough_notebook_is_downloadable_and_shares_the_code(site, lang):
    notebook = json.loads((site / LANGS[lang] / "walkthrough" / "walkthrough.ipynb").read_text(encoding="utf-8"))
    targets = [i.target for i in includes((DOCS / lang / "walkthrough.md").read_text(encoding="utf-8"))]
    assert _code_cells(notebook) == [snippet_code(t) for t in targets]
    page = html_file(site, lang, "walkthrough/").read_text(encoding="utf-8")
    assert 'href="walkthrough.ipynb" download' in page and WORDS[lang]["download_walkthrough"] in page


def test_the_two_walkthroughs_run_the_same_code(site):
    en, zh = (json.loads((site / LANGS[lang] / "walkthrough" / "walkthrough.ipynb").read_text("utf-8"))
              for lang in LANGS)
    assert _code_cells(en) == _code_cells(zh)
    assert [c["source"] for c in en["cells"] if c["cell_type"] == "markdown"] != \
           [c["source"] for c in zh["cells"] if c["cell_type"] == "markdown"], "the prose is translated"


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_with_snippets_offers_them_as_a_notebook(site, lang):
    missing = []
    for md in pages()[lang]:
        markdown = (DOCS / lang / md).read_text(encoding="utf-8")
        code = [i.target for i in includes(markdown) if i.file.endswith(".py")]
        if not code or md == "walkthrough.md":
            continue
        url = "" if md == "index.md" else md.removesuffix(".md") + "/"
        folder = site / LANGS[lang] / url
        notebook_file = folder / notebook_name(md)
        if not notebook_file.is_file():
            missing.append(f"{lang} {md}: no {notebook_file.name}")
            continue
        notebook = json.loads(notebook_file.read_text(encoding="utf-8"))
        if _code_cells(notebook) != [snippet_code(t) for t in code]:
            missing.append(f"{lang} {md}: the notebook's cells are not the page's snippets in page order")
        page = (folder / "index.html").read_text(encoding="utf-8")
        if f'href="{notebook_name(md)}" download' not in page or WORDS[lang]["download"] not in page:
            missing.append(f"{lang} {md}: no download link in the page's language")
    assert not missing, "\n".join(missing)


def test_page_notebook_keeps_headings_and_marks_expected_errors():
    markdown = ('# Title { #title }\n\n## Part { #part }\n\n```python title="x.py"\n--8<-- "walkthrough/walkthrough.py:train"\n```\n\n'
                '```text title="Output"\n--8<-- "outputs/walkthrough/walkthrough.txt"\n```\n')
    notebook = page_notebook(markdown, "Title", "zh")
    assert [c["cell_type"] for c in notebook["cells"]] == ["markdown", "markdown", "code"]
    assert "".join(notebook["cells"][1]["source"]).startswith("## Part\n")
    assert "本笔记本" in "".join(notebook["cells"][0]["source"])
    assert _code_cells(notebook) == [snippet_code("walkthrough/walkthrough.py:train")]
    assert page_notebook("# Nothing { #nothing }\n", "Nothing", "en") is None


def test_built_pages_include_the_walkthrough(site):
    assert "walkthrough/" in built_pages(site, "en") and "walkthrough/" in built_pages(site, "zh")
