"""Tables that can be read on a phone and linked to cell by cell (the format reference and the benchmark table).

A table is written as HTML whose cells are Markdown (md_in_html), so links, code and emphasis in the cells go through
MkDocs like the rest of the page. Each row has an id `<table>-<row key>`; with `cell_ids`, each cell has an id
`<row key>-<column key>`. The ids come from the keys of data/formats.yaml (or the benchmark's), never from translated
text, so a link is the same in every language. Each row header and each linkable cell carries a ¶ link to itself.
Every cell also holds its column's label, shown only when a narrow screen stacks the rows into cards
(overrides/assets/stylesheets/layout.css); hidden (display: none) it is not read out either.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

_INLINE_MARKUP = re.compile(r"[`*]")


@dataclass(frozen=True)
class Column:
    key: str       # stable, from the data file: part of the cell ids
    label: str     # Markdown, in the page's language


@dataclass(frozen=True)
class Row:
    key: str
    header: str            # Markdown: the row's first cell
    cells: tuple[str, ...]  # Markdown, one per column after the first


def slug(key: str) -> str:
    """`export_pt2` -> `export-pt2`; `torch.load(mmap=True)` -> `torch-load-mmap-true`."""
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def plain(markdown: str) -> str:
    """Markdown of a label as plain text, for an attribute."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return _INLINE_MARKUP.sub("", text)


def _span(text: str) -> str:
    # md_in_html parses a cell as one Markdown line: no line breaks inside
    return " ".join(text.split())


def _anchor(target: str, label: str) -> str:
    return f'<a class="rt-anchor" href="#{target}" aria-label="{html.escape(label)}">¶</a>'


def render(name: str, first: Column, columns: list[Column], rows: list[Row], *, link_label: Callable[[str], str],
           cell_ids: bool = False) -> str:
    """The table as HTML with Markdown cells. `link_label(what)`: the accessible name of a ¶ link ("Link to …").
    Raises ValueError if two ids would be the same (two keys that differ only in punctuation)."""
    seen: set[str] = set()

    def unique(ident: str) -> str:
        if ident in seen:
            raise ValueError(f"table '{name}': two rows or cells would both get the id '{ident}'")
        seen.add(ident)
        return ident

    out = [f'<div class="rt rt-{slug(name)}" markdown="1">',
           '<table class="rt-table" markdown="1">',
           '<thead markdown="1"><tr markdown="1">',
           f'<th scope="col" markdown="span">{_span(first.label)}</th>',
           *(f'<th scope="col" markdown="span">{_span(c.label)}</th>' for c in columns),
           '</tr></thead>', '<tbody markdown="1">']
    for row in rows:
        if len(row.cells) != len(columns):
            raise ValueError(f"table '{name}', row '{row.key}': {len(row.cells)} cells for {len(columns)} columns")
        row_id = unique(f"{slug(name)}-{slug(row.key)}")
        row_name = plain(row.header)
        out.append(f'<tr id="{row_id}" markdown="1">')
        out.append(f'<th scope="row" markdown="span">{_span(row.header)} '
                   f'{_anchor(row_id, link_label(row_name))}</th>')
        for column, cell in zip(columns, row.cells):
            label = f'<span class="rt-label">{_span(column.label)}</span>'
            if cell_ids:
                cell_id = unique(f"{slug(row.key)}-{slug(column.key)}")
                link = _anchor(cell_id, link_label(f"{row_name}, {plain(column.label)}"))
                out.append(f'<td id="{cell_id}" markdown="span">{label}<span class="rt-value">{_span(cell)}</span> '
                           f'{link}</td>')
            else:
                out.append(f'<td markdown="span">{label}<span class="rt-value">{_span(cell)}</span></td>')
        out.append("</tr>")
    out += ["</tbody>", "</table>", "</div>"]
    return "\n".join(out)
