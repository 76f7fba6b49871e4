"""The walkthrough notebook, rendered by mkdocs-jupyter, turned into a page like every other page of the site.

mkdocs-jupyter renders a notebook the way JupyterLab shows it: `In [n]:` prompts, its own colour scheme and copy
buttons, outputs indented under the prompts, and ~600 kB of inline CSS on the page (the main cost of the page in
Lighthouse). The notebook is still executed by mkdocs-jupyter (its outputs are real); here its cells are rewritten
into the markup pymdownx gives every other page: prose as it is, each code cell as a highlighted block titled with its
file (the theme's colours in light and dark, its copy button, its focus and overflow handling) and each output as a text block
titled "Output", like the outputs under the snippets of the other pages.
"""
from __future__ import annotations

import html

from bs4 import BeautifulSoup, Comment, Tag
from mkdocs.exceptions import PluginError

OUTPUT_TITLE = {"en": "Output", "zh": "输出"}
# What a cell may print: text streams and plain-text results. Anything else (an image, HTML) has no
# counterpart on the other pages: it fails the build instead of being dropped.
TEXT_OUTPUTS = {"text/plain", "application/vnd.jupyter.stdout", "application/vnd.jupyter.stderr"}


def _block(code_html: str, title: str | None = None, language: str = "python") -> str:
    filename = f'<span class="filename">{html.escape(title)}</span>' if title else ""
    return (f'<div class="language-{language} highlight">{filename}<pre><span></span><code>{code_html}'
            f"</code></pre></div>")


def _code_html(pre: Tag) -> str:
    inner = "".join(str(child) for child in pre.contents)
    return inner.removeprefix("<span></span>")


def flatten(content: str, lang: str, files: list[str | None] = ()) -> str:
    """The page's HTML with the notebook's cells as plain page content and the notebook's styles and scripts gone.
    `files`: the file each code cell comes from, in order, shown as its title (as on the other pages)."""
    files = iter(files)
    soup = BeautifulSoup(content, "html.parser")
    wrapper = soup.select_one(".jupyter-wrapper")
    if wrapper is None:
        raise PluginError("walkthrough: mkdocs-jupyter's output has no .jupyter-wrapper; its markup changed "
                          "(see tools/walkthrough_html.py)")
    for tag in soup.find_all(["style", "script"]):
        if wrapper not in tag.parents:  # mkdocs-jupyter's CSS and scripts around the notebook
            tag.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()  # mkdocs-jupyter's markers (<!-- jupyter-wrapper -->); the writers' notes are gone already
    parts: list[str] = []
    for cell in wrapper.select(".jp-Cell[id]"):
        classes = cell.get("class", [])
        if "jp-MarkdownCell" in classes:
            rendered = cell.select_one(".jp-RenderedMarkdown")
            parts.append("".join(str(child) for child in rendered.contents) if rendered else "")
        elif "jp-CodeCell" in classes:
            pre = cell.select_one(".jp-InputArea .highlight-ipynb pre")
            if pre is not None:
                parts.append(_block(_code_html(pre), next(files, None)))
            for output in cell.select(".jp-OutputArea-output"):
                mime = output.get("data-mime-type", "")
                if mime not in TEXT_OUTPUTS:
                    raise PluginError(f"walkthrough ({lang}): a cell shows {mime or 'an unknown'} output; the page "
                                      "shows text only: print the result instead (snippets/walkthrough/)")
                text = (output.find("pre") or output).get_text()  # the output itself, not the markup's line breaks
                parts.append(_block(html.escape(text.rstrip("\n") + "\n", quote=False),
                                    OUTPUT_TITLE.get(lang, OUTPUT_TITLE["en"]), "text"))
    wrapper.replace_with(BeautifulSoup("\n".join(parts), "html.parser"))
    return str(soup)
