"""axe-core (node_modules/axe-core) on every page of both languages, at a laptop's and a phone's width, in the light
and the dark scheme: no violation of impact serious or critical. Minor and moderate ones are printed.

Cost: one browser, one tab per width, each page loaded once per width; the dark scheme is checked in the same load
by switching the attribute the theme's palette toggle switches (transitions off, so no colour is caught halfway).
The two widths run at the same time (their tabs are separate renderer processes: two cores)."""
from __future__ import annotations

import json
import time

import pytest

from built import LANGS, built_pages
from tools.paths import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = ("default", "slate")          # the theme's light and dark schemes (data-md-color-scheme)
FAIL_ON = {"serious", "critical"}

# Runs axe in the page for each scheme, one after the other; the result lands in window.__axeResult.
_START = """(schemes) => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
  document.head.append(style);
  window.__axeResult = null;
  (async () => {
    const found = {};
    for (const scheme of schemes) {
      document.body.setAttribute('data-md-color-scheme', scheme);
      await new Promise(requestAnimationFrame);
      const result = await axe.run(document, {resultTypes: ['violations']});
      found[scheme] = result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ' :: ' + n.failureSummary.split('\\n').slice(1).join(' ') : ''))}));
    }
    window.__axeResult = found;
  })().catch(e => { window.__axeResult = {error: String(e)}; });
}"""


@pytest.fixture(scope="module")
def axe_results(browser, site, served) -> dict:
    """{(width name, lang, url, scheme): [violation, ...]} for every page."""
    source = AXE.read_text(encoding="utf-8")
    tabs = {}
    for name, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, service_workers="block")
        tabs[name] = (context, context.new_page())
    pages = [(lang, url) for lang in LANGS for url in built_pages(site, lang)]
    results, started = {}, time.monotonic()
    try:
        for lang, url in pages:
            for name, (_, tab) in tabs.items():
                tab.goto(served + LANGS[lang] + url, wait_until="load")
                tab.add_script_tag(content=source)
                tab.evaluate(_START, list(SCHEMES))
            for name, (_, tab) in tabs.items():   # both widths were checked side by side; collect them
                tab.wait_for_function("window.__axeResult !== null", timeout=120_000, polling=100)
                found = tab.evaluate("window.__axeResult")
                assert "error" not in found, f"axe failed on /{LANGS[lang]}{url} ({name}): {found['error']}"
                for scheme, violations in found.items():
                    results[(name, lang, url, scheme)] = violations
    finally:
        for context, _ in tabs.values():
            context.close()
    print(f"\naxe-core: {len(pages)} pages x {len(WIDTHS)} widths x {len(SCHEMES)} schemes "
          f"in {time.monotonic() - started:.1f} s")
    return results


def _report(results: dict, keep) -> list[str]:
    lines = []
    for (width, lang, url, scheme), violations in sorted(results.items()):
        for v in violations:
            if keep(v["impact"]):
                nodes = "\n      ".join(v["nodes"][:5]) + (f"\n      … {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else "")
                lines.append(f"/{LANGS[lang]}{url} {width} {scheme}: {v['id']} ({v['impact']}, {len(v['nodes'])}): "
                             f"{v['help']}\n      {nodes}")
    return lines


def test_no_serious_or_critical_violations(axe_results):
    lesser = _report(axe_results, lambda impact: impact not in FAIL_ON)
    if lesser:
        print("\naxe-core, minor and moderate (not failing):\n  " + "\n  ".join(lesser))
    serious = _report(axe_results, lambda impact: impact in FAIL_ON)
    assert not serious, "axe-core violations:\n  " + "\n  ".join(serious)


def test_every_page_was_checked_at_both_widths_in_both_schemes(axe_results, site):
    expected = {(w, lang, url, s) for w in WIDTHS for lang in LANGS for url in built_pages(site, lang) for s in SCHEMES}
    assert set(axe_results) == expected
    assert len(expected) >= 4 * 30, "fewer pages than the site has: built_pages() found too few"


def test_axe_catches_a_violation(browser, served):
    """The check can fail: a page given a code block that scrolls and cannot be focused, and grey-on-white text,
    must be reported (so a silent axe, e.g. a script that did not load, cannot pass the test above)."""
    context = browser.new_context(viewport=WIDTHS["phone"], service_workers="block")
    try:
        tab = context.new_page()
        tab.goto(served + "save-load/", wait_until="load")
        tab.evaluate("""() => {
          const pre = document.createElement('pre');
          pre.innerHTML = '<code style="display:block; overflow:auto; white-space:pre">' + 'x'.repeat(400) + '</code>';
          const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#ddd';
          document.querySelector('article').prepend(pre, p);
        }""")
        tab.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        tab.evaluate(_START, ["default"])
        tab.wait_for_function("window.__axeResult !== null", timeout=60_000)
        found = {v["id"] for v in tab.evaluate("window.__axeResult")["default"] if v["impact"] in FAIL_ON}
        assert {"scrollable-region-focusable", "color-contrast"} <= found, found
    finally:
        context.close()
