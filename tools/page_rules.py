"""What a page must satisfy: the one set of rules, enforced by the MkDocs build (tools/mkdocs_hooks.py) so that
`make serve` shows a writer the problem, and used by the tests with the same functions.

What a reader sees is decided by rendering the page with the site's own Markdown extensions (includes left
unexpanded): a block is Python when Pygments, the site's highlighter, finds a Python lexer for its language,
whatever the spelling (`Python`, `py3`, `{ .python }`, `ipython3`, `pycon`, `~~~`); a block with no language or
any other one is Python when it parses as a program; an include counts as shown only when it is in what the
rendered page shows (not inside an HTML comment or a hidden element).
"""
from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from tools.paths import DOCS, GENERATED, LANGUAGES, REPO, SNIPPETS

INCLUDE_ROOTS = (SNIPPETS, GENERATED)  # pymdownx.snippets base_path, in mkdocs.yml
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
INCLUDE_LINE = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"\s*$')
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_EXPLICIT_ID = re.compile(r"\{\s*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
_SECTION = "--8<-- [start:{}]"
MISSING = "which is not in snippets/ or generated/"  # pymdownx.snippets (check_paths) stops the build on these


@dataclass(frozen=True)
class Include:
    line: int
    target: str          # as written: "guide/save.py", "guide/save.py:part", "outputs/guide/save.txt"

    @property
    def file(self) -> str:
        return self.target.split(":", 1)[0]

    @property
    def section(self) -> str | None:
        part = self.target.split(":", 1)[1] if ":" in self.target else None
        return part if part and not part[0].isdigit() else None  # "file.py:3:9" selects lines, not a section

    @property
    def snippet(self) -> str | None:
        """For an output include, the snippet whose output it is (path below snippets/)."""
        if self.file.startswith("outputs/") and self.file.endswith(".txt"):
            return self.file.removeprefix("outputs/").removesuffix(".txt") + ".py"
        return None


def _lines_outside_code(markdown: str):
    fence = None
    for number, line in enumerate(markdown.splitlines(), 1):
        match = _FENCE.match(line)
        if match:
            if fence is None:
                fence = match.group(1)
            elif match.group(1).startswith(fence[0]) and len(match.group(1)) >= len(fence) and not line.strip()[len(match.group(1)):]:
                fence = None
            yield number, line, True
            continue
        yield number, line, fence is not None


def includes(markdown: str) -> list[Include]:
    """Every `--8<--` include, inside fences or not (pymdownx.snippets expands both)."""
    return [Include(n, m.group(1)) for n, line, _ in _lines_outside_code(markdown) if (m := INCLUDE_LINE.match(line))]


def headings(markdown: str) -> list[tuple[int, str, str | None]]:
    """(line, heading text, explicit id or None) for every Markdown heading outside code."""
    found = []
    for number, line, in_code in _lines_outside_code(markdown):
        if not in_code and (m := _HEADING.match(line)):
            explicit = _EXPLICIT_ID.search(m.group(2))
            found.append((number, m.group(2), explicit.group(1) if explicit else None))
    return found


def resolve(include: Include) -> Path | None:
    for root in INCLUDE_ROOTS:
        if (root / include.file).is_file():
            return root / include.file
    return None


def problems(markdown: str, page: str) -> list[str]:
    """Everything wrong with a page that the build should refuse, each naming the page and line."""
    from tools.outputs import staleness
    from tools.snippets import Snippet

    found = []
    for include in includes(markdown):
        where = f"{page}:{include.line}"
        path = resolve(include)
        if include.snippet:
            snippet = Snippet(include.snippet)
            if not snippet.path.is_file():
                found.append(f"{where} shows the output of snippets/{include.snippet}, which does not exist")
            elif why := staleness(snippet):
                found.append(f"{where} shows the output of snippets/{include.snippet}, which {why}. "
                             "Run `make outputs` (it runs only what changed) and commit generated/.")
        elif path is None:
            found.append(f"{where} includes '{include.file}', {MISSING}")
        elif include.section and _SECTION.format(include.section) not in path.read_text(encoding="utf-8"):
            found.append(f"{where} includes section '{include.section}' of {include.file}, "
                         f"which has no line '# {_SECTION.format(include.section)}'")
    seen = set()
    for number, text, anchor in headings(markdown):
        if anchor is None:
            found.append(f"{page}:{number} heading '{text}' has no explicit id: write it as "
                         "'## Title {#english-id}', with the same id in both languages")
        elif anchor in seen:
            found.append(f"{page}:{number} heading '{text}' repeats the id '{anchor}': ids are unique in a page")
        seen.add(anchor)
    return found


def pages() -> dict[str, list[str]]:
    """Language -> every Markdown page below docs/<language>, as paths relative to that folder."""
    return {lang: sorted(p.relative_to(DOCS / lang).as_posix() for p in (DOCS / lang).rglob("*.md"))
            for lang in LANGUAGES}


def pages_showing(snippet_rel: str) -> list[str]:
    """The pages (docs/<lang>/...) that show a snippet or its output."""
    output = "outputs/" + snippet_rel.removesuffix(".py") + ".txt"
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        shown = render(path.read_text(encoding="utf-8")).shown
        if any(target.split(":", 1)[0] in (snippet_rel, output) for target in shown):
            found.append(path.relative_to(DOCS.parent).as_posix())
    return found


# ---------------------------------------------------------------- what the rendered page shows


@dataclass(frozen=True)
class CodeBlock:
    language: str | None  # as the fence gave it to the highlighter: "python", "py3", None for indented code
    text: str

    @property
    def typed(self) -> str:
        """The lines written on the page itself, not include lines."""
        return "\n".join(line for line in self.text.splitlines() if not INCLUDE_LINE.match(line))


@dataclass
class Rendered:
    blocks: list[CodeBlock] = field(default_factory=list)  # every code block a reader sees
    shown: list[str] = field(default_factory=list)         # include targets a reader sees, in page order


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")


class _Reader(HTMLParser):
    """Collects code blocks and visible text; comments, and elements hidden by attribute or style, show nothing."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, str | None]] = []  # (tag, hidden, language of a highlighted block)
        self.rendered = Rendered()
        self.code: list[str] | None = None
        self.language: str | None = None
        self.text: list[str] = []

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        attrs = dict(attrs)
        hidden = self.hidden or "hidden" in attrs or bool(_HIDDEN_STYLE.search(attrs.get("style") or ""))
        classes = (attrs.get("class") or "").split()
        # pymdownx.highlight marks each block with the language it was given (pygments_lang_class).
        language = next((c.removeprefix("language-") for c in classes if c.startswith("language-")), None)
        if tag == "code" and self.stack and self.stack[-1][0] == "pre" and not hidden:
            self.language = language or next((entry[2] for entry in reversed(self.stack) if entry[2]), None)
            self.code = []
        self.stack.append((tag, hidden, language))

    def handle_endtag(self, tag):
        if tag == "code" and self.code is not None:
            block = CodeBlock(self.language, "".join(self.code))
            self.rendered.blocks.append(block)
            self.text.append("\n" + block.text + "\n")
            self.code = None
        for i in range(len(self.stack) - 1, -1, -1):  # tolerate unclosed elements
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.hidden:
            return
        (self.code if self.code is not None else self.text).append(data)


def _settings_from(extensions: list, configs: dict) -> tuple[list, dict]:
    # Includes stay as written, so that what is shown can be told from what is typed. Each highlighted block
    # names the language it was given, which the rules look up as the highlighter does.
    extensions = [e for e in extensions if e != "pymdownx.snippets"]
    configs = {name: dict(value) for name, value in configs.items() if name != "pymdownx.snippets"}
    configs["pymdownx.highlight"] = dict(configs.get("pymdownx.highlight", {}), pygments_lang_class=True)
    return extensions, configs


@lru_cache(maxsize=None)
def _site_settings(config_file: Path = REPO / "mkdocs.yml") -> tuple[list, dict]:
    """The Markdown extensions of the site, read the way MkDocs reads them (for the tests; the build passes its own)."""
    from mkdocs.config import config_options
    from mkdocs.utils import yaml_load

    with open(config_file, encoding="utf-8") as f:
        raw = yaml_load(f)
    option = config_options.MarkdownExtensions(builtins=["toc", "tables", "fenced_code"], configkey="mdx_configs")
    extensions = option.validate(raw.get("markdown_extensions", []))
    return _settings_from(extensions, option.configdata)


_rendered: dict[tuple[str, str], Rendered] = {}  # a build renders each page twice: as itself and as a twin


def render(markdown: str, settings: tuple[list, dict] | None = None) -> Rendered:
    """What a reader of the page sees, with includes left as their `--8<--` lines."""
    import markdown as python_markdown

    extensions, configs = settings or _site_settings()
    key = (repr((extensions, sorted(configs.items()))), markdown)
    if key in _rendered:
        return _rendered[key]
    html = python_markdown.Markdown(extensions=extensions, extension_configs=configs).convert(markdown)
    reader = _Reader()
    reader.feed(html)
    reader.close()
    visible = "".join(reader.text)
    reader.rendered.shown = [m.group(1) for line in visible.splitlines() if (m := INCLUDE_LINE.match(line))]
    _rendered[key] = reader.rendered
    return reader.rendered


def site_settings(extensions: list, configs: dict) -> tuple[list, dict]:
    """render()'s settings from a loaded MkDocs config (config.markdown_extensions, config.mdx_configs)."""
    return _settings_from(extensions, configs)


def is_python_language(language: str | None) -> bool:
    """Whether the site's highlighter colours a block of this language as Python (or a Python session)."""
    if not language:
        return False
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return False
    module = type(lexer).__module__.lower()
    return "python" in module or any("python" in mimetype for mimetype in lexer.mimetypes)


_PROMPT = re.compile(r"^(>>>|\.\.\.)( |$)")


def looks_like_python(text: str) -> bool:
    """Whether a block in another language (or none) is a Python program: it parses, and it does something
    (imports, defines, loops, calls) rather than being data such as `key = "value"` or a file name."""
    lines = text.splitlines()
    if any(_PROMPT.match(line) for line in lines):  # a console session: the code is after the prompts
        lines = [_PROMPT.sub("", line) for line in lines if _PROMPT.match(line)]
    try:
        tree = ast.parse(textwrap.dedent("\n".join(lines)))
    except (SyntaxError, ValueError):
        return False
    acting = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With, ast.For,
              ast.While, ast.Try, ast.Call, ast.Lambda, ast.Raise, ast.Assert, ast.Delete)
    return any(isinstance(node, acting) for node in ast.walk(tree))


def _line_of(markdown: str, typed: str) -> int:
    first = next((line.strip() for line in typed.splitlines() if line.strip()), "")
    return next((n for n, line in enumerate(markdown.splitlines(), 1) if first and first in line), 0)


def inline_python(markdown: str, page: str, rendered: Rendered) -> list[str]:
    """Code blocks on the page that are Python typed inline: Python on a page comes from snippets/, where the
    tests run it."""
    found = []
    for block in rendered.blocks:
        typed = block.typed
        if not typed.strip():
            continue
        if is_python_language(block.language):
            how = f"a block highlighted as Python ('{block.language}')"
        elif looks_like_python(typed):
            how = f"a block{f' in {block.language!r}' if block.language else ' with no language'} that is a Python program"
        else:
            continue
        found.append(f"{page}:{_line_of(markdown, typed)} has Python typed inline ({how}); put it in snippets/ "
                     "and include it with --8<--, so that the tests run it")
    return found


def twin_problems(markdown: str, page: str, twin_markdown: str | None, twin_page: str,
                  rendered: Rendered, twin_rendered: Rendered | None) -> list[str]:
    """The two languages of a page have the same heading ids and show the same includes, in the same order."""
    if twin_markdown is None:
        return [f"{page} has no twin: write {twin_page} too (the languages have the same pages)"]
    found = []
    ids, twin_ids = [h[2] for h in headings(markdown)], [h[2] for h in headings(twin_markdown)]
    if ids != twin_ids:
        found.append(f"{page} and {twin_page} must have the same heading ids in the same order: "
                     f"{_first_difference(ids, twin_ids)}")
    if rendered.shown != twin_rendered.shown:
        found.append(f"{page} and {twin_page} must show the same snippets and outputs in the same order: "
                     f"{_first_difference(rendered.shown, twin_rendered.shown)}")
    return found


def _first_difference(ours: list, theirs: list) -> str:
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a != b:
            return f"item {i + 1} is {a!r} here and {b!r} in the other language"
    if len(ours) > len(theirs):
        return f"{ours[len(theirs)]!r} is only here"
    return f"{theirs[len(ours)]!r} is only in the other language"


def unshown_snippets(shown: set[str], lang: str) -> list[str]:
    """Every snippet is shown (its code, whole or a section) on some page of each language."""
    from tools.snippets import discover

    files = {target.split(":", 1)[0] for target in shown}
    return [f"snippets/{s.rel} is not shown on any page of docs/{lang}/: include it (and its output) on a page, "
            "or delete it" for s in discover() if s.rel not in files]


def without_front_matter(markdown: str) -> str:
    """The page as Markdown renders it: MkDocs takes the YAML front matter off first (kept as blank lines, so that
    line numbers stay those of the file)."""
    lines = markdown.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            return "\n" * end + "\n" + "\n".join(lines[end + 1:])
    return markdown


def twin_of(lang: str) -> str:
    return next(other for other in LANGUAGES if other != lang)


def page_problems(markdown: str, lang: str, page: str, settings: tuple[list, dict] | None = None,
                  twin_markdown: str | None = ..., rendered: Rendered | None = None) -> tuple[list[str], Rendered]:
    """All the rules for one page (docs/<lang>/<page>), and what it shows. The twin is read from docs/ unless given."""
    where = f"docs/{lang}/{page}"
    other = twin_of(lang)
    if twin_markdown is ...:
        twin_path = DOCS / other / page
        twin_markdown = twin_path.read_text(encoding="utf-8") if twin_path.is_file() else None
    markdown = without_front_matter(markdown)
    twin_markdown = None if twin_markdown is None else without_front_matter(twin_markdown)
    rendered = rendered or render(markdown, settings)
    twin_rendered = render(twin_markdown, settings) if twin_markdown is not None else None
    found = problems(markdown, where) + inline_python(markdown, where, rendered)
    found += twin_problems(markdown, where, twin_markdown, f"docs/{other}/{page}", rendered, twin_rendered)
    return found, rendered
