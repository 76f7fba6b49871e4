"""How often search puts the right page first, or in its first three results, for what readers type.

    python -m tools.search_quality            build the site, run every query of data/search/queries.yaml in
                                              Chromium, print each miss and the hit rates per language
    python -m tools.search_quality --site DIR the same against a site already built into DIR

The queries are pasted into the search box of each language's home page (as `fill()` does); the answer is read
once the page says the search answered that query (`data-search-answered` on <html>, set by
overrides/assets/javascripts/search-input.js), never after a fixed wait. tests/browser/test_search_quality.py runs
the same measurement in the test suite.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tools.paths import LANGUAGE_FOLDERS, REPO

QUERIES = REPO / "data" / "search" / "queries.yaml"
ANSWER_TIMEOUT_MS = 120_000   # a bound for a broken page, not a guess at how long the index takes to load


@dataclass(frozen=True)
class Query:
    lang: str
    text: str
    pages: tuple[str, ...]     # URL paths below the language root, best first: "save-load/"
    section: str | None


@dataclass
class Outcome:
    query: Query
    results: list[str]         # result links (page URL below the language root, with #section for sections)

    @property
    def pages(self) -> list[str]:
        """The pages of the results, in order: one list item per page (its sections are links inside it)."""
        return list(dict.fromkeys(link.split("#")[0] for link in self.results))

    def rank(self) -> int | None:
        """1-based position of the first expected page among the result pages, or None."""
        for position, page in enumerate(self.pages, 1):
            if page in self.query.pages:
                return position
        return None


def load_queries(path: Path = QUERIES) -> tuple[list[Query], dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for lang in LANGUAGE_FOLDERS:
        for item in data[lang]:
            pages = item["page"] if isinstance(item["page"], list) else [item["page"]]
            queries.append(Query(lang, str(item["q"]), tuple(p.strip("/") + "/" if p else "" for p in pages),
                                 item.get("section")))
    return queries, data["thresholds"]


def open_search(page, base: str, lang: str) -> None:
    """Open the language's home page and wait until its search index is loaded."""
    page.goto(base + LANGUAGE_FOLDERS[lang], wait_until="load")
    page.click(".md-search__input")
    page.wait_for_selector("html[data-search-ready]", state="attached", timeout=ANSWER_TIMEOUT_MS)


def ask(page, query: str, how: str = "paste") -> list[str]:
    """Put a query in the open search box (paste, or type it key by key) and return the result links as
    absolute URL paths, once the page has answered exactly this query."""
    page.evaluate("delete document.documentElement.dataset.searchAnswered")
    if how == "paste":
        page.fill(".md-search__input", query)
    else:
        page.fill(".md-search__input", "")
        page.keyboard.type(query)
    page.wait_for_function("q => document.documentElement.dataset.searchAnswered === q", arg=query,
                           timeout=ANSWER_TIMEOUT_MS)
    return [urlsplit(href).path + (urlsplit(href).fragment and "#" + urlsplit(href).fragment) for href in
            page.eval_on_selector_all(".md-search-result__item > .md-search-result__link", "els => els.map(e => e.href)")]


def measure(browser, base: str, queries: list[Query]) -> list[Outcome]:
    outcomes = []
    root = urlsplit(base).path
    context = browser.new_context(service_workers="block")
    try:
        for lang in LANGUAGE_FOLDERS:
            page = context.new_page()
            open_search(page, base, lang)
            prefix = root + LANGUAGE_FOLDERS[lang]
            for query in (q for q in queries if q.lang == lang):
                links = ask(page, query.text)
                outcomes.append(Outcome(query, [link.removeprefix(prefix) for link in links]))
            page.close()
    finally:
        context.close()
    return outcomes


def rates(outcomes: list[Outcome], lang: str) -> dict[str, float]:
    mine = [o for o in outcomes if o.query.lang == lang]
    ranks = [o.rank() for o in mine]
    return {"top1": sum(r == 1 for r in ranks) / len(mine), "top3": sum(r is not None and r <= 3 for r in ranks) / len(mine),
            "section": sum(any(link.split("#")[0] in o.query.pages and link.endswith("#" + o.query.section)
                               for link in o.results[:10]) for o in mine if o.query.section)
            / max(1, sum(1 for o in mine if o.query.section))}


def report(outcomes: list[Outcome]) -> str:
    lines = []
    for o in outcomes:
        rank = o.rank()
        if rank != 1:
            lines.append(f"  {o.query.lang} {o.query.text!r}: expected {'/'.join(o.query.pages)} "
                         f"{'at rank ' + str(rank) if rank else 'not found'}; top 3: {o.pages[:3]}")
    for lang in LANGUAGE_FOLDERS:
        if not any(o.query.lang == lang for o in outcomes):
            continue                      # a report of one language's queries (the failing test's message)
        r = rates(outcomes, lang)
        n = sum(1 for o in outcomes if o.query.lang == lang)
        lines.append(f"{lang}: {n} queries, top-1 {r['top1']:.0%}, top-3 {r['top3']:.0%}, "
                     f"expected section among the first 10 results {r['section']:.0%}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a site already built (default: build one now)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, FLAGS   # the browser exactly as the tests start it
    from tools.serve_static import serve
    from tools.site import build

    queries, _ = load_queries()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site, quiet=True, check=True)
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            try:
                print(report(measure(browser, base, queries)))
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
