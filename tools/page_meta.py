"""MkDocs hooks: what a link to a page shows where it is pasted, and what the page says it was checked with.

For every page (the 404 and the walkthrough notebook included), in each language:
- its own description, from the `description:` of its front matter (the 404's from `extra.not_found` in the
  config): the build refuses a page without one. It feeds `<meta name="description">`, the Open Graph and Twitter
  tags, and the page's entry in the search index (mkdocs-material shows that text under the page's title).
- Open Graph and Twitter card tags (overrides/partials/meta.html) and a 1200x630 preview image drawn at build time
  (tools/preview_cards.py) into assets/previews/.
- a verification stamp in the footer (overrides/partials/copyright.html): the versions its examples and measurements
  were recorded with, the build date and the commit (tools/verification.py).

URLs: with SITE_URL set (CI's publishing build), og:url is the page's canonical URL and the image URLs are absolute.
Without it (`make serve`, the tests' build) there is no canonical URL to give: og:url is left out, as mkdocs leaves
out <link rel="canonical">, and the image URLs are relative to the page, so that no absolute URL points to a
host that is not the site.
"""
from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from urllib.parse import urljoin

import yaml
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # MkDocs loads hooks by path, not as a package
from tools import preview_cards, verification  # noqa: E402
from tools.translations import _FRONT_MATTER  # noqa: E402

PREVIEWS = "assets/previews"
LOCALES = {"en": "en_US", "zh": "zh_CN"}
NOT_FOUND = "404.html"

WORDS = {
    "en": {
        "tagline": "Every example on the site runs on every build",
        "home_title": "Save, load, convert and share PyTorch models safely",
        "heading": "Checked:",
        "join": " ",
        "examples": "The {count} examples on this page ran with {versions}.",
        "example": "The example on this page ran with {versions}.",
        "no_examples": "This page has no examples of its own.",
        "reference": "The reference checks last ran on {date} with {versions}.",
        "benchmark": "The measurements were taken on {date} with {versions}.",
        "memory": "The memory measurements were taken with {versions}.",
        "built": "Built on {date} from commit {commit}.",
        "built_modified": "Built on {date} from commit {commit} with local changes.",
        "built_unknown": "Built on {date} from an unknown commit.",
        "and": " and ",
        "sep": ", ",
    },
    "zh": {
        "tagline": "站内每个示例都在每次构建时实际运行",
        "home_title": "安全地保存、加载、转换和分享 PyTorch 模型",
        "heading": "核验：",
        "join": "",
        "examples": "本页的 {count} 个示例在 {versions} 下运行。",
        "example": "本页的示例在 {versions} 下运行。",
        "no_examples": "本页没有自带示例。",
        "reference": "速查表的检查最近一次于 {date} 在 {versions} 下运行。",
        "benchmark": "测量于 {date} 在 {versions} 下进行。",
        "memory": "内存测量在 {versions} 下进行。",
        "built": "本站于 {date} 由提交 {commit} 构建。",
        "built_modified": "本站于 {date} 由提交 {commit}（含未提交的本地改动）构建。",
        "built_unknown": "本站于 {date} 构建，提交未知。",
        "and": " 和 ",
        "sep": "、",
    },
}

_descriptions: dict[str, dict[str, str]] = {}  # site_dir -> page URL -> description (for the search index)
_tags_of: dict[str, dict[str, dict]] = {}       # site_dir -> page URL -> its tags (for pages that moved)
_build: verification.Build | None = None


def _lang(config) -> str:
    return config.theme["language"]


def on_config(config):
    global _build
    if _build is None:            # once per run: the Chinese build, started from the English one, shares it
        _build = verification.build_info()
    try:
        preview_cards.font_for(_lang(config))      # no font: stop before any page is built, saying what to install
    except preview_cards.FontError as error:
        raise PluginError(str(error)) from None
    # Kept from build to build of one site_dir: `make serve` rebuilds only the edited page (a dirty build), and the
    # moved pages' previews still need the tags of the pages they lead to. A full build renews every entry.
    _descriptions.setdefault(config.site_dir, {})
    _tags_of.setdefault(config.site_dir, {})
    return config


# ---- the page's own words --------------------------------------------------------------------------------------

def _source(page, config) -> tuple[str, dict]:
    """The page's Markdown as written (the walkthrough's too, which is built from a notebook) and its front matter."""
    path = Path(config.docs_dir) / page.file.src_uri
    if path.suffix == ".ipynb":
        path = path.with_suffix(".md")
    text = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    meta = (yaml.safe_load(match.group(1) or "") if match else None) or {}
    return text, meta


def _description(meta: dict, where: str) -> str:
    value = meta.get("description")
    if not isinstance(value, str) or not value.strip():
        raise PluginError(f"{where} has no `description:` in its front matter. Add one or two sentences that say "
                          "what the reader learns there, in the page's language: chats and wikis show it "
                          "under a pasted link, and search shows it under the page's title.")
    return " ".join(value.split())


def _title(page, config) -> str:
    title = page.meta.get("title") or page.title or config.site_name
    return Markup(str(title)).striptags()


# ---- the tags --------------------------------------------------------------------------------------------------

def _image(config, slug: str, card: preview_cards.Card) -> str:
    """Draw (or take from the cache) the card; its path below the language's site root."""
    name = f"{PREVIEWS}/{slug}.{card.key()[:10]}.png"   # a new name when the card changes: chats cache by URL
    preview_cards.render(card, Path(config.site_dir) / name)
    return name


def _image_url(config, name: str, page_url: str) -> str:
    return urljoin(config.site_url, name) if config.site_url else get_relative_url(name, page_url or ".")


def _card(config, title: str) -> preview_cards.Card:
    lang = _lang(config)
    return preview_cards.Card(title=title, site_name=config.site_name, tagline=WORDS[lang]["tagline"], lang=lang)


def _tags(config, *, title: str, description: str, url: str | None, kind: str, image: str, image_alt: str) -> dict:
    lang = _lang(config)
    others = [alt["lang"] for alt in config.extra.get("language_roots") or config.extra.get("alternate") or []]
    return {
        "title": title, "description": description, "url": url, "type": kind, "site_name": config.site_name,
        "locale": LOCALES[lang], "locale_alternate": [LOCALES[o] for o in others if o != lang and o in LOCALES],
        "image": image, "image_alt": image_alt, "image_width": preview_cards.WIDTH,
        "image_height": preview_cards.HEIGHT,
    }


def on_page_context(context, page, config, nav):
    lang = _lang(config)
    source, meta = _source(page, config)
    where = f"docs/{lang}/{page.file.src_uri}".replace(".ipynb", ".md")
    description = _description(meta, where)
    # base.html prints page.meta.description into an attribute without escaping it.
    page.meta["description"] = html.escape(description, quote=True)
    _descriptions[config.site_dir][page.url] = description
    title = _title(page, config)
    card_title = WORDS[lang]["home_title"] if page.is_homepage else title
    slug = page.url.strip("/").replace("/", "-") or "home"
    image_name = _image(config, slug, _card(config, card_title))
    image = _image_url(config, image_name, page.url)
    context["page_meta"] = _tags(config, title=config.site_name if page.is_homepage else title,
                                 description=description, url=page.canonical_url or None,
                                 kind="website" if page.is_homepage else "article", image=image,
                                 image_alt=card_title)
    context["verification"] = stamp_html(verification.page_stamp(source), lang, config)
    _tags_of[config.site_dir][page.url] = dict(context["page_meta"], image_name=image_name)
    return context


def on_template_context(context, template_name, config):
    if template_name != NOT_FOUND:
        return context
    not_found = config.extra.get("not_found") or {}
    lang = _lang(config)
    description = _description(not_found, f"extra.not_found of the {lang} config")
    title = not_found.get("title") or "404"
    image = _image_url(config, _image(config, "404", _card(config, title)), "")
    context["page_meta"] = _tags(config, title=title, description=description, url=None, kind="website",
                                 image=image, image_alt=title)
    context["verification"] = stamp_html(verification.PageStamp(), lang, config)
    return context


def on_post_template(output, template_name, config):
    """The 404 is rendered without a page, so the theme gives it the site's description: give it its own."""
    if template_name != NOT_FOUND:
        return output
    site_wide = f'<meta name="description" content="{config.site_description}">'
    own = html.escape(_description(config.extra.get("not_found") or {}, "extra.not_found"), quote=True)
    if output.count(site_wide) != 1:
        raise PluginError("404.html: expected the theme's site-wide <meta name=\"description\"> once, to replace "
                          "it with extra.not_found.description; the theme's head has changed")
    return output.replace(site_wide, f'<meta name="description" content="{own}">')


# ---- the stamp -------------------------------------------------------------------------------------------------

def _listed(versions: list[tuple[str, str]], words: dict) -> str:
    items = [f"{html.escape(name)} {html.escape(version)}" for name, version in versions]
    if len(items) < 2:
        return "".join(items)
    return words["sep"].join(items[:-1]) + words["and"] + items[-1]


def stamp_html(stamp: verification.PageStamp, lang: str, config) -> str:
    """The stamp, as HTML (every value escaped here)."""
    words = WORDS[lang]
    sentences = []
    if not any(r.kind == "examples" for r in stamp.records):
        sentences.append(words["no_examples"])
    for record in stamp.records:
        key = record.kind
        if key == "examples" and record.count == 1:
            key = "example"
        sentences.append(words[key].format(count=record.count, versions=_listed(record.versions, words),
                                           date=html.escape(record.date or "")))
    build = _build or verification.build_info()
    if build.commit:
        short = build.commit[:10]
        repo = (config.repo_url or "").rstrip("/")
        commit = (f'<a href="{html.escape(repo)}/commit/{build.commit}"><code>{short}</code></a>' if repo
                  else f"<code>{short}</code>")
        sentences.append(words["built_modified" if build.modified else "built"].format(date=build.date, commit=commit))
    else:
        sentences.append(words["built_unknown"].format(date=build.date))
    return f'<strong>{words["heading"]}</strong>{words["join"]}' + words["join"].join(sentences)


# ---- search ----------------------------------------------------------------------------------------------------

def _segment(text: str) -> str:
    """Chinese text split into words as the search plugin splits the rest of the index (jieba, when installed)."""
    from material.plugins.search import plugin as search
    if getattr(search, "jieba", None) is None:
        return text
    return search.SearchIndex()._segment_chinese(text)


@event_priority(-100)   # after the search plugin has written its index and mkdocs-redirects its pages
def on_post_build(config):
    _describe_search_entries(config)
    _describe_moved_pages(config)


def _describe_moved_pages(config):
    """An old link (a page that moved; mkdocs-redirects) unfurls as the page it leads to: chats and wikis do not
    follow the redirect, so the redirecting page gets the destination's description and tags."""
    redirects = config.plugins.get("redirects")
    tags_of = _tags_of.get(config.site_dir) or {}
    if redirects is None or not tags_of:
        return
    from tools.site import url_of
    template = config.theme.get_env().get_template("partials/meta.html")
    for old, new in (redirects.config.get("redirect_maps") or {}).items():
        if "://" in new:
            continue                                   # a redirect to another site: its own tags, not ours
        tags = tags_of.get(url_of(new.split("#")[0]))
        html_file = Path(config.site_dir) / url_of(old) / "index.html"
        if tags is None or not html_file.is_file():
            raise PluginError(f"redirect {old} -> {new}: no built page {url_of(new)} or no redirect page {html_file}")
        own = dict(tags, image=_image_url(config, tags["image_name"], url_of(old)))
        head = (f'<meta name="description" content="{html.escape(own["description"], quote=True)}">'
                + template.render(page_meta=own, config=config))
        text = html_file.read_text(encoding="utf-8")
        if "</head>" not in text:
            raise PluginError(f"{html_file}: a redirect page without </head>: cannot add its link preview")
        html_file.write_text(text.replace("</head>", head + "\n</head>", 1), encoding="utf-8")


def _describe_search_entries(config):
    index_file = Path(config.site_dir) / "search" / "search_index.json"
    descriptions = _descriptions.get(config.site_dir) or {}
    if not index_file.is_file() or not descriptions:
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    for entry in index["docs"]:
        description = descriptions.get(entry["location"])
        if description is not None:
            # The page's own entry (no #anchor): search lists its text under the page's title, so it starts with
            # what the page is about, and the description's words find the page.
            entry["text"] = f"<p>{html.escape(_segment(description), quote=False)}</p>{entry['text']}"
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
