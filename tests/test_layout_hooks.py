"""tools/layout_hooks.py: outputs are marked, inline code breaks only between tokens, the home page's first screen."""
from tools.layout_hooks import break_between_tokens, break_inline_code, mark_outputs, notebook_link_below_the_tasks


def test_only_blocks_titled_output_are_marked():
    html = ('<div class="language-text highlight"><span class="filename">Output</span><pre>a</pre></div>'
            '<div class="highlight"><span class="filename">输出</span><pre>b</pre></div>'
            '<div class="highlight"><span class="filename">output.py</span><pre>c</pre></div>')
    marked = mark_outputs(html)
    assert marked.count(" output\"") == 2 and '<div class="highlight"><span class="filename">output.py' in marked


def test_breaks_fall_between_tokens_only():
    code = 'Runtime.get().load_program(&quot;model.pte&quot;).load_method(&quot;forward&quot;)'
    assert break_between_tokens(code) == ('Runtime.<wbr>get(<wbr>).<wbr>load_program(<wbr>&quot;model.pte&quot;).<wbr>'
                                          'load_method(<wbr>&quot;forward&quot;)')
    assert break_between_tokens("torch.save") == "torch.save"             # short code stays whole
    assert break_between_tokens(".safetensors") == ".safetensors"          # never after a leading dot
    assert break_between_tokens("torch.load(..., mmap=True)") == "torch.<wbr>load(..., mmap=True)"
    # a browser breaks after a hyphen: such a piece is kept whole
    assert break_between_tokens("pip install ai-edge-torch") == 'pip install <span class="nobr">ai-edge-torch</span>'
    assert "<wbr>" not in break_between_tokens('x = open(&quot;a/very/long/path/to/some.file&quot;)').split("&quot;")[1]


def test_code_blocks_are_left_alone():
    html = '<p><code>torch.serialization.add_safe_globals</code></p><pre><code>torch.serialization.x</code></pre>'
    out = break_inline_code(html)
    assert "torch.<wbr>serialization" in out.split("<pre>")[0] and out.endswith("<pre><code>torch.serialization.x</code></pre>")


def test_the_home_notebook_link_moves_below_the_tasks():
    html = '<h1>T</h1>\n<p class="notebook-download"><a href="x.ipynb">nb</a></p>\n<div class="tasks">t</div>\n<h2 id="a">A</h2>'
    out = notebook_link_below_the_tasks(html)
    assert out.index("tasks") < out.index("notebook-download") < out.index("<h2")
    assert notebook_link_below_the_tasks("<h1>T</h1><p>no link</p>") == "<h1>T</h1><p>no link</p>"
