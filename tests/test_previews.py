"""Links that travel: each page's description, its link-preview tags and image, and the verification stamp in its
footer, read as chats and wikis read them: the static HTML, parsed without running any JavaScript.

`site` (conftest.py) is built without SITE_URL, as `make serve` and the tests build it: there the preview image is
given relative to the page and there is no og:url. `published` is the same site built with SITE_URL, as CI
publishes it: og:url must be the canonical absolute URL, the image URLs absolute and on the site.
"""
from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from tools import page_meta, preview_cards, verification
from tools.page_rules import includes, pages
from tools.paths import DOCS, LANGUAGE_FOLDERS, REPO
from tools.site import QUIET_BANNERS, url_of
from tools.translations import _FRONT_MATTER

SITE_URL = "https://example.org/pytorch-model-formats/"
LOCALE = {"en": "en_US", "zh": "zh_CN"}
HAN = re.compile(r"[\u4e00-\u9fff]")
MAX_CARD_BYTES = 60_000
NOT_FOUND = "404.html"
# Tags an unfurler needs, each exactly once ((attribute, name)).
REQUIRED = [("property", p) for p in ("og:type", "og:site_name", "og:title", "og:description", "og:locale",
                                       "og:image", "og:image:width", "og:image:height", "og:image:alt")] + \
           [("name", n) for n in ("description", "twitter:card", "twitter:title", "twitter:description",
                                  "twitter:image")]


# ---- reading pages as an unfurler does -------------------------------------------------------------------------

class Head(HTMLParser):
    """The <meta> and <link> tags of a page's <head>, and the text of its footer's verification stamp."""

    def __init__(self):
        super().__init__()
        self.meta: dict[tuple[str, str], list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.in_head = False
        self.stamp: list[str] | None = None
        self.stamp_links: list[str] = []
        self._stamp_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        if self.in_head and tag == "meta":
            for kind in ("property", "name"):
                if kind in attrs:
                    self.meta.setdefault((kind, attrs[kind]), []).append(attrs.get("content", ""))
        if self.in_head and tag == "link":
            self.links.setdefault(attrs.get("rel", ""), []).append(attrs.get("href", ""))
        if attrs.get("id") == "verification":
            self.stamp, self._stamp_depth = [], 1
        elif self.stamp is not None and self._stamp_depth:
            self._stamp_depth += 1
            if tag == "a":
                self.stamp_links.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if self._stamp_depth:
            self._stamp_depth -= 1

    def handle_data(self, data):
        if self._stamp_depth:
            self.stamp.append(data)

    def one(self, kind: str, name: str) -> str:
        values = self.meta.get((kind, name), [])
        assert len(values) == 1, f"{kind}={name!r} appears {len(values)} times"
        return values[0]

    @property
    def stamp_text(self) -> str:
        return " ".join("".join(self.stamp or []).split())


def read(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def built(lang: str) -> list[tuple[str, str]]:
    """(Markdown page, file below the site root) for every page of a language, the 404 last."""
    prefix = LANGUAGE_FOLDERS[lang]
    found = [(page, f"{prefix}{url_of(page)}index.html") for page in pages()[lang]]
    return found + [(NOT_FOUND, f"{prefix}{NOT_FOUND}")]


def front_matter(lang: str, page: str) -> dict:
    match = _FRONT_MATTER.match((DOCS / lang / page).read_text(encoding="utf-8"))
    return (yaml.safe_load(match.group(1) or "") if match else None) or {}


class _IgnoreTags(yaml.SafeLoader):
    pass


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def config_extra(lang: str) -> dict:
    english = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)
    extra = dict(english.get("extra") or {})
    if lang != "en":
        extra.update(yaml.load((REPO / f"mkdocs.{lang}.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)
                     .get("extra") or {})
    return extra


def description_of(lang: str, page: str) -> str | None:
    meta = config_extra(lang).get("not_found", {}) if page == NOT_FOUND else front_matter(lang, page)
    value = meta.get("description")
    return " ".join(value.split()) if isinstance(value, str) else None


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


# ---- descriptions (the sources; no build needed) ----------------------------------------------------------------

@pytest.mark.parametrize("lang", list(LANGUAGE_FOLDERS))
def test_every_page_has_its_own_description(lang):
    found = {page: description_of(lang, page) for page, _ in built(lang)}
    missing = [page for page, text in found.items() if not text]
    assert not missing, f"{lang} pages without `description:` in their front matter: {missing}"
    by_text: dict[str, list[str]] = {}
    for page, text in found.items():
        by_text.setdefault(text, []).append(page)
    shared = [pages_ for pages_ in by_text.values() if len(pages_) > 1]
    assert not shared, f"{lang} pages sharing one description: {shared}"
    # One or two sentences: long enough to say something, short enough not to be cut off in a preview.
    limits = {"en": (90, 230), "zh": (40, 140)}[lang]
    wrong = {page: len(text) for page, text in found.items() if not limits[0] <= len(text) <= limits[1]}
    assert not wrong, f"{lang} descriptions outside {limits} characters: {wrong}"


def test_descriptions_are_written_in_their_language():
    for page, _ in built("en"):
        english, chinese = description_of("en", page), description_of("zh", page)
        assert not HAN.search(english), f"docs/en/{page}: Chinese in the English description"
        assert HAN.search(chinese), f"docs/zh/{page}: the Chinese description has no Chinese"
        assert english != chinese
        # Chinese prose takes full-width punctuation: no ASCII , ; : ? ! ( ) next to a Chinese character.
        ascii_next_to_han = re.findall(r"[\u4e00-\u9fff][,;:?!()]|[,;:?!()][\u4e00-\u9fff]", chinese)
        assert not ascii_next_to_han, f"docs/zh/{page}: ASCII punctuation in Chinese prose: {ascii_next_to_han}"
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", chinese), f"docs/zh/{page}: space between Chinese"


def test_a_page_without_description_stops_the_build_naming_it():
    from mkdocs.exceptions import PluginError
    for meta in ({}, {"description": "   "}, {"description": ["not", "text"]}):
        with pytest.raises(PluginError, match=r"docs/zh/x\.md has no `description:`"):
            page_meta._description(meta, "docs/zh/x.md")


# ---- the site as built for `make serve` and the tests (no SITE_URL) ---------------------------------------------

@pytest.mark.parametrize("lang", list(LANGUAGE_FOLDERS))
def test_preview_tags_on_every_page(site, lang):
    other = [LOCALE[o] for o in LANGUAGE_FOLDERS if o != lang]
    site_names = {page_meta_site_name(site, lang)}
    seen_images = set()
    for page, file in built(lang):
        head = read(site / file)
        where = f"{file}: "
        for kind, name in REQUIRED:
            try:
                head.one(kind, name)
            except AssertionError as error:
                raise AssertionError(where + str(error)) from None
        description = description_of(lang, page)
        assert head.one("name", "description") == description, where + "meta description is not the page's"
        assert head.one("property", "og:description") == description, where
        assert head.one("name", "twitter:description") == description, where
        assert head.one("property", "og:locale") == LOCALE[lang], where
        assert head.meta.get(("property", "og:locale:alternate")) == other, where
        assert head.one("property", "og:site_name") in site_names, where
        assert head.one("name", "twitter:card") == "summary_large_image", where
        assert head.one("property", "og:type") == ("website" if page in ("index.md", NOT_FOUND) else "article")
        assert head.one("property", "og:title") == head.one("name", "twitter:title"), where
        if page not in ("index.md", NOT_FOUND):
            assert head.one("property", "og:title") in read_title(site / file), where + "og:title is not the title"
        # No SITE_URL: nothing absolute that could point at a host that is not this site, and no og:url.
        assert ("property", "og:url") not in head.meta and "canonical" not in head.links, where
        image = head.one("property", "og:image")
        assert head.one("name", "twitter:image") == image, where
        assert not re.match(r"^([a-z]+:)?//", image), where + f"absolute image URL without SITE_URL: {image}"
        # The URL resolves on the built site, from where the page is served.
        page_url = "https://site.invalid/" + file.removesuffix("index.html")
        resolved = urlsplit(urljoin(page_url, image)).path.lstrip("/")
        card = site / resolved
        assert card.is_file(), where + f"og:image {image} resolves to {resolved}, which was not built"
        check_card(card, int(head.one("property", "og:image:width")), int(head.one("property", "og:image:height")))
        seen_images.add(resolved)
    assert len(seen_images) == len(built(lang)), "two pages share one preview image"


def page_meta_site_name(site: Path, lang: str) -> str:
    return re.search(r"<title>(?:.* - )?(.*?)</title>", (site / LANGUAGE_FOLDERS[lang] / "index.html")
                     .read_text(encoding="utf-8")).group(1)


def read_title(path: Path) -> str:
    import html
    return html.unescape(re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S).group(1))


def check_card(card: Path, width: int, height: int) -> None:
    from PIL import Image
    assert (width, height) == (1200, 630)
    assert png_size(card) == (width, height), f"{card}: not {width}x{height}"
    assert card.stat().st_size <= MAX_CARD_BYTES, f"{card}: {card.stat().st_size} bytes"
    with Image.open(card) as image:
        assert image.mode == "P" and len(image.getcolors()) <= 32, f"{card}: not a small palette"


def test_cards_show_the_title_in_the_page_language(site):
    """The card's text is what the page calls itself, drawn with a font that has every character."""
    for lang in LANGUAGE_FOLDERS:
        head = read(site / LANGUAGE_FOLDERS[lang] / "security" / "index.html")
        alt = head.one("property", "og:image:alt")
        assert alt == head.one("property", "og:title")
        assert bool(HAN.search(alt)) == (lang == "zh"), alt


@pytest.mark.parametrize("lang", list(LANGUAGE_FOLDERS))
def test_search_lists_each_page_with_its_description(site, lang):
    index = json.loads((site / LANGUAGE_FOLDERS[lang] / "search" / "search_index.json").read_text("utf-8"))
    entries = {doc["location"]: doc for doc in index["docs"]}
    for page in pages()[lang]:
        entry = entries.get(url_of(page))
        assert entry, f"{lang} {page}: no entry in the search index"
        shown = re.sub(r"<[^>]+>", "", entry["text"]).replace("\u200b", "")
        assert shown.startswith(description_of(lang, page)), f"{lang} {page}: search text starts {shown[:80]!r}"


def redirects(lang: str) -> dict[str, str]:
    """Old page -> new page, from the redirects plugin of the language's config."""
    name = "mkdocs.yml" if lang == "en" else f"mkdocs.{lang}.yml"
    config = yaml.load((REPO / name).read_text(encoding="utf-8"), Loader=_IgnoreTags)
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "redirects" in plugin:
            return plugin["redirects"]["redirect_maps"]
    return {}


@pytest.mark.parametrize("lang", list(LANGUAGE_FOLDERS))
def test_an_old_link_unfurls_as_the_page_it_leads_to(site, lang):
    """Chats do not follow a redirect: the page left at a moved page's old address carries the new page's tags."""
    moved = redirects(lang)
    assert moved, "no redirects to check"
    prefix = LANGUAGE_FOLDERS[lang]
    for old, new in moved.items():
        old_head = read(site / prefix / url_of(old) / "index.html")
        new_head = read(site / prefix / url_of(new) / "index.html")
        for kind, name in REQUIRED:
            if name != "og:image" and name != "twitter:image":
                assert old_head.one(kind, name) == new_head.one(kind, name), f"{old}: {name} differs from {new}'s"
        image = old_head.one("property", "og:image")
        resolved = urlsplit(urljoin(f"https://site.invalid/{prefix}{url_of(old)}", image)).path.lstrip("/")
        assert (site / resolved).is_file(), f"{old}: og:image {image} does not resolve"


# ---- the verification stamp --------------------------------------------------------------------------------------

def test_stamp_on_every_page_says_what_ran_and_which_build(site):
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    recorded = verification.recorded_versions()           # the home page's "Verified with", as the run printed it
    for lang in LANGUAGE_FOLDERS:
        for page, file in built(lang):
            head = read(site / file)
            text = head.stamp_text
            assert text, f"{file}: no verification stamp in the footer"
            assert re.search(r"\b20\d\d-\d\d-\d\d\b", text), f"{file}: no build date in {text!r}"
            assert commit[:10] in text, f"{file}: the stamp does not name commit {commit[:10]}: {text!r}"
            assert bool(HAN.search(text)) == (lang == "zh"), f"{file}: stamp not in its language: {text!r}"
            shown = {inc.file for inc in includes((DOCS / lang / page).read_text("utf-8"))
                     if inc.file.endswith(".py")} if page != NOT_FOUND else set()
            if shown:
                assert f"torch {recorded['torch']}" in text, f"{file}: {text!r}"
                assert f"Python {recorded['python']}" in text, f"{file}: {text!r}"
                count = "" if len(shown) == 1 else f" {len(shown)} "
                assert count in text, f"{file}: the stamp does not count {len(shown)} examples: {text!r}"


def test_stamp_names_the_packages_the_page_uses(site):
    """Per page: the ONNX page's snippets import onnxruntime, the home page's only torch."""
    recorded = verification.recorded_versions()
    onnx = read(site / "onnx" / "index.html").stamp_text
    assert f"onnxruntime {recorded['onnxruntime']}" in onnx
    home = read(site / "index.html").stamp_text
    assert "onnxruntime" not in home and f"torch {recorded['torch']}" in home
    reference = read(site / "zh" / "reference" / "index.html").stamp_text
    date = json.loads(verification.REFERENCE.read_text("utf-8"))["date"]
    assert date in reference, "the reference page's stamp does not give the date its checks ran"


def test_stamp_without_git_says_unknown_commit(monkeypatch):
    """A source tarball has no git: the stamp says so instead of failing."""
    monkeypatch.setenv("PATH", "/nonexistent")        # no git executable at all
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    build = verification.build_info()
    assert build == verification.Build("2026-01-01", None, False)
    monkeypatch.setattr(page_meta, "_build", build)

    class Config:
        repo_url = "https://example.org/repo"
    for lang, words in (("en", "unknown commit"), ("zh", "提交未知")):
        text = page_meta.stamp_html(verification.PageStamp(), lang, Config())
        assert words in text and "2026-01-01" in text and "href" not in text


def test_stamp_links_the_commit_when_a_repository_is_configured(monkeypatch):
    monkeypatch.setattr(page_meta, "_build", verification.Build("2026-01-01", "a" * 40, False))

    class Config:
        repo_url = "https://example.org/owner/repo/"
    text = page_meta.stamp_html(verification.PageStamp(), "en", Config())
    assert f'href="https://example.org/owner/repo/commit/{"a" * 40}"' in text and "aaaaaaaaaa" in text


def test_bad_source_date_epoch_is_named(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        verification.build_info()


# ---- fonts and cards ---------------------------------------------------------------------------------------------

def test_no_chinese_font_names_the_package_to_install(monkeypatch, tmp_path):
    monkeypatch.delenv("PREVIEW_CJK_FONT", raising=False)
    monkeypatch.setattr(preview_cards, "_fontconfig_candidates", lambda: [])
    monkeypatch.setattr(preview_cards, "_matplotlib_candidates", lambda: [str(preview_cards.latin_font())])
    preview_cards.cjk_font.cache_clear()
    try:
        with pytest.raises(preview_cards.FontError, match="fonts-wqy-microhei"):
            preview_cards.cjk_font()
        # A bitmap font fontconfig lists for Chinese is passed over: Pillow cannot draw it at card sizes.
        bitmap = tmp_path / "wenquanyi_12pt.pcf.gz"
        bitmap.write_bytes(b"\x1f\x8b not an outline font")
        monkeypatch.setattr(preview_cards, "_fontconfig_candidates", lambda: [str(bitmap)])
        with pytest.raises(preview_cards.FontError, match="fonts-wqy-microhei"):
            preview_cards.cjk_font()
        monkeypatch.setenv("PREVIEW_CJK_FONT", str(preview_cards.latin_font()))   # a font without Chinese
        with pytest.raises(preview_cards.FontError, match="has no Chinese characters"):
            preview_cards.cjk_font()
    finally:
        preview_cards.cjk_font.cache_clear()


def test_a_character_the_font_lacks_stops_the_card():
    card = preview_cards.Card("Saving \U0001F99C models", "PyTorch Model Formats", "tagline", "en")
    with pytest.raises(preview_cards.FontError, match="no glyph"):
        preview_cards.draw(card)


def test_cards_are_cached_by_content(tmp_path, monkeypatch):
    card = preview_cards.Card("Cache check 缓存", "PyTorch 模型格式", "每个示例", "zh")
    monkeypatch.setattr(preview_cards, "CACHE", tmp_path / "cache")
    started = time.monotonic()
    first = preview_cards.render(card, tmp_path / "a.png").read_bytes()
    drawn_in = time.monotonic() - started
    monkeypatch.setattr(preview_cards, "draw", lambda card: pytest.fail("drawn again despite the cache"))
    assert preview_cards.render(card, tmp_path / "b.png").read_bytes() == first
    other = preview_cards.Card("Cache check 缓存!", card.site_name, card.tagline, card.lang)
    assert other.key() != card.key()
    print(f"one card drawn in {drawn_in:.2f} s")


def test_cards_are_reproducible():
    """The same card drawn twice is the same bytes: a rebuild elsewhere with the same fonts gives the same files."""
    import io
    card = preview_cards.Card("torch.save 与 torch.load", "PyTorch 模型格式", "每个示例都实际运行", "zh")
    drawn = []
    for _ in range(2):
        buffer = io.BytesIO()
        preview_cards.draw(card).save(buffer, format="PNG")
        drawn.append(buffer.getvalue())
    assert drawn[0] == drawn[1]


# ---- the site as CI publishes it (SITE_URL set) --------------------------------------------------------------------

@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """Both languages built with SITE_URL, as CI's publishing step does. Costs one more build (the cards and the
    walkthrough notebook come from their caches, filled by the `site` build)."""
    out = tmp_path_factory.mktemp("published") / "site"
    command = [str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "--quiet", "--site-dir", str(out)]
    started = time.monotonic()
    run = subprocess.run(command, cwd=REPO, text=True, capture_output=True,
                         env=dict(os.environ, SITE_URL=SITE_URL, **QUIET_BANNERS))
    assert run.returncode == 0, run.stderr[-4000:]
    print(f"\nsite built with SITE_URL in {time.monotonic() - started:.1f} s")
    return out


@pytest.mark.parametrize("lang", list(LANGUAGE_FOLDERS))
def test_published_pages_give_their_canonical_url(published, lang):
    for page, file in built(lang):
        head = read(published / file)
        image = head.one("property", "og:image")
        assert image.startswith(SITE_URL), f"{file}: og:image {image} is not on the site"
        assert head.one("name", "twitter:image") == image
        card = published / image.removeprefix(SITE_URL)
        assert card.is_file(), f"{file}: og:image {image} was not built"
        check_card(card, 1200, 630)
        if page == NOT_FOUND:   # served at whatever address was not found: it has no URL of its own
            assert ("property", "og:url") not in head.meta
            continue
        expected = SITE_URL + LANGUAGE_FOLDERS[lang] + url_of(page)
        assert head.one("property", "og:url") == expected, file
        assert head.links.get("canonical") == [expected], f"{file}: canonical {head.links.get('canonical')}"
    for old, new in redirects(lang).items():   # an old address names the page it leads to as the canonical one
        head = read(published / LANGUAGE_FOLDERS[lang] / url_of(old) / "index.html")
        assert head.one("property", "og:url") == SITE_URL + LANGUAGE_FOLDERS[lang] + url_of(new)
        target = read(published / LANGUAGE_FOLDERS[lang] / url_of(new) / "index.html")
        assert head.one("property", "og:image") == target.one("property", "og:image"), f"{old}: not {new}'s image"
