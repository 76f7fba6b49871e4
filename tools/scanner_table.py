"""The security page's scanner table, rendered from what snippets/security/compare_scanners.py found.

That snippet runs every defence against every payload and ends by printing its findings as JSON; `make outputs`
stores the output, and the tests compare it with a fresh run. This module only lays the findings out, with the
labels of data/reference-i18n.yaml (keys `scan.*`), so both languages show the same measured cells.
"""
from __future__ import annotations

import json

from tools.paths import OUTPUTS, REPO

SOURCE = OUTPUTS / "security" / "compare_scanners.txt"
TOOLS = ("torch.load", "get_unsafe_globals", "picklescan", "modelscan", "fickling", "identifier")
BENIGN = "benign: "  # the check's name for its controls: a finding on them is a false positive


def findings() -> dict:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line == "{"), None)
    if start is None:
        raise ValueError(f"{SOURCE.relative_to(REPO)}: no JSON found; run `make outputs`")
    return json.loads("\n".join(lines[start:]))


def _markdown_table(head: list[str], rows: list[list[str]]) -> str:
    """A plain Markdown table: the page's stylesheet gives a wide one its sideways-scroll cue."""
    def line(cells):
        return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"
    return "\n".join([line(head), line(["---"] * len(head)), *(line(r) for r in rows)])


def render(lang: str) -> str:
    from tools.reference import t

    found = findings()
    head = [t("scan.col.file", lang), t("scan.col.live", lang), *(t(f"scan.tool.{tool}", lang) for tool in TOOLS)]
    rows = []
    for name, row in found["payloads"].items():
        benign = name.startswith(BENIGN)
        label = t("scan.benign", lang, what=name[len(BENIGN):]) if benign else f"`{name}`"
        cells = [label, t(f"scan.live.{str(row['live']).lower()}", lang)]
        for tool in TOOLS:
            verdict = ("false_positive" if row[tool]["caught"] else "passed") if benign else \
                ("caught" if row[tool]["caught"] else "missed")
            cells.append(f"{t(f'scan.{verdict}', lang)}<br>`{row[tool]['result']}`")
        rows.append(cells)
    versions = ", ".join(f"{k} {v}" for k, v in found["versions"].items())
    return _markdown_table(head, rows) + "\n\n" + t("scan.versions", lang, versions=versions)
