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
from tools import notebooks, page_rules, reference, translations  # noqa: E402

log = logging.getLogger("mkdocs.hooks.model_formats")

PRIMARY = "mkdocs.yml"
OTHER_LANGUAGES = {"zh": "mkdocs.zh.yml"}  # folder below the English site -> its config file


class _NameTheLanguage(logging.Filter):
    """MkDocs names a page by its path below docs_dir ("Doc file 'mistakes.md' ..."), the same for both languages:
    say which tree it is in ("Doc file 'docs/zh/mistakes.md' ...")."""

    docs = ""

    def filter(self, record):
        message = record.getMessage()
        if self.docs and "Doc file '" in message and f"Doc file '{self.docs}/" not in message:
            record.msg, record.args = message.replace("Doc file '", f"Doc file '{self.docs}/"), None
        return True


def _name_the_language(config) -> None:
    # One filter for the process: MkDocs loads this file again for each language it builds.
    logger = logging.getLogger("mkdocs.structure.pages")
    found = next((f for f in logger.filters if type(f).__name__ == "_NameTheLanguage"), None)
    if found is None:
        found = _NameTheLanguage()
        logger.addFilter(found)
    found.docs = os.path.relpath(config.docs_dir, _root(config))


def on_config(config):
    _name_the_language(config)
    # extra.alternate lists each language's root. The switcher (overrides/partials/alternate.html) and the sitemap's
    # hreflang links (overrides/sitemap.xml) add the current page to it: both languages have the same page paths.
    config.extra["language_roots"] = [dict(alt) for alt in config.extra.get("alternate", [])]
    for alt in config.extra["language_roots"]:
        alt["path"] = "" if alt["lang"] == "en" else alt["lang"] + "/"   # where it lives below the English root
    config.extra["language_path"] = "" if config.theme["language"] == "en" else config.theme["language"] + "/"
    return config


def _check_pages(lang: str, docs_dir: Path, pages: list[str], settings) -> list[str]:
    """The project's page rules (tools/page_rules.py, the same functions the tests call) for one language."""
    found, shown = [], set()
    for name in pages:
        source = docs_dir / name  # as the writer wrote it (the walkthrough reaches MkDocs as a notebook)
        if source.suffix == ".md" and source.is_file():
            problems, rendered = page_rules.page_problems(source.read_text(encoding="utf-8"), lang, name, settings)
            found += problems
            shown.update(rendered.shown)
    return found + page_rules.unshown_snippets(shown, lang)


def on_files(files, config):
    # Every page is checked before any is converted, so that all problems are listed at once. They are warnings:
    # `mkdocs build --strict` fails on them, and `make serve` shows them while it keeps serving, except an include
    # of a missing file, which would stop the Markdown conversion of its page anyway: then the other languages are
    # checked too, so that one run still lists everything, and the build stops.
    settings = page_rules.site_settings(config.markdown_extensions, config.mdx_configs)
    lang = config.theme["language"]
    found = _check_pages(lang, Path(config.docs_dir), sorted(f.src_uri for f in files.documentation_pages()),
                         settings)
    if any(page_rules.MISSING in problem for problem in found) and Path(config.config_file_path).name == PRIMARY:
        for other in OTHER_LANGUAGES:
            docs = Path(config.docs_dir).parent / other
            found += _check_pages(other, docs, sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")),
                                  settings)
    for problem in found:
        log.warning(problem)
    if any(page_rules.MISSING in problem for problem in found):
        raise PluginError(f"{len(found)} page rule problem(s), listed above; a missing include stops the build.")
    return notebooks.on_files(files, config)  # the walkthrough page is a notebook run by mkdocs-jupyter


def on_page_markdown(markdown, page, config, files):
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
            _name_the_language(config)  # back to this build's language (make serve builds again in this process)


def on_page_content(html, page, config, files):
    html = translations.on_page_content(html, page, config, files)  # words the Markdown extensions add, translated
    return notebooks.on_page_content(html, page, config, files)    # each page's snippets as a downloadable .ipynb
