"""What the browser tests need to know about the built site: its pages, their URLs, the key pages."""
from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import yaml

from tools.paths import LANGUAGE_FOLDERS as LANGS, REPO
from tools.site import url_of  # noqa: F401  (the tests import it from here, with the rest)

SITE_NAME = {"en": "PyTorch Model Formats", "zh": "PyTorch 模型格式"}
HAN = re.compile(r"[\u4e00-\u9fff]")
SUBPATH = "/pytorch-model-formats/"              # a GitHub Pages project site lives below /<repository>/
REDIRECT_MARK = '<meta http-equiv="refresh"'


def is_redirect(html_file: Path) -> bool:
    return REDIRECT_MARK in html_file.read_text(encoding="utf-8")[:2000]


def built_pages(site: Path, lang: str) -> list[str]:
    """URL paths (relative to the language root, '' for its home) of the content pages built for a language."""
    root = site / LANGS[lang]
    found = []
    for html_file in sorted(root.rglob("index.html")):
        rel = html_file.relative_to(root)
        if lang == "en" and rel.parts[0] in {folder.rstrip("/") for folder in LANGS.values() if folder}:
            continue
        if is_redirect(html_file):
            continue
        folder = rel.parent.as_posix()
        found.append("" if folder == "." else folder + "/")
    return found


def html_file(site: Path, lang: str, url: str) -> Path:
    return site / LANGS[lang] / url / "index.html"


class _Ids(HTMLParser):
    """Ids of the headings (h1-h6) inside the page's article, in order."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.depth += 1
        if self.depth and re.fullmatch(r"h[1-6]", tag) and attrs.get("id"):
            self.ids.append(attrs["id"])

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1


def heading_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return parser.ids


@lru_cache(maxsize=None)
def config(lang: str) -> dict:
    """The language's MkDocs config as YAML (the `!ENV` and `!!python` tags read as plain values)."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    name = "mkdocs.yml" if lang == "en" else f"mkdocs.{lang}.yml"
    return yaml.load((REPO / name).read_text(encoding="utf-8"), Loader=Loader)


def redirect_maps(lang: str) -> dict[str, str]:
    for plugin in config(lang).get("plugins", []):
        if isinstance(plugin, dict) and "redirects" in plugin:
            return dict((plugin["redirects"] or {}).get("redirect_maps") or {})
    return {}
