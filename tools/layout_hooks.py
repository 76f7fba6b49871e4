"""MkDocs hooks for how pages read on a phone and a laptop (the styles are in overrides/assets/stylesheets/layout.css).

- A code block titled "Output" (输出) is marked `output`, so output looks different from the code that printed it.
- Inline code (not code blocks) gets break opportunities (<wbr>) after `.`, `(`, `[`, `,` and `/` outside string
  literals: with `word-break: normal` in layout.css a line then breaks between tokens, never inside one, and a
  long call still fits a phone's column.
- On the home page, the notebook download link moves below the task list that routes readers.
"""
from __future__ import annotations

import re

OUTPUT_TITLES = {"Output", "输出"}  # the titles CONTRIBUTING.md asks for under a snippet

_OUTPUT_BLOCK = re.compile(r'<div class="(?P<cls>[^"]*\bhighlight)"><span class="filename">(?P<title>[^<]*)</span>')
_PRE = re.compile(r"<pre\b.*?</pre>", re.S)
_INLINE_CODE = re.compile(r"(<code(?: [^>]*)?>)([^<]+)(</code>)")
_PIECE = re.compile(r"&[a-z]+;|&#\d+;|.", re.S)  # one character, or one HTML entity
_BREAK_AFTER = {".", "(", "[", ",", "/"}
_QUOTES = {'"', "'", "&quot;", "&#39;", "&#x27;"}


def mark_outputs(html: str) -> str:
    def mark(m: re.Match) -> str:
        if m.group("title").strip() not in OUTPUT_TITLES:
            return m.group(0)
        return m.group(0).replace(f'class="{m.group("cls")}"', f'class="{m.group("cls")} output"', 1)
    return _OUTPUT_BLOCK.sub(mark, html)


SHORT = 20  # characters: shorter code stays on one line whole


def break_between_tokens(code: str) -> str:
    """`torch.load("a.pt")` -> `torch.<wbr>load(<wbr>"a.pt")`: a break after a separator, never inside a string,
    never after a leading dot (`.pt2`), and none at all in short code. A browser would also break after a hyphen
    (`ai-edge-` / `torch`, `1e-` / `6`): a piece with one is kept whole (<span class="nobr">)."""
    pieces = _PIECE.findall(code)
    segments: list[list[str]] = [[]]   # the pieces between two break opportunities
    quote = None
    for i, piece in enumerate(pieces):
        if piece.isspace():
            segments += [[piece], []]
            continue
        segments[-1].append(piece)
        if quote is None and piece in _QUOTES:
            quote = piece
        elif quote is not None and piece == quote:
            quote = None
        elif quote is None and piece in _BREAK_AFTER and 0 < i < len(pieces) - 1 and len(pieces) > SHORT \
                and not pieces[i + 1].isspace() and pieces[i + 1] not in _BREAK_AFTER:
            segments.append(["<wbr>"])
            segments.append([])
    return "".join(f'<span class="nobr">{"".join(seg)}</span>' if "-" in seg else "".join(seg) for seg in segments)


def _outside_pre(html: str, change) -> str:
    parts, last = [], 0
    for m in _PRE.finditer(html):
        parts.append(change(html[last:m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(change(html[last:]))
    return "".join(parts)


def break_inline_code(html: str) -> str:
    return _outside_pre(html, lambda part: _INLINE_CODE.sub(
        lambda m: m.group(1) + break_between_tokens(m.group(2)) + m.group(3), part))


_NOTEBOOK_LINK = re.compile(r'<p class="notebook-download">.*?</p>\n?', re.S)


def notebook_link_below_the_tasks(html: str) -> str:
    """The home page's first screen routes readers (tasks): its notebook download link goes before the first h2."""
    link = _NOTEBOOK_LINK.search(html)
    first_h2 = html.find("<h2")
    if not link or first_h2 < link.end():
        return html
    return html[:link.start()] + html[link.end():first_h2] + link.group(0) + html[first_h2:]


def on_page_content(html, page, config, files):
    if page.is_homepage:
        html = notebook_link_below_the_tasks(html)
    return break_inline_code(mark_outputs(html))
