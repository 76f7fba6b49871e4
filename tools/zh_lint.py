"""Chinese text lint: full-width punctuation, one term per concept, English glosses only where they help.

    python -m tools.zh_lint      list every problem (file:line: what, and what to write instead); exit 1 if any

What it reads, as Chinese prose (code, output and identifiers keep their own punctuation, so inline code, fenced
code, link targets, HTML tags and attribute lists are left out first):
- every page below docs/zh/;
- the Chinese entries (`zh:`) of data/reference-i18n.yaml;
- the Chinese text the tools generate: generated/benchmarks/*-zh.md (re-made by `make bench-formats` /
  `python -m tools.bench_memory --render`, never edited) and the Chinese strings in the tools that write them.

The rules (data/zh-terms.yaml holds the terms and glosses; GLOSSARY.md explains them):
- punctuation: ，。：；！？（） in Chinese prose, not , . : ; ! ? ( ) next to a Chinese character; one quote style,
  “”, not straight quotes, 「」 or ‘’;
- terms: none of a term's discouraged variants (缓冲区, not buffer; 批归一化, not BatchNorm; 阻止列表, not 黑名单);
- glosses: English in parentheses after a Chinese term only for the terms listed under `glosses`, once per page.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from tools.page_rules import _lines_outside_code
from tools.paths import DOCS, GENERATED, REPO

TERMS = REPO / "data" / "zh-terms.yaml"
CATALOGUE = REPO / "data" / "reference-i18n.yaml"
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
C = f"[{HAN}]"

PUNCTUATION = [
    (re.compile(rf"{C}\s*[,;!?]|[,;!?]\s*{C}"), "ASCII , ; ! ? next to Chinese: write ，；！？"),
    (re.compile(rf"{C}\s*:|:\s*{C}"), "ASCII colon next to Chinese: write ："),
    (re.compile(rf"{C}\.(?=\s|$|{C})"), "ASCII full stop after Chinese: write 。"),
    (re.compile(rf"\([^()]*{C}[^()]*\)|{C}\(|\){C}"), "ASCII parentheses in Chinese prose: write （）"),
    (re.compile(rf'"\s*[{HAN}（，。：；！？、]|[{HAN}（），。：；！？、]\s*"'), "straight quotes in Chinese prose: write “”"),
    (re.compile(r"[「」『』‘’]"), "one quote style in Chinese prose: write “”"),
]
_GLOSS = re.compile(rf"(?:(?<={C})|(?<={C}\*)|(?<={C}\*\*))（([A-Za-z][A-Za-z0-9 _./-]*)）")  # 推理（…）, **推理**（…）
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_STRIP = [
    re.compile(r"<!--.*?-->"), re.compile(r"\]\([^)]*\)"), re.compile(r"<[^>]+>"), re.compile(r"\{\s*[:#.][^}]*\}"),
    re.compile(r"https?://\S+"), re.compile(r"--8<--.*"),
]
# Markdown whose quotes are syntax: admonitions (!!! note "标题"), collapsible blocks, content tabs (=== "标签").
_QUOTED_TITLE = re.compile(r'^(\s*(?:!!!|\?\?\?\+?|===)\s*[\w -]*)"(.*)"\s*$')


@dataclass(frozen=True)
class Problem:
    where: str
    line: int
    message: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.message}: …{self.text}…"


@lru_cache(maxsize=None)
def rules() -> dict:
    return yaml.safe_load(TERMS.read_text(encoding="utf-8"))


def prose(line: str) -> str:
    """A line of Markdown as the prose it shows, with code and markup left out (code becomes "§")."""
    title = _QUOTED_TITLE.match(line)
    if title:
        line = title.group(1) + " " + title.group(2)
    line = _INLINE_CODE.sub("§", line)
    for pattern in _STRIP:
        line = pattern.sub(" " if pattern.pattern.startswith("<") else "", line)
    return line


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 10):end + 10].strip()


def check_text(text: str, where: str, line: int, seen_glosses: set[str] | None = None) -> list[Problem]:
    """Problems in one line of Chinese prose (already without code). `seen_glosses`: glosses earlier on the page."""
    found = []
    for pattern, message in PUNCTUATION:
        for m in pattern.finditer(text):
            found.append(Problem(where, line, message, _context(text, m.start(), m.end())))
    unglossed = _GLOSS.sub("", text)  # an English term in a gloss's parentheses is the gloss, not a variant
    for term, variants in rules()["terms"].items():
        for variant in variants:
            pattern = (re.escape(variant) if re.search(f"[{HAN}]", variant)
                       else rf"(?<![\w.`-]){re.escape(variant)}(?![\w`-])")
            for m in re.finditer(pattern, unglossed):
                found.append(Problem(where, line, f"write {term}, not {variant}", _context(unglossed, m.start(), m.end())))
    for m in _GLOSS.finditer(text):
        gloss = m.group(1)
        if gloss in rules()["names"]:
            continue
        if gloss not in rules()["glosses"]:
            found.append(Problem(where, line, f"no English gloss ({gloss}) for a term a reader knows: leave it out "
                                 "(data/zh-terms.yaml lists the terms that get one)", _context(text, m.start(), m.end())))
        elif seen_glosses is not None:
            if gloss in seen_glosses:
                found.append(Problem(where, line, f"gloss ({gloss}) repeated: give it on first use only",
                                     _context(text, m.start(), m.end())))
            seen_glosses.add(gloss)
    return found


def check_markdown(markdown: str, where: str) -> list[Problem]:
    found: list[Problem] = []
    seen: set[str] = set()
    front = re.match(r"\A---\n(.*?\n)---\n", markdown, re.S)
    front_lines = front.group(0).count("\n") if front else 0
    for number, line, in_code in _lines_outside_code(markdown):
        if in_code or not re.search(f"[{HAN}]", line):
            continue
        if number <= front_lines:
            key, _, value = line.partition(":")
            if key.strip() not in ("title", "description"):
                continue
            line = str(yaml.safe_load(value) or "")  # the text, not its YAML quoting
        found += check_text(prose(line), where, number, seen)
    return found


def _catalogue_problems() -> list[Problem]:
    found = []
    for number, line in enumerate(CATALOGUE.read_text(encoding="utf-8").splitlines(), 1):
        m = re.search(r"\bzh:\s*(\"(?:[^\"\\]|\\.)*\"|[^,}]*)", line)
        if m:
            value = m.group(1).strip().strip('"')
            found += check_text(prose(value), CATALOGUE.relative_to(REPO).as_posix(), number)
    return found


def _tool_strings() -> list[tuple[str, str]]:
    """(where, text) for the Chinese strings the tools write into pages."""
    from tools import bench_formats, bench_memory, notebooks, translations
    strings = [(f"tools/bench_formats.py _T[{k!r}]", v["zh"]) for k, v in bench_formats._T.items() if "zh" in v]
    strings += [(f"tools/bench_memory.py WORDS[zh][{k!r}]", v) for k, v in bench_memory.WORDS["zh"].items()]
    strings += [(f"tools/notebooks.py WORDS[zh][{k!r}]", v) for k, v in notebooks.WORDS["zh"].items()]
    strings += [("tools/translations.py NOTE[zh]", translations.NOTE["zh"])]
    return strings


def problems() -> list[Problem]:
    found = []
    for path in sorted((DOCS / "zh").rglob("*.md")):
        found += check_markdown(path.read_text(encoding="utf-8"), path.relative_to(REPO).as_posix())
    found += _catalogue_problems()
    for path in sorted((GENERATED / "benchmarks").glob("*-zh.md")):
        found += check_markdown(path.read_text(encoding="utf-8"), path.relative_to(REPO).as_posix())
    for where, text in _tool_strings():
        found += [p for line in text.splitlines() for p in check_text(prose(line), where, 0)]
    return found


def main() -> int:
    found = problems()
    for problem in found:
        print(problem)
    print(f"{len(found)} problem(s) in the Chinese text" if found else "Chinese text: no problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
