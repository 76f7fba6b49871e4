"""The walkthrough's notebook markup (as mkdocs-jupyter writes it) becomes the site's own code and output blocks."""
from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from tools.walkthrough_html import flatten

CELL = """<!-- jupyter-wrapper --><style>.jupyter-wrapper{--x: 1}</style><script>var x;</script>
<div class="jupyter-wrapper"><div class="jp-Notebook">
<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell" id="cell-id=cell-0"><div class="jp-Cell-inputWrapper">
<div class="jp-InputArea jp-Cell-inputArea"><div class="jp-InputPrompt jp-InputArea-prompt"></div>
<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">
<h2 id="train">Train</h2><p>Some &amp; prose.</p></div></div></div></div>
<div class="jp-Cell jp-CodeCell jp-Notebook-cell"><div class="jp-Cell jp-CodeCell jp-Notebook-cell" id="cell-id=cell-1">
<div class="jp-Cell-inputWrapper"><div class="jp-InputArea jp-Cell-inputArea">
<div class="jp-InputPrompt jp-InputArea-prompt">In [1]:</div><div class="jp-CodeMirrorEditor"><div class="CodeMirror">
<div class="zeroclipboard-container"><clipboard-copy for="cell-1">copy</clipboard-copy></div>
<div class="highlight-ipynb hl-python"><pre><span></span><span class="nb">print</span>(<span class="s2">"a &lt; b"</span>)
</pre></div></div></div></div></div>
<div class="jp-Cell-outputWrapper"><div class="jp-OutputArea jp-Cell-outputArea"><div class="jp-OutputArea-child">
<div class="jp-OutputPrompt jp-OutputArea-prompt"></div>
<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="{mime}" tabindex="0">
<pre>a &lt; b
</pre></div></div></div></div></div></div></div></div>"""


def test_cells_become_the_sites_blocks():
    html = flatten(CELL.replace("{mime}", "text/plain"), "zh", ["walkthrough.py"])
    for gone in ("In [1]", "jp-", "jupyter-wrapper", "<style", "<script", "clipboard-copy"):
        assert gone not in html
    assert '<h2 id="train">Train</h2><p>Some &amp; prose.</p>' in html
    assert ('<div class="language-python highlight"><span class="filename">walkthrough.py</span><pre><span></span>'
            '<code><span class="nb">print</span>(<span class="s2">"a &lt; b"</span>)\n</code></pre></div>') in html
    assert ('<div class="language-text highlight"><span class="filename">输出</span><pre><span></span>'
            '<code>a &lt; b\n</code></pre></div>') in html


def test_an_output_that_is_not_text_fails_the_build():
    with pytest.raises(PluginError, match="image/png"):
        flatten(CELL.replace("{mime}", "image/png"), "en", [])


def test_markup_it_does_not_know_fails_the_build():
    with pytest.raises(PluginError, match="jupyter-wrapper"):
        flatten("<div class='nb'>x</div>", "en", [])
