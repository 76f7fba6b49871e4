"""`make serve` keeps a writer's edit one quick rebuild away: its server (tools/serve.py), started in a copy of the
repository on a free port, shows an edited English page and an edited Chinese page, rebuilds the Chinese twin of
an edited English page (it now says the translation may be outdated), and keeps every page in the search index."""
from __future__ import annotations

import json
import time

from tools.serve import plan
from tools.serve_probe import edit_to_visible, fetch, served_copy
from tools.translations import NOTE
from tools.paths import REPO

OUTDATED = NOTE["zh"].split('"')[1]   # the title of the Chinese "may be outdated" note


def _search_locations(base: str, lang: str) -> set[str]:
    index = json.loads(fetch(base + ("zh/" if lang == "zh" else "") + "search/search_index.json"))
    return {doc["location"].split("#")[0] for doc in index["docs"]}


def test_serve_shows_edits_of_each_language():
    with served_copy() as (root, base):
        pages_before = {lang: _search_locations(base, lang) for lang in ("en", "zh")}
        assert fetch(base + "zh/overview/") and OUTDATED not in fetch(base + "zh/overview/")
        seconds = {lang: edit_to_visible(root, base, lang) for lang in ("en", "zh")}
        deadline = time.monotonic() + 60
        while OUTDATED not in (fetch(base + "zh/overview/") or "") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert OUTDATED in fetch(base + "zh/overview/"), "the Chinese twin of an edited English page was not rebuilt"
        # The server writes its line after the page it rebuilt, and a rebuild rewrites the search index in steps
        # (a reader fetching it halfway gets a part): wait until both lines are there and the log is quiet.
        log, quiet_since, deadline = "", time.monotonic(), time.monotonic() + 60
        while time.monotonic() < deadline:
            now = (root / "serve.log").read_text(encoding="utf-8")
            if now != log:
                log, quiet_since = now, time.monotonic()
            elif ("en: rebuilt overview.md" in log and "zh: rebuilt" in log
                  and time.monotonic() - quiet_since > 1.5):
                break
            time.sleep(0.2)
        for lang, before in pages_before.items():
            assert _search_locations(base, lang) == before, f"{lang}: a page rebuild dropped pages from search"
        # a moved page's redirect, rewritten by every build, still unfurls as its destination after a page rebuild
        assert '<meta name="description"' in (fetch(base + "guide/state-dict/") or ""), "redirect lost its preview"
        # a page rebuild, not a full one (the Chinese edit may land in the rebuild of the English page's twin)
        assert "en: rebuilt overview.md" in log and "zh: rebuilt" in log, log[-2000:]
        assert log.count("rebuilt in full") == 1, "an edited page made the server rebuild everything"
        print(f"\nedit -> visible under make serve: " + ", ".join(f"{l} {s:.2f} s" for l, s in seconds.items()))


def test_what_a_change_rebuilds():
    assert plan({str(REPO / "docs/en/overview.md")}, REPO) == ("pages", [("en", REPO / "docs/en/overview.md")])
    assert plan({str(REPO / "docs/zh/onnx.md"), str(REPO / "docs/en/onnx.md")}, REPO)[1] == [
        ("en", REPO / "docs/en/onnx.md"), ("zh", REPO / "docs/zh/onnx.md")]
    assert plan({str(REPO / "snippets/onnx/export_onnx.py")}, REPO) == ("snippets", [])
    assert plan({str(REPO / "snippets/x.py"), str(REPO / "overrides/main.html")}, REPO) == ("full", [])
    assert plan({str(REPO / "mkdocs.yml")}, REPO) == ("full", [])
    assert plan({str(REPO / "docs/en/img/plot.svg")}, REPO) == ("full", [])
    # an editor's scratch files change nothing
    scratch = {str(REPO / name) for name in ("docs/en/.overview.md.swp", "docs/zh/overview.md~", "docs/en/#x.md#",
                                              "tools/__pycache__/serve.cpython-311.pyc")}
    assert plan(scratch | {str(REPO / "docs/en/overview.md")}, REPO) == ("pages", [("en", REPO / "docs/en/overview.md")])
