"""MkDocs hooks for keyboard and screen-reader users (checked by axe-core in tests/browser/test_accessibility.py).

- Every code block can be reached with Tab. A block wider than the column scrolls sideways, and a keyboard user
  scrolls it by focusing it. The theme makes a block focusable only when it sets the block up, and with
  `content.lazy` that happens when the block scrolls into view, so tabbing through the page skipped every block
  below the screen. Here the tabindex is in the HTML itself; the theme still removes it, once it sets a block up,
  from a block that does not overflow.
- A table's empty top-left cell is not a header: `<th></th>` becomes `<td></td>` (an empty header cell tells a
  screen reader nothing; axe-core: empty-table-header).
"""
from __future__ import annotations

import re

_CODE_IN_PRE = re.compile(r"(<pre\b[^>]*>(?:<span></span>)?)<code(?![^>]*\btabindex=)")
_EMPTY_HEADER = re.compile(r"<th(\s[^>]*)?>\s*</th>")


def focusable_code(html: str) -> str:
    return _CODE_IN_PRE.sub(r'\1<code tabindex="0"', html)


def no_empty_headers(html: str) -> str:
    return _EMPTY_HEADER.sub(lambda m: f"<td{m.group(1) or ''}></td>", html)


def on_page_content(html, page, config, files):
    return no_empty_headers(focusable_code(html))
