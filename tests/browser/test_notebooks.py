"""Notebooks: the walkthrough is executed at build time and shown with its outputs in both languages; every page
that shows snippets offers them as a notebook made from the same snippet files."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from built import LANGS, built_pages, html_file
from tools.notebooks import (META, WORDS, NotebookError, notebook_json, notebook_name, page_notebook, page_title,
                             snippet_code, source_notebook)
from test_notebook_runs import _cached, _remember, run_key
from tools.page_rules import includes, pages
from tools.paths import DOCS, OUTPUTS
from tools.snippets import Snippet
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
        # the file a reader downloads is the notebook the run tests execute (tests/test_notebook_runs.py)
        if notebook_file.read_text(encoding="utf-8") != notebook_json(source_notebook(lang, md)):
            missing.append(f"{lang} {md}: the downloadable notebook is not the one made from the page's source")
        nbformat.validate(nbformat.reads(notebook_file.read_text(encoding="utf-8"), as_version=4))
        notebook = json.loads(notebook_file.read_text(encoding="utf-8"))
        if _shown(notebook) != [(t, snippet_code(t)) for t in code]:
            missing.append(f"{lang} {md}: the notebook's cells are not the page's snippets in page order")
        page = (folder / "index.html").read_text(encoding="utf-8")
        if f'href="{notebook_name(md)}" download' not in page or WORDS[lang]["download"] not in page:
            missing.append(f"{lang} {md}: no download link in the page's language")
    assert not missing, "\n".join(missing)


def _shown(notebook: dict) -> list[tuple[str, str]]:
    """(include target, code) of each snippet the page shows, from the cells that hold them."""
    shown = []
    for cell in notebook["cells"]:
        meta = cell["metadata"].get(META, {})
        if "target" not in meta:
            continue
        source = "".join(cell["source"])
        if meta["role"] == "excerpt":
            source = source.split("```python\n", 1)[1].rsplit("\n```", 1)[0]
        elif meta["role"] == "file":
            source = source.split("\n", 1)[1]  # after %%writefile <name>
        shown.append((meta["target"], source))
    return shown


def _cells(notebook: dict) -> list[tuple[str, str, str]]:
    return [(c["cell_type"], c["metadata"].get(META, {}).get("role", ""), "".join(c["source"]))
            for c in notebook["cells"]]


def test_page_notebook_keeps_headings_and_marks_expected_errors():
    markdown = ('# Title { #title }\n\n## Part { #part }\n\n```python title="x.py"\n--8<-- "walkthrough/walkthrough.py:train"\n```\n\n'
                '```text title="Output"\n--8<-- "outputs/walkthrough/walkthrough.txt"\n```\n')
    notebook = page_notebook(markdown, "Title", "zh")
    kinds = [(kind, role) for kind, role, _ in _cells(notebook)]
    assert kinds == [("markdown", ""), ("markdown", ""), ("code", "folders"), ("markdown", ""), ("code", "folder"),
                     ("code", "rest"), ("code", "example"), ("code", "rest")]
    assert "".join(notebook["cells"][3]["source"]).startswith("## Part\n")
    assert "本笔记本" in "".join(notebook["cells"][0]["source"])
    assert [s for t, s in _shown(notebook)] == [snippet_code("walkthrough/walkthrough.py:train")]
    assert page_notebook("# Nothing { #nothing }\n", "Nothing", "en") is None


def _page(*targets: str) -> str:
    return "# A page { #a-page }\n\n" + "".join(f'## {t} {{ #h{i} }}\n\n```python title="x.py"\n--8<-- "{t}"\n```\n\n'
                                               for i, t in enumerate(targets))


@pytest.mark.parametrize("lang", LANGS)
def test_an_expected_error_is_tagged_and_explained_in_the_notebooks_language(lang):
    notebook = page_notebook(_page("save-load/save_whole_model.py", "save-load/load_whole_model_defaults.py"),
                             "A page", lang)
    cells = notebook["cells"]
    tagged = [i for i, c in enumerate(cells) if "raises-exception" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1 and "".join(cells[tagged[0]]["source"]) == snippet_code("save-load/load_whole_model_defaults.py")
    said = "".join(cells[tagged[0] - 1]["source"])
    assert "UnpicklingError" in said and "raises-exception" in said
    assert ("on purpose" in said) if lang == "en" else ("故意" in said and "on purpose" not in said)


def test_a_predecessor_the_page_does_not_show_first_runs_from_its_file():
    # load_state_dict.py says '# Run after: save_state_dict.py'; this page shows only the loader
    notebook = page_notebook(_page("save-load/load_state_dict.py"), "A page", "en")
    cells = _cells(notebook)
    code = [(role, source) for kind, role, source in cells if kind == "code"]
    assert code[1:] == [("folder", 'example_folder("save_state_dict")'),
                        ("inserted", snippet_code("save-load/save_state_dict.py")),
                        ("example", snippet_code("save-load/load_state_dict.py"))]
    note = next(source for kind, _, source in cells if kind == "markdown" and "save_state_dict.py" in source)
    assert "torch.save and torch.load" in note and "load_state_dict.py" in note  # where it comes from, and why


def test_a_predecessor_shown_later_on_the_page_runs_first_too():
    notebook = page_notebook(_page("save-load/load_state_dict.py", "save-load/save_state_dict.py"), "A page", "en")
    code = [(role, source) for kind, role, source in _cells(notebook) if kind == "code"][1:]
    assert [role for role, _ in code] == ["folder", "inserted", "example", "folder", "example"]
    assert code[3] == ("folder", 'example_folder("save_state_dict")')  # the page's own run starts afresh


def test_each_example_gets_its_own_folder_and_returns_to_its_predecessors():
    notebook = page_notebook(_page("save-load/save_state_dict.py", "save-load/save_whole_model.py",
                                   "save-load/load_state_dict.py"), "A page", "en")
    folders = [source for kind, role, source in _cells(notebook) if role == "folder"]
    assert folders == ['example_folder("save_state_dict")', 'example_folder("save_whole_model")',
                       'example_folder("save_state_dict", empty=False)']


def test_a_section_of_a_file_shown_whole_is_an_excerpt_not_a_second_run():
    notebook = page_notebook(_page("save-load/train_and_checkpoint.py", "save-load/resume_training.py:resume",
                                   "save-load/resume_training.py"), "A page", "en")
    roles = [role for kind, role, _ in _cells(notebook) if role]
    assert roles.count("excerpt") == 1 and [r for r in roles if r in ("example", "inserted")] == ["example", "example"]


def test_sections_shown_out_of_file_order_are_refused_with_a_clear_error():
    with pytest.raises(NotebookError, match="identify/identify.py.*order"):
        page_notebook(_page("identify/identify.py:demo", "identify/identify.py:verdict"), "A page", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_notebook_metadata_names_the_kernel_the_versions_and_the_title(site, lang):
    notebook_file = site / LANGS[lang] / "save-load" / "save-load.ipynb"
    notebook = nbformat.read(notebook_file, as_version=4)
    nbformat.validate(notebook)  # what JupyterLab and VS Code check before they open a file
    meta = notebook.metadata
    assert meta.kernelspec == {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    assert meta.language_info.name == "python" and meta.language_info.version == "3.11"
    title = page_title((DOCS / lang / "save-load.md").read_text(encoding="utf-8"))
    assert meta.title == title and "torch.save" in title   # the page's own title, in its language
    assert meta[META]["language"] == lang
    listed = (OUTPUTS / "home" / "versions.txt").read_text(encoding="utf-8")  # the home page's "Verified with"
    assert meta[META]["verified_with"] == dict(line.split(None, 1) for line in listed.splitlines())
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {title}\n")
    assert "torch 2.13.0+cpu" in first.source


def test_the_downloaded_notebook_runs_with_nbconvert_as_a_reader_runs_it(site, tmp_path):
    """The reader's own command on the built site's file, in an empty folder: no --allow-errors. The notebook is one
    with a cell that raises on purpose: "Run All" must show that error and go on to the cells after it."""
    downloaded = site / LANGS["zh"] / "torchscript" / "torchscript.ipynb"
    notebook = json.loads(downloaded.read_text(encoding="utf-8"))
    # the errors the page shows on purpose: the cells tagged raises-exception, each its snippet's "# Expected error:"
    tagged = [c for c in notebook["cells"] if "raises-exception" in c["metadata"].get("tags", [])]
    expected = [Snippet(c["metadata"][META]["snippet"]).expected_error for c in tagged]
    assert expected and all(expected), "the notebook has no cell that raises on purpose: pick one that has"
    # cached like the notebook runs: on the file's bytes, what run_key covers, and this test's code
    key = hashlib.sha256(run_key(notebook).encode() + downloaded.read_bytes() + Path(__file__).read_bytes()
                         ).hexdigest()[:20]
    if _cached("reader-nbconvert", key):
        return
    started = time.monotonic()
    folder = tmp_path / "reader"
    folder.mkdir()
    shutil.copy(downloaded, folder / "torchscript.ipynb")
    nbconvert = Path(sys.executable).with_name("jupyter-nbconvert")
    run = subprocess.run([str(nbconvert), "--to", "notebook", "--execute", "--output", "ran.ipynb",
                          "torchscript.ipynb"], cwd=folder, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    ran = json.loads((folder / "ran.ipynb").read_text(encoding="utf-8"))
    errors = [o["ename"] for c in ran["cells"] if c["cell_type"] == "code" for o in c["outputs"]
              if o["output_type"] == "error"]
    assert errors == expected, f"errors raised {errors}, raised on purpose {expected}"
    assert all(c["execution_count"] for c in ran["cells"] if c["cell_type"] == "code"), "a cell did not run"
    _remember("reader-nbconvert", key, time.monotonic() - started)


def test_built_pages_include_the_walkthrough(site):
    assert "walkthrough/" in built_pages(site, "en") and "walkthrough/" in built_pages(site, "zh")
