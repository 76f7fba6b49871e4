"""What a page's Markdown must satisfy, read without rendering: used by the MkDocs hook and by the tests."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tools.paths import GENERATED, SNIPPETS

INCLUDE_ROOTS = (SNIPPETS, GENERATED)  # pymdownx.snippets base_path, in mkdocs.yml
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
INCLUDE_LINE = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"\s*$')
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_EXPLICIT_ID = re.compile(r"\{\s*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
_SECTION = "--8<-- [start:{}]"


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
            found.append(f"{where} includes '{include.file}', which is not in snippets/ or generated/")
        elif include.section and _SECTION.format(include.section) not in path.read_text(encoding="utf-8"):
            found.append(f"{where} includes section '{include.section}' of {include.file}, "
                         f"which has no line '# {_SECTION.format(include.section)}'")
    for number, text, anchor in headings(markdown):
        if anchor is None:
            found.append(f"{page}:{number} heading '{text}' has no explicit id: write it as "
                         "'## Title {#english-id}', with the same id in both languages")
    return found


def pages() -> dict[str, list[str]]:
    """Language -> every Markdown page below docs/<language>, as paths relative to that folder."""
    from tools.paths import DOCS, LANGUAGES
    return {lang: sorted(p.relative_to(DOCS / lang).as_posix() for p in (DOCS / lang).rglob("*.md"))
            for lang in LANGUAGES}


def pages_showing(snippet_rel: str) -> list[str]:
    """The pages (docs/<lang>/...) that include a snippet or its output."""
    from tools.paths import DOCS
    output = "outputs/" + snippet_rel.removesuffix(".py") + ".txt"
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        if any(inc.file in (snippet_rel, output) for inc in includes(path.read_text(encoding="utf-8"))):
            found.append(path.relative_to(DOCS.parent).as_posix())
    return found
