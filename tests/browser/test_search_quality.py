"""Search finds what readers type: the query set of data/search/queries.yaml (at least 40 per language, with the
page that answers each), run in Chromium against the built site. The hit rates must stay at or above the
thresholds in that file, which were set from measurement (`make search-quality` prints them)."""
from __future__ import annotations

import pytest

from tools.paths import LANGUAGES
from tools.search_quality import load_queries, measure, rates, report

QUERIES, THRESHOLDS = load_queries()


@pytest.fixture(scope="module")
def outcomes(browser, served):
    found = measure(browser, served, QUERIES)
    print("\n" + report(found))
    return found


def test_the_query_set_is_large_enough():
    for lang in LANGUAGES:
        assert sum(q.lang == lang for q in QUERIES) >= 40, lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_hit_rates_hold(outcomes, lang):
    measured, wanted = rates(outcomes, lang), THRESHOLDS[lang]
    assert measured["top1"] >= wanted["top1"] and measured["top3"] >= wanted["top3"], (
        f"{lang}: top-1 {measured['top1']:.0%} (threshold {wanted['top1']:.0%}), top-3 {measured['top3']:.0%} "
        f"(threshold {wanted['top3']:.0%})\n" + report([o for o in outcomes if o.query.lang == lang]))
