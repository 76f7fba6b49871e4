"""Notebooks made at build time from the snippet files (never from a second copy of the code).

1. Every page that shows snippets offers them as a downloadable notebook, in page order, under the headings
   they appear under: `<page>.ipynb` is written next to the page's HTML and the page gets a download link in
   its own language.
2. The walkthrough (docs/<lang>/walkthrough.md) is a notebook page: its prose comes from the language's Markdown
   file, its code from the sections of snippets/walkthrough/walkthrough.py that the page includes. The notebook is
   assembled into .cache/walkthrough/<lang>/ (where it runs, so the files it writes land there) and handed to
   mkdocs-jupyter, which executes it (execute: true, allow_errors: false), renders it with its outputs and copies
   the .ipynb next to the page (include_source: true).

The MkDocs hooks in tools/mkdocs_hooks.py call on_files and on_page_content.
"""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path, PurePosixPath

from mkdocs.plugins import event_priority

from tools.page_rules import INCLUDE_LINE, _lines_outside_code, includes, resolve
from tools import walkthrough_html
from tools.paths import DOCS, REPO
from tools.snippets import Snippet

WALKTHROUGH = "walkthrough.md"
CACHE = REPO / ".cache" / "walkthrough"
_SECTION_MARK = re.compile(r"^\s*#\s*-{1,}8<-{1,}\s*\[(start|end):[^\]]*\]\s*$")
_EXPLICIT_ID = re.compile(r"\s*\{\s*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_FENCE_OPEN = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef*])\n(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef*`])")

WORDS = {
    "en": {
        "download": "Download this page's examples as a Jupyter notebook",
        "download_walkthrough": "Download this walkthrough as a Jupyter notebook",
        "intro": "The examples of the page “{title}”, in page order. Each one was written to run on its own in an "
                 "empty folder; here they share one kernel and one folder, so run the cells from the top.",
        "raises": "This cell raises `{error}` on purpose: the page shows why.",
        "permalink": "Permanent link",
    },
    "zh": {
        "download": "下载本页全部示例（Jupyter Notebook）",
        "download_walkthrough": "下载本教程（Jupyter Notebook）",
        "intro": "本笔记本收录页面“{title}”中的全部示例，顺序与页面一致。每个示例原本都可以在空目录中单独运行；"
                 "在这里它们共用同一个内核和目录，请从上到下依次运行。",
        "raises": "这个单元格会故意抛出 `{error}`，原因见页面说明。",
        "permalink": "永久链接",
    },
}


# ---- reading snippets as the page shows them -------------------------------------------------------------------

def snippet_code(target: str) -> str:
    """What pymdownx.snippets shows for an include target ("dir/file.py" or "dir/file.py:section")."""
    path, _, section = target.partition(":")
    lines = (resolve_path(path)).read_text(encoding="utf-8").splitlines()
    if section and not section[0].isdigit():
        start = next(i for i, line in enumerate(lines) if line.strip() == f"# --8<-- [start:{section}]")
        end = next(i for i, line in enumerate(lines) if i > start and line.strip() == f"# --8<-- [end:{section}]")
        lines = lines[start + 1:end]
        indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
        lines = [line[indent:] for line in lines]  # dedent_subsections: true
    lines = [line for line in lines if not _SECTION_MARK.match(line)]
    return "\n".join(lines).strip("\n")


def resolve_path(rel: str) -> Path:
    from tools.page_rules import Include
    found = resolve(Include(0, rel))
    if found is None:
        raise FileNotFoundError(rel)
    return found


def _notebook(cells: list[dict]) -> dict:
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _cell(kind: str, source: str, number: int) -> dict:
    cell = {"cell_type": kind, "id": f"cell-{number}", "metadata": {}, "source": source.splitlines(keepends=True)}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _strip_id(text: str) -> str:
    return _EXPLICIT_ID.sub("", text)


# ---- 1. a notebook of each page's snippets ---------------------------------------------------------------------

def page_notebook(markdown: str, title: str, lang: str) -> dict | None:
    """The page's Python includes, in order, each under the heading it appears under; None if it shows none."""
    words = WORDS.get(lang, WORDS["en"])
    cells = [_cell("markdown", f"# {title}\n\n" + words["intro"].format(title=title), 0)]
    heading_shown, heading = True, None
    found = False
    code_at = {inc.line: inc for inc in includes(markdown) if inc.file.endswith(".py")}
    for number, line, in_code in _lines_outside_code(markdown):
        match = _HEADING.match(line)
        if not in_code and match and len(match.group(1)) > 1:
            heading, heading_shown = f"{match.group(1)} {_strip_id(match.group(2))}", False
        if number in code_at:
            include = code_at[number]
            text = [] if heading_shown or heading is None else [heading]
            heading_shown = True
            text.append(f"`{PurePosixPath(include.file).name}`")
            error = Snippet(include.file).expected_error if (resolve_path(include.file).parent.parent
                                                              == REPO / "snippets") else None
            if error:
                text.append(words["raises"].format(error=error))
            cells.append(_cell("markdown", "\n\n".join(text), len(cells)))
            cells.append(_cell("code", snippet_code(include.target), len(cells)))
            found = True
    return _notebook(cells) if found else None


def notebook_name(src_uri: str) -> str:
    stem = PurePosixPath(src_uri).stem
    if stem == "index":
        parent = PurePosixPath(src_uri).parent.name
        return (parent or "home") + ".ipynb"
    return stem + ".ipynb"


def _download_link(href: str, text: str) -> str:
    return (f'<p class="notebook-download"><a href="{html.escape(href)}" download>'
            f'<span class="twemoji">{_DOWNLOAD_ICON}</span> {html.escape(text, quote=False)}</a></p>')


_DOWNLOAD_ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">'
                  '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7 7-7Z"/></svg>')


def _after_h1(content: str, snippet: str) -> str:
    end = content.find("</h1>")
    if end < 0:
        return snippet + content
    return content[:end + 5] + "\n" + snippet + content[end + 5:]


def on_page_content(content, page, config, files):
    lang = config.theme["language"]
    words = WORDS.get(lang, WORDS["en"])
    if page.file.src_uri == WALKTHROUGH and getattr(page, "nb_url", None):
        return _fix_walkthrough_html(content, page, lang)
    notebook = page_notebook(page.markdown or "", page.title or "", lang)
    if notebook is None:
        return content
    name = notebook_name(page.file.src_uri)
    target = Path(page.file.abs_dest_path).parent / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return _after_h1(content, _download_link(name, words["download"]))


# ---- 2. the walkthrough notebook -------------------------------------------------------------------------------

def walkthrough_notebook(markdown: str, lang: str, outdated_note: str = "") -> tuple[dict, list[str]]:
    """(notebook, heading ids in order) from the walkthrough page's Markdown: prose cells and code cells."""
    from tools.translations import _FRONT_MATTER
    markdown = _FRONT_MATTER.sub("", markdown, count=1)
    markdown = re.sub(r"<!--.*?-->\s*", "", markdown, flags=re.S)  # notes for writers, not for readers
    cells: list[dict] = []
    ids: list[str] = []
    prose: list[str] = []
    lines = markdown.splitlines()
    index = 0

    def flush():
        # Jupyter's Markdown turns a line break into a space, which Chinese text must not get between characters
        text = _CJK_BREAK.sub("", "\n".join(prose).strip())
        if text:
            cells.append(_cell("markdown", text, len(cells)))
        prose.clear()

    while index < len(lines):
        line = lines[index]
        fence = _FENCE_OPEN.match(line)
        if fence:
            close = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == fence.group(2))
            body = [b.strip() for b in lines[index + 1:close] if b.strip()]
            targets = [m.group(1) for b in body if (m := INCLUDE_LINE.match(b))]
            if body and len(targets) == len(body):
                flush()
                for target in targets:
                    if target.split(":")[0].endswith(".py"):  # outputs are the notebook's own
                        cell = _cell("code", snippet_code(target), len(cells))
                        cell["metadata"]["file"] = PurePosixPath(target.split(":")[0]).name  # the page's title
                        cells.append(cell)
            else:
                prose.extend(lines[index:close + 1])
            index = close + 1
            continue
        heading = _HEADING.match(line)
        if heading:
            explicit = _EXPLICIT_ID.search(heading.group(2))
            ids.append(explicit.group(1) if explicit else "")
            line = f"{heading.group(1)} {_strip_id(heading.group(2))}"
            if heading.group(1) != "#" or not outdated_note:
                prose.append(line)
            else:
                prose.extend([line, "", outdated_note])
            index += 1
            continue
        prose.append(line)
        index += 1
    flush()
    return _notebook(cells), ids


def _walkthrough_ids_file(lang: str) -> Path:
    return CACHE / lang / "heading-ids.json"


@event_priority(-50)  # after mkdocs-jupyter's on_files: this file is handed to it here, already wrapped
def on_files(files, config):
    from mkdocs_jupyter.plugin import NotebookFile

    from tools.translations import NOTE, english_href, recorded_hash, source_hash
    page = files.get_file_from_path(WALKTHROUGH)
    if page is None:
        return files
    lang = config.theme["language"]
    markdown = Path(page.abs_src_path).read_text(encoding="utf-8")
    note = ""
    english = DOCS / "en" / WALKTHROUGH
    if lang in NOTE and english.is_file() and recorded_hash(markdown) != source_hash(english.read_text("utf-8")):
        title, body = NOTE[lang].split('"')[1], NOTE[lang].split("\n", 2)[2].strip()
        note = f"> **{title}**\n>\n> " + body.format(href=english_href("walkthrough/", lang))
    notebook, ids = walkthrough_notebook(markdown, lang, note)
    folder = CACHE / lang
    target = folder / "walkthrough.ipynb"
    text = json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"
    # Unchanged, the notebook keeps its file (and its age): a dirty rebuild under `make serve` then leaves the page
    # alone instead of rendering it again. Changed, it runs again in an empty folder.
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        target.write_text(text, encoding="utf-8")
    _walkthrough_ids_file(lang).write_text(json.dumps(ids), encoding="utf-8")
    # The page keeps its place (walkthrough.md: nav entries and links to it keep working); its source becomes the
    # notebook, which is what mkdocs-jupyter looks at (it ignores *.md: see the plugins in mkdocs.yml).
    page.abs_src_path = str(target)
    notebook_file = NotebookFile(page, **config)
    notebook_file.__dict__["abs_src_path"] = str(target)  # the wrapper would recompute it from src_dir/src_uri
    files.remove(page)
    files.append(notebook_file)
    return files


_NB_HEADING = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)<a class="anchor-link" href="#[^"]*">¶</a></h\1>', re.S)
_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)


def _fix_walkthrough_html(content: str, page, lang: str) -> str:
    """Give the notebook's headings their explicit English ids (the same in both languages), in the page and its
    table of contents; drop the MathJax loader (no maths here, and nothing may come from another host)."""
    words = WORDS.get(lang, WORDS["en"])
    ordered = json.loads(_walkthrough_ids_file(lang).read_text(encoding="utf-8"))
    ids = iter(ordered)

    def heading(match):
        new = next(ids, "") or match.group(2)
        return (f'<h{match.group(1)} id="{new}">{match.group(3)}'
                f'<a class="headerlink" href="#{new}" title="{words["permalink"]}">¶</a></h{match.group(1)}>')

    content = _NB_HEADING.sub(heading, content)
    for item, new in zip(_flatten(page.toc), ordered):
        if new:
            item.id = new
    content = _MATHJAX.sub("", content)
    notebook = json.loads((CACHE / lang / "walkthrough.ipynb").read_text(encoding="utf-8"))
    files = [c["metadata"].get("file") for c in notebook["cells"] if c["cell_type"] == "code"]
    content = walkthrough_html.flatten(content, lang, files)  # cells as the other pages show code and output
    return _after_h1(content, _download_link("walkthrough.ipynb", words["download_walkthrough"]))


def _flatten(toc):
    for item in toc:
        yield item
        yield from _flatten(item.children)
