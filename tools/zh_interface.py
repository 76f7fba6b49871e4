"""MkDocs hook: the words of the interface that come from mkdocs.yml, in the page's language.

The Chinese site inherits mkdocs.yml, and with it the English names of the colour-scheme toggle ("Switch to dark
mode", shown as a tooltip and read by screen readers). They are translated here rather than by copying the palette
into mkdocs.zh.yml, so the two sites keep one palette. tests/browser/test_chinese.py fails on English interface
text left on a Chinese page.
"""
from __future__ import annotations

TOGGLE_NAMES = {"zh": {"Switch to dark mode": "切换到深色模式", "Switch to light mode": "切换到浅色模式"}}


def on_config(config):
    names = TOGGLE_NAMES.get(config.theme["language"], {})
    for option in config.theme.get("palette") or []:
        toggle = option.get("toggle") or {}
        if toggle.get("name") in names:
            toggle["name"] = names[toggle["name"]]
    return config
