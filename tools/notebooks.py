"""Notebooks made at build time from the snippet files (never from a second copy of the code).

1. Every page that shows snippets offers them as a downloadable notebook, in page order, under the headings
   they appear under: `<page>.ipynb` is written next to the page's HTML and the page gets a download link in
   its own language. The notebook runs with "Run All" from an empty folder, as the page reads: each example in a
   folder of its own (a '# Run after:' one in its predecessor's, which is included when the page does not show it
   above), expected errors tagged `raises-exception`, a file the page shows only in sections completed with the
   lines it leaves out. Its metadata names the kernel, the page's title and language and the versions the home
   page lists under "Verified with". tests/test_notebook_runs.py runs every one and compares what each example
   prints with the page.
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
from tools.paths import DOCS, OUTPUTS, REPO, SNIPPETS
from tools.snippets import Snippet

WALKTHROUGH = "walkthrough.md"
CACHE = REPO / ".cache" / "walkthrough"
_SECTION_MARK = re.compile(r"^\s*#\s*-{1,}8<-{1,}\s*\[(start|end):[^\]]*\]\s*$")
_EXPLICIT_ID = re.compile(r"\s*\{\s*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_FENCE_OPEN = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef*])\n(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef*`])")

# Snippets that cannot share the notebook's kernel with the cells above them: they are written to a file
# (%%writefile) and run with %run, which gives them a __main__ of their own and Python's own built-ins, as
# `python <file>` does. The notebook tests say which snippet needs to be added here, and why.
RUN_AS_FILE = {
    "save-load/load_whole_model_without_class.py": "it shows what loading does where the class Net is not defined, "
                                                   "and cells above define it",
    "reference/check_without_class.py": "it loads each file where the class Net is not defined, and cells above "
                                        "define it",
    "reference/check_safety.py": "its payload pickles the built-in open, which IPython replaces in a notebook",
    "distributed/dcp_untrusted.py": "its payload pickles the built-in open, which IPython replaces in a notebook",
    "robust/hub_weights_only.py": "its payload pickles the built-in open, which IPython replaces in a notebook",
    "security/make_payload.py": "its payload pickles the built-in exec, which a notebook's kernel may not pickle "
                                "as a plain Python does",
    "security/compare_scanners.py": "it runs the site's identifier, identify.py, which it finds by its own file name "
                                    "in ../identify/ (the cell above puts it there)",
    "robust/atomic_save.py": "it starts a new Python process that imports the program's own functions, which a "
                             "notebook cell cannot provide",
    "mistakes/onnx_without_onnxscript.py": "it hides onnxscript from the Python that runs it, and cells above "
                                           "have imported it already",
}
# Programs a RUN_AS_FILE example runs, written where it looks for them (relative to its own folder).
COMPANIONS = {"security/compare_scanners.py": ("identify/identify.py", "../identify/identify.py")}
META = "pytorch_model_formats"  # this project's key in notebook and cell metadata

WORDS = {
    "en": {
        "download": "Download this page's examples as a Jupyter notebook",
        "download_walkthrough": "Download this walkthrough as a Jupyter notebook",
        "intro": "The examples of the page “{title}”, in page order, each under the heading it appears under. "
                 "Run it from the top (“Run All”) in a new, empty folder.",
        "verified": "Every example was executed, and its output compared with the page's, with:",
        "folders": "On the page every example runs in an empty folder of its own, and an example that loads what "
                   "another one saved runs in that one's folder. The next cell does the same here: "
                   "`example_folder(\"name\")` makes an empty folder `name/` in `{root}/`, next to the notebook, "
                   "and moves there; `example_folder(\"name\", empty=False)` goes back to one that is already filled. "
                   "Running the notebook again starts every folder afresh.",
        "raises": "This cell raises `{error}` on purpose: the error is what the example shows. The cell is tagged "
                  "`raises-exception`, so “Run All” shows the error and goes on.",
        "inserted": "`{name}` is shown on the page “{page}”. It runs here first because `{needed_by}` loads "
                    "what it saves, and the notebook must work from an empty folder.",
        "excerpt": "An excerpt of `{name}`, as the page shows it; the complete program runs in a cell {where}.",
        "above": "above",
        "below": "below",
        "rest": "The first cell holds the lines of `{name}` the page does not show (its imports and helpers); "
                "the parts the page shows follow, each in its own cell.",
        "as_file": "This example runs as a file of its own (`%%writefile`, then `%run`), as `python {name}` "
                   "would run it: {reason}.",
        "permalink": "Permanent link",
    },
    "zh": {
        "download": "下载本页全部示例（Jupyter Notebook）",
        "download_walkthrough": "下载本教程（Jupyter Notebook）",
        "intro": "本笔记本按页面顺序收录页面“{title}”中的全部示例，每个示例都放在它在页面上所在的标题之下。"
                 "请在一个新的空目录中从头运行（“Run All”）。",
        "verified": "每个示例都用以下版本实际运行过，并与页面上的输出做过比对：",
        "folders": "在页面上，每个示例都在各自的空目录中运行；加载另一个示例所保存文件的示例，则在那个示例的目录中运行。"
                   "下一个单元格在这里做同样的事：`example_folder(\"name\")` 在笔记本旁边的 `{root}/` 中新建空目录 `name/` 并进入；"
                   "`example_folder(\"name\", empty=False)` 回到一个已有文件的目录。再次运行笔记本时，每个目录都会重新清空。",
        "raises": "这个单元格会故意抛出 `{error}`：这个错误正是示例要演示的内容。单元格带有 `raises-exception` 标签，"
                  "因此“Run All”会显示错误并继续运行后面的单元格。",
        "inserted": "`{name}` 出自页面“{page}”。由于 `{needed_by}` 要加载它保存的文件，而笔记本必须能在空目录中运行，"
                    "所以先在这里运行它。",
        "excerpt": "`{name}` 的节选，与页面所示相同；完整程序在{where}的单元格中运行。",
        "above": "上方",
        "below": "下方",
        "rest": "第一个单元格是页面上没有展示的 `{name}` 代码（导入语句和辅助函数）；页面展示的各部分随后依次放在各自的单元格中。",
        "as_file": "这个示例作为独立文件运行（先 `%%writefile`，再 `%run`），与 `python {name}` 的运行方式相同，原因是：{reason}。",
        "permalink": "永久链接",
    },
}
# RUN_AS_FILE's reasons, in Chinese
_REASONS_ZH = {
    "save-load/load_whole_model_without_class.py": "它演示在没有定义 Net 类的地方加载会怎样，而上面的单元格定义了这个类",
    "reference/check_without_class.py": "它在没有定义 Net 类的地方加载每个文件，而上面的单元格定义了这个类",
    "reference/check_safety.py": "它的载荷序列化了内置函数 open，而 IPython 在笔记本中替换了这个函数",
    "distributed/dcp_untrusted.py": "它的载荷序列化了内置函数 open，而 IPython 在笔记本中替换了这个函数",
    "robust/hub_weights_only.py": "它的载荷序列化了内置函数 open，而 IPython 在笔记本中替换了这个函数",
    "security/make_payload.py": "它的载荷序列化了内置函数 exec，而笔记本内核序列化它的方式可能与普通 Python 不同",
    "security/compare_scanners.py": "它要运行本站的识别器 identify.py，并根据自己的文件名到 ../identify/ 里找它（上面的单元格把它放在那里）",
    "robust/atomic_save.py": "它会启动一个新的 Python 进程，由新进程导入程序自己的函数，而笔记本单元格无法提供这些函数",
    "mistakes/onnx_without_onnxscript.py": "它让运行它的 Python 找不到 onnxscript，而上面的单元格已经导入过它",
}

# Moves between the examples' folders; the same code in both languages (only the Markdown is translated). The
# folders live in one folder of the notebook's own, so that emptying one never touches a folder of the reader's.
FOLDER_CODE = '''\
import os
import shutil

# where the notebook started, even when this cell runs again from inside an example's folder
EXAMPLES_ROOT = globals().get("EXAMPLES_ROOT") or os.path.abspath("{root}")


def example_folder(name, empty=True):
    """Go to the folder `name` below EXAMPLES_ROOT; empty=True makes it new and empty first."""
    path = os.path.join(EXAMPLES_ROOT, name)
    if empty:
        shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)
    os.chdir(path)'''


def examples_root(page: str) -> str:
    """The folder, next to the notebook, in which its examples run: "save-load-examples"."""
    return PurePosixPath(notebook_name(page or "examples.md")).stem + "-examples"


class NotebookError(Exception):
    """A page includes snippets in a way that no notebook can run from top to bottom."""


# ---- reading snippets as the page shows them -------------------------------------------------------------------

def snippet_code(target: str) -> str:
    """What pymdownx.snippets shows for an include target ("dir/file.py" or "dir/file.py:section")."""
    path, _, section = target.partition(":")
    lines = (resolve_path(path)).read_text(encoding="utf-8").splitlines()
    if section and not section[0].isdigit():
        start, end = _section_bounds(lines, section, path)
        lines = lines[start + 1:end]
        indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
        lines = [line[indent:] for line in lines]  # dedent_subsections: true
    lines = [line for line in lines if not _SECTION_MARK.match(line)]
    return "\n".join(lines).strip("\n")


def _section_bounds(lines: list[str], section: str, path: str) -> tuple[int, int]:
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == f"# --8<-- [start:{section}]")
        end = next(i for i, line in enumerate(lines) if i > start and line.strip() == f"# --8<-- [end:{section}]")
    except StopIteration:
        raise NotebookError(f"snippets/{path} has no section [start:{section}] ... [end:{section}]") from None
    return start, end


def resolve_path(rel: str) -> Path:
    from tools.page_rules import Include
    found = resolve(Include(0, rel))
    if found is None:
        raise FileNotFoundError(rel)
    return found


def verified_with() -> dict[str, str]:
    """The versions the home page lists under "Verified with" (generated/outputs/home/versions.txt), as a dict."""
    path = OUTPUTS / "home" / "versions.txt"
    if not path.is_file():  # not recorded yet: the page rules report the missing output, with what to run
        return {}
    text = path.read_text(encoding="utf-8")
    return dict(line.split(None, 1) for line in text.splitlines() if line.strip())


def _notebook(cells: list[dict], title: str = "", lang: str = "en", page: str = "") -> dict:
    versions = verified_with()
    metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": versions.get("Python", ""), "file_extension": ".py",
                          "mimetype": "text/x-python", "pygments_lexer": "ipython3",
                          "codemirror_mode": {"name": "ipython", "version": 3}, "nbconvert_exporter": "python"},
    }
    if title:
        metadata["title"] = title
    metadata[META] = {"page": page, "language": lang, "verified_with": versions}
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def _cell(kind: str, source: str, number: int, **meta) -> dict:
    cell = {"cell_type": kind, "id": f"cell-{number}", "metadata": {META: meta} if meta else {},
            "source": source.splitlines(keepends=True)}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _strip_id(text: str) -> str:
    return _EXPLICIT_ID.sub("", text)


def page_title(markdown: str) -> str:
    """The page's first-level heading, without its {#id}."""
    from tools.translations import _FRONT_MATTER
    for _, line, in_code in _lines_outside_code(_FRONT_MATTER.sub("", markdown, count=1)):
        match = _HEADING.match(line)
        if not in_code and match and match.group(1) == "#":
            return _strip_id(match.group(2)).strip()
    return ""


# ---- 1. a notebook of each page's snippets ---------------------------------------------------------------------

def _snippet_rel(path: str) -> str | None:
    """The path below snippets/ of an include, or None when it is not a snippet."""
    found = resolve_path(path)
    return path if found.is_relative_to(SNIPPETS) else None


def _page_of(rel: str, lang: str) -> tuple[str, str]:
    """(title, Markdown path) of the first page in `lang` that shows a snippet, for "shown on the page ..."."""
    from tools.page_rules import pages_showing
    for shown in pages_showing(rel):
        if shown.startswith(f"docs/{lang}/"):
            markdown = (DOCS.parent / shown).read_text(encoding="utf-8")
            return page_title(markdown), shown.removeprefix(f"docs/{lang}/")
    return rel, ""


class _PageNotebook:
    """Builds the notebook cell by cell; remembers which folder each example's files are in."""

    def __init__(self, lang: str, title: str, page: str, whole_files: set[str]):
        self.lang, self.words, self.page = lang, WORDS.get(lang, WORDS["en"]), page
        self.whole_files = whole_files      # snippets the page shows in full (their sections are excerpts)
        self.cells: list[dict] = []
        self.ran: set[str] = set()          # snippets already run in full, in the folder of their chain
        self.folder: str | None = None      # the folder the kernel is in now
        self.folders: dict[str, str] = {}   # chain root -> its folder's name
        self.programs = 0                   # one number for each run of a program: its cells share it
        self.section_program: dict[str, int] = {}  # a program shown in sections -> its number
        versions = "\n".join(f"- {name} {version}" for name, version in verified_with().items())
        self.markdown(f"# {title}\n\n" + self.words["intro"].format(title=title) + "\n\n"
                      + self.words["verified"] + "\n\n" + versions)
        self.markdown(self.words["folders"].format(root=examples_root(page)))
        self.code(FOLDER_CODE.replace("{root}", examples_root(page)), role="folders", root=examples_root(page))

    def markdown(self, text: str, **meta) -> None:
        self.cells.append(_cell("markdown", text, len(self.cells), **meta))

    def code(self, source: str, **meta) -> dict:
        cell = _cell("code", source, len(self.cells), **meta)
        self.cells.append(cell)
        return cell

    def _folder_name(self, root: str) -> str:
        if root not in self.folders:
            name, taken = PurePosixPath(root).stem, set(self.folders.values())
            number = 2
            while name in taken:
                name, number = f"{PurePosixPath(root).stem}-{number}", number + 1
            self.folders[root] = name
        return self.folders[root]

    def enter_folder(self, snippet: Snippet, continuing: bool = False) -> None:
        """A new example starts in a new empty folder; one that runs after another (or a later part of one) goes
        to that one's folder."""
        root = snippet.chain()[0].rel
        name = self._folder_name(root)
        if snippet.after is None and not continuing:
            self.code(f'example_folder("{name}")', role="folder")
        elif self.folder != name:
            self.code(f'example_folder("{name}", empty=False)', role="folder")
        self.folder = name

    def predecessors(self, snippet: Snippet) -> None:
        """Run first, from their files, the '# Run after:' predecessors that have not run above."""
        chain = snippet.chain()
        for before, needed_by in zip(chain[:-1], chain[1:]):
            if before.rel in self.ran:
                continue
            title, _ = _page_of(before.rel, self.lang)
            name = PurePosixPath(before.rel).name
            self.program(before, [self.words["inserted"].format(name=name, page=title,
                                                                needed_by=PurePosixPath(needed_by.rel).name)],
                         inserted=True)

    def program(self, snippet: Snippet, text: list[str], inserted: bool = False) -> None:
        """One snippet run in full: its folder, a Markdown cell that says what it is, its code."""
        self.programs += 1
        name = PurePosixPath(snippet.rel).name
        text = text + [f"`{name}`"] if not inserted else [f"`{name}`"] + text
        meta = {"snippet": snippet.rel, "program": self.programs}
        if snippet.expected_error:
            text.append(self.words["raises"].format(error=snippet.expected_error))
        if snippet.rel in RUN_AS_FILE:
            reason = (_REASONS_ZH if self.lang == "zh" else RUN_AS_FILE)[snippet.rel]
            text.append(self.words["as_file"].format(name=name, reason=reason))
        self.markdown("\n\n".join(text))
        self.enter_folder(snippet)
        code = snippet_code(snippet.rel)
        role = "inserted" if inserted else "example"
        if snippet.rel in RUN_AS_FILE:
            if snippet.rel in COMPANIONS:
                source, where = COMPANIONS[snippet.rel]
                folder = PurePosixPath(where).parent
                self.code(f"import os\n\nos.makedirs({str(folder)!r}, exist_ok=True)", role="setup", **meta)
                self.code(f"%%writefile {where}\n{snippet_code(source)}", role="file", **meta)
            self.code(f"%%writefile {name}\n{code}", role="file", target=snippet.rel, **meta)
            cell = self.code(f"%run {name}", role="run", **meta)
        else:
            cell = self.code(code, role=role, target=snippet.rel, **meta)
        if snippet.expected_error:
            cell["metadata"]["tags"] = ["raises-exception"]
        self.ran.add(snippet.rel)

    def excerpt(self, target: str, text: list[str], where: str) -> None:
        name = PurePosixPath(target.split(":")[0]).name
        text = text + [self.words["excerpt"].format(name=name, where=self.words[where]),
                       f"```python\n{snippet_code(target)}\n```"]
        self.markdown("\n\n".join(text), role="excerpt", target=target)

    def sections(self, snippet: Snippet, targets: list[str], text: list[str], index: int) -> None:
        """Part `index` of a program the page shows only in sections: before the first, the lines it leaves out."""
        lines = snippet.source.splitlines()
        bounds = [_section_bounds(lines, t.split(":", 1)[1], snippet.rel) for t in targets]
        if bounds != sorted(bounds) or len(set(targets)) != len(targets):
            raise NotebookError(f"{self.page}: the sections of snippets/{snippet.rel} are not shown in the order "
                                f"of the file, each once; a notebook runs them in page order. Show them in file "
                                f"order, or show the whole file.")
        start, end = bounds[index]
        if min((len(line) - len(line.lstrip()) for line in lines[start + 1:end] if line.strip()), default=0):
            raise NotebookError(f"{self.page}: section [{targets[index].split(':', 1)[1]}] of snippets/{snippet.rel} "
                                f"is indented, so it cannot run as a cell of its own; show the whole file instead.")
        name = PurePosixPath(snippet.rel).name
        if index == 0:
            self.programs += 1
            self.section_program[snippet.rel] = self.programs
        meta = {"snippet": snippet.rel, "program": self.section_program[snippet.rel]}
        previous_end = bounds[index - 1][1] if index else -1
        gap = _code_lines(lines[previous_end + 1:start])
        text = text + [f"`{name}`"]
        if index == 0 and gap:
            text.append(self.words["rest"].format(name=name))
        if index == len(targets) - 1 and snippet.expected_error:
            text.append(self.words["raises"].format(error=snippet.expected_error))
        self.markdown("\n\n".join(text))
        self.enter_folder(snippet, continuing=index > 0)
        if gap:
            self.code(gap, role="rest", **meta)
        cell = self.code(snippet_code(targets[index]), role="example", target=targets[index], **meta)
        if index == len(targets) - 1:
            tail = _code_lines(lines[end + 1:])
            if tail:
                cell = self.code(tail, role="rest", **meta)
            if snippet.expected_error:
                cell["metadata"]["tags"] = ["raises-exception"]
            self.ran.add(snippet.rel)


def _code_lines(lines: list[str]) -> str:
    """The lines of a gap between shown sections, without section marks; "" when nothing would run."""
    kept = [line for line in lines if not _SECTION_MARK.match(line)]
    if not any(line.strip() and not line.lstrip().startswith("#") for line in kept):
        return ""
    return "\n".join(kept).strip("\n")


def page_notebook(markdown: str, title: str, lang: str, page: str = "") -> dict | None:
    """The page's Python includes, in order, each under the heading it appears under; None if it shows none.

    The notebook runs from an empty folder: each example in a folder of its own, '# Run after:' predecessors that
    the page does not show above included, expected errors tagged, sections of a file the page shows in full kept
    as excerpts."""
    code_at = {inc.line: inc for inc in includes(markdown) if inc.file.endswith(".py") and _snippet_rel(inc.file)}
    if not code_at:
        return None
    whole = {inc.file for inc in code_at.values() if inc.section is None}
    in_sections: dict[str, list[str]] = {}
    for inc in code_at.values():
        if inc.section is not None and inc.file not in whole:
            in_sections.setdefault(inc.file, []).append(inc.target)
    book = _PageNotebook(lang, title, page, whole)
    heading = None
    for number, line, in_code in _lines_outside_code(markdown):
        match = _HEADING.match(line)
        if not in_code and match and len(match.group(1)) > 1:
            heading = f"{match.group(1)} {_strip_id(match.group(2))}"
        if number not in code_at:
            continue
        include = code_at[number]
        text = [heading] if heading else []
        heading = None
        snippet = Snippet(include.file)
        if include.file in in_sections:
            targets = in_sections[include.file]
            index = targets.index(include.target)
            if index == 0:
                book.predecessors(snippet)
            book.sections(snippet, targets, text, index)
        elif include.section is not None:
            book.excerpt(include.target, text, "below" if include.file not in book.ran else "above")
        else:
            book.predecessors(snippet)
            book.program(snippet, text)
    return _notebook(book.cells, title, lang, page)


def notebook_name(src_uri: str) -> str:
    stem = PurePosixPath(src_uri).stem
    if stem == "index":
        parent = PurePosixPath(src_uri).parent.name
        return (parent or "home") + ".ipynb"
    return stem + ".ipynb"


def notebook_json(notebook: dict) -> str:
    """The .ipynb file's text, as the build writes it."""
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def source_notebook(lang: str, md: str) -> dict | None:
    """The notebook of docs/<lang>/<md>, made from the page's source as the build makes it."""
    markdown = (DOCS / lang / md).read_text(encoding="utf-8")
    return page_notebook(markdown, page_title(markdown), lang, md)


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
    # From the page's source, not page.markdown (which other hooks have changed): the tests rebuild it the same way.
    try:
        notebook = source_notebook(lang, page.file.src_uri) if page.file.abs_src_path else None
    except NotebookError as error:
        from mkdocs.exceptions import PluginError
        raise PluginError(str(error)) from None
    if notebook is None:
        return content
    name = notebook_name(page.file.src_uri)
    target = Path(page.file.abs_dest_path).parent / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(notebook_json(notebook), encoding="utf-8")
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
    return _notebook(cells, page_title(markdown), lang, WALKTHROUGH), ids


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
