"""Every internal link and anchor of the built site resolves, in both languages (no browser needed)."""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from built import is_redirect


_ID = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)=["']([^"']+)["']""")
_LINK = re.compile(r"""<(?:a|img|script|source|link)\s[^>]*?(?:href|src)=["']([^"']+)["'][^>]*>""")


@dataclass
class _Page:
    ids: set[str]
    links: list[str]


def _parse(path: Path) -> _Page:
    """Ids and links of a built page (regular expressions: the HTML is MkDocs' own, and a parser is slow)."""
    text = path.read_text(encoding="utf-8")
    links = [html.unescape(m.group(1)) for m in _LINK.finditer(text)
             if not re.search(r"""rel=["'](?:alternate|canonical|prev|next|preconnect)""", m.group(0))]
    return _Page({html.unescape(i) for i in _ID.findall(text)}, links)


def _target(site: Path, page: Path, href: str) -> tuple[Path | None, str]:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:", "data:")):
        return None, ""
    if not parts.path:
        return page, unquote(parts.fragment)
    base = page.parent.relative_to(site).as_posix()
    path = posixpath.normpath(posixpath.join("/" + base, unquote(parts.path))) if not parts.path.startswith("/") \
        else posixpath.normpath(unquote(parts.path))
    target = site / path.lstrip("/")
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_every_internal_link_and_anchor_resolves(site):
    parsed: dict[Path, _Page] = {}
    broken, checked = [], 0
    for page in sorted(site.rglob("*.html")):
        if is_redirect(page):
            continue
        for href in _parse(page).links:
            target, fragment = _target(site, page, href)
            if target is None:
                continue
            checked += 1
            where = f"{page.relative_to(site)}: {href}"
            if not target.is_file():
                broken.append(f"{where} (no {target.relative_to(site) if target.is_relative_to(site) else target})")
                continue
            if fragment and target.suffix == ".html":
                ids = parsed.setdefault(target, _parse(target)).ids
                if fragment not in ids and fragment != "__skip":
                    broken.append(f"{where} (no id {fragment!r} in {target.relative_to(site)})")
    assert checked > 100, f"only {checked} internal links found: is the link extraction broken?"
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(sorted(set(broken))[:80])


def test_links_between_pages_stay_in_their_language(site):
    """A Chinese page links to Chinese pages; only the language switcher (hreflang) crosses over."""
    crossing = []
    for page in sorted((site / "zh").rglob("*.html")):
        if is_redirect(page) or page.name == "404.html":  # 404 pages link by absolute URL, from site_url
            continue
        text = page.read_text(encoding="utf-8")
        for href in _parse(page).links:
            target, _ = _target(site, page, href)
            if target is not None and target.suffix == ".html" and not target.is_relative_to(site / "zh"):
                if f'href="{href}" hreflang="en"' not in text:
                    crossing.append(f"{page.relative_to(site)}: {href}")
    assert not crossing, "Chinese pages linking to English pages:\n" + "\n".join(sorted(set(crossing)))
