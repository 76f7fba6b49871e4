"""MkDocs hook: search that finds what readers type, in both languages.

mkdocs-material indexes each section's title and text (Chinese cut into words by jieba) and searches it in a web
worker. This hook makes the index and the queries meet:

- The index (search/search_index.json, rewritten after the search plugin wrote it):
  * a section's code blocks move from `text` (shown as the result's preview) to a field of their own, `code`, still
    searched: previews are prose, not listings; tab labels and code-block titles are left out of the preview;
  * a hidden field `keywords` carries what readers say for what the section says: the other words of each synonym
    group (data/search/synonyms.yaml) whose word the section uses; the parts of a long Chinese term go to a field
    `parts` (状态字典 is one word in the index; 字典 then still finds it). The page's description is in the page's
    own entry once, at the start of its text (tools/page_meta.py), not in `keywords` as well: there, at five times
    the weight of text, every page whose description says "load", "model" or "file" outranked the page about it;
  * the fields' weights (FIELDS): a title counts 20 times its section's text, not the theme's 1000 times, so that
    one heading with a common word ("Load and run ...") does not outweigh a page that is about the query; a synonym
    in `keywords` counts as much as the word in the text;
  * words end at punctuation too (PUNCTUATION): "model.state_dict()" holds the word state_dict;
  * for Chinese, `config.segment`: every word of the index with jieba's log probability, and the words that only ask,
    so that the worker cuts a query into the index's words (tools/search-worker-words.js).
- The worker: the theme's, with that script in front and its own Chinese segmentation replaced by it (the script
  also drops English stop words from a query and weighs each query word above the longer words it begins), and
  with lunr's length normalisation back on (THEME_LENGTH), written as assets/javascripts/workers/search.<hash>.js;
  pages load it instead of the theme's.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from functools import lru_cache
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # MkDocs loads hooks by path, not as a package
from tools.paths import REPO  # noqa: E402

SEARCH_DATA = REPO / "data" / "search"
WORKER_SCRIPT = REPO / "tools" / "search-worker-words.js"
THEME_WORKER = "assets/javascripts/workers/search.a7633da7.min.js"   # mkdocs-material 9.8.2
# The theme worker's own Chinese segmentation (minified): replaced by the call below.
THEME_SEGMENTATION = 'e=e.replace(new RegExp("\\\\p{sc=Han}+","gu"),s=>[...fe(s,this.index.invertedIndex)].join("* "))'
OUR_SEGMENTATION = "e=self.segmentQuery(e)"
# The theme's lunr index scores a word without regard to the length of the section (BM25 with b = 0): a long
# section (a big table, a long listing) that names a word a few times in passing outranked the short section about
# it. lunr's own default, b = 0.75, weighs a word's count against the section's length.
THEME_LENGTH = "this.b(0),"
OUR_LENGTH = "this.b(.75),"
# Weights of the fields. The theme weighs a title 1000 times its text, which made a page's rank the count of its
# headings that contain a query word ("load", "file", "save_file" for "save"), whatever the page is about. A synonym
# (`keywords`) counts as much as the word it stands for: at five times, a section that says "CUDA" outranked the one
# that says "GPU" for "GPU", and sections with a synonym outranked the page whose description uses the word itself.
FIELDS = {"title": {"boost": 20.0}, "code": {"boost": 0.5}, "keywords": {"boost": 1.0}, "parts": {"boost": 1.0}}
# Punctuation that ends a word in the index and in queries, besides the theme's separator (white space and "-"):
# with only those, "model.state_dict()", "(state_dict)", ".pt2" and "file?" were words of their own, which a query
# for state_dict, pt2 or file (matched as a prefix) never found. "." ends a word unless a digit follows (2.5, 1.13);
# "_" does not (model_state_dict, map_location stay whole); HTML entities (&lt;) are no words.
PUNCTUATION = r",:;!?=\[\](){}<>\"'`/|（）：“”‘’《》"
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_PRE = re.compile(r"(?s)<pre>.*?</pre>")
_TAG = re.compile(r"<[^>]+>")

_worker: dict[str, tuple[str, str]] = {}   # site_dir -> (file name, text) of the worker the pages load


@lru_cache(maxsize=None)
def synonyms() -> list[list[str]]:
    """Groups of words readers use for one thing, both languages (data/search/synonyms.yaml)."""
    data = yaml.safe_load((SEARCH_DATA / "synonyms.yaml").read_text(encoding="utf-8"))
    return [[str(word) for word in group] for group in data["groups"]]


@lru_cache(maxsize=None)
def query_stop_words() -> tuple[str, ...]:
    data = yaml.safe_load((SEARCH_DATA / "synonyms.yaml").read_text(encoding="utf-8"))
    return tuple(str(word) for word in data["query_stop_words"]["zh"])


def _jieba():
    import jieba
    return jieba


def _segment(text: str) -> str:
    """Han runs cut by jieba and set off by zero-width spaces, as the search plugin writes its index."""
    jieba = _jieba()
    return HAN_RUN.sub(lambda m: "\u200b" + "\u200b".join(jieba.cut(m.group(0))) + "\u200b", text).strip("\u200b")


def _plain(html: str) -> str:
    return _TAG.sub(" ", html).replace("\u200b", "")


def _uses(lowered: str, word: str) -> bool:
    """Whether lower-cased text uses a word: Chinese anywhere, Latin only as a whole word or its plural (OOM is not
    in "zoom"; checkpoint is in "checkpoints")."""
    word = word.lower()
    if HAN_RUN.search(word):
        return word in lowered
    return re.search(rf"(?<![a-z0-9_]){re.escape(word)}(?:e?s)?(?![a-z0-9_])", lowered) is not None


def keywords_for(text: str) -> list[str]:
    """The other words of every synonym group that the text uses a word of (case-insensitive)."""
    lowered = text.lower()
    found: list[str] = []
    for group in synonyms():
        if any(_uses(lowered, word) for word in group):
            found += [word for word in group if not _uses(lowered, word) and word not in found]
    return found


def separator(theme: str) -> str:
    """The theme's separator (one character class, repeated) with PUNCTUATION added."""
    match = re.fullmatch(r"\[(.*)\]\+", theme)
    if match is None:
        raise PluginError(f"tools/search_index.py: the search separator {theme!r} is not one character class")
    return rf"[{match.group(1)}{PUNCTUATION}]+|\.(?!\d)|&[a-z]+;"


def rewrite_index(index: dict, chinese: bool) -> dict:
    """The search index with code in its own field, keywords added and, for Chinese, the query dictionary."""
    jieba = _jieba() if chinese else None
    index["config"]["fields"].update(FIELDS)
    index["config"]["separator"] = separator(index["config"]["separator"])
    for doc in index["docs"]:
        text = doc.get("text", "")
        code = " ".join(_PRE.findall(text))
        doc["text"] = re.sub(r"\s{2,}", " ", _PRE.sub(" ", text)).strip()
        if code:
            doc["code"] = _TAG.sub(" ", code)
        plain = _plain(doc["title"] + " " + doc["text"] + " " + code)
        extra = keywords_for(plain)
        if chinese:
            # parts of long words (状态字典 -> 状态, 字典), so a query for a part still finds the section
            tokens = set(re.split(index["config"]["separator"], doc["title"] + " " + doc["text"]))
            parts = sorted({part for token in tokens if len(token) >= 3 and HAN_RUN.fullmatch(token)
                            for part in jieba.cut_for_search(token) if part != token and len(part) > 1})
            if parts:
                doc["parts"] = "\u200b".join(parts)
        if extra:
            doc["keywords"] = _segment(" ".join(extra)) if chinese else " ".join(extra)
    if chinese:
        index["config"]["segment"] = query_dictionary(index)   # the theme hands `config` to the worker whole
    return index


def query_dictionary(index: dict) -> dict:
    """Every Han word of the index with jieba's log probability, so the worker cuts queries the same way."""
    jieba = _jieba()
    jieba.dt.check_initialized()
    separator = re.compile(index["config"]["separator"])
    words: set[str] = set()
    for doc in index["docs"]:
        for field in ("title", "text", "code", "keywords", "parts"):
            words.update(t for t in separator.split(doc.get(field, "")) if HAN_RUN.fullmatch(t))
    for group in synonyms():
        words.update(word for word in group if HAN_RUN.fullmatch(word))
    words.update(query_stop_words())
    total = math.log(jieba.dt.total)
    dictionary = {word: round(math.log(jieba.dt.FREQ.get(word) or 1) - total, 2) for word in sorted(words)}
    return {"dict": dictionary, "stop": list(query_stop_words()), "unknown": round(-total, 2),
            "longest": max(map(len, dictionary), default=1)}


def worker_source(theme_dir: Path) -> str:
    theme = (theme_dir / THEME_WORKER).read_text(encoding="utf-8")
    for what, old, new in (("segmentation", THEME_SEGMENTATION, OUR_SEGMENTATION),
                           ("length normalisation", THEME_LENGTH, OUR_LENGTH)):
        if theme.count(old) != 1:
            raise PluginError(f"tools/search_index.py: mkdocs-material's search worker ({THEME_WORKER}) no longer has "
                              f"the {what} line this hook replaces ({old}); update THEME_WORKER and that line for "
                              "the installed version.")
        theme = theme.replace(old, new)
    return WORKER_SCRIPT.read_text(encoding="utf-8") + "\n" + theme


# ---- MkDocs events -----------------------------------------------------------------------------------------------

def on_page_content(html, page, config, files):
    # Tab labels and code-block titles: words of the interface, not of the section (they ran into the preview).
    html = html.replace('<div class="tabbed-labels">', '<div class="tabbed-labels" data-search-exclude="true">')
    return html.replace('<span class="filename">', '<span class="filename" data-search-exclude="true">')


def on_post_page(output, page, config):
    name, _ = _worker[config.site_dir]
    return output.replace(THEME_WORKER, f"assets/javascripts/workers/{name}")


def on_post_template(output_content, template_name, config):
    # the 404 page is a template, not a page: it has the search box too
    return on_post_page(output_content, None, config)


def on_config(config):
    import material
    source = worker_source(Path(material.__file__).parent / "templates")
    _worker[config.site_dir] = (f"search.{hashlib.sha256(source.encode()).hexdigest()[:8]}.js", source)
    return config


def on_post_build(config):
    name, source = _worker[config.site_dir]
    out = Path(config.site_dir) / "assets" / "javascripts" / "workers" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(source, encoding="utf-8")
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    index = rewrite_index(index, chinese="zh" in index["config"]["lang"])
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

