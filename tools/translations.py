"""Which Chinese pages are behind their English page.

Each Chinese page records, in its front matter, a hash of the English source it translates:

    ---
    translated_from: 3f2a9c1b07de
    ---

When the English page changes afterwards, the hashes differ: the built Chinese page shows a note that it may be
outdated, with a link to the English page, and this command lists it. A page with no record counts as outdated.

    python -m tools.translations                          list outdated Chinese pages (make outdated)
    python -m tools.translations --check                  the same, exit status 1 if any is outdated
    python -m tools.translations --stamp docs/zh/x.md ... record that these pages translate the current English
    python -m tools.translations --stamp --all            stamp every Chinese page (after checking them all)
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.paths import DOCS, REPO

KEY = "translated_from"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)
_RECORD = re.compile(rf"^{KEY}:[ \t]*['\"]?([0-9a-f]+)['\"]?[ \t]*$", re.M)


def source_hash(text: str) -> str:
    """12 hex digits of the SHA-256 of an English page, line endings and trailing spaces normalised."""
    normal = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip() + "\n"
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


def recorded_hash(text: str) -> str | None:
    """The `translated_from` value in a page's front matter, or None."""
    match = _FRONT_MATTER.match(text)
    if match and (record := _RECORD.search(match.group(1) or "")):
        return record.group(1)
    return None


def stamp_text(text: str, digest: str) -> str:
    """The page with `translated_from: digest` in its front matter (added, or replacing the old value)."""
    line = f"{KEY}: {digest}"
    match = _FRONT_MATTER.match(text)
    if not match:
        return f"---\n{line}\n---\n\n{text}"
    body = match.group(1) or ""
    body = _RECORD.sub(line, body) if _RECORD.search(body) else body + line + "\n"
    return f"---\n{body}---\n" + text[match.end():]


@dataclass(frozen=True)
class Status:
    page: str            # path below docs/<lang>/: "security.md"
    recorded: str | None
    current: str | None  # None: no English page

    @property
    def outdated(self) -> bool:
        return self.current is not None and self.recorded != self.current

    def describe(self) -> str:
        if self.current is None:
            return f"docs/zh/{self.page}: no English page docs/en/{self.page}"
        if self.recorded is None:
            return f"docs/zh/{self.page}: no '{KEY}' record (never stamped)"
        return f"docs/zh/{self.page}: translates English {self.recorded}, English is now {self.current}"


def status(page: str, docs: Path = DOCS, lang: str = "zh") -> Status:
    english = docs / "en" / page
    current = source_hash(english.read_text(encoding="utf-8")) if english.is_file() else None
    return Status(page, recorded_hash((docs / lang / page).read_text(encoding="utf-8")), current)


def all_status(docs: Path = DOCS, lang: str = "zh") -> list[Status]:
    return [status(p.relative_to(docs / lang).as_posix(), docs, lang)
            for p in sorted((docs / lang).rglob("*.md"))]


def stamp(path: Path, docs: Path = DOCS) -> str:
    """Record the current English hash in a Chinese page; returns it."""
    page = path.resolve().relative_to((docs / "zh").resolve()).as_posix()
    digest = source_hash((docs / "en" / page).read_text(encoding="utf-8"))
    path.write_text(stamp_text(path.read_text(encoding="utf-8"), digest), encoding="utf-8")
    return digest


# ---- the note on the built page ------------------------------------------------------------------------------

NOTE = {
    "zh": ('!!! warning "译文可能已过时"\n\n'
           '    本页译自英文原文的旧版本，英文原文此后已有更新，部分内容可能尚未同步。'
           '请以<a href="{href}" hreflang="en" lang="en" class="outdated-translation-link">英文原文</a>为准。\n'),
}


def english_href(page_url: str, lang: str = "zh") -> str:
    """Relative link from a page of the language's site (at /<lang>/<page_url>) to its English twin."""
    depth = page_url.strip("/").count("/") + 1 if page_url.strip("/") else 0
    return "../" * (depth + 1) + page_url


def with_outdated_note(markdown: str, meta: dict, src_uri: str, page_url: str, lang: str,
                       docs: Path = DOCS) -> str:
    """The page's Markdown with the outdated-translation note under its title when it is behind its English page."""
    if lang == "en" or lang not in NOTE:
        return markdown
    english = docs / "en" / src_uri
    if not english.is_file():
        return markdown
    if str(meta.get(KEY, "")) == source_hash(english.read_text(encoding="utf-8")):
        return markdown
    note = NOTE[lang].format(href=english_href(page_url, lang))
    lines = markdown.split("\n")
    for number, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[:number + 1] + ["", note] + lines[number + 1:])
    return note + "\n" + markdown


def on_page_markdown(markdown, page, config, files):
    """MkDocs hook: called from tools/mkdocs_hooks.py (not for notebook pages: tools/notebooks.py adds theirs)."""
    if not (page.file.abs_src_path or "").endswith(".md"):
        return markdown
    return with_outdated_note(markdown, page.meta, page.file.src_uri, page.url, config.theme["language"])


# Words that Markdown extensions write into a page (the theme translates its own): per language.
EXTENSION_WORDS = {"zh": {'title="Permanent link"': 'title="永久链接"',
                          # mkdocs-jupyter's copy button on the walkthrough's code cells
                          'aria-label="Copy to Clipboard"': 'aria-label="复制到剪贴板"'}}


def on_page_content(html, page, config, files):
    """MkDocs hook: called from tools/mkdocs_hooks.py."""
    for english, translated in EXTENSION_WORDS.get(config.theme["language"], {}).items():
        html = html.replace(english, translated)
    return html


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="List Chinese pages older than their English page, or stamp them.")
    parser.add_argument("--stamp", action="store_true", help="record the current English hash in the given pages")
    parser.add_argument("--all", action="store_true", help="with --stamp: every Chinese page")
    parser.add_argument("--check", action="store_true", help="exit status 1 when a page is outdated")
    parser.add_argument("--docs", type=Path, default=DOCS, help=argparse.SUPPRESS)
    parser.add_argument("pages", nargs="*", type=Path)
    args = parser.parse_args(argv)
    docs = args.docs
    if args.stamp:
        targets = sorted((docs / "zh").rglob("*.md")) if args.all else args.pages
        if not targets:
            parser.error("--stamp needs docs/zh/<page>.md paths, or --all")
        for path in targets:
            if not path.is_absolute() and not path.exists():
                path = REPO / path
            print(f"{path.relative_to(docs.parent.parent) if path.is_relative_to(docs.parent.parent) else path}: "
                  f"{KEY} {stamp(path, docs)}")
        return 0
    found = [s for s in all_status(docs) if s.outdated or s.current is None]
    for s in found:
        print(s.describe())
    total = len(all_status(docs))
    print(f"{len(found)} of {total} Chinese pages outdated" if found else f"All {total} Chinese pages are up to date.")
    return 1 if args.check and found else 0


if __name__ == "__main__":
    sys.exit(main())
