"""The Chinese text, read without a browser: the lint (tools/zh_lint.py) finds nothing in the pages, the catalogue
and the generated Chinese text; the lint and the line joining (tools/cjk_lines.py) catch what they should and leave
code alone."""
from __future__ import annotations

import pytest

from tools.cjk_lines import join_cjk_lines
from tools.zh_lint import check_markdown, problems


def test_the_chinese_text_has_no_lint_problems():
    found = problems()
    assert not found, f"{len(found)} problem(s); run `python -m tools.zh_lint`:\n" + "\n".join(map(str, found[:40]))


@pytest.mark.parametrize("line,message", [
    ("加载之后: 检查键名。", "colon"),
    ("先保存,再加载。", "，；！？"),
    ("这是状态字典.", "full stop"),
    ("见上文(第二节)。", "parentheses"),
    ('号称"加载更快"的格式。', "straight quotes"),
    ("所谓「安全」的格式。", "one quote style"),
    ("统计量之类的 buffer 不会丢。", "缓冲区"),
    ("以及 BatchNorm 的统计量。", "批归一化"),
    ("扫描器本质上是黑名单。", "阻止列表"),
    ("把文件里的每个张量（tensor）读进内存。", "no English gloss (tensor)"),
    ("只想**推理**（inference）的话。", "no English gloss (inference)"),
    ("同样字节的原始读取: 1.46 GB/s.", "colon"),
])
def test_the_lint_finds(line, message):
    found = check_markdown(line + "\n", "x.md")
    assert any(message in p.message for p in found), [str(p) for p in found]


def test_a_gloss_only_on_first_use_per_page():
    page = "保存状态字典（state_dict）。\n\n再加载状态字典（state_dict）。\n"
    found = check_markdown(page, "x.md")
    assert [p.line for p in found] == [3] and "repeated" in found[0].message


@pytest.mark.parametrize("line", [
    "调用 `torch.load(path, map_location=\"cpu\")`，再看输出。",     # inline code keeps its punctuation
    "缓冲区（buffer）在第一次出现时附英文。",                          # a gloss is not a variant
    "用 `model.register_buffer(...)` 注册缓冲区。",                   # an identifier is not a variant
    '!!! warning "译文可能已过时"',                                   # Markdown syntax, not prose quotes
    "见[识别未知文件](identify.md#what-is-this-file)。",               # a link target is not prose
])
def test_the_lint_leaves_alone(line):
    assert check_markdown(line + "\n", "x.md") == []


def test_code_blocks_are_not_prose():
    assert check_markdown('```python\nprint("中文: 不检查")\n```\n', "x.md") == []


def test_lines_of_a_chinese_paragraph_are_joined():
    assert join_cjk_lines("每段输出都是那次运行\n实际打印的内容。\n") == "每段输出都是那次运行实际打印的内容。\n"
    assert join_cjk_lines("见**加粗**\n和[链接](a.md)\n之后。\n") == "见**加粗**和[链接](a.md)之后。\n"
    assert join_cjk_lines("- 列表项\n  继续写。\n") == "- 列表项继续写。\n"


@pytest.mark.parametrize("markdown", [
    "```text\n第一行\n第二行\n```\n",          # fenced code
    "段落\n- 新的列表项\n",                      # a new block
    "段落\n## 标题 { #id }\n",
    "段落\n| 表格 | 行 |\n",
    "<div>\n中文\n中文\n</div>\n",               # raw HTML
    "`代码\n跨行`\n",                            # inline code across the break
    "!!! note\n    注意内容\n正文\n",              # the admonition ends: not the same paragraph
    "English line\nnext line\n",
])
def test_lines_are_not_joined(markdown):
    assert join_cjk_lines(markdown) == markdown
