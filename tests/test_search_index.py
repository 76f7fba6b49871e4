"""The search index the build writes (tools/search_index.py), without a browser: what goes where, synonyms, and a
loud failure when the theme's worker is not the one the hook knows."""
from __future__ import annotations

import re

import pytest
from mkdocs.exceptions import PluginError

from tools.search_index import (OUR_LENGTH, OUR_SEGMENTATION, THEME_LENGTH, THEME_SEGMENTATION, THEME_WORKER,
                                keywords_for, rewrite_index, separator, worker_source)


def test_synonyms_match_whole_latin_words_and_chinese_anywhere():
    assert "内存不足" in keywords_for("this run hit OOM")
    assert "内存不足" not in keywords_for("zoom into the plot")
    assert "检查点" in keywords_for("keep the last three checkpoints")
    assert "断点续训" in keywords_for("中断之后恢复训练")
    assert "恢复训练" not in keywords_for("中断之后恢复训练")  # the word the text uses is not added again


def test_code_leaves_the_preview_and_stays_searchable():
    index = {"config": {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": [], "fields": {}},
             "docs": [{"location": "page/#s", "title": "Save", "text": "<p>Prose.</p> x.py<pre><code>torch.save(m)</code></pre>"}]}
    doc = rewrite_index(index, chinese=False)["docs"][0]
    assert "<pre>" not in doc["text"] and "torch.save(m)" in doc["code"]
    assert {"code", "keywords"} <= set(index["config"]["fields"])


def test_an_unknown_theme_worker_fails_the_build(tmp_path):
    worker = tmp_path / THEME_WORKER
    worker.parent.mkdir(parents=True)
    worker.write_text("search(e){return e}", encoding="utf-8")  # a theme whose segmentation line changed
    with pytest.raises(PluginError, match="no longer has the segmentation line"):
        worker_source(tmp_path)


def test_words_end_at_punctuation_but_not_at_underscores_or_decimal_points():
    words = [w for w in re.split(separator(r"[\s\-]+"), "model.state_dict() (state_dict) a .pt2 file? torch 2.5 &lt;x&gt;")
             if w]
    assert words == ["model", "state_dict", "state_dict", "a", "pt2", "file", "torch", "2.5", "x"]


def test_the_worker_weighs_words_by_section_length(tmp_path):
    worker = tmp_path / THEME_WORKER
    worker.parent.mkdir(parents=True)
    worker.write_text(f"lunr(function(){{{THEME_LENGTH}}});search(e){{{THEME_SEGMENTATION}}}", encoding="utf-8")
    source = worker_source(tmp_path)
    assert OUR_LENGTH in source and THEME_LENGTH not in source and OUR_SEGMENTATION in source
