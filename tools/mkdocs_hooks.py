"""MkDocs hooks: refuse pages that break the project's rules, and build the other languages with English.

Each language is a separate MkDocs build, so each has its own search index (mkdocs-static-i18n merges them).
Building mkdocs.yml builds the English site and then, from here, each other language into a folder below it,
so `mkdocs build` and `mkdocs serve` give the whole two-language site.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # MkDocs loads hooks by path, not as a package
from tools.page_rules import problems  # noqa: E402
from tools import notebooks, reference, translations  # noqa: E402

log = logging.getLogger("mkdocs.hooks.model_formats")

PRIMARY = "mkdocs.yml"
OTHER_LANGUAGES = {"zh": "mkdocs.zh.yml"}  # folder below the English site -> its config file


def on_config(config):
    # extra.alternate lists each language's root. The switcher (overrides/partials/alternate.html) and the sitemap's
    # hreflang links (overrides/sitemap.xml) add the current page to it: both languages have the same page paths.
    config.extra["language_roots"] = [dict(alt) for alt in config.extra.get("alternate", [])]
    for alt in config.extra["language_roots"]:
        alt["path"] = "" if alt["lang"] == "en" else alt["lang"] + "/"   # where it lives below the English root
    config.extra["language_path"] = "" if config.theme["language"] == "en" else config.theme["language"] + "/"
    return config


def on_page_markdown(markdown, page, config, files):
    page_path = f"{os.path.relpath(config.docs_dir, _root(config))}/{page.file.src_uri}"
    found = problems(markdown, page_path)
    if found:
        raise PluginError("\n".join(found))
    markdown = translations.on_page_markdown(markdown, page, config, files)  # "may be outdated" note (zh)
    markdown = reference.expand(markdown, config.theme["language"])  # the checked reference tables
    return markdown


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_post_build(config):
    root = _root(config)
    if Path(config.config_file_path).name != PRIMARY:
        return
    for folder, config_file in OTHER_LANGUAGES.items():
        log.info("Building %s into %s/", config_file, folder)
        options = {"site_url": config.site_url + folder + "/"} if config.site_url else {}
        other = load_config(config_file=str(root / config_file), site_dir=str(Path(config.site_dir) / folder),
                            strict=config.strict, **options)
        other.plugins.on_startup(command="build", dirty=False)
        try:
            build(other)
        finally:
            other.plugins.on_shutdown()


on_files = notebooks.on_files                # the walkthrough page is a notebook run by mkdocs-jupyter


def on_page_content(html, page, config, files):
    html = translations.on_page_content(html, page, config, files)  # words the Markdown extensions add, translated
    return notebooks.on_page_content(html, page, config, files)    # each page's snippets as a downloadable .ipynb
