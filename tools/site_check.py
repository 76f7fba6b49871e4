"""Checks of the built site that need no browser: what each page would fetch, and the search indexes."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

_LOADING = {("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"), ("audio", "src"),
            ("video", "src"), ("embed", "src"), ("object", "data"), ("link", "href")}
_NOT_FETCHED_LINKS = {"alternate", "canonical", "prev", "next", "author", "license"}
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and set((attrs.get("rel") or "").split()) & _NOT_FETCHED_LINKS:
            return
        for t, attr in _LOADING:
            if t == tag and attrs.get(attr):
                self.found.append(attrs[attr])
        if attrs.get("srcset"):
            self.found += [part.split()[0] for part in attrs["srcset"].split(",") if part.strip()]
        if attrs.get("style"):
            self.found += _CSS_URL.findall(attrs["style"])


def _is_foreign(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)) and not url.startswith("data:")


def foreign_resources(site: Path) -> list[str]:
    """'file: url' for every resource a built page or stylesheet would load from another host."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            parser = _Resources()
            parser.feed(path.read_text(encoding="utf-8"))
            urls = parser.found
        elif path.suffix == ".css":
            urls = _CSS_URL.findall(path.read_text(encoding="utf-8"))
        else:
            continue
        found += [f"{path.relative_to(site)}: {url}" for url in urls if _is_foreign(url)]
    return found


def search_index(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
