"""MkDocs hook: join the lines of a Chinese paragraph before the Markdown renders.

Chromium and Safari render a line break between two Chinese characters as a space ("运行 实际打印"), so a Chinese
paragraph wrapped in the source shows stray spaces. The build joins such breaks on every page, wherever they are
written: between two CJK characters, or a CJK character and full-width punctuation, also across the emphasis
and link marks that may end or start a line (`**`, `_`, `](...)`). Never inside fenced code, inline code or raw
HTML, and never where the next line starts a new block (a list item, heading, table row, quote, admonition).
tests/browser/test_chinese.py checks the built pages, as the browser shows them.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # MkDocs loads hooks by path, not as a package
from tools.page_rules import _lines_outside_code  # noqa: E402

# Han, CJK symbols and punctuation (、。「」…), full-width forms (，：；！？（）), and the curly quotes “”‘’.
CJK = r"\u2018\u2019\u201c\u201d\u2026\u2014\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# A line ends in CJK (then maybe closing marks: emphasis, a link's target) ...
_ENDS_CJK = re.compile(rf"[{CJK}](?:[*_]+|\]\([^()\s]*\))?$")
# ... and the next one starts with CJK (maybe after opening emphasis or a link's bracket).
_STARTS_CJK = re.compile(rf"^(?:[*_]+|\[)?[{CJK}]")
# Lines that start a block of their own: never glued to the line before.
_NEW_BLOCK = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|>|\||!!!|\?\?\?|<|:::|\{|---|===|\*\*\*)")
_HTML_BLOCK = re.compile(r"^\s*<(?!https?:)[A-Za-z!/]")


def join_cjk_lines(markdown: str) -> str:
    """The Markdown with every line break between two CJK characters of one paragraph removed."""
    out: list[str] = []
    in_html = False
    ticks = 0  # backticks seen in the current paragraph: odd means an inline code span is open
    for _, line, in_code in _lines_outside_code(markdown):
        if in_code:
            out.append(line)
            in_html, ticks = False, 0
            continue
        if not line.strip():
            out.append(line)
            in_html, ticks = False, 0
            continue
        if _HTML_BLOCK.match(line):
            in_html = True
        previous = out[-1] if out else ""
        indent = len(line) - len(line.lstrip())
        if (out and not in_html and ticks % 2 == 0 and previous.strip()
                and _ENDS_CJK.search(previous) and _STARTS_CJK.match(line.lstrip())
                and not _NEW_BLOCK.match(line)
                and indent >= len(previous) - len(previous.lstrip())):
            out[-1] = previous + line.lstrip()
        else:
            out.append(line)
        ticks += line.count("`")
    return "\n".join(out) + ("\n" if markdown.endswith("\n") else "")


def on_page_markdown(markdown, page, config, files):
    return join_cjk_lines(markdown)
